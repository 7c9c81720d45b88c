package deploy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

const stackType = "AWS::CloudFormation::Stack"

// operation is one stack operation being followed.
type operation struct {
	stackName string
	stackID   string
	begin     types.StackStatus // status the operation starts with
	status    types.StackStatus // last seen; names the operation in messages
	resources map[string]string // logical ID → type of the resources it touches; nil: unknown
	marker    string            // ID of the newest event already seen
	start     time.Time
	id        string // the operation's ID, as its first event gives it
}

// follow prints the operation's events and progress until the stack leaves
// *_IN_PROGRESS, and returns the stack as read last (by ID: a deleted stack
// is not found by name) and the failed resource events. When it stops
// before (an interrupt, the timeout, a failed call), it says how the stack
// stands and returns a *StoppedError.
func (r *run) follow(ctx context.Context, op *operation) (*types.Stack, []types.StackEvent, error) {
	d := r.d
	p := d.newTracker(op)
	var stack *types.Stack
	first := true
	err := r.w.poll(ctx, func(ctx context.Context) (bool, error) {
		st, err := describeStack(ctx, r.cfn, op.stackID)
		if err != nil {
			return false, err
		}
		if st == nil {
			// Some servers drop the record of a deleted stack.
			st = &types.Stack{StackName: aws.String(op.stackName), StackId: aws.String(op.stackID), StackStatus: types.StackStatusDeleteComplete}
		}
		if first && succeeded[st.StackStatus] {
			// Done before the first look (a server that works within the
			// call): there is nothing to follow.
			stack, op.status = st, st.StackStatus
			return true, nil
		}
		first = false
		evs, err := r.newEvents(ctx, op)
		if err != nil {
			return false, err
		}
		p.events(evs)
		stack, op.status = st, st.StackStatus
		if inProgress(st.StackStatus) {
			p.tick()
			return false, nil
		}
		return true, nil
	})
	p.line.Clear()
	if err != nil {
		return stack, p.failed, r.stopped(ctx, op, err)
	}
	fmt.Fprintf(d.log(), "stack %s: %s in %s\n", op.stackName, d.paint(string(op.status)), p.elapsed())
	return stack, p.failed, nil
}

// succeeded lists the statuses in which an operation ends well.
var succeeded = map[types.StackStatus]bool{
	types.StackStatusCreateComplete: true,
	types.StackStatusUpdateComplete: true,
	types.StackStatusImportComplete: true,
	types.StackStatusDeleteComplete: true,
}

func inProgress(s types.StackStatus) bool {
	return strings.HasSuffix(string(s), "_IN_PROGRESS") && s != types.StackStatusReviewInProgress
}
