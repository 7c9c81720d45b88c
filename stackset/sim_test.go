package stackset

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
)

// sim is a small StackSets service for the unit tests, built on fakeAPI
// and modelled on the API reference: operations are RUNNING for a while
// and then SUCCEEDED, FAILED (past the failure tolerance of a region) or
// STOPPED; one operation at a time per stack set
// (OperationInProgressException); instances and results come in pages.
// Time is the fake clock's: each stack instance of an operation takes
// step, one account at a time, regions one after another or in parallel.
type sim struct {
	t     *testing.T
	api   *fakeAPI
	ec2   *fakeZones
	clock *fakeClock

	sets  map[string]*simSet
	ous   map[string][]string // organizational unit → its accounts
	zones map[string]int      // Availability Zones per region; default 3

	step       time.Duration     // per stack instance; default 1s
	fail       map[string]string // "account/region" → reason its stack fails with
	noExecRole map[string]bool   // accounts without the execution role
	noAdmin    bool              // the administration role is missing
	instPage   int               // instances per ListStackInstances page; default 2
	resultPage int               // results per page; default 2
	noOU       bool              // report no OrganizationalUnitId, as moto does
	seq        int
}

type simSet struct {
	name, id string
	model    types.PermissionModels
	template string
	caps     []types.Capability
	admin    string
	exec     string
	insts    []*simInst
	ops      []*simOp
	deleted  bool
}

type simInst struct {
	account, region, ou string
	status              types.StackInstanceStatus
	detailed            types.StackInstanceDetailedStatus
	reason              string
}

type simOp struct {
	id      string
	action  types.StackSetOperationAction
	start   time.Time
	targets []simTarget
	prefs   *types.StackSetOperationPreferences
	status  types.StackSetOperationStatus
	reason  string
	end     *time.Time
	stopAt  *time.Time
}

type simTarget struct {
	account, region, ou string
	slot                int // position in the schedule: starts at slot*step
	status              types.StackSetOperationResultStatus
	reason              string
}

const adminAccount = "111111111111"

func newSim(t *testing.T) *sim {
	t.Helper()
	s := &sim{
		t: t, api: &fakeAPI{}, ec2: &fakeZones{}, clock: newClock(),
		sets: map[string]*simSet{}, ous: map[string][]string{}, zones: map[string]int{},
		step: time.Second, fail: map[string]string{}, noExecRole: map[string]bool{},
		instPage: 2, resultPage: 2,
	}
	s.api.CreateStackSetFunc = s.createStackSet
	s.api.UpdateStackSetFunc = s.updateStackSet
	s.api.DeleteStackSetFunc = s.deleteStackSet
	s.api.DescribeStackSetFunc = s.describeStackSet
	s.api.CreateStackInstancesFunc = s.createStackInstances
	s.api.DeleteStackInstancesFunc = s.deleteStackInstances
	s.api.ListStackInstancesFunc = s.listStackInstances
	s.api.DescribeStackSetOperationFunc = s.describeOperation
	s.api.ListStackSetOperationsFunc = s.listOperations
	s.api.ListStackSetOperationResultsFunc = s.listResults
	s.ec2.DescribeAvailabilityZonesFunc = s.describeZones
	return s
}

// manager returns a Manager on the sim with buffers for Out and Log.
func (s *sim) manager() (*Manager, *bytes.Buffer, *bytes.Buffer) {
	var out, log bytes.Buffer
	return &Manager{
		CFN: s.api, EC2: s.ec2, Out: &out, Log: &log,
		Now: s.clock.Now, Sleep: s.clock.Sleep, Rand: &seqReader{},
	}, &out, &log
}

func apiErr(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: smithy.FaultClient}
}

func (s *sim) get(name string) (*simSet, error) {
	set := s.sets[name]
	if set == nil || set.deleted {
		return nil, &types.StackSetNotFoundException{Message: aws.String("StackSet " + name + " not found")}
	}
	return set, nil
}

