package deploy

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cfngen/cfngen/internal/progress"
)

// abandon removes what the run made, as its change set will not be
// executed, and returns cause.
func (r *run) abandon(ctx context.Context, cause error) error {
	r.remove(ctx)
	return cause
}

// cleanupContext returns a context for clean-up and reports: it keeps the
// values of ctx but neither its cancellation nor its deadline, and has a
// bound of its own.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}

// remove deletes the change set this run created and, when this run made
// it, the REVIEW_IN_PROGRESS stack that holds it, and says on Log what it
// removed and what is left, with the commands to remove that. It never
// touches another change set or a stack this run did not make. It reports
// whether it deleted the change set.
func (r *run) remove(parent context.Context) (deleted bool) {
	cs := r.cs
	if cs == nil {
		return false
	}
	ctx, cancel := cleanupContext(parent)
	defer cancel()
	log := r.d.log()
	if cs.ID == "" && !r.find(ctx) {
		return false
	}
	del := func() error {
		_, err := r.spare.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(cs.ID)})
		return err
	}
	err := del()
	if apiCode(err) == "InvalidChangeSetStatus" && !r.computed {
		// CloudFormation is still computing it, and cannot delete it before.
		out, werr := r.waitComputed(ctx)
		if werr != nil {
			fmt.Fprintf(log, "could not delete change set %s: %v\n", cs.Name, werr)
			r.leftChangeSet("")
			r.removeStack(ctx)
			return false
		}
		if started(out.ExecutionStatus) {
			fmt.Fprintf(log, "change set %s is %s: CloudFormation started it\n", cs.Name, out.ExecutionStatus)
			r.reportStack(ctx)
			return false
		}
		err = del()
	}
	if err != nil {
		fmt.Fprintf(log, "could not delete change set %s: %v\n", cs.Name, err)
		out, derr := r.spare.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(cs.ID)})
		if derr == nil && started(out.ExecutionStatus) {
			fmt.Fprintf(log, "change set %s is %s: CloudFormation started it\n", cs.Name, out.ExecutionStatus)
			r.reportStack(ctx)
			return false
		}
		status := ""
		if derr == nil {
			status = string(out.ExecutionStatus)
		}
		r.leftChangeSet(status)
	} else {
		fmt.Fprintf(log, "deleted change set %s\n", cs.Name)
		deleted = true
	}
	r.removeStack(ctx)
	return deleted
}

// find looks for the change set by name after a CreateChangeSet whose
// answer was lost: CloudFormation may have made it, and may not list it at
// once. It looks for findWait at most.
func (r *run) find(ctx context.Context) bool {
	cs, d := r.cs, r.d
	log := d.log()
	fmt.Fprintf(log, "looking for change set %s, which CloudFormation may have made\n", cs.Name)
	start := d.now()
	deadline := start.Add(findWait)
	var delay time.Duration
	var last error
	for {
		out, err := r.spare.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
			ChangeSetName: aws.String(cs.Name),
			StackName:     aws.String(cs.StackName),
		})
		if err == nil {
			cs.ID, cs.StackID = aws.ToString(out.ChangeSetId), aws.ToString(out.StackId)
			r.ownStack = cs.Type == string(types.ChangeSetTypeCreate) && cs.StackID != r.prior
			return true
		}
		last = err
		left := deadline.Sub(d.now())
		if left <= 0 {
			break
		}
		delay = min(progress.NextDelay(delay), left)
		if d.sleep(ctx, delay) != nil {
			break
		}
	}
	waited := d.now().Sub(start).Round(time.Second)
	fmt.Fprintf(log, "change set %s not found in %s (%v): CloudFormation did not make it, or has not yet\n", cs.Name, waited, last)
	fmt.Fprintf(log, "  should it appear, delete it: aws cloudformation delete-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
	if cs.Type == string(types.ChangeSetTypeCreate) && r.prior == "" {
		fmt.Fprintf(log, "  and its empty stack (REVIEW_IN_PROGRESS): aws cloudformation delete-stack --stack-name %s\n", cs.StackName)
	}
	return false
}

