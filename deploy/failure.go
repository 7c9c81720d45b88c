package deploy

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Failure is one thing that failed in a stack operation, or in the
// creation of a change set.
type Failure struct {
	// Kind is "resource" (a resource could not be created, updated or
	// deleted), "validation" (CloudFormation's early validation refused a
	// property) or "hook" (a hook failed).
	Kind      string
	LogicalID string
	Type      string // resource type
	Status    string // such as CREATE_FAILED
	Reason    string
	Time      *time.Time
	// Validation names the failed validation and Path the property it
	// looked at, for Kind validation; Hook names the hook's type, for Kind
	// hook, and Annotations its failed checks.
	Validation  string
	Path        string
	Hook        string
	Annotations []string
	// Console is the line of the instance's console output that says why
	// the instance signalled failure, when it could be read.
	Console string
}

// Cancelled reports whether the failure is only CloudFormation cancelling
// a resource because another one failed.
func (f Failure) Cancelled() bool {
	return f.Kind == "resource" && strings.Contains(strings.ToLower(f.Reason), "cancelled")
}

// String is the failure in one line.
func (f Failure) String() string {
	switch f.Kind {
	case "validation":
		s := "validation " + orDash(f.Validation) + " failed"
		if f.LogicalID != "" {
			s += " on " + f.LogicalID
		}
		if f.Path != "" {
			s += " at " + f.Path
		}
		return s + ": " + f.Reason
	case "hook":
		s := "hook " + orDash(f.Hook) + " failed"
		if f.LogicalID != "" {
			s += " on " + f.LogicalID
		}
		return s + ": " + f.Reason
	}
	s := f.LogicalID
	if f.Type != "" {
		s += " (" + f.Type + ")"
	}
	return s + " " + f.Status + ": " + f.Reason
}

// FailedError is a stack operation that failed (a rollback counts), or a
// change set that CloudFormation could not create. It matches ErrFailed.
type FailedError struct {
	StackName string
	Status    string // the stack's final status, or the change set's
	ChangeSet string // the change set that could not be created; "" for an operation
	Reason    string // the stack's or the change set's status reason
	// Cause is the failure that came first and is not a cancellation,
	// with a resource that signalled failure before any other; nil when
	// none is known. Failures lists them all, in the order they came.
	Cause    *Failure
	Failures []Failure
}

func (e *FailedError) Is(target error) bool { return target == ErrFailed }

func (e *FailedError) Error() string {
	if e.ChangeSet != "" {
		s := fmt.Sprintf("%s: change set %s is %s: %s", ErrFailed, e.ChangeSet, e.Status, e.Reason)
		if e.Cause != nil && !strings.Contains(e.Reason, e.Cause.Reason) {
			s += ": " + e.Cause.String()
		}
		return s
	}
	s := fmt.Sprintf("%s: stack %s is %s", ErrFailed, e.StackName, e.Status)
	if e.Cause != nil {
		if e.Cause.Kind == "resource" {
			s += ": " + e.Cause.LogicalID + ": " + e.Cause.Reason
		} else {
			s += ": " + e.Cause.String()
		}
	}
	return s
}

// signalFailure finds the instance that signalled failure.
var signalFailure = regexp.MustCompile(`Received FAILURE signal with UniqueId (i-[0-9a-f]+)`)

// rootCause picks, from failures in the order they came, a resource that
// signalled failure, else the first failure that is not a cancellation,
// else the first.
func rootCause(fs []Failure) *Failure {
	for i, f := range fs {
		if signalFailure.MatchString(f.Reason) {
			return &fs[i]
		}
	}
	for i, f := range fs {
		if !f.Cancelled() {
			return &fs[i]
		}
	}
	if len(fs) > 0 {
		return &fs[0]
	}
	return nil
}

