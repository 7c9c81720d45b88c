package deploy

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
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

// WriteTable writes the changes as an aligned table followed by the count
// line.
func (cs *ChangeSet) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tLOGICAL ID\tTYPE\tREPLACEMENT\tCHANGED PROPERTIES")
	for _, c := range cs.Changes {
		repl := orDash(c.Replacement)
		if c.Replacement == "" && (c.Action == "Modify" || c.Action == "Dynamic") {
			repl = "unknown"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Action, c.LogicalID, c.Type,
			repl, orDash(strings.Join(c.Properties, ", ")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, cs.Summary())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

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
func (r *run) createChangeSet(ctx context.Context, in Input, p *plan, stack *types.Stack) (*ChangeSet, error) {
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
		out, err = r.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(cs.ID)})
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
		return fmt.Errorf("%w: change set %s is %s: %s", ErrFailed, cs.Name, out.Status, reason)
	}
	for {
		cs.Changes = append(cs.Changes, changes(out.Changes)...)
		if out.NextToken == nil {
			return nil
		}
		next, err := r.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
			ChangeSetName: aws.String(cs.ID),
			NextToken:     out.NextToken,
		})
		if err != nil {
			return fmt.Errorf("describe change set %s: %w", cs.Name, err)
		}
		out = next
	}
}

// changes turns the API's resource changes into Changes.
func changes(in []types.Change) []Change {
	var out []Change
	for _, c := range in {
		rc := c.ResourceChange
		if rc == nil {
			continue
		}
		ch := Change{
			Action:      string(rc.Action),
			LogicalID:   aws.ToString(rc.LogicalResourceId),
			Type:        aws.ToString(rc.ResourceType),
			Replacement: string(rc.Replacement),
		}
		seen := map[string]bool{}
		for _, det := range rc.Details {
			t := det.Target
			if t == nil || t.Attribute != types.ResourceAttributeProperties || t.Name == nil || seen[*t.Name] {
				continue
			}
			seen[*t.Name] = true
			ch.Properties = append(ch.Properties, *t.Name)
		}
		out = append(out, ch)
	}
	return out
}

// changeSetName returns a new name such as cfngen-20261128030600-a1b2.
func (d *Deployer) changeSetName() string {
	return "cfngen-" + d.now().UTC().Format("20060102150405") + "-" + d.randHex(2)
}

// token returns a new client request token for a call of the given kind.
func (d *Deployer) token(kind string) string {
	return "cfngen-" + kind + "-" + d.now().UTC().Format("20060102150405") + "-" + d.randHex(4)
}

func (d *Deployer) randHex(n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(d.rand(), b); err != nil {
		// Names only need to differ between runs; the clock already does that.
		return strings.Repeat("0", 2*n)
	}
	return hex.EncodeToString(b)
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
