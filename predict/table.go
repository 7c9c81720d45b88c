package predict

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// changeSetAction is the action a change set shows: Add, Modify or Remove.
func (c Change) changeSetAction() string {
	switch c.Action {
	case Add, Remove:
		return string(c.Action)
	}
	return "Modify"
}

// Summary returns the count line, as a change set's: "3 to add, 1 to
// modify, 0 to remove, 1 replacement".
func (p *Plan) Summary() string {
	add, modify, remove, replace := p.Counts()
	noun := "replacements"
	if replace == 1 {
		noun = "replacement"
	}
	return fmt.Sprintf("%d to add, %d to modify, %d to remove, %d %s", add, modify, remove, replace, noun)
}

// WriteTable writes the changes as a change set's table (ACTION, LOGICAL
// ID, TYPE, REPLACEMENT, CHANGED PROPERTIES) followed by the count line,
// then one line for each replacement that says why. A "?" marks a
// property that may change, with values known only at deploy time.
func (p *Plan) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tLOGICAL ID\tTYPE\tREPLACEMENT\tCHANGED PROPERTIES")
	for _, c := range p.Changes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.changeSetAction(), c.LogicalID, c.Type,
			orDash(c.Replacement()), orDash(c.changed()))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := fmt.Fprintln(w, p.Summary()); err != nil {
		return err
	}
	for _, c := range p.Changes {
		if why := c.Why(); why != "" {
			if _, err := fmt.Fprintf(w, "%s: %s\n", c.LogicalID, why); err != nil {
				return err
			}
		}
	}
	return nil
}

// changed lists the changed properties and attributes; a "?" marks one
// that may change, with values known only at deploy time.
func (c Change) changed() string {
	var out []string
	for _, d := range c.Details {
		if d.Certain {
			out = append(out, d.Name)
		} else {
			out = append(out, d.Name+"?")
		}
	}
	return strings.Join(out, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Why says why a Replace or Conditional change replaces its resource, such
// as "replaced: SubnetId is create-only and changes (Ref PrivateSubnet1,
// which is replaced)"; it is "" for the other actions.
func (c Change) Why() string {
	if c.OldType != "" {
		return fmt.Sprintf("the type changes from %s to %s: %s", c.OldType, c.Type, c.Details[0].Reason)
	}
	var cause *Detail
	for i, d := range c.Details {
		switch {
		case c.Action == Replace && d.Recreation == Always && d.Certain,
			c.Action == Conditional && d.Recreation != Never:
			cause = &c.Details[i]
		}
		if cause != nil {
			break
		}
	}
	if cause == nil {
		return ""
	}
	s := "replaced: " + cause.Name + " is create-only and changes"
	if c.Action == Conditional {
		s = "may be replaced: " + cause.Name + " changes"
		if !cause.Certain {
			s = "may be replaced: " + cause.Name + " may change"
		}
	}
	if cause.Reason != "" {
		s += " (" + cause.Reason + ")"
	}
	return s
}
