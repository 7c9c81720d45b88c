package deploy

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Deployer deploys stacks. Only CFN is required; the zero values of the
// other fields mean no output, no terminal and the real clock.
type Deployer struct {
	CFN    API
	S3     Uploader // used only when Input.S3Bucket is set
	Region string   // region of the S3 template URL

	Out      io.Writer // the product: change-set table, outputs (stdout)
	Log      io.Writer // progress and notes (stderr)
	Prompt   Prompter  // nil: no terminal to ask on
	Terminal bool      // Log is a terminal: one live line rewritten in place
	Color    bool      // colour statuses on Log

	// Test seams.
	Now       func() time.Time                                 // default time.Now
	Sleep     func(ctx context.Context, d time.Duration) error // default: a timer that the context stops
	Heartbeat time.Duration                                    // without a terminal, the longest silence; default 30s
	Rand      io.Reader                                        // for change-set names and tokens; default crypto/rand
}

// Input is one deploy.
type Input struct {
	StackName  string
	Template   []byte            // YAML or JSON
	Parameters map[string]string // sent as given; the others take the template's defaults
	Tags       map[string]string
	S3Bucket   string // where a template over MaxTemplateBody bytes is uploaded

	Yes              bool // execute without asking (removals and replacements still need consent)
	AllowReplacement bool // consent to remove or replace resources
	NoExecute        bool // create the change set, show it and leave it

	// AllowDeleteRollbackComplete consents to deleting a stack that cannot
	// be updated (ROLLBACK_COMPLETE, CREATE_FAILED, ROLLBACK_FAILED,
	// DELETE_FAILED) so that it can be created again.
	AllowDeleteRollbackComplete bool

	Timeout time.Duration // bounds the waits on CloudFormation; 0: none
}

// Result tells what a deploy did.
type Result struct {
	StackName string
	StackID   string
	ChangeSet *ChangeSet
	Executed  bool     // false with NoExecute: the change set is left for review
	Status    string   // final stack status when executed
	Outputs   []Output // stack outputs after a success
}

// Deploy creates a change set for in, prints it on Out, asks for consent
// when needed, executes it and follows the stack until CloudFormation is
// done, then prints the outputs.
//
// It returns ErrNoChanges when there is nothing to do. Once a change set
// exists, the Result comes back with any error too.
func (d *Deployer) Deploy(ctx context.Context, in Input) (*Result, error) {
	p, err := d.plan(in)
	if err != nil {
		return nil, err
	}
	w := d.newWaiter(in.Timeout)
	stack, err := d.settle(ctx, w, in, true)
	if err != nil {
		return nil, err
	}
	cs, err := d.createChangeSet(ctx, w, in, p, changeSetType(stack))
	if err != nil {
		return nil, err
	}
	res := &Result{StackName: in.StackName, StackID: cs.StackID, ChangeSet: cs}
	if err := cs.WriteTable(d.out()); err != nil {
		d.cleanup(ctx, cs)
		return res, fmt.Errorf("write change set: %w", err)
	}
	if in.NoExecute {
		fmt.Fprintf(d.log(), "change set %s left for review; to execute it:\n  aws cloudformation execute-change-set --stack-name %s --change-set-name %s\n",
			cs.Name, cs.StackName, cs.Name)
		return res, nil
	}
	if err := d.consent(ctx, w, in, cs); err != nil {
		d.cleanup(ctx, cs)
		return res, err
	}
	return res, d.execute(ctx, w, cs, res)
}

// Diff creates a change set for in, prints it on Out and deletes it (and the
// empty stack of a CREATE). It returns ErrNoChanges when there is nothing to
// do. It never deletes a stack that has been created.
func (d *Deployer) Diff(ctx context.Context, in Input) (*ChangeSet, error) {
	p, err := d.plan(in)
	if err != nil {
		return nil, err
	}
	w := d.newWaiter(in.Timeout)
	stack, err := d.settle(ctx, w, in, false)
	if err != nil {
		return nil, err
	}
	cs, err := d.createChangeSet(ctx, w, in, p, changeSetType(stack))
	if err != nil {
		return nil, err
	}
	err = cs.WriteTable(d.out())
	d.cleanup(ctx, cs)
	if err != nil {
		return cs, fmt.Errorf("write change set: %w", err)
	}
	return cs, nil
}

