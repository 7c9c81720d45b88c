package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// stopped says, once the run has stopped following op (an interrupt, the
// timeout or a failed call), how the stack stands, as read from
// CloudFormation then, and how to follow or cancel what goes on.
func (r *run) stopped(ctx context.Context, op *operation, cause error) error {
	log := r.d.log()
	var lead string
	switch {
	case interrupted(cause):
		lead = "interrupted"
	case timedOut(cause):
		lead = "timed out"
		if r.w.timeout > 0 {
			lead += " after " + r.w.timeout.String()
		}
	default:
		lead = fmt.Sprintf("stopped following stack %s (%v)", op.stackName, cause)
	}
	rctx, cancel := cleanupContext(ctx)
	defer cancel()
	st, err := describeStack(rctx, r.spare, op.stackID)
	stop := &StoppedError{StackName: op.stackName, Err: cause}
	switch {
	case err != nil:
		fmt.Fprintf(log, "%s: could not read stack %s: %v\n", lead, op.stackName, err)
		fmt.Fprintf(log, "  see: aws cloudformation describe-stack-events --stack-name %s\n", op.stackName)
		return stop
	case st == nil:
		st = &types.Stack{StackStatus: types.StackStatusDeleteComplete}
	}
	stop.Status = string(st.StackStatus)
	if !inProgress(st.StackStatus) {
		stop.Done = true
		what, _ := describeOperation(&operation{stackName: op.stackName, status: op.begin})
		fmt.Fprintf(log, "%s: CloudFormation has ended the %s: stack %s is %s\n", lead, what, op.stackName, r.d.paint(stop.Status))
		return stop
	}
	op.status = st.StackStatus
	what, cancelHow := describeOperation(op)
	left := ""
	if timedOut(cause) {
		left = "; the stack is left as it is"
	}
	fmt.Fprintf(log, "%s: CloudFormation goes on with the %s of stack %s (%s)%s\n", lead, what, op.stackName, stop.Status, left)
	fmt.Fprintf(log, "  follow it: aws cloudformation describe-stack-events --stack-name %s\n", op.stackName)
	fmt.Fprintf(log, "  cancel it: %s\n", cancelHow)
	return stop
}

// describeOperation names the operation of a stack status and says how it
// can be cancelled.
func describeOperation(op *operation) (what, cancel string) {
	s := string(op.status)
	switch {
	case strings.HasPrefix(s, "UPDATE_ROLLBACK"):
		return "rollback of the update", "a rollback cannot be cancelled; wait for it to end"
	case strings.HasPrefix(s, "ROLLBACK"):
		return "rollback of the creation", "a rollback cannot be cancelled; wait for it to end"
	case s == string(types.StackStatusUpdateInProgress):
		return "update", "aws cloudformation cancel-update-stack --stack-name " + op.stackName
	case strings.HasPrefix(s, "UPDATE"):
		return "update", "the update is cleaning up and cannot be cancelled; wait for it to end"
	case strings.HasPrefix(s, "CREATE"):
		return "creation", "delete the stack: aws cloudformation delete-stack --stack-name " + op.stackName
	case strings.HasPrefix(s, "DELETE"):
		return "deletion", "a deletion cannot be cancelled; wait for it to end"
	case strings.HasPrefix(s, "IMPORT"):
		return "import", "an import cannot be cancelled; wait for it to end"
	}
	return "operation", "see aws cloudformation describe-stacks --stack-name " + op.stackName
}
