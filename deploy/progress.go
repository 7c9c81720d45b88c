package deploy

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
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
}

// follow prints the operation's events and progress until the stack leaves
// *_IN_PROGRESS, and returns the stack as read last (by ID: a deleted stack
// is not found by name) and the failed resource events. When it stops
// before (an interrupt, the timeout, a failed call), it says how the stack
// stands and returns a *StoppedError.
func (r *run) follow(ctx context.Context, op *operation) (*types.Stack, []types.StackEvent, error) {
	d := r.d
	p := d.newProgress(op)
	var stack *types.Stack
	err := r.w.poll(ctx, func(ctx context.Context) (bool, error) {
		st, err := describeStack(ctx, r.cfn, op.stackID)
		if err != nil {
			return false, err
		}
		if st == nil {
			// Some servers drop the record of a deleted stack.
			st = &types.Stack{StackName: aws.String(op.stackName), StackId: aws.String(op.stackID), StackStatus: types.StackStatusDeleteComplete}
		}
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
	p.clear()
	if err != nil {
		return stack, p.failed, r.stopped(ctx, op, err)
	}
	fmt.Fprintf(d.log(), "stack %s: %s in %s\n", op.stackName, d.paint(string(op.status)), p.elapsed())
	return stack, p.failed, nil
}

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

func inProgress(s types.StackStatus) bool {
	return strings.HasSuffix(string(s), "_IN_PROGRESS") && s != types.StackStatusReviewInProgress
}

// newestEvent returns the ID of the stack's newest event, the marker from
// which an operation's events are shown.
func (r *run) newestEvent(ctx context.Context, stackID string) (string, error) {
	out, err := r.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stackID)})
	if err != nil {
		return "", fmt.Errorf("describe stack events: %w", err)
	}
	if len(out.StackEvents) == 0 {
		return "", nil
	}
	return aws.ToString(out.StackEvents[0].EventId), nil
}

// newEvents returns, oldest first, the events newer than op.marker, reading
// pages (newest first) back to it, and moves the marker.
func (r *run) newEvents(ctx context.Context, op *operation) ([]types.StackEvent, error) {
	var fresh []types.StackEvent
	in := &cloudformation.DescribeStackEventsInput{StackName: aws.String(op.stackID)}
pages:
	for {
		out, err := r.cfn.DescribeStackEvents(ctx, in)
		if isStackMissing(err) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("describe stack events: %w", err)
		}
		for _, e := range out.StackEvents {
			if op.marker != "" && aws.ToString(e.EventId) == op.marker {
				break pages
			}
			fresh = append(fresh, e)
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(fresh) > 0 {
		op.marker = aws.ToString(fresh[0].EventId)
	}
	for i, j := 0, len(fresh)-1; i < j; i, j = i+1, j-1 {
		fresh[i], fresh[j] = fresh[j], fresh[i]
	}
	return fresh, nil
}

// progress prints events and the progress of one operation on Log.
type progress struct {
	d       *Deployer
	op      *operation
	idWidth int
	tyWidth int
	done    map[string]bool
	failed  []types.StackEvent
	printed time.Time // when a line was last printed
	live    bool      // a live line is on the terminal
}

func (d *Deployer) newProgress(op *operation) *progress {
	p := &progress{d: d, op: op, idWidth: len(op.stackName), tyWidth: len(stackType), done: map[string]bool{}, printed: d.now()}
	for id, ty := range op.resources {
		p.idWidth = max(p.idWidth, len(id))
		p.tyWidth = max(p.tyWidth, len(ty))
	}
	return p
}

// events prints each event on its own line and counts finished resources.
func (p *progress) events(evs []types.StackEvent) {
	if len(evs) == 0 {
		return
	}
	p.clear()
	for _, e := range evs {
		// Widths only grow, so that the lines of a batch line up.
		p.idWidth = max(p.idWidth, len(aws.ToString(e.LogicalResourceId)))
		p.tyWidth = max(p.tyWidth, len(aws.ToString(e.ResourceType)))
	}
	log := p.d.log()
	for _, e := range evs {
		id, ty, status := aws.ToString(e.LogicalResourceId), aws.ToString(e.ResourceType), string(e.ResourceStatus)
		if ty != stackType || id != p.op.stackName {
			if strings.HasSuffix(status, "_FAILED") {
				p.failed = append(p.failed, e)
			}
			_, known := p.op.resources[id]
			if (known || p.op.resources == nil) && (strings.HasSuffix(status, "_COMPLETE") || strings.HasSuffix(status, "_FAILED")) {
				p.done[id] = true
			}
		}
		line := fmt.Sprintf("%s  %s  %-*s  %-*s  %s", p.d.clock(e.Timestamp), p.tally(), p.idWidth, id, p.tyWidth, ty, p.d.paint(status))
		if r := aws.ToString(e.ResourceStatusReason); r != "" {
			line += "  " + r
		}
		fmt.Fprintln(log, line)
	}
	p.printed = p.d.now()
}

// tick shows that the operation goes on: the live line on a terminal, else
// a plain line when nothing was printed for a heartbeat.
func (p *progress) tick() {
	line := fmt.Sprintf("%s %s, %s elapsed", p.d.paint(string(p.op.status)), p.counts(), p.elapsed())
	switch {
	case p.d.Terminal:
		fmt.Fprint(p.d.log(), "\r\x1b[K"+line)
		p.live = true
	case p.d.now().Sub(p.printed) >= p.d.heartbeat():
		fmt.Fprintln(p.d.log(), "still "+line)
		p.printed = p.d.now()
	}
}

// clear removes the live line.
func (p *progress) clear() {
	if p.live {
		fmt.Fprint(p.d.log(), "\r\x1b[K")
		p.live = false
	}
}

// tally is the count of resources done, out of the total when known,
// padded so that event lines line up.
func (p *progress) tally() string {
	if p.op.resources == nil {
		return fmt.Sprintf("%3d", len(p.done))
	}
	n := len(strconv.Itoa(len(p.op.resources)))
	return fmt.Sprintf("%*d/%d", n, len(p.done), len(p.op.resources))
}

func (p *progress) counts() string {
	if p.op.resources == nil {
		return fmt.Sprintf("(%d resources done)", len(p.done))
	}
	return fmt.Sprintf("(%d/%d resources done)", len(p.done), len(p.op.resources))
}

func (p *progress) elapsed() time.Duration {
	return p.d.now().Sub(p.op.start).Round(time.Second)
}

// clock formats an event time in the Deployer clock's location.
func (d *Deployer) clock(t *time.Time) string {
	if t == nil {
		return "--:--:--"
	}
	return t.In(d.now().Location()).Format("15:04:05")
}

// paint colours a status when Color is set: red for failures and rollbacks,
// yellow while in progress, green when complete.
func (d *Deployer) paint(s string) string {
	if !d.Color {
		return string(s)
	}
	var code string
	switch v := s; {
	case strings.HasSuffix(v, "_FAILED") || strings.Contains(v, "ROLLBACK"):
		code = "31"
	case strings.HasSuffix(v, "_IN_PROGRESS"):
		code = "33"
	case strings.HasSuffix(v, "_COMPLETE"):
		code = "32"
	default:
		return v
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
