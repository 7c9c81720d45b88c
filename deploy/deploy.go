package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

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
		cfn:   &bounded{cfn: d.CFN, s3: d.S3, ec2: d.EC2, w: w, now: d.now},
		spare: &bounded{cfn: d.CFN, s3: d.S3, ec2: d.EC2, now: d.now},
		stack: stack,
	}
}

// Deploy creates a change set for in, prints the plan on Out, asks for
// consent when needed, executes the change set and follows the stack until
// CloudFormation is done, then prints the outputs.
//
// It returns ErrNoChanges when there is nothing to do. Once a change set
// exists, the Result comes back with any error too. Whatever stops it
// before the execution (an error, an interrupt, the timeout, no consent)
// it removes what it made and says so on Log; once CloudFormation has
// started the change set, it says how the stack stands, as read from
// CloudFormation.
func (d *Deployer) Deploy(ctx context.Context, in Input) (*Result, error) {
	p, err := d.prepare(in)
	if err != nil {
		return nil, err
	}
	r := d.newRun(in.StackName, in.Timeout)
	stack, err := r.settle(ctx, in, true)
	if err != nil {
		return nil, err
	}
	cs, err := r.createChangeSet(ctx, in, p, stack)
	if errors.Is(err, ErrNoChanges) && in.TerminationProtection != nil && stack != nil {
		if perr := r.protect(ctx, in.StackName, aws.ToString(stack.StackId), aws.ToBool(stack.EnableTerminationProtection), *in.TerminationProtection); perr != nil {
			return nil, perr
		}
	}
	if err != nil {
		return nil, err
	}
	res := &Result{StackName: in.StackName, StackID: cs.StackID, ChangeSet: cs}
	cs.tree = p.tree
	if err := r.plan(ctx, cs, stack, in); err != nil {
		return res, r.abandon(ctx, err)
	}
	if err := cs.WriteText(d.out(), d.Width); err != nil {
		fmt.Fprintf(d.log(), "could not write the change set (%v): not executing it\n", err)
		return res, r.abandon(ctx, fmt.Errorf("write change set: %w", err))
	}
	if in.NoExecute {
		r.leftForReview(cs)
		return res, nil
	}
	if err := r.consent(ctx, consent{in.Yes, in.AllowReplacement, in.AllowBroadening}, cs); err != nil {
		return res, r.abandon(ctx, err)
	}
	if err := r.execute(ctx, cs, res); err != nil {
		return res, err
	}
	if in.TerminationProtection != nil {
		on := stack != nil && changeSetType(stack) == types.ChangeSetTypeUpdate && aws.ToBool(stack.EnableTerminationProtection)
		return res, r.protect(ctx, cs.StackName, cs.StackID, on, *in.TerminationProtection)
	}
	return res, nil
}

// Diff creates a change set for in, prints the plan on Out and deletes the
// change set (and its stack, when Diff made that stack). It returns
// ErrNoChanges when there is nothing to do. It never deletes a stack that
// it did not make.
func (d *Deployer) Diff(ctx context.Context, in Input) (*ChangeSet, error) {
	p, err := d.prepare(in)
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
	cs.tree = p.tree
	if err := r.plan(ctx, cs, stack, in); err != nil {
		return cs, r.abandon(ctx, err)
	}
	if err := cs.WriteText(d.out(), d.Width); err != nil {
		return cs, r.abandon(ctx, fmt.Errorf("write change set: %w", err))
	}
	cs.Deleted = r.remove(ctx)
	return cs, nil
}

// plan completes the change set of in into the plan. Only an interrupt
// stops it: what cannot be read becomes a note.
func (r *run) plan(ctx context.Context, cs *ChangeSet, stack *types.Stack, in Input) error {
	cs.Template = in.Template
	given := in.Parameters
	if given == nil {
		given = map[string]string{}
	}
	if in.RevertDrift && cs.Type == string(types.ChangeSetTypeCreate) {
		cs.Notes = append(cs.Notes, "a new stack has no drift to revert")
	}
	r.complete(ctx, cs, stack, given, tags(in.Tags))
	return ctx.Err()
}

// changeSetType is CREATE for a missing stack or one never executed
// (REVIEW_IN_PROGRESS), else UPDATE.
func changeSetType(st *types.Stack) types.ChangeSetType {
	if st == nil || st.StackStatus == types.StackStatusReviewInProgress {
		return types.ChangeSetTypeCreate
	}
	return types.ChangeSetTypeUpdate
}

// leftForReview says that the change set is left with NoExecute, and how
// to delete it.
func (r *run) leftForReview(cs *ChangeSet) {
	log := r.d.log()
	fmt.Fprintf(log, "change set %s left for review on stack %s\n", cs.Name, cs.StackName)
	fmt.Fprintf(log, "  delete it: aws cloudformation delete-change-set --stack-name %s --change-set-name %s\n", cs.StackName, cs.Name)
	if r.ownStack {
		fmt.Fprintf(log, "  then the empty stack: aws cloudformation delete-stack --stack-name %s\n", cs.StackName)
	}
}
