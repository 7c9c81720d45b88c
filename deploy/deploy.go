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
	S3Bucket   string // where a template over cfnrules.MaxTemplateBody bytes is uploaded

	Yes              bool // execute without asking (removals and replacements still need consent)
	AllowReplacement bool // consent to remove or replace resources
	NoExecute        bool // create the change set, show it and leave it

	// AllowDeleteRollbackComplete consents to deleting a stack that cannot
	// be updated (ROLLBACK_COMPLETE, CREATE_FAILED, ROLLBACK_FAILED,
	// DELETE_FAILED) so that it can be created again.
	AllowDeleteRollbackComplete bool

	// Timeout bounds the whole run, every AWS call included, except the time
	// spent at prompts; 0: none. The clean-up after it runs out has a bound
	// of its own.
	Timeout time.Duration
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

// run is one Deploy, Diff or Destroy: its calls, bounded by the timeout, and
// what it has made in the account, so that it can remove that and nothing
// else.
type run struct {
	d     *Deployer
	w     *waiter
	cfn   *bounded // the run's calls, bounded by its timeout
	spare *bounded // clean-up and reports, on contexts of their own
	stack string   // the stack's name

	// prior is the ID of the REVIEW_IN_PROGRESS stack found before
	// CreateChangeSet, which a CREATE change set reuses: never this run's to
	// delete. "" when there was none.
	prior string
	cs    *ChangeSet // the change set this run asked for, once it may exist
	// ownStack: CreateChangeSet made the change set's stack (its ID is not
	// prior), so removing the change set may remove the stack too.
	ownStack bool
	// computed: the change set was seen computed and not executed.
	computed bool
}

func (d *Deployer) newRun(stack string, timeout time.Duration) *run {
	w := d.newWaiter(timeout)
	return &run{
		d:     d,
		w:     w,
		cfn:   &bounded{cfn: d.CFN, s3: d.S3, w: w, now: d.now},
		spare: &bounded{cfn: d.CFN, s3: d.S3, now: d.now},
		stack: stack,
	}
}

// Deploy creates a change set for in, prints it on Out, asks for consent
// when needed, executes it and follows the stack until CloudFormation is
// done, then prints the outputs.
//
// It returns ErrNoChanges when there is nothing to do. Once a change set
// exists, the Result comes back with any error too. Whatever stops it
// before the execution (an error, an interrupt, the timeout, no consent)
// it removes what it made and says so on Log; once CloudFormation has
// started the change set, it says how the stack stands, as read from
// CloudFormation.
func (d *Deployer) Deploy(ctx context.Context, in Input) (*Result, error) {
	p, err := d.plan(in)
	if err != nil {
		return nil, err
	}
	r := d.newRun(in.StackName, in.Timeout)
	stack, err := r.settle(ctx, in, true)
	if err != nil {
		return nil, err
	}
	cs, err := r.createChangeSet(ctx, in, p, stack)
	if err != nil {
		return nil, err
	}
	res := &Result{StackName: in.StackName, StackID: cs.StackID, ChangeSet: cs}
	if err := cs.WriteTable(d.out()); err != nil {
		fmt.Fprintf(d.log(), "could not write the change set (%v): not executing it\n", err)
		return res, r.abandon(ctx, fmt.Errorf("write change set: %w", err))
	}
	if in.NoExecute {
		r.leftForReview(cs)
		return res, nil
	}
	if err := r.consent(ctx, in, cs); err != nil {
		return res, r.abandon(ctx, err)
	}
	return res, r.execute(ctx, cs, res)
}

