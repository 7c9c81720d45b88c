package stackset

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// Target is an account, or an organizational unit, in a region.
type Target struct {
	ID     string `json:"id"` // account ID; or OU or root ID, which stands for each account in it
	Region string `json:"region"`
}

// Plan is what Deploy changes, worked out before any change.
type Plan struct {
	StackSet string
	Model    PermissionModel
	Create   bool // the stack set does not exist yet

	TemplateBytes    int
	Capabilities     []string
	TemplateDiff     []byte   // unified diff from the stack set's template; nil when equal or new
	RemovedResources []string // logical IDs the new template no longer has
	Settings         []string // other changes to the stack set, such as its execution role

	// Redeploy: the stack set is updated (template, settings, or
	// instances not CURRENT), which redeploys every instance, Update lists
	// those that stay.
	Redeploy bool
	Update   []Instance
	Add      []Target
	Remove   []Instance

	// Unattributed lists service-managed instances for which the service
	// gave no organizational unit: they count as deployed where they are
	// and are never removed. Inoperable lists instances StackSets skips.
	Unattributed []Instance
	Inoperable   []Instance
}

// Empty reports whether there is nothing to do.
func (p *Plan) Empty() bool {
	return !p.Create && !p.Redeploy && len(p.Add) == 0 && len(p.Remove) == 0
}

// dangerous reports whether the plan deletes stacks or resources.
func (p *Plan) dangerous() bool {
	return len(p.Remove) > 0 || len(p.RemovedResources) > 0 && len(p.Update)+len(p.Unattributed) > 0
}

// Summary returns the count line, such as "4 to add, 0 to update, 0 to remove".
func (p *Plan) Summary() string {
	return fmt.Sprintf("%d to add, %d to update, %d to remove", len(p.Add), len(p.Update), len(p.Remove))
}

