package stackset

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cfngen/cfngen/internal/progress"
)

// maxWaits bounds how often a call refused with OperationInProgressException
// waits for the other operation and tries again.
const maxWaits = 5

// op is one operation being followed.
type op struct {
	id     string
	action string // CREATE, UPDATE, DELETE
	status string // last seen
	expect int    // results expected; 0: unknown
	start  time.Time
}

// run starts an operation with a new operation ID and follows it to its
// end. When another operation holds the stack set, it follows that one
// first and tries again. It returns the failures of an operation that
// succeeded within the failure tolerance.
func (m *Manager) run(ctx context.Context, s *session, what, action string, expect int, start func(ctx context.Context, id string) (*string, error)) ([]Outcome, error) {
	for waits := 0; ; waits++ {
		id := m.operationID()
		got, err := start(ctx, id)
		switch {
		case err == nil:
			if aws.ToString(got) != "" {
				id = *got
			}
			return m.follow(ctx, s, &op{id: id, action: action, status: string(types.StackSetOperationStatusRunning), expect: expect, start: m.now()})
		case isInProgress(err) && waits < maxWaits:
			fmt.Fprintf(m.log(), "another operation is under way on stack set %s: waiting for it to end\n", s.name)
			if err := m.attach(ctx, s); err != nil {
				return nil, err
			}
		case interrupted(err):
			// The request may have gone through: ask for the operation by its ID.
			if m.started(ctx, s, id) {
				o := &op{id: id, action: action, status: string(types.StackSetOperationStatusRunning)}
				return nil, m.goesOn(s, o, err)
			}
			return nil, fmt.Errorf("%s: interrupted before the operation started: %w", what, err)
		default:
			if re := roleProblem(apiMessage(err), s.adminRole, s.execRole); re != nil {
				return nil, fmt.Errorf("%s: %w", what, re)
			}
			return nil, wrapAWS(what, err)
		}
	}
}

// started reports whether the operation exists, with a context of its own
// so that an interrupt does not stop the question.
func (m *Manager) started(ctx context.Context, s *session, id string) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), checkTimeout)
	defer cancel()
	_, err := m.CFN.DescribeStackSetOperation(ctx, &cloudformation.DescribeStackSetOperationInput{
		StackSetName: aws.String(s.name), OperationId: aws.String(id), CallAs: s.callAs,
	})
	return err == nil
}

// attach follows every operation under way on the stack set to its end,
// however it ends: the caller reads the state afresh afterwards.
func (m *Manager) attach(ctx context.Context, s *session) error {
	for range maxWaits {
		run, err := m.running(ctx, s)
		if err != nil || len(run) == 0 {
			return err
		}
		for _, r := range run {
			fmt.Fprintf(m.log(), "operation %s (%s) is %s on stack set %s: following it\n", r.ID, r.Action, r.Status, s.name)
			_, err := m.follow(ctx, s, &op{id: r.ID, action: r.Action, status: r.Status, start: m.now()})
			if interrupted(err) {
				return err
			}
		}
	}
	return nil
}

// follow prints the operation's results as they change until it ends.
func (m *Manager) follow(ctx context.Context, s *session, o *op) ([]Outcome, error) {
	p := &tracker{m: m, o: o, line: m.line(), seen: map[string]string{}}
	var results []Outcome
	var reason string
	var delay time.Duration
	for {
		if delay > 0 {
			if err := m.sleep(ctx, delay); err != nil {
				p.line.Clear()
				return nil, m.goesOn(s, o, err)
			}
		}
		out, err := m.CFN.DescribeStackSetOperation(ctx, &cloudformation.DescribeStackSetOperationInput{
			StackSetName: aws.String(s.name), OperationId: aws.String(o.id), CallAs: s.callAs,
		})
		if err == nil {
			results, err = m.results(ctx, s, o.id)
		}
		if err != nil {
			p.line.Clear()
			if interrupted(err) {
				return nil, m.goesOn(s, o, err)
			}
			return nil, wrapAWS("follow operation "+o.id+" of stack set "+s.name, err)
		}
		if so := out.StackSetOperation; so != nil {
			o.status, reason = string(so.Status), aws.ToString(so.StatusReason)
			if o.action == "" {
				o.action = string(so.Action)
			}
		}
		p.results(results)
		if !active(o.status) {
			break
		}
		p.tick()
		delay = progress.NextDelay(delay)
	}
	p.line.Clear()
	log := m.log()
	fmt.Fprintf(log, "%s operation %s: %s in %s (%s)\n", strings.ToLower(o.action), o.id, m.paint(o.status), p.elapsed(), p.counts())
	if reason != "" {
		fmt.Fprintf(log, "  reason: %s\n", reason)
	}
	var failures []Outcome
	for _, r := range results {
		if r.Status == string(types.StackSetOperationResultStatusFailed) {
			failures = append(failures, r)
		}
	}
	oe := &OperationError{StackSet: s.name, ID: o.id, Action: o.action, Status: o.status, Failures: failures}
	for _, f := range failures {
		if oe.Role = roleProblem(f.Reason, s.adminRole, s.execRole); oe.Role != nil {
			if oe.Role.Account == "" {
				oe.Role.Account = f.Account
			}
			break
		}
	}
	switch types.StackSetOperationStatus(o.status) {
	case types.StackSetOperationStatusSucceeded:
		if len(failures) > 0 {
			fmt.Fprintf(log, "%d of %d stack instances failed, within the failure tolerance:\n", len(failures), len(results))
			m.writeFailures(failures)
		}
		return failures, nil
	case types.StackSetOperationStatusStopped:
		oe.Err = ErrStopped
	default:
		oe.Err = ErrFailed
	}
	if len(failures) > 0 {
		fmt.Fprintln(log, "failed stack instances:")
		m.writeFailures(failures)
	}
	return failures, oe
}

