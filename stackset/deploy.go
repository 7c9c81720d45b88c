package stackset

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/deploy"
)

// Result tells what a deploy did.
type Result struct {
	Plan      *Plan
	Instances []Instance // as listed at the end
	Failures  []Outcome  // instances that failed within the failure tolerance
}

// Deploy creates or updates the stack set with the input's template, adds
// the missing stack instances, updates the outdated ones and removes those
// no longer targeted, in that order. It prints the plan on Out, asks for
// consent, follows each operation on Log and prints the stack instances
// on Out at the end.
//
// It returns ErrNoChanges when there is nothing to do. An operation that
// fails beyond the failure tolerance, or that someone stops, ends the
// deploy with an *OperationError.
func (m *Manager) Deploy(ctx context.Context, in Input) (*Result, error) {
	if err := m.ready(); err != nil {
		return nil, err
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	caps, err := deploy.Capabilities(in.Template)
	if err != nil {
		return nil, err
	}
	s := newSession(in.Name, in.DelegatedAdmin)
	set, insts, err := m.load(ctx, s)
	if err != nil {
		return nil, err
	}
	p, err := m.plan(&in, set, insts, caps)
	if err != nil {
		return nil, err
	}
	res := &Result{Plan: p, Instances: insts}
	m.notes(&in, p)
	if p.Empty() {
		fmt.Fprintf(m.log(), "no changes: stack set %s is up to date (%d stack instances)\n", in.Name, len(insts))
		return res, ErrNoChanges
	}
	if err := m.checkZones(ctx, in.Regions, in.MinZones); err != nil {
		return res, err
	}
	if err := p.Write(m.out()); err != nil {
		return res, fmt.Errorf("write plan: %w", err)
	}
	if err := m.consent(ctx, &in, p); err != nil {
		return res, err
	}
	err = m.apply(ctx, s, &in, p, caps, insts, res)
	if interrupted(err) {
		return res, err
	}
	// The result table, also after a failure.
	final, lerr := m.instances(ctx, s)
	if lerr != nil {
		return res, errors.Join(err, lerr)
	}
	res.Instances = final
	if werr := WriteInstances(m.out(), final); werr != nil {
		return res, errors.Join(err, fmt.Errorf("write stack instances: %w", werr))
	}
	if err == nil {
		err = m.verify(&in, p, final)
	}
	return res, err
}

// load reads the stack set and its instances after following any
// operation under way, so that the plan starts from where it ended.
func (m *Manager) load(ctx context.Context, s *session) (*types.StackSet, []Instance, error) {
	set, err := m.describe(ctx, s)
	if err != nil || set == nil {
		return nil, nil, err
	}
	run, err := m.running(ctx, s)
	if err != nil {
		return nil, nil, err
	}
	if len(run) > 0 {
		if err := m.attach(ctx, s); err != nil {
			return nil, nil, err
		}
		if set, err = m.describe(ctx, s); err != nil || set == nil {
			return nil, nil, err
		}
	}
	insts, err := m.instances(ctx, s)
	return set, insts, err
}

// notes prints what the plan cannot act on.
func (m *Manager) notes(in *Input, p *Plan) {
	log := m.log()
	if n := len(p.Unattributed); n > 0 {
		fmt.Fprintf(log, "note: the service did not say which organizational unit %d stack instances belong to; they count as deployed where they are and are never removed", n)
		out := 0
		for _, i := range p.Unattributed {
			if !slices.Contains(in.Regions, i.Region) {
				out++
			}
		}
		if out > 0 {
			fmt.Fprintf(log, " (%d of them are in regions not targeted)", out)
		}
		fmt.Fprintln(log)
	}
	for _, i := range p.Inoperable {
		fmt.Fprintf(log, "note: stack instance %s %s is INOPERABLE (%s): StackSets skips it until it is deleted with its stack retained\n", i.Account, i.Region, orDash(i.Reason))
	}
	mc, ft := in.Preferences.MaxConcurrent, in.Preferences.FailureTolerance
	if !mc.Percent && !ft.Percent && mc.N > ft.N+1 {
		fmt.Fprintf(log, "note: with a failure tolerance of %d, CloudFormation deploys to at most %d accounts at a time, not %d\n", ft.N, ft.N+1, mc.N)
	}
}

// consent decides whether the plan may go ahead. Deleting stack instances,
// or resources from every instance, needs AllowRemoval or the stack set
// name typed at a prompt, even with Yes; anything else needs Yes or a yes
// at a prompt.
func (m *Manager) consent(ctx context.Context, in *Input, p *Plan) error {
	if p.dangerous() && !in.AllowRemoval {
		what := fmt.Sprintf("the plan deletes %d stack instances", len(p.Remove))
		if len(p.RemovedResources) > 0 {
			what = fmt.Sprintf("the template deletes %s from every stack instance", strings.Join(p.RemovedResources, ", "))
			if len(p.Remove) > 0 {
				what += fmt.Sprintf(", and the plan deletes %d stack instances", len(p.Remove))
			}
		}
		if m.Prompt == nil {
			return fmt.Errorf("%w: %s of stack set %s", ErrRemovalRefused, what, in.Name)
		}
		ok, err := m.Prompt.ConfirmTyped(ctx, fmt.Sprintf("In stack set %s, %s. Type the stack set name to go on", in.Name, what), in.Name)
		if err != nil {
			return fmt.Errorf("prompt: %w", err)
		}
		if !ok {
			return fmt.Errorf("%w: %s of stack set %s", ErrRemovalRefused, what, in.Name)
		}
		return nil
	}
	if in.Yes {
		return nil
	}
	if m.Prompt == nil {
		return fmt.Errorf("%w: deploy stack set %s (%s)", ErrNeedsConsent, in.Name, p.Summary())
	}
	ok, err := m.Prompt.Confirm(ctx, fmt.Sprintf("Deploy stack set %s (%s)?", in.Name, p.Summary()))
	if err != nil {
		return fmt.Errorf("prompt: %w", err)
	}
	if !ok {
		return fmt.Errorf("%w: stack set %s not deployed", ErrDeclined, in.Name)
	}
	return nil
}

// apply runs the plan: create or update the stack set, add instances,
// remove instances. It stops at the first operation that fails.
func (m *Manager) apply(ctx context.Context, s *session, in *Input, p *Plan, caps []types.Capability, insts []Instance, res *Result) error {
	log := m.log()
	if p.Create {
		params := &cloudformation.CreateStackSetInput{
			StackSetName:       aws.String(in.Name),
			TemplateBody:       aws.String(string(in.Template)),
			Capabilities:       caps,
			PermissionModel:    types.PermissionModels(in.Model),
			CallAs:             s.callAs,
			Description:        aws.String("created by cfngen"),
			ClientRequestToken: aws.String(m.operationID()),
		}
		if in.Model == ServiceManaged {
			// cfngen deploys to the OUs it is given, when it is run.
			params.AutoDeployment = &types.AutoDeployment{Enabled: aws.Bool(false)}
		} else {
			params.AdministrationRoleARN = optional(in.AdminRoleARN)
			params.ExecutionRoleName = optional(in.ExecutionRoleName)
		}
		if in.AdminRoleARN != "" {
			s.adminRole = in.AdminRoleARN
		}
		if in.ExecutionRoleName != "" {
			s.execRole = in.ExecutionRoleName
		}
		if _, err := m.CFN.CreateStackSet(ctx, params); err != nil {
			if re := roleProblem(apiMessage(err), s.adminRole, s.execRole); re != nil {
				return fmt.Errorf("create stack set %s: %w", in.Name, re)
			}
			return wrapAWS("create stack set "+in.Name, err)
		}
		fmt.Fprintf(log, "created stack set %s (%s)\n", in.Name, in.Model)
	}
	if p.Redeploy {
		// The target regions in their order, then any other that has instances.
		var regions []string
		for _, r := range in.Regions {
			if slices.ContainsFunc(insts, func(i Instance) bool { return i.Region == r }) {
				regions = append(regions, r)
			}
		}
		for _, i := range insts {
			if !slices.Contains(regions, i.Region) {
				regions = append(regions, i.Region)
			}
		}
		params := &cloudformation.UpdateStackSetInput{
			StackSetName:         aws.String(in.Name),
			TemplateBody:         aws.String(string(in.Template)),
			Capabilities:         caps,
			CallAs:               s.callAs,
			OperationPreferences: in.Preferences.forRegions(regions),
		}
		if in.Model == SelfManaged {
			// A custom role must be named again at every update.
			params.AdministrationRoleARN = aws.String(cmp.Or(in.AdminRoleARN, s.adminRole))
			params.ExecutionRoleName = aws.String(cmp.Or(in.ExecutionRoleName, s.execRole))
		}
		fmt.Fprintf(log, "updating stack set %s: %d stack instances\n", in.Name, len(insts))
		fs, err := m.run(ctx, s, "update stack set "+in.Name, "UPDATE", len(insts), func(ctx context.Context, id string) (*string, error) {
			params.OperationId = aws.String(id)
			out, err := m.CFN.UpdateStackSet(ctx, params)
			if err != nil {
				return nil, err
			}
			return out.OperationId, nil
		})
		res.Failures = append(res.Failures, fs...)
		if err != nil {
			return err
		}
	}
	for _, g := range groups(p.Add, in.Regions) {
		params := &cloudformation.CreateStackInstancesInput{
			StackSetName:         aws.String(in.Name),
			Regions:              g.regions,
			CallAs:               s.callAs,
			OperationPreferences: in.Preferences.forRegions(g.regions),
		}
		expect := len(g.ids) * len(g.regions)
		if in.Model == ServiceManaged {
			params.DeploymentTargets = &types.DeploymentTargets{OrganizationalUnitIds: g.ids}
			expect = 0 // the OUs' accounts are known to the service only
		} else {
			params.Accounts = g.ids
		}
		fmt.Fprintf(log, "adding stack instances: %s in %s\n", strings.Join(g.ids, ", "), strings.Join(g.regions, ", "))
		fs, err := m.run(ctx, s, "create stack instances of "+in.Name, "CREATE", expect, func(ctx context.Context, id string) (*string, error) {
			params.OperationId = aws.String(id)
			out, err := m.CFN.CreateStackInstances(ctx, params)
			if err != nil {
				return nil, err
			}
			return out.OperationId, nil
		})
		res.Failures = append(res.Failures, fs...)
		if err != nil {
			return err
		}
	}
	var gone []Target
	for _, i := range p.Remove {
		id := i.Account
		if in.Model == ServiceManaged {
			id = i.OrgUnit
		}
		gone = append(gone, Target{id, i.Region})
	}
	for _, g := range groups(gone, in.Regions) {
		fmt.Fprintf(log, "removing stack instances: %s in %s\n", strings.Join(g.ids, ", "), strings.Join(g.regions, ", "))
		fs, err := m.deleteInstances(ctx, s, in.Model, g, false, in.Preferences)
		res.Failures = append(res.Failures, fs...)
		if err != nil {
			return err
		}
	}
	return nil
}

// deleteInstances deletes the stack instances of a group and follows the
// operation.
func (m *Manager) deleteInstances(ctx context.Context, s *session, model PermissionModel, g group, retain bool, prefs Preferences) ([]Outcome, error) {
	params := &cloudformation.DeleteStackInstancesInput{
		StackSetName:         aws.String(s.name),
		Regions:              g.regions,
		RetainStacks:         aws.Bool(retain),
		CallAs:               s.callAs,
		OperationPreferences: prefs.forRegions(g.regions),
	}
	expect := 0
	if model == ServiceManaged {
		// Service-managed instances can only be named by OU.
		params.DeploymentTargets = &types.DeploymentTargets{OrganizationalUnitIds: g.ids}
	} else {
		params.Accounts = g.ids
		expect = len(g.ids) * len(g.regions)
	}
	return m.run(ctx, s, "delete stack instances of "+s.name, "DELETE", expect, func(ctx context.Context, id string) (*string, error) {
		params.OperationId = aws.String(id)
		out, err := m.CFN.DeleteStackInstances(ctx, params)
		if err != nil {
			return nil, err
		}
		return out.OperationId, nil
	})
}

// verify checks the instances after operations that all succeeded: every
// account target has its instance and none that was removed is left.
func (m *Manager) verify(in *Input, p *Plan, final []Instance) error {
	has := map[Target]bool{}
	for _, i := range final {
		has[Target{i.Account, i.Region}] = true
		has[Target{i.OrgUnit, i.Region}] = true // "": OU unknown, see Plan.Unattributed
	}
	var left []string
	for _, i := range p.Remove {
		if has[Target{i.Account, i.Region}] {
			left = append(left, i.Account+" "+i.Region)
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("%w: the operations succeeded, but stack instances meant to be removed remain: %s", ErrFailed, strings.Join(left, ", "))
	}
	var missing []string
	for _, t := range p.Add {
		if !has[t] && !(in.Model == ServiceManaged && has[Target{"", t.Region}]) {
			missing = append(missing, t.ID+" "+t.Region)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if in.Model == ServiceManaged {
		fmt.Fprintf(m.log(), "note: no stack instance came of %s: an organizational unit without active accounts gets none\n", strings.Join(missing, ", "))
		return nil
	}
	return fmt.Errorf("%w: the operations succeeded, but these targets have no stack instance: %s", ErrFailed, strings.Join(missing, ", "))
}

// forRegions returns the API preferences for an operation on regions:
// the order keeps only those regions; without an order, one region at a
// time goes in the order of regions.
func (p Preferences) forRegions(regions []string) *types.StackSetOperationPreferences {
	q := p
	q.RegionOrder = nil
	for _, r := range p.RegionOrder {
		if slices.Contains(regions, r) {
			q.RegionOrder = append(q.RegionOrder, r)
		}
	}
	if len(p.RegionOrder) == 0 && !p.ParallelRegions && len(regions) > 1 {
		q.RegionOrder = regions
	}
	return q.api()
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
