package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cfngen/cfngen/cfnrules"
)

// execute runs the change set and follows the stack to its final status.
func (r *run) execute(ctx context.Context, cs *ChangeSet, res *Result) error {
	d := r.d
	// A stack that a CREATE change set starts has no events but its
	// REVIEW_IN_PROGRESS ones, which are not shown: all the others are
	// this execution's.
	var marker string
	if cs.Type != string(types.ChangeSetTypeCreate) {
		var err error
		if marker, err = r.newestEvent(ctx, cs.StackID); err != nil {
			return r.abandon(ctx, err)
		}
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
	_, err := r.cfn.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{
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
		return r.failure(ctx, op, st, failed)
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

// ExecuteInput names a change set to execute, made earlier (such as by
// Deploy with NoExecute), and the consent given for it.
type ExecuteInput struct {
	StackName string // the change set's stack; may be "" when ChangeSet is an ARN
	ChangeSet string // the change set's name or ARN

	Yes              bool // execute without asking (removals, replacements and wider access still need consent)
	AllowReplacement bool // consent to remove or replace resources
	AllowBroadening  bool // consent to widen access

	// Timeout bounds the whole run, as Input.Timeout does.
	Timeout time.Duration
}

// ChangeSetStateError is a change set that cannot be executed in its
// state, such as one that failed or was executed already. It matches
// ErrNotExecutable.
type ChangeSetStateError struct {
	StackName, ChangeSet    string
	Status, ExecutionStatus string
	Reason                  string
}

func (e *ChangeSetStateError) Is(target error) bool { return target == ErrNotExecutable }

func (e *ChangeSetStateError) Error() string {
	s := fmt.Sprintf("%s: change set %s of stack %s is %s and %s", ErrNotExecutable, e.ChangeSet, e.StackName, e.Status, e.ExecutionStatus)
	if e.Reason != "" {
		s += ": " + e.Reason
	}
	return s
}

// Execute executes a change set that exists: it reads it, prints the plan
// on Out as Deploy does, asks for the same consent, executes it, follows
// the stack and prints the outputs. It never deletes the change set, which
// is not its own: without consent it leaves it as it is.
func (d *Deployer) Execute(ctx context.Context, in ExecuteInput) (*Result, error) {
	if err := d.ready(); err != nil {
		return nil, err
	}
	if in.ChangeSet == "" {
		return nil, errors.New("execute: no change set named")
	}
	arn := strings.HasPrefix(in.ChangeSet, "arn:")
	if !arn {
		if err := cfnrules.ValidStackName(in.StackName); err != nil {
			return nil, err
		}
	}
	r := d.newRun(in.StackName, in.Timeout)
	q := describeInput(in.ChangeSet, nil)
	if in.StackName != "" {
		q.StackName = aws.String(in.StackName)
	}
	out, err := r.cfn.DescribeChangeSet(ctx, q)
	if apiCode(err) == "ChangeSetNotFound" || isStackMissing(err) {
		return nil, fmt.Errorf("%w: change set %s of stack %s", ErrChangeSetNotFound, in.ChangeSet, orDash(in.StackName))
	}
	if err != nil {
		return nil, fmt.Errorf("describe change set %s: %w", in.ChangeSet, err)
	}
	cs := &ChangeSet{StackName: in.StackName}
	if err := readChangeSet(ctx, r.cfn, cs, out); err != nil {
		return nil, err
	}
	res := &Result{StackName: cs.StackName, StackID: cs.StackID, ChangeSet: cs}
	if cs.Status != string(types.ChangeSetStatusCreateComplete) || cs.ExecutionStatus != string(types.ExecutionStatusAvailable) {
		return res, &ChangeSetStateError{StackName: cs.StackName, ChangeSet: cs.Name, Status: cs.Status,
			ExecutionStatus: cs.ExecutionStatus, Reason: aws.ToString(out.StatusReason)}
	}
	stack, err := describeStack(ctx, r.cfn, cs.StackID)
	if err != nil {
		return res, err
	}
	cs.Type = string(changeSetType(stack))
	if cs.Type == string(types.ChangeSetTypeCreate) {
		stack = nil
	}
	body, err := r.template(ctx, &cloudformation.GetTemplateInput{ChangeSetName: aws.String(cs.ID), StackName: aws.String(cs.StackID), TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		cs.Notes = append(cs.Notes, fmt.Sprintf("could not read the change set's template (%v): the access that changes is not known", err))
	}
	cs.Template = body
	if body != nil {
		r.complete(ctx, cs, stack, nil, cs.csTags)
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if err := cs.WriteText(d.out(), d.Width); err != nil {
		return res, fmt.Errorf("write change set: %w", err)
	}
	if err := r.consent(ctx, consent{in.Yes, in.AllowReplacement, in.AllowBroadening}, cs); err != nil {
		fmt.Fprintf(d.log(), "change set %s is left as it is on stack %s\n", cs.Name, cs.StackName)
		return res, err
	}
	return res, r.execute(ctx, cs, res)
}