// addSet makes a stack set with CURRENT instances that exists before the
// test starts.
func (s *sim) addSet(name string, model types.PermissionModels, template string, insts ...*simInst) *simSet {
	set := &simSet{name: name, id: name + ":0000", model: model, template: template,
		caps: []types.Capability{types.CapabilityCapabilityIam}, admin: "arn:aws:iam::" + adminAccount + ":role/" + DefaultAdminRoleName, exec: DefaultExecutionRole}
	for _, i := range insts {
		if i.status == "" {
			i.status, i.detailed = types.StackInstanceStatusCurrent, types.StackInstanceDetailedStatusSucceeded
		}
		set.insts = append(set.insts, i)
	}
	s.sets[name] = set
	return set
}

func (s *sim) createStackSet(_ context.Context, in *cloudformation.CreateStackSetInput) (*cloudformation.CreateStackSetOutput, error) {
	name := aws.ToString(in.StackSetName)
	if set := s.sets[name]; set != nil && !set.deleted {
		return nil, &types.NameAlreadyExistsException{Message: aws.String("StackSet " + name + " already exists")}
	}
	if in.TemplateBody == nil {
		return nil, apiErr("ValidationError", "TemplateBody or TemplateURL is required")
	}
	model := in.PermissionModel
	if model == "" {
		model = types.PermissionModelsSelfManaged
	}
	if model == types.PermissionModelsServiceManaged && (in.AutoDeployment == nil || in.AutoDeployment.Enabled == nil) {
		return nil, apiErr("ValidationError", "AutoDeployment is required for a SERVICE_MANAGED stack set")
	}
	set := s.addSet(name, model, *in.TemplateBody)
	set.caps = in.Capabilities
	if in.AdministrationRoleARN != nil {
		set.admin = *in.AdministrationRoleARN
	}
	if in.ExecutionRoleName != nil {
		set.exec = *in.ExecutionRoleName
	}
	return &cloudformation.CreateStackSetOutput{StackSetId: aws.String(set.id)}, nil
}

func (s *sim) describeStackSet(_ context.Context, in *cloudformation.DescribeStackSetInput) (*cloudformation.DescribeStackSetOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	return &cloudformation.DescribeStackSetOutput{StackSet: &types.StackSet{
		StackSetName: aws.String(set.name), StackSetId: aws.String(set.id), Status: types.StackSetStatusActive,
		PermissionModel: set.model, TemplateBody: aws.String(set.template), Capabilities: set.caps,
		AdministrationRoleARN: aws.String(set.admin), ExecutionRoleName: aws.String(set.exec),
	}}, nil
}

// busy refuses a new operation while one runs.
func (s *sim) busy(set *simSet) error {
	for _, o := range set.ops {
		s.advance(set, o)
		if o.end == nil {
			return &types.OperationInProgressException{Message: aws.String("Another Operation on StackSet " + set.id + " is in progress")}
		}
	}
	return nil
}

// newOp starts an operation on targets, ordered as the preferences say.
func (s *sim) newOp(set *simSet, id *string, action types.StackSetOperationAction, prefs *types.StackSetOperationPreferences, targets []simTarget) *simOp {
	s.seq++
	o := &simOp{id: aws.ToString(id), action: action, start: s.clock.Now(), prefs: prefs, status: types.StackSetOperationStatusRunning}
	if o.id == "" {
		o.id = "op-" + strconv.Itoa(s.seq)
	}
	var order []string
	if prefs != nil {
		order = append(order, prefs.RegionOrder...)
	}
	for _, t := range targets {
		if !slices.Contains(order, t.region) {
			order = append(order, t.region)
		}
	}
	parallel := prefs != nil && prefs.RegionConcurrencyType == types.RegionConcurrencyTypeParallel
	slot := 0
	for _, r := range order {
		n := 0
		for _, t := range targets {
			if t.region != r {
				continue
			}
			t.status = types.StackSetOperationResultStatusPending
			if parallel {
				t.slot = n
			} else {
				t.slot = slot
			}
			n++
			slot++
			o.targets = append(o.targets, t)
		}
	}
	set.ops = append(set.ops, o)
	return o
}