// changeSetType is CREATE for a missing stack or one never executed
// (REVIEW_IN_PROGRESS), else UPDATE.
func changeSetType(st *types.Stack) types.ChangeSetType {
	if st == nil || st.StackStatus == types.StackStatusReviewInProgress {
		return types.ChangeSetTypeCreate
	}
	return types.ChangeSetTypeUpdate
}

// consent decides whether the change set may be executed. Removals and
// replacements need AllowReplacement or the stack name typed at a prompt,
// even with Yes; anything else needs Yes or a yes at a prompt.
func (d *Deployer) consent(ctx context.Context, w *waiter, in Input, cs *ChangeSet) error {
	log := d.log()
	if cs.dangerous() && !in.AllowReplacement {
		if d.Prompt == nil {
			fmt.Fprintln(log, "not executed: the change set removes or replaces resources; re-run with --allow-replacement to execute it, or with --no-execute to keep it for review")
			return fmt.Errorf("%w: change set %s removes or replaces resources of stack %s", ErrReplacementRefused, cs.Name, cs.StackName)
		}
		ok, err := d.ask(w, func() (bool, error) {
			return d.Prompt.ConfirmTyped(ctx, fmt.Sprintf("The change set removes or replaces resources of stack %s. Type the stack name to execute it", cs.StackName), cs.StackName)
		})
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("%w: change set %s removes or replaces resources of stack %s", ErrReplacementRefused, cs.Name, cs.StackName)
		}
		return nil
	}
	if in.Yes {
		return nil
	}
	if d.Prompt == nil {
		fmt.Fprintln(log, "not executed: no terminal to ask on; re-run with --yes to execute the change set, or with --no-execute to keep it for review")
		return fmt.Errorf("%w: execute change set %s on stack %s", ErrNeedsConsent, cs.Name, cs.StackName)
	}
	ok, err := d.ask(w, func() (bool, error) {
		return d.Prompt.Confirm(ctx, fmt.Sprintf("Execute change set %s on stack %s?", cs.Name, cs.StackName))
	})
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: change set %s not executed", ErrDeclined, cs.Name)
	}
	return nil
}

// ask runs a prompt without counting its time against the timeout.
func (d *Deployer) ask(w *waiter, f func() (bool, error)) (bool, error) {
	var ok bool
	err := w.pause(func() error {
		var err error
		ok, err = f()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("prompt: %w", err)
	}
	return ok, nil
}

// execute runs the change set and follows the stack to its final status.
func (d *Deployer) execute(ctx context.Context, w *waiter, cs *ChangeSet, res *Result) error {
	marker, err := d.newestEvent(ctx, cs.StackID)
	if err != nil {
		d.cleanup(ctx, cs)
		return err
	}
	op := &operation{
		stackName: cs.StackName,
		stackID:   cs.StackID,
		begin:     types.StackStatusUpdateInProgress,
		resources: map[string]string{},
		marker:    marker,
		start:     d.now(),
	}
	if cs.Type == string(types.ChangeSetTypeCreate) {
		op.begin = types.StackStatusCreateInProgress
	}
	op.status = op.begin
	for _, c := range cs.Changes {
		op.resources[c.LogicalID] = c.Type
	}
	fmt.Fprintf(d.log(), "executing change set %s on stack %s\n", cs.Name, cs.StackName)
	_, err = d.CFN.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{
		ChangeSetName:      aws.String(cs.ID),
		ClientRequestToken: aws.String(d.token("execute")),
	})
	switch {
	case err == nil:
	case isClientFault(err):
		// Rejected: nothing started, so nothing is left to block the next run.
		err = wrapAWS("execute change set "+cs.Name, err)
		d.cleanup(ctx, cs)
		return err
	case interrupted(err):
		// The request may have gone through: ask whether it did.
		if d.notStarted(ctx, cs) {
			fmt.Fprintf(d.log(), "interrupted before CloudFormation started change set %s\n", cs.Name)
			d.cleanup(ctx, cs)
			return fmt.Errorf("execute change set %s: %w", cs.Name, err)
		}
		return d.goesOn(w, op, err)
	default:
		return wrapAWS("execute change set "+cs.Name, err)
	}
	res.Executed = true
	st, failed, err := d.follow(ctx, w, op)
	if err != nil {
		return err
	}
	res.Status = string(st.StackStatus)
	switch st.StackStatus {
	case types.StackStatusCreateComplete, types.StackStatusUpdateComplete, types.StackStatusImportComplete:
	default:
		return d.failure(op, st, failed)
	}
	res.Outputs = outputs(st)
	if len(res.Outputs) > 0 {
		fmt.Fprintln(d.out())
		if err := WriteOutputs(d.out(), res.Outputs); err != nil {
			return fmt.Errorf("write outputs: %w", err)
		}
	}
	return nil
}

