package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// describeStack returns the stack named or identified by nameOrID, or nil
// when it does not exist.
func (d *Deployer) describeStack(ctx context.Context, nameOrID string) (*types.Stack, error) {
	out, err := d.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nameOrID)})
	if isStackMissing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrapAWS("describe stack "+nameOrID, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

// unusable lists the states from which a stack cannot be updated, only
// deleted.
var unusable = map[types.StackStatus]bool{
	types.StackStatusRollbackComplete: true,
	types.StackStatusCreateFailed:     true,
	types.StackStatusRollbackFailed:   true,
	types.StackStatusDeleteFailed:     true,
}

// settle brings the stack to a state a change set can start from and
// returns it, or nil when there is no stack. It waits for an operation in
// progress and, when mayDelete is set and consent is given, deletes a stack
// that cannot be updated.
func (d *Deployer) settle(ctx context.Context, w *waiter, in Input, mayDelete bool) (*types.Stack, error) {
	log := d.log()
	for {
		st, err := d.describeStack(ctx, in.StackName)
		if err != nil {
			return nil, err
		}
		if st == nil || st.StackStatus == types.StackStatusDeleteComplete {
			return nil, nil
		}
		s := st.StackStatus
		switch {
		case inProgress(s):
			fmt.Fprintf(log, "stack %s is %s: waiting for it to end\n", in.StackName, s)
			if err := d.attach(ctx, w, st); err != nil {
				return nil, err
			}
		case unusable[s]:
			fmt.Fprintf(log, "stack %s is %s: it cannot be updated, only deleted and created again\n", in.StackName, s)
			if r := aws.ToString(st.StackStatusReason); r != "" {
				fmt.Fprintf(log, "  reason: %s\n", r)
			}
			if !mayDelete {
				return nil, fmt.Errorf("%w: stack %s is %s; cfngen deploy --recreate deletes it and creates it again", ErrStackState, in.StackName, s)
			}
			if err := d.recreateConsent(ctx, w, in, s); err != nil {
				return nil, err
			}
			if err := d.deleteStack(ctx, w, st, nil); err != nil {
				return nil, err
			}
		case s == types.StackStatusUpdateRollbackFailed:
			return nil, fmt.Errorf("%w: stack %s is UPDATE_ROLLBACK_FAILED: fix the cause, run aws cloudformation continue-update-rollback --stack-name %s, then deploy again",
				ErrStackState, in.StackName, in.StackName)
		default:
			return st, nil
		}
	}
}

// recreateConsent asks whether a stack that cannot be updated may be
// deleted.
func (d *Deployer) recreateConsent(ctx context.Context, w *waiter, in Input, s types.StackStatus) error {
	if in.AllowDeleteRollbackComplete {
		return nil
	}
	if d.Prompt == nil {
		fmt.Fprintln(d.log(), "not deleted: re-run with --recreate to delete the stack and create it again, or delete it with cfngen destroy")
		return fmt.Errorf("%w: delete stack %s (%s) before creating it again", ErrNeedsConsent, in.StackName, s)
	}
	ok, err := d.ask(w, func() (bool, error) {
		return d.Prompt.ConfirmTyped(ctx, fmt.Sprintf("Delete stack %s (%s) and create it again? Type the stack name to confirm", in.StackName, s), in.StackName)
	})
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: stack %s (%s) not deleted", ErrDeclined, in.StackName, s)
	}
	return nil
}

// attach follows, from now on, an operation already under way until it
// ends, however it ends.
func (d *Deployer) attach(ctx context.Context, w *waiter, st *types.Stack) error {
	id := aws.ToString(st.StackId)
	marker, err := d.newestEvent(ctx, id)
	if err != nil {
		return err
	}
	op := &operation{
		stackName: aws.ToString(st.StackName),
		stackID:   id,
		begin:     st.StackStatus,
		status:    st.StackStatus,
		marker:    marker,
		start:     d.now(),
	}
	_, _, err = d.follow(ctx, w, op)
	return err
}

// deleteStack deletes the stack and follows it until DELETE_COMPLETE.
func (d *Deployer) deleteStack(ctx context.Context, w *waiter, st *types.Stack, resources map[string]string) error {
	name, id := aws.ToString(st.StackName), aws.ToString(st.StackId)
	marker, err := d.newestEvent(ctx, id)
	if err != nil {
		return err
	}
	_, err = d.CFN.DeleteStack(ctx, &cloudformation.DeleteStackInput{
		StackName:          aws.String(id),
		ClientRequestToken: aws.String(d.token("delete")),
	})
	if err != nil {
		return wrapAWS("delete stack "+name, err)
	}
	op := &operation{
		stackName: name,
		stackID:   id,
		begin:     types.StackStatusDeleteInProgress,
		status:    types.StackStatusDeleteInProgress,
		resources: resources,
		marker:    marker,
		start:     d.now(),
	}
	fmt.Fprintf(d.log(), "deleting stack %s\n", name)
	final, failed, err := d.follow(ctx, w, op)
	if err != nil {
		return err
	}
	if final.StackStatus != types.StackStatusDeleteComplete {
		return d.failure(op, final, failed)
	}
	return nil
}