// startOp lets a test start an operation of someone else's, as if at
// the given time before now.
func (s *sim) startOp(name string, action types.StackSetOperationAction, ago time.Duration) *simOp {
	set := s.sets[name]
	var ts []simTarget
	for _, i := range set.insts {
		ts = append(ts, simTarget{account: i.account, region: i.region, ou: i.ou})
	}
	o := s.newOp(set, nil, action, nil, ts)
	o.start = s.clock.Now().Add(-ago)
	return o
}

// stop has someone stop the operation at the given time.
func (s *sim) stop(o *simOp, at time.Time) { o.stopAt = &at }

// tolerance is how many accounts of a region may fail.
func tolerance(prefs *types.StackSetOperationPreferences, accounts int) int {
	switch {
	case prefs == nil:
		return 0
	case prefs.FailureTolerancePercentage != nil:
		return accounts * int(*prefs.FailureTolerancePercentage) / 100
	default:
		return int(aws.ToInt32(prefs.FailureToleranceCount))
	}
}

// advance plays the operation up to now.
func (s *sim) advance(set *simSet, o *simOp) {
	if o.end != nil {
		return
	}
	now := s.clock.Now()
	failed := map[string]int{}   // per region
	accounts := map[string]int{} // per region
	for _, t := range o.targets {
		accounts[t.region]++
	}
	stopped := map[string]bool{} // regions past their tolerance
	var anyStopped bool
	var last time.Time
	for k := range o.targets {
		t := &o.targets[k]
		begin := o.start.Add(time.Duration(t.slot) * s.step)
		end := begin.Add(s.step)
		parallel := o.prefs != nil && o.prefs.RegionConcurrencyType == types.RegionConcurrencyTypeParallel
		byStop := o.stopAt != nil && !o.stopAt.After(begin) && !now.Before(*o.stopAt)
		switch {
		case byStop:
			t.status, t.reason = types.StackSetOperationResultStatusCancelled, "Cancelled since the operation was stopped"
			continue
		case stopped[t.region] || anyStopped && !parallel:
			t.status, t.reason = types.StackSetOperationResultStatusCancelled, "Cancelled since failure tolerance has exceeded"
			continue
		case now.Before(begin):
			t.status = types.StackSetOperationResultStatusPending
		case now.Before(end):
			t.status = types.StackSetOperationResultStatusRunning
		default:
			t.status, t.reason = s.outcome(set, o, t)
			if end.After(last) {
				last = end
			}
			if t.status == types.StackSetOperationResultStatusFailed {
				failed[t.region]++
				if failed[t.region] > tolerance(o.prefs, accounts[t.region]) {
					stopped[t.region], anyStopped = true, true
				}
			}
		}
	}
	s.apply(set, o)
	for _, t := range o.targets {
		if t.status == types.StackSetOperationResultStatusPending || t.status == types.StackSetOperationResultStatusRunning {
			if o.stopAt != nil && !now.Before(*o.stopAt) {
				o.status = types.StackSetOperationStatusStopping
			}
			return
		}
	}
	end := last
	if end.IsZero() {
		end = o.start
	}
	if now.Before(end) {
		return
	}
	o.end = &end
	switch {
	case anyStopped:
		o.status = types.StackSetOperationStatusFailed
		o.reason = "The Operation " + o.id + " has been stopped because the failure tolerance was exceeded"
	case o.stopAt != nil && !o.stopAt.After(end):
		o.status = types.StackSetOperationStatusStopped
	default:
		o.status = types.StackSetOperationStatusSucceeded
	}
}

// outcome is how one stack instance of an operation ends.
func (s *sim) outcome(set *simSet, o *simOp, t *simTarget) (types.StackSetOperationResultStatus, string) {
	if set.model == types.PermissionModelsSelfManaged && s.noExecRole[t.account] {
		return types.StackSetOperationResultStatusFailed, fmt.Sprintf("Account %s should have '%s' role with trust relationship to Role '%s'.", t.account, set.exec, roleName(set.admin))
	}
	if r, ok := s.fail[t.account+"/"+t.region]; ok && o.action != types.StackSetOperationActionDelete {
		return types.StackSetOperationResultStatusFailed, r
	}
	return types.StackSetOperationResultStatusSucceeded, ""
}