// failure prints the failed resources and the final status on Log and
// returns an error wrapping ErrFailed.
func (d *Deployer) failure(op *operation, st *types.Stack, failed []types.StackEvent) error {
	log := d.log()
	status := string(st.StackStatus)
	if st.StackStatus == types.StackStatusDeleteComplete && op.begin == types.StackStatusCreateInProgress {
		fmt.Fprintf(log, "the creation of stack %s failed; CloudFormation rolled it back and deleted the stack\n", op.stackName)
	}
	if r := aws.ToString(st.StackStatusReason); r != "" {
		fmt.Fprintf(log, "stack %s: %s: %s\n", op.stackName, d.paint(status), r)
	}
	var first string
	if len(failed) > 0 {
		fmt.Fprintln(log, "failed resources:")
		for _, e := range failed {
			id, reason := aws.ToString(e.LogicalResourceId), aws.ToString(e.ResourceStatusReason)
			fmt.Fprintf(log, "  %s (%s) %s: %s\n", id, aws.ToString(e.ResourceType), d.paint(string(e.ResourceStatus)), reason)
			if first == "" && reason != "" {
				first = ": " + id + ": " + reason
			}
		}
	}
	return fmt.Errorf("%w: stack %s is %s%s", ErrFailed, op.stackName, status, first)
}

// ready reports a Deployer that cannot work, rather than panic later.
func (d *Deployer) ready() error {
	if d.CFN == nil {
		return errors.New("deploy: Deployer has no CloudFormation client")
	}
	return nil
}

func (d *Deployer) out() io.Writer {
	if d.Out == nil {
		return io.Discard
	}
	return d.Out
}

func (d *Deployer) log() io.Writer {
	if d.Log == nil {
		return io.Discard
	}
	return d.Log
}

func (d *Deployer) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

func (d *Deployer) sleep(ctx context.Context, t time.Duration) error {
	if d.Sleep == nil {
		return sleepCtx(ctx, t)
	}
	return d.Sleep(ctx, t)
}

func (d *Deployer) heartbeat() time.Duration {
	if d.Heartbeat <= 0 {
		return defaultHeartbeat
	}
	return d.Heartbeat
}

func (d *Deployer) rand() io.Reader {
	if d.Rand == nil {
		return rand.Reader
	}
	return d.Rand
}

// notStarted reports whether the change set is still AVAILABLE, that is an
// interrupted ExecuteChangeSet never reached CloudFormation.
func (d *Deployer) notStarted(ctx context.Context, cs *ChangeSet) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	out, err := d.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(cs.ID)})
	return err == nil && out.ExecutionStatus == types.ExecutionStatusAvailable
}
