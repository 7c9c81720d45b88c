package deploy

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// WriteText writes the plan for a person to read: the parameters and stack
// tags that change, the resource changes as a table with, under each
// modification, its properties as "path: before -> after", the count line,
// why each resource is or may be replaced, the access that the update
// grants or takes away, and what it does to the site. With width > 0,
// values are shortened to that many characters; with 0 they are whole.
func (cs *ChangeSet) WriteText(w io.Writer, width int) error {
	b := bufio.NewWriter(w)
	cs.writeParameters(b, width)
	cs.writeTags(b, width)
	cs.writeChanges(b, width)
	fmt.Fprintln(b, cs.Summary())
	if cs.DeploymentMode == "REVERT_DRIFT" {
		var drifted []string
		for _, c := range cs.Changes {
			if c.Drift != "" && c.Drift != "IN_SYNC" {
				drifted = append(drifted, c.LogicalID+" ("+c.Drift+")")
			}
		}
		fmt.Fprintf(b, "drift reverted: %s\n", orDash(strings.Join(drifted, ", ")))
	}
	for _, c := range cs.Changes {
		if why := c.why(); why != "" {
			fmt.Fprintf(b, "%s: %s\n", c.LogicalID, why)
		}
	}
	for _, c := range cs.Unlisted {
		if c.Predicted == "False" {
			continue
		}
		fmt.Fprintf(b, "%s (%s): not in the change set, but predicted: %s\n", c.LogicalID, c.Type, c.PredictedWhy)
	}
	cs.writeSecurity(b)
	if len(cs.Impact) > 0 {
		fmt.Fprintln(b, "the site:")
		for _, im := range cs.Impact {
			fmt.Fprintf(b, "  %s\n", im.Text)
		}
	}
	for _, n := range cs.Notes {
		fmt.Fprintf(b, "note: %s\n", n)
	}
	return b.Flush()
}

func (cs *ChangeSet) writeParameters(w io.Writer, width int) {
	var lines []string
	for _, p := range cs.Parameters {
		if !p.Changed && cs.Type != "CREATE" {
			continue
		}
		var s string
		switch {
		case p.Removed:
			s = fmt.Sprintf("%s: %s -> (no longer in the template)", p.Key, value(p.Before, width))
		case p.New:
			s = fmt.Sprintf("%s: %s", p.Key, value(p.After, width))
		default:
			s = fmt.Sprintf("%s: %s -> %s", p.Key, value(p.Before, width), value(p.After, width))
		}
		if p.ResolvedBefore != p.ResolvedAfter && (p.ResolvedBefore != "" || p.ResolvedAfter != "") {
			s += fmt.Sprintf(" (resolved %s -> %s)", orDash(p.ResolvedBefore), orDash(p.ResolvedAfter))
		} else if p.ResolvedAfter != "" && p.New {
			s += " (resolved " + p.ResolvedAfter + ")"
		}
		switch {
		case p.RevertsToDefault:
			s += " (the template's default: the value given before is not given now)"
		case p.Source == SourceGiven:
			s += " (given)"
		case p.Source == SourceDefault:
			s += " (the template's default)"
		case p.Source == SourcePrevious:
			s += " (kept)"
		}
		lines = append(lines, s)
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(w, "parameters:")
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", l)
	}
}

func (cs *ChangeSet) writeTags(w io.Writer, width int) {
	if len(cs.Tags) == 0 {
		return
	}
	fmt.Fprintln(w, "stack tags:")
	for _, t := range cs.Tags {
		switch t.Action {
		case "Add":
			fmt.Fprintf(w, "  + %s: %s\n", t.Key, value(t.After, width))
		case "Remove":
			fmt.Fprintf(w, "  - %s: %s\n", t.Key, value(t.Before, width))
		default:
			fmt.Fprintf(w, "  ~ %s: %s -> %s\n", t.Key, value(t.Before, width), value(t.After, width))
		}
	}
}

