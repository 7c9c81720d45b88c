package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"

	"github.com/cfngen/cfngen/ami"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/preflight"
)

// updateAMIUsage is the help of --update-ami.
const updateAMIUsage = "give the instances the image the SSM parameter (instances.ami) names now; without it an update keeps the deployed image"

// pinImage adds to in the parameters that keep the deployed stack's image
// (see package ami) unless update, a new instances.ami or a --param asks
// for another, and says on stderr when the image changes.
func pinImage(ctx context.Context, e *env, c *clients, cfg *config.Config, in *deploy.Input, update bool) error {
	image := cfg.ImageID()
	if update && ami.IsID(image) {
		fmt.Fprintf(e.stderr, "cfngen: note: --update-ami: instances.ami is the AMI ID %s, which the instances run whatever SSM says; change instances.ami to move them\n", image)
	}
	deployed, err := deployedParameters(ctx, c.cfn, in.StackName)
	if err != nil {
		return err
	}
	choice, err := ami.Choose(ctx, ami.Input{
		Deployed: deployed,
		Image:    image,
		Update:   update,
		Given:    in.Parameters,
		Resolve: func(ctx context.Context, path string) (string, error) {
			if c.ssm == nil {
				return "", nil
			}
			return preflight.ResolveImage(ctx, c.ssm, c.region, path)
		},
	})
	var ue *ami.UnknownImageError
	if errors.As(err, &ue) {
		return reportProblems(e, []problem{{fmt.Sprintf("stack %s: %v", in.StackName, ue),
			fmt.Sprintf("to choose the image, pass --update-ami for the one the SSM parameter names now, or --param %s=ami-...", ami.PinParameter)}})
	}
	if err != nil {
		return err
	}
	for k, v := range choice.Parameters {
		if _, given := in.Parameters[k]; !given {
			if in.Parameters == nil {
				in.Parameters = map[string]string{}
			}
			in.Parameters[k] = v
		}
	}
	switch {
	case choice.Changes():
		fmt.Fprintln(e.stderr, choice)
	case choice.Latest != "" && choice.Latest != choice.New:
		fmt.Fprintf(e.stderr, "AMI %s kept; the SSM parameter names %s now (--update-ami takes it)\n", choice.New, choice.Latest)
	}
	return nil
}

// deployedParameters returns the parameters of the deployed stack, or nil
// when there is none to keep an image of: no stack, one never executed
// (REVIEW_IN_PROGRESS), or one whose resources are gone.
func deployedParameters(ctx context.Context, cfn deploy.API, stack string) ([]ami.Parameter, error) {
	out, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
	if stackMissing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe stack %s: %w", stack, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	st := out.Stacks[0]
	switch st.StackStatus {
	case cfntypes.StackStatusReviewInProgress, cfntypes.StackStatusRollbackComplete, cfntypes.StackStatusCreateFailed,
		cfntypes.StackStatusDeleteComplete, cfntypes.StackStatusDeleteFailed, cfntypes.StackStatusRollbackFailed:
		return nil, nil
	}
	ps := []ami.Parameter{}
	for _, p := range st.Parameters {
		ps = append(ps, ami.Parameter{Key: aws.ToString(p.ParameterKey), Value: aws.ToString(p.ParameterValue), Resolved: aws.ToString(p.ResolvedValue)})
	}
	return ps, nil
}

// stackMissing reports whether err says the stack does not exist; it is
// a ValidationError in CloudFormation.
func stackMissing(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist")
}