// waitComputed reads the change set until CloudFormation has computed it,
// for computeWait at most.
func (r *run) waitComputed(ctx context.Context) (*cloudformation.DescribeChangeSetOutput, error) {
	var out *cloudformation.DescribeChangeSetOutput
	var delay time.Duration
	start := r.d.now()
	for {
		var err error
		out, err = r.spare.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(r.cs.ID)})
		if err != nil {
			return nil, err
		}
		switch out.Status {
		case types.ChangeSetStatusCreatePending, types.ChangeSetStatusCreateInProgress:
		default:
			return out, nil
		}
		if r.d.now().Sub(start) >= computeWait {
			return nil, fmt.Errorf("still %s after %s", out.Status, computeWait)
		}
		delay = progress.NextDelay(delay)
		if err := r.d.sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("still %s: %w", out.Status, err)
		}
	}
}

// started reports whether an execution status says that CloudFormation
// started the change set.
func started(s types.ExecutionStatus) bool {
	switch s {
	case types.ExecutionStatusExecuteInProgress, types.ExecutionStatusExecuteComplete, types.ExecutionStatusExecuteFailed:
		return true
	}
	return false
}

// started asks CloudFormation, after an ExecuteChangeSet call that failed or
// was cut short, whether it started the change set.
func (r *run) started(parent context.Context, cs *ChangeSet) (bool, error) {
	ctx, cancel := cleanupContext(parent)
	defer cancel()
	out, err := r.spare.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(cs.ID)})
	if err != nil {
		return false, err
	}
	if started(out.ExecutionStatus) {
		return true, nil
	}
	fmt.Fprintf(r.d.log(), "CloudFormation did not start change set %s (%s)\n", cs.Name, out.ExecutionStatus)
	r.computed = out.ExecutionStatus == types.ExecutionStatusAvailable
	return false, nil
}

// leftChangeSet says that the change set is left, and how to execute or
// delete it.
func (r *run) leftChangeSet(status string) {
	cs, log := r.cs, r.d.log()
	if status == "" {
		fmt.Fprintf(log, "change set %s may be left on stack %s\n", cs.Name, cs.StackName)
	} else {
		fmt.Fprintf(log, "change set %s is left %s on stack %s\n", cs.Name, status, cs.StackName)
	}
	if status == string(types.ExecutionStatusAvailable) {
		fmt.Fprintf(log, "  execute it: aws cloudformation execute-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
	}
	fmt.Fprintf(log, "  delete it:  aws cloudformation delete-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
}

// removeStack deletes the stack of the change set when this run made it and
// it is still REVIEW_IN_PROGRESS, that is empty.
func (r *run) removeStack(ctx context.Context) {
	cs, log := r.cs, r.d.log()
	if !r.ownStack || cs.StackID == "" {
		return
	}
	st, err := describeStack(ctx, r.spare, cs.StackID)
	switch {
	case err != nil:
		fmt.Fprintf(log, "could not read stack %s: %v\n", cs.StackName, err)
		fmt.Fprintf(log, "  if it is REVIEW_IN_PROGRESS, delete it: aws cloudformation delete-stack --stack-name %s\n", cs.StackID)
		return
	case st == nil || st.StackStatus == types.StackStatusDeleteComplete:
		return
	case st.StackStatus != types.StackStatusReviewInProgress:
		fmt.Fprintf(log, "stack %s is %s: left as it is\n", cs.StackName, st.StackStatus)
		return
	}
	_, err = r.spare.DeleteStack(ctx, &cloudformation.DeleteStackInput{
		StackName:          aws.String(cs.StackID),
		ClientRequestToken: aws.String(r.d.token("delete")),
	})
	if err != nil {
		fmt.Fprintf(log, "could not delete the empty stack %s (REVIEW_IN_PROGRESS) that this run made: %v\n", cs.StackName, err)
		fmt.Fprintf(log, "  delete it: aws cloudformation delete-stack --stack-name %s\n", cs.StackID)
		return
	}
	fmt.Fprintf(log, "deleted empty stack %s (REVIEW_IN_PROGRESS)\n", cs.StackName)
}

// reportStack says how the change set's stack stands.
func (r *run) reportStack(ctx context.Context) {
	cs, log := r.cs, r.d.log()
	st, err := describeStack(ctx, r.spare, cs.StackID)
	switch {
	case err != nil:
		fmt.Fprintf(log, "could not read stack %s: %v\n", cs.StackName, err)
	case st == nil:
		fmt.Fprintf(log, "stack %s is gone\n", cs.StackName)
	default:
		fmt.Fprintf(log, "stack %s is %s\n", cs.StackName, st.StackStatus)
	}
	fmt.Fprintf(log, "  follow it: aws cloudformation describe-stack-events --stack-name %s\n", cs.StackName)
}