// failure says why the operation failed, the cause first, and returns a
// *FailedError. It asks DescribeEvents for the operation's failed events,
// and falls back quietly on the failed stack events that it followed when
// the endpoint does not have it.
func (r *run) failure(ctx context.Context, op *operation, st *types.Stack, followed []types.StackEvent) error {
	d, log := r.d, r.d.log()
	rctx, cancel := cleanupContext(ctx)
	defer cancel()
	fe := &FailedError{StackName: op.stackName, Status: string(st.StackStatus), Reason: aws.ToString(st.StackStatusReason)}
	fe.Failures = r.operationFailures(rctx, op)
	if len(fe.Failures) == 0 {
		for _, e := range followed {
			fe.Failures = append(fe.Failures, Failure{Kind: "resource", LogicalID: aws.ToString(e.LogicalResourceId), Type: aws.ToString(e.ResourceType),
				Status: string(e.ResourceStatus), Reason: aws.ToString(e.ResourceStatusReason), Time: e.Timestamp})
		}
	}
	fe.Failures = append(fe.Failures, r.hookFailures(rctx, types.ListHookResultsTargetTypeStack, op.stackID, op.start, fe.Failures)...)
	fe.Cause = rootCause(fe.Failures)
	if fe.Cause != nil {
		r.console(rctx, fe.Cause)
	}
	writeFailures(log, fe.Cause, fe.Failures)
	if st.StackStatus == types.StackStatusDeleteComplete && op.begin == types.StackStatusCreateInProgress {
		fmt.Fprintf(log, "the creation of stack %s failed; CloudFormation rolled it back and deleted the stack\n", op.stackName)
	}
	if fe.Reason != "" {
		fmt.Fprintf(log, "stack %s: %s: %s\n", op.stackName, d.paint(fe.Status), fe.Reason)
	}
	return fe
}

// changeSetFailed says why CloudFormation could not create the change set
// (its validation and hook failures, where the endpoint says) and returns
// a *FailedError.
func (r *run) changeSetFailed(ctx context.Context, cs *ChangeSet, status, reason string) error {
	rctx, cancel := cleanupContext(ctx)
	defer cancel()
	fe := &FailedError{StackName: cs.StackName, ChangeSet: cs.Name, Status: status, Reason: reason}
	fe.Failures = r.events(rctx, &cloudformation.DescribeEventsInput{ChangeSetName: aws.String(cs.ID), StackName: aws.String(cs.StackID)})
	fe.Failures = append(fe.Failures, r.hookFailures(rctx, types.ListHookResultsTargetTypeChangeSet, cs.ID, time.Time{}, fe.Failures)...)
	fe.Cause = rootCause(fe.Failures)
	if len(fe.Failures) > 0 {
		fmt.Fprintf(r.d.log(), "change set %s is %s: %s\n", cs.Name, status, reason)
		writeFailures(r.d.log(), fe.Cause, fe.Failures)
	}
	return fe
}

// writeFailures writes the cause first, then the other failures, then the
// cancellations in one line.
func writeFailures(log io.Writer, cause *Failure, fs []Failure) {
	if cause == nil {
		return
	}
	fmt.Fprintf(log, "cause: %s\n", cause)
	for _, a := range cause.Annotations {
		fmt.Fprintf(log, "  %s\n", a)
	}
	if cause.Console != "" {
		fmt.Fprintf(log, "  console of the instance: %s\n", cause.Console)
	}
	var others []Failure
	var cancelled []string
	for i, f := range fs {
		switch {
		case &fs[i] == cause:
		case f.Cancelled():
			if !slices.Contains(cancelled, f.LogicalID) {
				cancelled = append(cancelled, f.LogicalID)
			}
		default:
			others = append(others, f)
		}
	}
	if len(others) > 0 {
		fmt.Fprintln(log, "then:")
		for _, f := range others {
			fmt.Fprintf(log, "  %s\n", f)
		}
	}
	switch len(cancelled) {
	case 0:
	case 1:
		fmt.Fprintf(log, "1 resource cancelled: %s\n", cancelled[0])
	default:
		fmt.Fprintf(log, "%d resources cancelled: %s\n", len(cancelled), strings.Join(cancelled, ", "))
	}
}

// operationFailures asks DescribeEvents for the failed events of the
// operation, found by the ID its events carry, else by the stack and the
// time it started. It returns none when the endpoint cannot say.
func (r *run) operationFailures(ctx context.Context, op *operation) []Failure {
	in := &cloudformation.DescribeEventsInput{StackName: aws.String(op.stackID)}
	if op.id != "" {
		in.OperationId = aws.String(op.id)
	}
	fs := r.events(ctx, in)
	if op.id == "" {
		fs = slices.DeleteFunc(fs, func(f Failure) bool { return f.Time != nil && f.Time.Before(op.start) })
	}
	return fs
}