// apply carries the outcomes of finished targets over to the instances.
func (s *sim) apply(set *simSet, o *simOp) {
	for _, t := range o.targets {
		i := set.instance(t.account, t.region)
		switch t.status {
		case types.StackSetOperationResultStatusSucceeded:
			switch {
			case o.action == types.StackSetOperationActionDelete:
				set.remove(t.account, t.region)
			case i != nil:
				i.status, i.detailed, i.reason = types.StackInstanceStatusCurrent, types.StackInstanceDetailedStatusSucceeded, ""
			}
		case types.StackSetOperationResultStatusFailed:
			if i != nil {
				i.status, i.detailed, i.reason = types.StackInstanceStatusOutdated, types.StackInstanceDetailedStatusFailed, t.reason
				if o.action == types.StackSetOperationActionDelete {
					i.status = types.StackInstanceStatusInoperable
				}
			}
		case types.StackSetOperationResultStatusCancelled:
			if i != nil && i.detailed != types.StackInstanceDetailedStatusSucceeded {
				i.detailed, i.reason = types.StackInstanceDetailedStatusCancelled, t.reason
			}
		case types.StackSetOperationResultStatusRunning:
			if i != nil {
				i.detailed = types.StackInstanceDetailedStatusRunning
			}
		}
	}
}

func (set *simSet) instance(account, region string) *simInst {
	for _, i := range set.insts {
		if i.account == account && i.region == region {
			return i
		}
	}
	return nil
}

func (set *simSet) remove(account, region string) {
	set.insts = slices.DeleteFunc(set.insts, func(i *simInst) bool { return i.account == account && i.region == region })
}

// expand turns the call's targets into accounts with their OU.
func (s *sim) expand(set *simSet, accounts []string, dt *types.DeploymentTargets) ([]simTarget, error) {
	var ts []simTarget
	if set.model == types.PermissionModelsServiceManaged {
		if len(accounts) > 0 || dt == nil || len(dt.OrganizationalUnitIds) == 0 {
			return nil, apiErr("ValidationError", "StackSets with SERVICE_MANAGED permission model can only have OrganizationalUnit as target")
		}
		for _, ou := range dt.OrganizationalUnitIds {
			for _, a := range s.ous[ou] {
				ts = append(ts, simTarget{account: a, ou: ou})
			}
		}
		return ts, nil
	}
	if dt != nil || len(accounts) == 0 {
		return nil, apiErr("ValidationError", "StackSets with SELF_MANAGED permission model can only have accounts as target")
	}
	for _, a := range accounts {
		ts = append(ts, simTarget{account: a})
	}
	return ts, nil
}

func inRegions(ts []simTarget, regions []string) []simTarget {
	var out []simTarget
	for _, r := range regions {
		for _, t := range ts {
			t.region = r
			out = append(out, t)
		}
	}
	return out
}

func (s *sim) createStackInstances(_ context.Context, in *cloudformation.CreateStackInstancesInput) (*cloudformation.CreateStackInstancesOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	if s.noAdmin && set.model == types.PermissionModelsSelfManaged {
		return nil, apiErr("ValidationError", fmt.Sprintf("Account %s should have '%s' role with trust relationship to CloudFormation service.", adminAccount, roleName(set.admin)))
	}
	if err := s.busy(set); err != nil {
		return nil, err
	}
	ts, err := s.expand(set, in.Accounts, in.DeploymentTargets)
	if err != nil {
		return nil, err
	}
	var fresh []simTarget
	for _, t := range inRegions(ts, in.Regions) {
		if set.instance(t.account, t.region) != nil {
			continue // CreateStackInstances skips existing instances
		}
		set.insts = append(set.insts, &simInst{account: t.account, region: t.region, ou: t.ou,
			status: types.StackInstanceStatusOutdated, detailed: types.StackInstanceDetailedStatusPending})
		fresh = append(fresh, t)
	}
	o := s.newOp(set, in.OperationId, types.StackSetOperationActionCreate, in.OperationPreferences, fresh)
	return &cloudformation.CreateStackInstancesOutput{OperationId: aws.String(o.id)}, nil
}