// writeChanges writes the table of changes, each modification followed by
// its property values. The columns line up over every row.
func (cs *ChangeSet) writeChanges(w io.Writer, width int) {
	rows := [][]string{{"ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT", "CHANGED PROPERTIES"}}
	for _, c := range cs.Changes {
		props := strings.Join(c.Properties, ", ")
		if props == "" && len(c.PredictedProperties) > 0 {
			props = strings.Join(c.PredictedProperties, ", ") + " (predicted)"
		}
		rows = append(rows, []string{c.Action, c.LogicalID, c.Type, c.replacementText(), orDash(props)})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
	line(rows[0])
	for i, c := range cs.Changes {
		line(rows[i+1])
		for _, d := range c.Details {
			if l := d.text(width); l != "" {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
}

// replacementText is the REPLACEMENT cell: what CloudFormation says, with
// the prediction beside it when it says nothing or something else.
func (c Change) replacementText() string {
	if c.Action != "Modify" && c.Action != "Dynamic" {
		return orDash(c.Replacement)
	}
	switch {
	case c.Replacement == "" && c.Predicted == "":
		return "unknown"
	case c.Replacement == "":
		return c.Predicted + " (predicted)"
	case c.Predicted != "" && c.Predicted != c.Replacement:
		return c.Replacement + " (predicted " + c.Predicted + ")"
	}
	return c.Replacement
}

// text is one property change as "path: before -> after (why)", or "" when
// CloudFormation gave no values.
func (d PropertyChange) text(width int) string {
	if d.Before == "" && d.After == "" && d.ChangeType == "" {
		return ""
	}
	after := value(d.After, width)
	if d.After == "" && d.Evaluation == "Dynamic" {
		after = "?"
	}
	var s string
	switch d.ChangeType {
	case "Add":
		s = d.Where() + ": + " + after
	case "Remove":
		s = d.Where() + ": - " + value(d.Before, width)
	default:
		s = d.Where() + ": " + value(d.Before, width) + " -> " + after
	}
	var notes []string
	switch d.Recreation {
	case "Always":
		notes = append(notes, "replaces the resource")
	case "Conditionally":
		notes = append(notes, "may replace the resource")
	}
	if d.BeforeFrom == "ACTUAL_STATE" {
		notes = append(notes, "drift reverted: actual -> template")
	}
	if d.ChangeType == "SyncWithActual" {
		notes = append(notes, "drift recorded, not reverted")
	}
	switch d.Source {
	case "ParameterReference":
		notes = append(notes, "from parameter "+d.Cause)
	case "ResourceReference", "ResourceAttribute":
		notes = append(notes, "from "+d.Cause)
	}
	if d.Evaluation == "Dynamic" {
		notes = append(notes, "known only during the update")
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// why says why the change replaces, or may replace, its resource.
func (c Change) why() string {
	if c.Action != "Modify" && c.Action != "Dynamic" {
		return ""
	}
	switch c.Replaces() {
	case "True", "Conditional":
	default:
		return ""
	}
	if c.Replacement == "" {
		return c.Risk()
	}
	var causes []string
	for _, d := range c.Details {
		if d.Recreation == "Always" || d.Recreation == "Conditionally" && c.Replacement == "Conditional" {
			if w := d.Where(); w != "" && !slices.Contains(causes, w) {
				causes = append(causes, w)
			}
		}
	}
	verb := "replaced"
	if c.Replacement == "Conditional" {
		verb = "may be replaced"
	}
	if len(causes) == 0 {
		return verb
	}
	return verb + ": " + strings.Join(causes, ", ") + " requires a new resource"
}

func (cs *ChangeSet) writeSecurity(w io.Writer) {
	if cs.Security.Empty() {
		return
	}
	fmt.Fprintln(w, "access:")
	for _, c := range cs.Security.IAM {
		fmt.Fprintf(w, "  %s\n", c)
	}
	for _, r := range cs.Security.Rules {
		fmt.Fprintf(w, "  %s\n", r)
	}
}

// String is the change in one line, such as "+ IAM InstanceRole: Allow
// s3:GetObject on arn:aws:s3:::logs/* (role InstanceRole) [broadens]".
func (c IAMChange) String() string {
	sign := "-"
	if c.Added {
		sign = "+"
	}
	var s string
	switch c.Kind {
	case "managed-policy":
		s = fmt.Sprintf("%s IAM %s: managed policy %s", sign, c.Resource, c.Policy)
	case "trust":
		s = fmt.Sprintf("%s IAM %s trust: %s %s by %s", sign, c.Resource, c.Effect, strings.Join(c.Actions, ", "), orDash(c.Principal))
	default:
		s = fmt.Sprintf("%s IAM %s: %s %s on %s", sign, c.Resource, c.Effect, strings.Join(c.Actions, ", "), orDash(strings.Join(c.Resources, ", ")))
		if c.Principal != "" {
			s += " (" + c.Principal + ")"
		}
	}
	if c.Condition != "" {
		s += " if " + c.Condition
	}
	if c.Broadens {
		s += " [broadens]"
	}
	return s
}

// String is the rule in one line, such as "+ security group ALBSecurityGroup
// ingress tcp 443 from 0.0.0.0/0 [broadens]".
func (r RuleChange) String() string {
	sign := "-"
	if r.Added {
		sign = "+"
	}
	dir := "from"
	if r.Direction == "egress" {
		dir = "to"
	}
	s := fmt.Sprintf("%s security group %s %s %s %s %s %s", sign, r.Group, r.Direction, r.Protocol, r.Ports, dir, orDash(r.Peer))
	if r.Broadens {
		s += " [broadens]"
	}
	return s
}

// value writes a property or parameter value on one line, quoted when it
// is empty or has line breaks, shortened to width characters when width >
// 0.
func value(v string, width int) string {
	if v == "" || strings.ContainsAny(v, "\n\r\t") {
		v = fmt.Sprintf("%q", v)
	}
	if width > 0 && utf8.RuneCountInString(v) > width {
		r := []rune(v)
		v = string(r[:max(width-1, 1)]) + "…"
	}
	return v
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
