package deploy

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Both texts CloudFormation uses for a change set without changes; the
// second also comes as a ValidationError from CreateChangeSet itself.
const (
	noChangesCreate = "The submitted information didn't contain changes."
	noChangesUpdate = "No updates are to be performed."
)

func isNoChanges(reason string) bool {
	return strings.Contains(reason, noChangesCreate) || strings.Contains(reason, noChangesUpdate)
}

// createChangeSet creates a change set for in and waits until
// CloudFormation has computed it. An empty change set is deleted and
// reported as ErrNoChanges. On any other failure, or an interrupt, what
// this run made is removed.
func (r *run) createChangeSet(ctx context.Context, in Input, p *prepared, stack *types.Stack) (*ChangeSet, error) {
	d := r.d
	typ := changeSetType(stack)
	if stack != nil && stack.StackStatus == types.StackStatusReviewInProgress {
		// A CREATE change set reuses this stack: it is not this run's.
		r.prior = aws.ToString(stack.StackId)
	}
	cs := &ChangeSet{Name: d.changeSetName(), StackName: in.StackName, Type: string(typ)}
	params := &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(in.StackName),
		ChangeSetName: aws.String(cs.Name),
		ChangeSetType: typ,
		ClientToken:   aws.String(cs.Name),
		Capabilities:  p.caps,
		Parameters:    parameters(in.Parameters),
		Tags:          tags(in.Tags),
		Description:   aws.String("created by cfngen"),
	}
	if typ == types.ChangeSetTypeCreate {
		// A failed first create then leaves no ROLLBACK_COMPLETE stack behind.
		params.OnStackFailure = types.OnStackFailureDelete
	} else if in.RevertDrift {
		params.DeploymentMode = types.DeploymentModeRevertDrift
	}
	if p.big {
		url, err := r.upload(ctx, in.StackName, in.S3Bucket, in.Template)
		if err != nil {
			return nil, err
		}
		params.TemplateURL = aws.String(url)
	} else {
		params.TemplateBody = aws.String(string(in.Template))
	}
	out, err := r.cfn.CreateChangeSet(ctx, params)
	if err != nil {
		if isNoChanges(apiMessage(err)) {
			fmt.Fprintf(d.log(), "no changes: stack %s is up to date\n", in.StackName)
			return nil, ErrNoChanges
		}
		err = fmt.Errorf("create change set for stack %s: %w", in.StackName, err)
		if notSent(err) || isClientFault(err) && apiCode(err) != "AlreadyExistsException" {
			return nil, err // nothing was made
		}
		// The request may have gone through with its answer lost.
		r.cs = cs
		return nil, r.abandon(ctx, err)
	}
	cs.ID, cs.StackID = aws.ToString(out.Id), aws.ToString(out.StackId)
	r.cs = cs
	r.ownStack = typ == types.ChangeSetTypeCreate && cs.StackID != r.prior
	fmt.Fprintf(d.log(), "created change set %s, waiting for CloudFormation to compute it\n", cs.Name)
	if err := r.waitChangeSet(ctx, cs); err != nil {
		if timedOut(err) {
			err = asTimeout(err, "change set "+cs.Name+" not computed in time")
		}
		return nil, r.abandon(ctx, err)
	}
	return cs, nil
}

// waitChangeSet polls the change set until it is computed, then reads all
// its changes.
func (r *run) waitChangeSet(ctx context.Context, cs *ChangeSet) error {
	d := r.d
	var out *cloudformation.DescribeChangeSetOutput
	err := r.w.poll(ctx, func(ctx context.Context) (bool, error) {
		var err error
		out, err = r.cfn.DescribeChangeSet(ctx, describeInput(cs.ID, nil))
		if err != nil {
			return false, fmt.Errorf("describe change set %s: %w", cs.Name, err)
		}
		switch out.Status {
		case types.ChangeSetStatusCreateComplete, types.ChangeSetStatusFailed,
			types.ChangeSetStatusDeleteComplete, types.ChangeSetStatusDeleteFailed:
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return err
	}
	reason := aws.ToString(out.StatusReason)
	// Computed: it can be deleted without waiting.
	r.computed = !started(out.ExecutionStatus)
	switch {
	case out.Status == types.ChangeSetStatusFailed && isNoChanges(reason):
		fmt.Fprintf(d.log(), "no changes: stack %s is up to date\n", cs.StackName)
		return ErrNoChanges
	case out.Status != types.ChangeSetStatusCreateComplete:
		return r.changeSetFailed(ctx, cs, string(out.Status), reason)
	}
	return readChangeSet(ctx, r.cfn, cs, out)
}

func parameters(m map[string]string) []types.Parameter {
	var out []types.Parameter
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(m[k])})
	}
	return out
}

func tags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}