func (s *sim) updateStackSet(_ context.Context, in *cloudformation.UpdateStackSetInput) (*cloudformation.UpdateStackSetOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	if err := s.busy(set); err != nil {
		return nil, err
	}
	if set.model == types.PermissionModelsSelfManaged && roleName(set.admin) != DefaultAdminRoleName && in.AdministrationRoleARN == nil {
		return nil, apiErr("ValidationError", "You must specify the customized administration role "+set.admin)
	}
	if in.TemplateBody == nil && !aws.ToBool(in.UsePreviousTemplate) {
		return nil, apiErr("ValidationError", "TemplateBody, TemplateURL or UsePreviousTemplate is required")
	}
	if len(in.Accounts) > 0 || in.DeploymentTargets != nil {
		s.t.Errorf("UpdateStackSet names targets: the sim models updates of every instance only")
	}
	if in.TemplateBody != nil {
		set.template = *in.TemplateBody
	}
	set.caps = in.Capabilities
	if in.AdministrationRoleARN != nil {
		set.admin = *in.AdministrationRoleARN
	}
	if in.ExecutionRoleName != nil {
		set.exec = *in.ExecutionRoleName
	}
	var ts []simTarget
	for _, i := range set.insts {
		if i.status == types.StackInstanceStatusInoperable {
			continue
		}
		i.status, i.detailed = types.StackInstanceStatusOutdated, types.StackInstanceDetailedStatusPending
		ts = append(ts, simTarget{account: i.account, region: i.region, ou: i.ou})
	}
	o := s.newOp(set, in.OperationId, types.StackSetOperationActionUpdate, in.OperationPreferences, ts)
	return &cloudformation.UpdateStackSetOutput{OperationId: aws.String(o.id)}, nil
}

func (s *sim) deleteStackInstances(_ context.Context, in *cloudformation.DeleteStackInstancesInput) (*cloudformation.DeleteStackInstancesOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	if in.RetainStacks == nil {
		return nil, apiErr("ValidationError", "RetainStacks is required")
	}
	if err := s.busy(set); err != nil {
		return nil, err
	}
	ts, err := s.expand(set, in.Accounts, in.DeploymentTargets)
	if err != nil {
		return nil, err
	}
	var doomed []simTarget
	for _, t := range inRegions(ts, in.Regions) {
		if i := set.instance(t.account, t.region); i != nil {
			t.ou = i.ou
			doomed = append(doomed, t)
		}
	}
	o := s.newOp(set, in.OperationId, types.StackSetOperationActionDelete, in.OperationPreferences, doomed)
	return &cloudformation.DeleteStackInstancesOutput{OperationId: aws.String(o.id)}, nil
}

func (s *sim) deleteStackSet(_ context.Context, in *cloudformation.DeleteStackSetInput) (*cloudformation.DeleteStackSetOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	if err := s.busy(set); err != nil {
		return nil, err
	}
	if len(set.insts) > 0 {
		return nil, &types.StackSetNotEmptyException{Message: aws.String("StackSet is not empty")}
	}
	set.deleted = true
	return &cloudformation.DeleteStackSetOutput{}, nil
}

// page returns the items of the page that token names and the next token.
func page[T any](items []T, size int, token *string) ([]T, *string) {
	start := 0
	if token != nil {
		start, _ = strconv.Atoi(*token)
	}
	end := min(start+size, len(items))
	if end >= len(items) {
		return items[start:], nil
	}
	return items[start:end], aws.String(strconv.Itoa(end))
}

func (s *sim) listStackInstances(_ context.Context, in *cloudformation.ListStackInstancesInput) (*cloudformation.ListStackInstancesOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	for _, o := range set.ops {
		s.advance(set, o)
	}
	var all []types.StackInstanceSummary
	for _, i := range set.insts {
		sum := types.StackInstanceSummary{
			Account: aws.String(i.account), Region: aws.String(i.region), Status: i.status,
			StackSetId: aws.String(set.id), StackInstanceStatus: &types.StackInstanceComprehensiveStatus{DetailedStatus: i.detailed},
		}
		if i.reason != "" {
			sum.StatusReason = aws.String(i.reason)
		}
		if i.ou != "" && !s.noOU {
			sum.OrganizationalUnitId = aws.String(i.ou)
		}
		all = append(all, sum)
	}
	items, next := page(all, s.instPage, in.NextToken)
	return &cloudformation.ListStackInstancesOutput{Summaries: items, NextToken: next}, nil
}

