package deploy

import (
	"fmt"
)

// ChangeSet is a change set that CloudFormation has computed.
type ChangeSet struct {
	Name      string
	ID        string // ARN
	StackName string
	StackID   string // ARN
	Type      string // CREATE or UPDATE
	Changes   []Change
}

// Change is one resource change of a change set.
type Change struct {
	Action    string // Add, Modify, Remove, Import or Dynamic
	LogicalID string // logical ID in the template
	Type      string // resource type, such as AWS::EC2::VPC
	// Replacement is what CloudFormation says of a Modify or Dynamic: True,
	// Conditional, False, or "" when it does not say. [Change.Risk] counts
	// "" as a possible replacement.
	Replacement string
	Properties  []string // names of the changed properties
}

// Risk says why the change needs consent to remove or replace a resource,
// or "" when it needs none. It fails closed: a Modify or Dynamic change of
// which CloudFormation does not say whether it replaces the resource may
// replace it. (A replacement predicted offline would be one more field,
// consulted here when Replacement is "".)
func (c Change) Risk() string {
	switch {
	case c.Action == "Remove":
		return "removed"
	case c.Action != "Modify" && c.Action != "Dynamic":
		return ""
	case c.Replacement == "True":
		return "replaced"
	case c.Replacement == "Conditional":
		return "may be replaced (Replacement: Conditional)"
	case c.Replacement == "False":
		return ""
	}
	return "may be replaced: CloudFormation did not say whether it is"
}

// Dangerous reports whether the change removes a resource or may replace it.
func (c Change) Dangerous() bool { return c.Risk() != "" }

// Counts returns how many resources the change set adds, modifies and
// removes, how many of the modified ones CloudFormation says may be
// replaced (True or Conditional), and of how many it does not say.
func (cs *ChangeSet) Counts() (add, modify, remove, replace, unknown int) {
	for _, c := range cs.Changes {
		switch c.Action {
		case "Add":
			add++
		case "Modify":
			modify++
			switch c.Replacement {
			case "True", "Conditional":
				replace++
			case "False":
			default:
				unknown++
			}
		case "Remove":
			remove++
		}
	}
	return add, modify, remove, replace, unknown
}

// Summary returns the count line, such as
// "3 to add, 1 to modify, 0 to remove, 1 replacement", with ", 2 unknown"
// when CloudFormation does not say whether modified resources are replaced.
func (cs *ChangeSet) Summary() string {
	add, modify, remove, replace, unknown := cs.Counts()
	noun := "replacements"
	if replace == 1 {
		noun = "replacement"
	}
	s := fmt.Sprintf("%d to add, %d to modify, %d to remove, %d %s", add, modify, remove, replace, noun)
	if unknown > 0 {
		s += fmt.Sprintf(", %d unknown", unknown)
	}
	return s
}

// Risky returns the changes that need consent to remove or replace
// resources.
func (cs *ChangeSet) Risky() []Change {
	var out []Change
	for _, c := range cs.Changes {
		if c.Dangerous() {
			out = append(out, c)
		}
	}
	return out
}