// events reads the failed events that in asks for, oldest first; none on
// any error: an endpoint without DescribeEvents leaves the stack events.
func (r *run) events(ctx context.Context, in *cloudformation.DescribeEventsInput) []Failure {
	in.Filters = &types.EventFilter{FailedEvents: aws.Bool(true)}
	var fs []Failure
	pages := cloudformation.NewDescribeEventsPaginator(r.spare, in)
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil
		}
		for _, e := range out.OperationEvents {
			f := Failure{Kind: "resource", LogicalID: aws.ToString(e.LogicalResourceId), Type: aws.ToString(e.ResourceType),
				Status: string(e.ResourceStatus), Reason: aws.ToString(e.ResourceStatusReason), Time: cmp.Or(e.Timestamp, e.StartTime)}
			switch e.EventType {
			case types.EventTypeValidationError:
				f.Kind, f.Validation, f.Path = "validation", aws.ToString(e.ValidationName), aws.ToString(e.ValidationPath)
				f.Reason = cmp.Or(aws.ToString(e.ValidationStatusReason), f.Reason)
			case types.EventTypeHookInvocationError:
				f.Kind, f.Hook = "hook", aws.ToString(e.HookType)
				f.Reason = cmp.Or(aws.ToString(e.HookStatusReason), f.Reason)
			}
			if f.Kind == "resource" && (f.LogicalID == "" || f.Type == stackType) {
				continue // the stack's own status, said apart
			}
			fs = append(fs, f)
		}
	}
	slices.SortStableFunc(fs, func(a, b Failure) int {
		if a.Time == nil || b.Time == nil {
			return 0
		}
		return a.Time.Compare(*b.Time)
	})
	return fs
}

// maxHooks bounds the hook results read for their annotations.
const maxHooks = 5

// hookFailures reads the failed hooks of a stack operation (since start)
// or of a change set with their failed annotations, leaving out those
// already known from the events; none when the endpoint cannot say.
func (r *run) hookFailures(ctx context.Context, target types.ListHookResultsTargetType, id string, start time.Time, known []Failure) []Failure {
	out, err := r.spare.ListHookResults(ctx, &cloudformation.ListHookResultsInput{
		TargetType: target, TargetId: aws.String(id), Status: types.HookStatusHookCompleteFailed,
	})
	if err != nil {
		return nil
	}
	var fs []Failure
	for _, h := range out.HookResults {
		if len(fs) == maxHooks {
			break
		}
		if h.InvokedAt != nil && h.InvokedAt.Before(start) {
			continue
		}
		f := Failure{Kind: "hook", Hook: aws.ToString(h.TypeName), Reason: aws.ToString(h.HookStatusReason), Time: h.InvokedAt,
			LogicalID: aws.ToString(h.HookExecutionTarget)}
		if res, err := r.spare.GetHookResult(ctx, &cloudformation.GetHookResultInput{HookResultId: h.HookResultId}); err == nil {
			for _, a := range res.Annotations {
				if a.Status != types.AnnotationStatusFailed {
					continue
				}
				line := aws.ToString(a.AnnotationName) + ": " + aws.ToString(a.StatusMessage)
				if m := aws.ToString(a.RemediationMessage); m != "" {
					line += " (to fix: " + m + ")"
				}
				f.Annotations = append(f.Annotations, line)
			}
		}
		// The same hook seen in the events gets the annotations only.
		if i := slices.IndexFunc(known, func(k Failure) bool { return k.Kind == "hook" && k.Hook == f.Hook && k.Reason == f.Reason }); i >= 0 {
			known[i].Annotations = append(known[i].Annotations, f.Annotations...)
			continue
		}
		fs = append(fs, f)
	}
	return fs
}

// consoleMark starts the line in which cfngen's user data says what failed.
const consoleMark = "cfngen-userdata: FAILED:"

// console reads, for a resource that signalled failure from an instance,
// the instance's console output and keeps its last line that says what
// failed. It needs the EC2 client and says nothing when it cannot.
func (r *run) console(ctx context.Context, f *Failure) {
	m := signalFailure.FindStringSubmatch(f.Reason)
	if m == nil || r.d.EC2 == nil {
		return
	}
	out, err := r.spare.GetConsoleOutput(ctx, &ec2.GetConsoleOutputInput{InstanceId: aws.String(m[1])})
	if err != nil {
		return
	}
	text, err := base64.StdEncoding.DecodeString(aws.ToString(out.Output))
	if err != nil {
		return
	}
	lines := strings.Split(string(text), "\n")
	for _, l := range slices.Backward(lines) {
		if i := strings.Index(l, consoleMark); i >= 0 {
			f.Console = strings.TrimSpace(l[i:])
			return
		}
	}
}
