package deploy

import (
	"context"
	"fmt"
	"time"

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
