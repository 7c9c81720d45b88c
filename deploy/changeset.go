package deploy

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"go.yaml.in/yaml/v3"
)

// ChangeSet is a change set that CloudFormation has computed, and the plan
// that a deploy shows before executing it: the resource changes with their
// property values, the parameter and tag changes, the access that the
// update grants or takes away, and what it does to the site.
type ChangeSet struct {
	Name            string
	ID              string // ARN
	StackName       string
	StackID         string // ARN
	Type            string // CREATE or UPDATE
	Status          string // CREATE_COMPLETE once computed
	ExecutionStatus string // AVAILABLE until executed
	Created         *time.Time
	Description     string
	// DeploymentMode is REVERT_DRIFT for a change set that reverts drift,
	// else "".
	DeploymentMode string
	// Deleted: the change set was deleted after it was shown (a diff).
	Deleted bool

	Changes    []Change
	Parameters []ParameterChange // every parameter of the template
	Tags       []TagChange       // the stack tags that change
	// Security lists the IAM and security-group changes, computed from the
	// deployed template and the new one; nil when they could not be.
	Security *SecurityChanges
	// Impact says what the update does to the site, such as every instance
	// replaced at once.
	Impact []Impact
	// Unlisted are the changes that the prediction sees and the change set
	// does not list (an endpoint that leaves out what a change cascades
	// to), with Predicted and PredictedWhy set. They are shown, not acted
	// on: CloudFormation changes what it lists.
	Unlisted []Change
	// Notes say what the plan could not work out, and why.
	Notes []string

	// Previous is the stack's template before the change (nil for a new
	// stack, or when it could not be read); Template is the change set's.
	Previous, Template []byte

	csParams []types.Parameter // as DescribeChangeSet gives them
	csTags   []types.Tag
	// tree and previous are Template and Previous as long-form trees; nil
	// when they do not read.
	tree, previous *yaml.Node
}

// Change is one resource change of a change set.
type Change struct {
	Action     string // Add, Modify, Remove, Import, Dynamic or SyncWithActual
	LogicalID  string // logical ID in the template
	PhysicalID string // "" for an Add
	Type       string // resource type, such as AWS::EC2::VPC
	// Replacement is what CloudFormation says of a Modify or Dynamic: True,
	// Conditional, False, or "" when it does not say.
	Replacement string
	// Predicted is the replacement predicted from the deployed template and
	// the new one (package predict), in the same words, when CloudFormation
	// does not say; PredictedWhy says what causes it.
	Predicted    string
	PredictedWhy string
	Properties   []string // names of the changed properties and attributes
	// PredictedProperties are those the prediction sees change, for a
	// change of which CloudFormation names none.
	PredictedProperties []string
	Details             []PropertyChange // with values, when CloudFormation gives them
	// Drift is the resource's drift status in a change set that reverts
	// drift: IN_SYNC, MODIFIED, DELETED, ...; "" otherwise.
	Drift string
}

// PropertyChange is one changed property, or resource attribute, of a
// Modify, with the values before and after when CloudFormation gives them
// (DescribeChangeSet with IncludePropertyValues).
type PropertyChange struct {
	Attribute string // Properties, Metadata, Tags, ...
	Name      string // the top-level property, for Attribute Properties
	Path      string // such as /Properties/SecurityGroupIngress/0/CidrIp
	// ChangeType is Add, Remove, Modify or SyncWithActual (drift that is
	// only recorded).
	ChangeType string
	Before     string
	After      string
	// BeforeFrom says where Before comes from in a change set that reverts
	// drift: ACTUAL_STATE (the resource as it is) or
	// PREVIOUS_DEPLOYMENT_STATE.
	BeforeFrom string
	// Recreation is Never, Always or Conditionally: whether the change
	// replaces the resource.
	Recreation string
	// Evaluation is Static (the value is known) or Dynamic (known only
	// during the update, such as a Ref to a replaced resource).
	Evaluation string
	// Source and Cause say what makes the property change:
	// DirectModification, ParameterReference (Cause names the parameter),
	// ResourceReference or ResourceAttribute (Cause names the resource).
	Source string
	Cause  string
}

// Replaces returns the replacement that counts for the change: what
// CloudFormation says, or the prediction when it says nothing.
func (c Change) Replaces() string {
	if c.Replacement != "" {
		return c.Replacement
	}
	return c.Predicted
}

// Risk says why the change needs consent to remove or replace a resource,
// or "" when it needs none. It fails closed: a Modify or Dynamic change of
// which neither CloudFormation nor the prediction says whether it replaces
// the resource may replace it.
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
	case c.Predicted == "True" || c.Predicted == "Conditional":
		why := c.PredictedWhy
		if why == "" {
			why = map[string]string{"True": "replaced", "Conditional": "may be replaced"}[c.Predicted]
		}
		return why + " (predicted)"
	case c.Predicted == "False":
		return ""
	}
	return "may be replaced: CloudFormation did not say whether it is"
}

// Dangerous reports whether the change removes a resource or may replace it.
func (c Change) Dangerous() bool { return c.Risk() != "" }

// Counts returns how many resources the change set adds, modifies and
// removes, how many of the modified ones are or may be replaced (True or
// Conditional, as CloudFormation says or, when it does not, as predicted),
// and of how many neither says.
func (cs *ChangeSet) Counts() (add, modify, remove, replace, unknown int) {
	for _, c := range cs.Changes {
		switch c.Action {
		case "Add":
			add++
		case "Modify":
			modify++
			switch c.Replaces() {
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
// when nobody says whether modified resources are replaced.
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