func (s *sim) findOp(name, id string) (*simSet, *simOp, error) {
	set, err := s.get(name)
	if err != nil {
		return nil, nil, err
	}
	for _, o := range set.ops {
		if o.id == id {
			s.advance(set, o)
			return set, o, nil
		}
	}
	return nil, nil, &types.OperationNotFoundException{Message: aws.String("Operation " + id + " not found")}
}

func (s *sim) summary(o *simOp) types.StackSetOperationSummary {
	start := o.start
	sum := types.StackSetOperationSummary{OperationId: aws.String(o.id), Action: o.action, Status: o.status, CreationTimestamp: &start, EndTimestamp: o.end}
	if o.reason != "" {
		sum.StatusReason = aws.String(o.reason)
	}
	return sum
}

func (s *sim) describeOperation(_ context.Context, in *cloudformation.DescribeStackSetOperationInput) (*cloudformation.DescribeStackSetOperationOutput, error) {
	_, o, err := s.findOp(aws.ToString(in.StackSetName), aws.ToString(in.OperationId))
	if err != nil {
		return nil, err
	}
	sum := s.summary(o)
	return &cloudformation.DescribeStackSetOperationOutput{StackSetOperation: &types.StackSetOperation{
		OperationId: sum.OperationId, Action: sum.Action, Status: sum.Status, StatusReason: sum.StatusReason,
		CreationTimestamp: sum.CreationTimestamp, EndTimestamp: sum.EndTimestamp, OperationPreferences: o.prefs,
	}}, nil
}

// listOperations returns the operations oldest first: the API promises no
// order.
func (s *sim) listOperations(_ context.Context, in *cloudformation.ListStackSetOperationsInput) (*cloudformation.ListStackSetOperationsOutput, error) {
	set, err := s.get(aws.ToString(in.StackSetName))
	if err != nil {
		return nil, err
	}
	var all []types.StackSetOperationSummary
	for _, o := range set.ops {
		s.advance(set, o)
		all = append(all, s.summary(o))
	}
	items, next := page(all, 3, in.NextToken)
	return &cloudformation.ListStackSetOperationsOutput{Summaries: items, NextToken: next}, nil
}

func (s *sim) listResults(_ context.Context, in *cloudformation.ListStackSetOperationResultsInput) (*cloudformation.ListStackSetOperationResultsOutput, error) {
	_, o, err := s.findOp(aws.ToString(in.StackSetName), aws.ToString(in.OperationId))
	if err != nil {
		return nil, err
	}
	var all []types.StackSetOperationResultSummary
	for _, t := range o.targets {
		r := types.StackSetOperationResultSummary{Account: aws.String(t.account), Region: aws.String(t.region), Status: t.status}
		if t.reason != "" {
			r.StatusReason = aws.String(t.reason)
		}
		if t.ou != "" {
			r.OrganizationalUnitId = aws.String(t.ou)
		}
		all = append(all, r)
	}
	items, next := page(all, s.resultPage, in.NextToken)
	return &cloudformation.ListStackSetOperationResultsOutput{Summaries: items, NextToken: next}, nil
}

func (s *sim) describeZones(_ context.Context, region string, _ *ec2.DescribeAvailabilityZonesInput) (*ec2.DescribeAvailabilityZonesOutput, error) {
	n, ok := s.zones[region]
	if !ok {
		n = 3
	}
	out := &ec2.DescribeAvailabilityZonesOutput{}
	for i := range n {
		out.AvailabilityZones = append(out.AvailabilityZones, ec2types.AvailabilityZone{ZoneName: aws.String(region + string(rune('a'+i)))})
	}
	return out, nil
}