func (m *Manager) writeFailures(fs []Outcome) {
	for _, f := range fs {
		fmt.Fprintf(m.log(), "  %s  %s  %s\n", f.Account, f.Region, orDash(f.Reason))
	}
}

// goesOn reports, after an interrupt, that the operation goes on without
// the caller, and returns the OperationError that says which it is.
func (m *Manager) goesOn(s *session, o *op, err error) error {
	if !interrupted(err) {
		return err
	}
	fmt.Fprintf(m.log(), "interrupted: CloudFormation goes on with %s operation %s on stack set %s (%s)\n",
		strings.ToLower(o.action), o.id, s.name, o.status)
	return &OperationError{StackSet: s.name, ID: o.id, Action: o.action, Status: o.status, Err: err}
}

// results reads every result of an operation.
func (m *Manager) results(ctx context.Context, s *session, id string) ([]Outcome, error) {
	var all []Outcome
	pages := cloudformation.NewListStackSetOperationResultsPaginator(m.CFN, &cloudformation.ListStackSetOperationResultsInput{
		StackSetName: aws.String(s.name), OperationId: aws.String(id), CallAs: s.callAs,
	})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, r := range out.Summaries {
			all = append(all, Outcome{
				Account: aws.ToString(r.Account),
				Region:  aws.ToString(r.Region),
				OrgUnit: aws.ToString(r.OrganizationalUnitId),
				Status:  string(r.Status),
				Reason:  aws.ToString(r.StatusReason),
			})
		}
	}
	return all, nil
}

// tracker prints the results of one operation on Log.
type tracker struct {
	m      *Manager
	o      *op
	seen   map[string]string // account/region → last status printed
	listed int               // results the service gave
	done   int
	total  int
	line   *progress.Line
}

// results counts the results done and prints a line, with that count,
// for each result whose status changed, except to PENDING.
func (p *tracker) results(rs []Outcome) {
	p.listed, p.total, p.done = len(rs), max(len(rs), p.o.expect), 0
	for _, r := range rs {
		switch types.StackSetOperationResultStatus(r.Status) {
		case types.StackSetOperationResultStatusSucceeded, types.StackSetOperationResultStatusFailed, types.StackSetOperationResultStatusCancelled:
			p.done++
		}
	}
	width := len(strconv.Itoa(p.total))
	var lines []string
	for _, r := range rs {
		key := r.Account + "/" + r.Region
		if p.seen[key] == r.Status || r.Status == string(types.StackSetOperationResultStatusPending) {
			continue
		}
		p.seen[key] = r.Status
		line := fmt.Sprintf("%s  %*d/%d  %s  %-14s  %s", p.m.now().Format("15:04:05"), width, p.done, p.total, r.Account, r.Region, p.m.paint(r.Status))
		if r.Reason != "" {
			line += "  " + r.Reason
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return
	}
	p.line.Clear()
	for _, l := range lines {
		fmt.Fprintln(p.m.log(), l)
	}
	p.line.Printed()
}

// tick shows that the operation goes on.
func (p *tracker) tick() {
	p.line.Tick(fmt.Sprintf("%s operation %s %s, %s, %s elapsed", strings.ToLower(p.o.action), p.o.id, p.m.paint(p.o.status), p.counts(), p.elapsed()))
}

func (p *tracker) counts() string {
	if p.total == 0 || p.listed == 0 && !active(p.o.status) {
		return "no stack instance results"
	}
	return fmt.Sprintf("%d/%d stack instances done", p.done, p.total)
}

func (p *tracker) elapsed() time.Duration {
	return p.m.now().Sub(p.o.start).Round(time.Second)
}
