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
	Action      string   // Add, Modify, Remove, Import or Dynamic
	LogicalID   string   // logical ID in the template
	Type        string   // resource type, such as AWS::EC2::VPC
	Replacement string   // True, Conditional, False, or "" when the API gives none
	Properties  []string // names of the changed properties
}

// Dangerous reports whether the change removes a resource or may replace it.
func (c Change) Dangerous() bool {
	return c.Action == "Remove" || c.Action == "Modify" && (c.Replacement == "True" || c.Replacement == "Conditional")
}

// Counts returns how many resources the change set adds, modifies and
// removes, and how many of the modified ones may be replaced.
func (cs *ChangeSet) Counts() (add, modify, remove, replace int) {
	for _, c := range cs.Changes {
		switch c.Action {
		case "Add":
			add++
		case "Modify":
			modify++
			if c.Dangerous() {
				replace++
			}
		case "Remove":
			remove++
		}
	}
	return add, modify, remove, replace
}

// Summary returns the count line, such as
// "3 to add, 1 to modify, 0 to remove, 1 replacement".
func (cs *ChangeSet) Summary() string {
	add, modify, remove, replace := cs.Counts()
	noun := "replacements"
	if replace == 1 {
		noun = "replacement"
	}
	return fmt.Sprintf("%d to add, %d to modify, %d to remove, %d %s", add, modify, remove, replace, noun)
}

// dangerous reports whether any change removes or may replace a resource.
func (cs *ChangeSet) dangerous() bool {
	for _, c := range cs.Changes {
		if c.Dangerous() {
			return true
		}
	}
	return false
}

// WriteTable writes the changes as an aligned table followed by the count
// line.
func (cs *ChangeSet) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tLOGICAL ID\tTYPE\tREPLACEMENT\tCHANGED PROPERTIES")
	for _, c := range cs.Changes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Action, c.LogicalID, c.Type,
			orDash(c.Replacement), orDash(strings.Join(c.Properties, ", ")))
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

// createChangeSet creates a change set of type typ and waits until
// CloudFormation has computed it. An empty change set is deleted and
// reported as ErrNoChanges. On any other failure, or an interrupt, the change
// set (and the empty stack of a CREATE) is deleted.
func (d *Deployer) createChangeSet(ctx context.Context, w *waiter, in Input, p *plan, typ types.ChangeSetType) (*ChangeSet, error) {
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
		url, err := d.upload(ctx, in.StackName, in.S3Bucket, in.Template)
		if err != nil {
			return nil, err
		}
		params.TemplateURL = aws.String(url)
	} else {
		params.TemplateBody = aws.String(string(in.Template))
	}
	out, err := d.CFN.CreateChangeSet(ctx, params)
	if err != nil {
		if isNoChanges(apiMessage(err)) {
			fmt.Fprintf(d.log(), "no changes: stack %s is up to date\n", in.StackName)
			return nil, ErrNoChanges
		}
		if interrupted(err) {
			// The request may have gone through: look for what it made.
			d.cleanup(ctx, cs)
		}
		return nil, wrapAWS("create change set for stack "+in.StackName, err)
	}
	cs.ID, cs.StackID = aws.ToString(out.Id), aws.ToString(out.StackId)
	fmt.Fprintf(d.log(), "created change set %s, waiting for CloudFormation to compute it\n", cs.Name)
	if err := d.waitChangeSet(ctx, w, cs); err != nil {
		d.cleanup(ctx, cs)
		if timedOut(err) {
			return nil, asTimeout(err, "change set "+cs.Name+" not ready in time; deleted it")
		}
		return nil, err
	}
	return cs, nil
}

// waitChangeSet polls the change set until it is computed, then reads all
// its changes.
func (d *Deployer) waitChangeSet(ctx context.Context, w *waiter, cs *ChangeSet) error {
	var out *cloudformation.DescribeChangeSetOutput
	err := w.poll(ctx, func(ctx context.Context) (bool, error) {
		var err error
		out, err = d.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(cs.ID)})
		if err != nil {
			return false, wrapAWS("describe change set "+cs.Name, err)
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
		next, err := d.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
			ChangeSetName: aws.String(cs.ID),
			NextToken:     out.NextToken,
		})
		if err != nil {
			return wrapAWS("describe change set "+cs.Name, err)
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

// cleanup deletes a change set that will not be executed and, for a
// CREATE, the empty REVIEW_IN_PROGRESS stack that holds it. It uses a fresh
// short-lived context so that an interrupt does not stop it, and reports
// failures on Log without returning them.
func (d *Deployer) cleanup(ctx context.Context, cs *ChangeSet) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if cs.ID == "" {
		// CreateChangeSet was interrupted: find out whether it made anything.
		out, err := d.CFN.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
			ChangeSetName: aws.String(cs.Name),
			StackName:     aws.String(cs.StackName),
		})
		if err != nil {
			return
		}
		cs.ID, cs.StackID = aws.ToString(out.ChangeSetId), aws.ToString(out.StackId)
	}
	_, err := d.CFN.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(cs.ID)})
	if err != nil {
		fmt.Fprintf(d.log(), "could not delete change set %s: %v\n", cs.Name, wrapAWS("delete change set", err))
	} else {
		fmt.Fprintf(d.log(), "deleted change set %s\n", cs.Name)
	}
	if cs.Type != string(types.ChangeSetTypeCreate) || cs.StackID == "" {
		return
	}
	st, err := d.describeStack(ctx, cs.StackID)
	if err != nil || st == nil || st.StackStatus != types.StackStatusReviewInProgress {
		return
	}
	_, err = d.CFN.DeleteStack(ctx, &cloudformation.DeleteStackInput{
		StackName:          aws.String(cs.StackID),
		ClientRequestToken: aws.String(d.token("delete")),
	})
	if err != nil {
		fmt.Fprintf(d.log(), "could not delete empty stack %s: %v\n", cs.StackName, wrapAWS("delete stack", err))
		return
	}
	fmt.Fprintf(d.log(), "deleted empty stack %s (REVIEW_IN_PROGRESS)\n", cs.StackName)
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
