package deploy

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/cfnrules"
)

// DestroyInput names the stack that [Deployer.Destroy] deletes.
type DestroyInput struct {
	StackName string
	Yes       bool // delete without asking
	// Timeout bounds the run (AWS calls and the wait, not the prompt);
	// CloudFormation goes on with a deletion it has started. 0: no bound.
	Timeout time.Duration
}

// Destroy deletes a stack and all its resources after listing them on Out.
// It needs in.Yes, or the stack name typed at the prompt; without either
// it returns a *ConsentError. It follows the deletion until
// DELETE_COMPLETE. A stack that does not exist gives ErrStackNotFound; one
// with termination protection on, a *ProtectedError.
func (d *Deployer) Destroy(ctx context.Context, in DestroyInput) error {
	stackName, yes := in.StackName, in.Yes
	if err := d.ready(); err != nil {
		return err
	}
	if err := cfnrules.ValidStackName(stackName); err != nil {
		return err
	}
	r := d.newRun(stackName, in.Timeout)
	st, err := describeStack(ctx, r.cfn, stackName)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("%w: stack %s does not exist", ErrStackNotFound, stackName)
	}
	if aws.ToBool(st.EnableTerminationProtection) {
		return &ProtectedError{StackName: stackName}
	}
	resources, err := r.listResources(ctx, stackName, aws.ToString(st.StackId))
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(d.out(), 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGICAL ID\tTYPE\tPHYSICAL ID")
	byID := map[string]string{}
	for _, r := range resources {
		id, ty := aws.ToString(r.LogicalResourceId), aws.ToString(r.ResourceType)
		byID[id] = ty
		fmt.Fprintf(tw, "%s\t%s\t%s\n", id, ty, orDash(aws.ToString(r.PhysicalResourceId)))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write resources: %w", err)
	}
	noun := "resources"
	if len(resources) == 1 {
		noun = "resource"
	}
	fmt.Fprintf(d.out(), "%d %s to delete with stack %s\n", len(resources), noun, stackName)
	if !yes {
		err := r.askTyped(ctx, &ConsentError{Needed: ToDestroy, StackName: stackName}, "not deleted: no terminal to ask for consent on",
			fmt.Sprintf("Delete stack %s and the resources above? Type the stack name to confirm", stackName))
		if err != nil {
			return err
		}
	}
	if err := r.deleteStack(ctx, st, byID); err != nil {
		return err
	}
	fmt.Fprintf(d.log(), "deleted stack %s\n", stackName)
	return nil
}

// listResources returns every resource of the stack.
func (r *run) listResources(ctx context.Context, stackName, stackID string) ([]types.StackResourceSummary, error) {
	var all []types.StackResourceSummary
	pages := cloudformation.NewListStackResourcesPaginator(r.cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(stackID)})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list resources of stack %s: %w", stackName, err)
		}
		all = append(all, out.StackResourceSummaries...)
	}
	return all, nil
}
