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
func describeStack(ctx context.Context, api API, nameOrID string) (*types.Stack, error) {
	out, err := api.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(nameOrID)})
	if isStackMissing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe stack %s: %w", nameOrID, err)
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
func (r *run) settle(ctx context.Context, in Input, mayDelete bool) (*types.Stack, error) {
	log := r.d.log()
	for {
		st, err := describeStack(ctx, r.cfn, in.StackName)
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
			if err := r.attach(ctx, st); err != nil {
				return nil, err
			}
		case unusable[s]:
			fmt.Fprintf(log, "stack %s is %s: it cannot be updated, only deleted and created again\n", in.StackName, s)
			if reason := aws.ToString(st.StackStatusReason); reason != "" {
				fmt.Fprintf(log, "  reason: %s\n", reason)
			}
			if !mayDelete {
				return nil, &StackStateError{StackName: in.StackName, Status: string(s), Deletable: true}
			}
			if err := r.recreateConsent(ctx, in, s); err != nil {
				return nil, err
			}
			if err := r.deleteStack(ctx, st, nil); err != nil {
				return nil, err
			}
		case s == types.StackStatusUpdateRollbackFailed:
			return nil, &StackStateError{StackName: in.StackName, Status: string(s)}
		default:
			return st, nil
		}
	}
}

// attach follows, from now on, an operation already under way until it
// ends, however it ends.
func (r *run) attach(ctx context.Context, st *types.Stack) error {
	id := aws.ToString(st.StackId)
	marker, err := r.newestEvent(ctx, id)
	if err != nil {
		return err
	}
	op := &operation{
		stackName: aws.ToString(st.StackName),
		stackID:   id,
		begin:     st.StackStatus,
		status:    st.StackStatus,
		marker:    marker,
		start:     r.d.now(),
	}
	_, _, err = r.follow(ctx, op)
	return err
}

// deleteStack deletes the stack and follows it until DELETE_COMPLETE.
func (r *run) deleteStack(ctx context.Context, st *types.Stack, resources map[string]string) error {
	d := r.d
	name, id := aws.ToString(st.StackName), aws.ToString(st.StackId)
	marker, err := r.newestEvent(ctx, id)
	if err != nil {
		return err
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
	_, err = r.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{
		StackName:          aws.String(id),
		ClientRequestToken: aws.String(d.token("delete")),
	})
	if isProtected(err) {
		return &ProtectedError{StackName: name}
	}
	if err != nil {
		err = fmt.Errorf("delete stack %s: %w", name, err)
		if notSent(err) || isClientFault(err) {
			return err
		}
		// The request may have gone through, whatever the answer: ask.
		started, serr := r.deletionStarted(ctx, op)
		switch {
		case serr != nil:
			fmt.Fprintf(d.log(), "could not find out whether CloudFormation is deleting stack %s: %v\n", name, serr)
			fmt.Fprintf(d.log(), "  see: aws cloudformation describe-stacks --stack-name %s\n", id)
			return err
		case !started:
			return err
		case interrupted(err) || timedOut(err):
			return r.stopped(ctx, op, err)
		}
		fmt.Fprintf(d.log(), "CloudFormation is deleting stack %s all the same (%v); following it\n", name, err)
	}
	final, failed, err := r.follow(ctx, op)
	if err != nil {
		return err
	}
	if final.StackStatus != types.StackStatusDeleteComplete {
		return r.failure(ctx, op, final, failed)
	}
	return nil
}

// deletionStarted asks CloudFormation, after a DeleteStack call that failed
// or was cut short, whether it is deleting the stack.
func (r *run) deletionStarted(parent context.Context, op *operation) (bool, error) {
	ctx, cancel := cleanupContext(parent)
	defer cancel()
	st, err := describeStack(ctx, r.spare, op.stackID)
	if err != nil {
		return false, err
	}
	if st == nil || st.StackStatus == types.StackStatusDeleteInProgress || st.StackStatus == types.StackStatusDeleteComplete {
		return true, nil
	}
	fmt.Fprintf(r.d.log(), "stack %s not deleted: it is %s\n", op.stackName, st.StackStatus)
	return false, nil
}