// Write writes the plan: what happens to the stack set and its template,
// a table of the targets (account × region) to add, update and remove, and
// the count line.
func (p *Plan) Write(w io.Writer) error {
	var b bytes.Buffer
	switch {
	case p.Create:
		fmt.Fprintf(&b, "create stack set %s (%s) with the template (%d bytes, %s)\n", p.StackSet, p.Model, p.TemplateBytes, orDash(strings.Join(p.Capabilities, ", ")))
	case p.TemplateDiff != nil:
		fmt.Fprintf(&b, "update stack set %s: template changes\n", p.StackSet)
		b.Write(p.TemplateDiff)
	case p.Redeploy:
		fmt.Fprintf(&b, "update stack set %s: template unchanged\n", p.StackSet)
	default:
		fmt.Fprintf(&b, "stack set %s: template unchanged\n", p.StackSet)
	}
	for _, s := range p.Settings {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	if len(p.RemovedResources) > 0 {
		fmt.Fprintf(&b, "the template no longer has %s: every stack instance deletes it\n", strings.Join(p.RemovedResources, ", "))
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tACCOUNT\tORG UNIT\tREGION\tSTATUS")
	for _, t := range p.Add {
		if p.Model == ServiceManaged {
			fmt.Fprintf(tw, "add\t(each account)\t%s\t%s\t-\n", t.ID, t.Region)
		} else {
			fmt.Fprintf(tw, "add\t%s\t-\t%s\t-\n", t.ID, t.Region)
		}
	}
	for _, i := range p.Update {
		fmt.Fprintf(tw, "update\t%s\t%s\t%s\t%s\n", i.Account, orDash(i.OrgUnit), i.Region, i.Status)
	}
	for _, i := range p.Remove {
		fmt.Fprintf(tw, "remove\t%s\t%s\t%s\t%s\n", i.Account, orDash(i.OrgUnit), i.Region, i.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(&b, p.Summary())
	_, err := w.Write(b.Bytes())
	return err
}

// plan compares the stack set (nil: none) and its instances with the
// input.
func (m *Manager) plan(in *Input, set *types.StackSet, insts []Instance, caps []types.Capability) (*Plan, error) {
	p := &Plan{StackSet: in.Name, Model: in.Model, TemplateBytes: len(in.Template), Capabilities: capNames(caps)}
	if set == nil {
		p.Create = true
	} else {
		if got := PermissionModel(set.PermissionModel); got != "" && got != in.Model {
			return nil, fmt.Errorf("%w: stack set %s is %s, not %s", ErrPermissionModel, in.Name, got, in.Model)
		}
		old := []byte(aws.ToString(set.TemplateBody))
		if !bytes.Equal(old, in.Template) {
			p.TemplateDiff = diff.Diff("stack set "+in.Name, old, "cfngen", in.Template)
			p.RemovedResources = removedResources(old, in.Template)
		}
		if r := aws.ToString(set.AdministrationRoleARN); in.AdminRoleARN != "" && in.AdminRoleARN != r {
			p.Settings = append(p.Settings, fmt.Sprintf("administration role: %s -> %s", orDash(r), in.AdminRoleARN))
		}
		if r := aws.ToString(set.ExecutionRoleName); in.ExecutionRoleName != "" && in.ExecutionRoleName != r {
			p.Settings = append(p.Settings, fmt.Sprintf("execution role: %s -> %s", orDash(r), in.ExecutionRoleName))
		}
	}

	ids := in.Accounts
	if in.Model == ServiceManaged {
		ids = in.OrgUnits
	}
	covered := map[Target]bool{}
	unknownOU := map[string]bool{} // regions that hold instances of unknown OU
	var stay []Instance
	outdated := false
	for _, i := range insts {
		id := i.Account
		if in.Model == ServiceManaged {
			id = i.OrgUnit
		}
		if i.Status == string(types.StackInstanceStatusInoperable) {
			p.Inoperable = append(p.Inoperable, i)
			covered[Target{id, i.Region}] = true
			continue
		}
		if id == "" {
			p.Unattributed = append(p.Unattributed, i)
			unknownOU[i.Region] = true
			outdated = outdated || i.Status != string(types.StackInstanceStatusCurrent)
			continue
		}
		if !slices.Contains(ids, id) || !slices.Contains(in.Regions, i.Region) {
			p.Remove = append(p.Remove, i)
			continue
		}
		covered[Target{id, i.Region}] = true
		stay = append(stay, i)
		outdated = outdated || i.Status != string(types.StackInstanceStatusCurrent)
	}
	for _, r := range in.Regions {
		for _, id := range ids {
			if t := (Target{id, r}); !covered[t] && !unknownOU[r] {
				p.Add = append(p.Add, t)
			}
		}
	}
	if set != nil && (p.TemplateDiff != nil || len(p.Settings) > 0 || outdated) {
		p.Redeploy = true
		p.Update = stay
		for _, i := range p.Unattributed {
			if slices.Contains(in.Regions, i.Region) {
				p.Update = append(p.Update, i)
			}
		}
	}
	return p, nil
}

func capNames(caps []types.Capability) []string {
	var out []string
	for _, c := range caps {
		out = append(out, string(c))
	}
	slices.Sort(out)
	return out
}

// removedResources lists the logical IDs of old's resources that new
// lacks. A template that does not parse gives none: the diff shows it.
func removedResources(old, new []byte) []string {
	keys := func(body []byte) []string {
		root, err := cfnyaml.Parse(body)
		if err != nil {
			return nil
		}
		res := cfnyaml.Get(root, "Resources")
		if res == nil {
			return nil
		}
		var ks []string
		for i := 0; i+1 < len(res.Content); i += 2 {
			ks = append(ks, res.Content[i].Value)
		}
		return ks
	}
	have := keys(new)
	var gone []string
	for _, k := range keys(old) {
		if !slices.Contains(have, k) {
			gone = append(gone, k)
		}
	}
	return gone
}

// group is one call: ids (accounts or OUs) that share the same regions.
type group struct {
	ids, regions []string
}

// groups turns targets into as few calls as their regions allow, with the
// regions in the order of order (then by name).
func groups(ts []Target, order []string) []group {
	byID := map[string][]string{}
	for _, t := range ts {
		if !slices.Contains(byID[t.ID], t.Region) {
			byID[t.ID] = append(byID[t.ID], t.Region)
		}
	}
	byRegions := map[string]*group{}
	var out []*group
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		rs := byID[id]
		rank := func(r string) int {
			if i := slices.Index(order, r); i >= 0 {
				return i
			}
			return len(order)
		}
		slices.SortFunc(rs, func(a, b string) int { return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b)) })
		k := strings.Join(rs, ",")
		g := byRegions[k]
		if g == nil {
			g = &group{regions: rs}
			byRegions[k] = g
			out = append(out, g)
		}
		g.ids = append(g.ids, id)
	}
	res := make([]group, len(out))
	for i, g := range out {
		res[i] = *g
	}
	return res
}
