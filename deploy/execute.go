package deploy

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
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