// Diff creates a change set for in, prints it on Out and deletes it (and
// its stack, when Diff made that stack). It returns ErrNoChanges when there
// is nothing to do. It never deletes a stack that it did not make.
func (d *Deployer) Diff(ctx context.Context, in Input) (*ChangeSet, error) {
	p, err := d.plan(in)
	if err != nil {
		return nil, err
	}
	r := d.newRun(in.StackName, in.Timeout)
	stack, err := r.settle(ctx, in, false)
	if err != nil {
		return nil, err
	}
	cs, err := r.createChangeSet(ctx, in, p, stack)
	if err != nil {
		return nil, err
	}
	if err := cs.WriteTable(d.out()); err != nil {
		return cs, r.abandon(ctx, fmt.Errorf("write change set: %w", err))
	}
	r.remove(ctx)
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

// leftForReview says how to execute or delete a change set left with
// NoExecute.
func (r *run) leftForReview(cs *ChangeSet) {
	log := r.d.log()
	fmt.Fprintf(log, "change set %s left for review\n", cs.Name)
	fmt.Fprintf(log, "  execute it: aws cloudformation execute-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
	fmt.Fprintf(log, "  delete it:  aws cloudformation delete-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
	if r.ownStack {
		fmt.Fprintf(log, "  then the empty stack: aws cloudformation delete-stack --stack-name %s\n", cs.StackName)
	}
}

// consent decides whether the change set may be executed. Removals and
// possible replacements need AllowReplacement or the stack name typed at a
// prompt, even with Yes; anything else needs Yes or a yes at a prompt.
func (r *run) consent(ctx context.Context, in Input, cs *ChangeSet) error {
	log := r.d.log()
	refused := &ConsentError{Needed: ToReplace, StackName: cs.StackName, ChangeSet: cs.Name, Risky: cs.Risky()}
	if len(refused.Risky) > 0 && !in.AllowReplacement {
		fmt.Fprintln(log, "the change set removes or may replace resources:")
		for _, c := range refused.Risky {
			fmt.Fprintf(log, "  %s (%s): %s\n", c.LogicalID, c.Type, c.Risk())
		}
		if r.d.Prompt == nil {
			fmt.Fprintln(log, "not executed: removing or replacing resources needs consent")
			return refused
		}
		ok, err := r.d.ask(r.w, func() (bool, error) {
			return r.d.Prompt.ConfirmTyped(ctx, fmt.Sprintf("The change set removes or may replace resources of stack %s. Type the stack name to execute it", cs.StackName), cs.StackName)
		})
		if err != nil {
			return err
		}
		if !ok {
			refused.Declined = true
			return refused
		}
		return nil
	}
	if in.Yes {
		return nil
	}
	if r.d.Prompt == nil {
		fmt.Fprintln(log, "not executed: no terminal to ask for consent on")
		return &ConsentError{Needed: ToExecute, StackName: cs.StackName, ChangeSet: cs.Name}
	}
	ok, err := r.d.ask(r.w, func() (bool, error) {
		return r.d.Prompt.Confirm(ctx, fmt.Sprintf("Execute change set %s on stack %s?", cs.Name, cs.StackName))
	})
	if err != nil {
		return err
	}
	if !ok {
		return &ConsentError{Needed: ToExecute, Declined: true, StackName: cs.StackName, ChangeSet: cs.Name}
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
func (r *run) execute(ctx context.Context, cs *ChangeSet, res *Result) error {
	d := r.d
	marker, err := r.newestEvent(ctx, cs.StackID)
	if err != nil {
		return r.abandon(ctx, err)
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
	_, err = r.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{
		ChangeSetName:      aws.String(cs.ID),
		ClientRequestToken: aws.String(d.token("execute")),
	})
	if err != nil {
		err = fmt.Errorf("execute change set %s: %w", cs.Name, err)
		if notSent(err) {
			return r.abandon(ctx, err)
		}
		// The request may have gone through, whatever the answer: ask.
		switch started, serr := r.started(ctx, cs); {
		case serr != nil:
			log := d.log()
			fmt.Fprintf(log, "could not find out whether CloudFormation started change set %s: %v\n", cs.Name, serr)
			fmt.Fprintf(log, "  see: aws cloudformation describe-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
			return err
		case !started:
			return r.abandon(ctx, err)
		case interrupted(err) || timedOut(err):
			res.Executed = true
			return r.stopped(ctx, op, err)
		}
		fmt.Fprintf(d.log(), "CloudFormation started change set %s all the same (%v); following it\n", cs.Name, err)
	}
	res.Executed = true
	st, failed, err := r.follow(ctx, op)
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
