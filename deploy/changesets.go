package deploy

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/cfnrules"
)

// ChangeSetSummary is one change set of a stack, as ChangeSets lists it.
type ChangeSetSummary struct {
	Name            string     `json:"name"`
	ID              string     `json:"id"`
	Status          string     `json:"status"`
	ExecutionStatus string     `json:"executionStatus"`
	Reason          string     `json:"reason,omitempty"`
	Description     string     `json:"description,omitempty"`
	Created         *time.Time `json:"created,omitempty"`
	// Counts of the changes, for a change set that CloudFormation has
	// computed (Counted).
	Counted bool `json:"counted"`
	Add     int  `json:"add"`
	Modify  int  `json:"modify"`
	Remove  int  `json:"remove"`
	Replace int  `json:"replace"`
	Unknown int  `json:"unknown"`
}

// ChangeSets lists the change sets of a stack, oldest first, with the
// counts of the changes of those that CloudFormation has computed. A stack
// that does not exist gives ErrStackNotFound.
func (d *Deployer) ChangeSets(ctx context.Context, stackName string) ([]ChangeSetSummary, error) {
	if err := d.ready(); err != nil {
		return nil, err
	}
	if err := cfnrules.ValidStackName(stackName); err != nil {
		return nil, err
	}
	r := d.newRun(stackName, 0)
	st, err := describeStack(ctx, r.cfn, stackName)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("%w: stack %s does not exist", ErrStackNotFound, stackName)
	}
	id := aws.ToString(st.StackId)
	var out []ChangeSetSummary
	pages := cloudformation.NewListChangeSetsPaginator(r.cfn, &cloudformation.ListChangeSetsInput{StackName: aws.String(id)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list change sets of stack %s: %w", stackName, err)
		}
		for _, s := range page.Summaries {
			// Some servers list every stack's change sets.
			if aws.ToString(s.StackId) != id && aws.ToString(s.StackName) != stackName {
				continue
			}
			out = append(out, ChangeSetSummary{
				Name: aws.ToString(s.ChangeSetName), ID: aws.ToString(s.ChangeSetId), Status: string(s.Status),
				ExecutionStatus: string(s.ExecutionStatus), Reason: aws.ToString(s.StatusReason),
				Description: aws.ToString(s.Description), Created: s.CreationTime,
			})
		}
	}
	slices.SortStableFunc(out, func(a, b ChangeSetSummary) int {
		if a.Created == nil || b.Created == nil {
			return 0
		}
		return a.Created.Compare(*b.Created)
	})
	for i, s := range out {
		if s.Status != string(types.ChangeSetStatusCreateComplete) {
			continue
		}
		cs := &ChangeSet{}
		first, err := r.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(s.ID)})
		if err == nil {
			err = readChangeSet(ctx, r.cfn, cs, first)
		}
		if err != nil {
			return nil, fmt.Errorf("describe change set %s: %w", s.Name, err)
		}
		out[i].Counted = true
		out[i].Add, out[i].Modify, out[i].Remove, out[i].Replace, out[i].Unknown = cs.Counts()
	}
	return out, nil
}

// WriteChangeSets writes change sets as an aligned table.
func WriteChangeSets(w io.Writer, sets []ChangeSetSummary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tEXECUTION\tCREATED\tCHANGES")
	for _, s := range sets {
		created := "-"
		if s.Created != nil {
			created = s.Created.UTC().Format("2006-01-02 15:04:05Z")
		}
		changes := orDash(s.Reason)
		if s.Counted {
			changes = fmt.Sprintf("%d to add, %d to modify, %d to remove", s.Add, s.Modify, s.Remove)
			if s.Replace > 0 {
				changes += fmt.Sprintf(", %d replaced", s.Replace)
			}
			if s.Unknown > 0 {
				changes += fmt.Sprintf(", %d unknown", s.Unknown)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Name, s.Status, s.ExecutionStatus, created, changes)
	}
	return tw.Flush()
}
