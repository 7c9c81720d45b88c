// Baresdk is the floor that bench times cfngen deploy against: a
// program that deploys a template file as a new stack with aws-sdk-go-v2
// and nothing else, in four calls on a server that answers at once:
// CreateChangeSet, DescribeChangeSet (again until computed),
// ExecuteChangeSet and DescribeStacks (again until done). It prints no
// events, asks nothing and cleans nothing up.
//
//	usage: baresdk TEMPLATE STACK
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: baresdk TEMPLATE STACK")
		os.Exit(2)
	}
	if err := deploy(context.Background(), os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "baresdk:", err)
		os.Exit(1)
	}
}

// pause is the wait between two reads of a status that is not final yet.
const pause = 200 * time.Millisecond

func deploy(ctx context.Context, file, stack string) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	cfn := cloudformation.NewFromConfig(cfg)
	cs, err := cfn.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(stack),
		ChangeSetName: aws.String("baresdk"),
		ChangeSetType: types.ChangeSetTypeCreate,
		TemplateBody:  aws.String(string(body)),
		Capabilities:  []types.Capability{types.CapabilityCapabilityIam},
	})
	if err != nil {
		return err
	}
	for {
		out, err := cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: cs.Id})
		if err != nil {
			return err
		}
		if out.Status == types.ChangeSetStatusFailed {
			return errors.New("change set failed: " + aws.ToString(out.StatusReason))
		}
		if out.Status == types.ChangeSetStatusCreateComplete {
			break
		}
		time.Sleep(pause)
	}
	if _, err := cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: cs.Id}); err != nil {
		return err
	}
	for {
		out, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: cs.StackId})
		if err != nil {
			return err
		}
		status := string(out.Stacks[0].StackStatus)
		switch {
		case status == string(types.StackStatusCreateComplete):
			return nil
		case !strings.HasSuffix(status, "_IN_PROGRESS"):
			return errors.New("stack " + stack + " is " + status)
		}
		time.Sleep(pause)
	}
}
