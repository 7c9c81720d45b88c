package stackset

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/cfngen/cfngen/cfnrules"
)

// Status is what Status reads: the stack set, its stack instances and its
// last operations.
type Status struct {
	Name       string      `json:"name"`
	ID         string      `json:"id"`
	Status     string      `json:"status"`
	Model      string      `json:"permissionModel"`
	Instances  []Instance  `json:"instances"`
	Operations []Operation `json:"operations"` // newest first
}

// statusOperations is how many operations Status reads.
const statusOperations = 5

// Status reads the stack set, every stack instance and the last
// operations. It returns ErrNotFound when there is no such stack set.
func (m *Manager) Status(ctx context.Context, name string, delegatedAdmin bool) (*Status, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	if err := cfnrules.ValidStackSetName(name); err != nil {
		return nil, &InputError{"Name", err.Error()}
	}
	s := newSession(name, delegatedAdmin)
	set, err := m.describe(ctx, s)
	if err != nil {
		return nil, err
	}
	if set == nil {
		return nil, fmt.Errorf("%w: stack set %s does not exist", ErrNotFound, name)
	}
	st := &Status{Name: name, ID: aws.ToString(set.StackSetId), Status: string(set.Status), Model: string(set.PermissionModel)}
	if st.Instances, err = m.instances(ctx, s); err != nil {
		return nil, err
	}
	if st.Operations, err = m.operations(ctx, s, statusOperations); err != nil {
		return nil, err
	}
	if st.Instances == nil {
		st.Instances = []Instance{}
	}
	if st.Operations == nil {
		st.Operations = []Operation{}
	}
	return st, nil
}

// Write writes the status as text: a line on the stack set, the instances
// and the operations.
func (st *Status) Write(w io.Writer) error {
	fmt.Fprintf(w, "stack set %s (%s, %s)\n\n", st.Name, st.Model, st.Status)
	if err := WriteInstances(w, st.Instances); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tACTION\tSTATUS\tSTARTED\tENDED\tREASON")
	for _, o := range st.Operations {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.Action, o.Status, stamp(o.Created), stamp(o.Ended), orDash(o.Reason))
	}
	return tw.Flush()
}

// WriteInstances writes stack instances as a table with a count line.
func WriteInstances(w io.Writer, insts []Instance) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACCOUNT\tREGION\tORG UNIT\tSTATUS\tDETAILED STATUS\tREASON")
	counts := map[string]int{}
	for _, i := range insts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", i.Account, i.Region, orDash(i.OrgUnit), i.Status, orDash(i.DetailedStatus), orDash(i.Reason))
		counts[i.Status]++
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	line := fmt.Sprintf("%d stack instances", len(insts))
	if len(insts) == 1 {
		line = "1 stack instance"
	}
	for _, s := range []string{"CURRENT", "OUTDATED", "INOPERABLE"} {
		if counts[s] > 0 {
			line += fmt.Sprintf(", %d %s", counts[s], s)
		}
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

func stamp(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
