package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// sim is a small CloudFormation for the unit tests, built on fakeAPI: it
// keeps stacks and change sets and plays scripted operations against the
// fake clock. Tests set its fields, or replace single functions of its
// fakeAPI for odd cases.
type sim struct {
	api   *fakeAPI
	clock *fakeClock

	stacks []*simStack // every stack ever made, deleted ones too

	// The next change set.
	changes   []types.Change
	csStatus  types.ChangeSetStatus // final status; default CREATE_COMPLETE
	csReason  string
	csPending int // polls that see CREATE_IN_PROGRESS first
	csPage    int // changes per DescribeChangeSet page; 0: all
	// csLag: CloudFormation lists a new change set (and the stack that a
	// CREATE makes) only this long after CreateChangeSet.
	csLag     time.Duration
	createErr error
	execErr   error
	deleteErr error

	// Scripts, their times counted from the call that starts them.
	onExecute []tick
	onDelete  []tick

	eventPage int // events per DescribeStackEvents page; default 3

	// noEvents, noDrift, noHooks, noProtection: the endpoint does not
	// implement DescribeEvents, drift detection, the hook results or
	// UpdateTerminationProtection, and answers as moto does (HTTP 500
	// without an AWS error).
	noEvents, noDrift, noHooks, noProtection bool
	// opEvents are DescribeEvents' events beyond those of the failed stack
	// events, by operation ID or change-set ARN: validation and hook
	// failures.
	opEvents map[string][]types.OperationEvent
	// hooks are ListHookResults' results by target ID; annotations
	// GetHookResult's by hook result ID.
	hooks       map[string][]types.HookResultSummary
	annotations map[string][]types.Annotation
	// drifts is what drift detection finds, after driftPolls polls of
	// DETECTION_IN_PROGRESS; driftPage drifts a page (0: all).
	drifts     []types.StackResourceDrift
	driftPolls int
	driftPage  int
	detections map[string]*simDetection

	changeSets map[string]*simChangeSet // by ARN
	created    []*cloudformation.CreateChangeSetInput
	executed   []*cloudformation.ExecuteChangeSetInput
	// describedChangeSets lists every DescribeChangeSet input.
	describedChangeSets []*cloudformation.DescribeChangeSetInput
	executedAt          time.Time // of the last ExecuteChangeSet
	deleted             []*cloudformation.DeleteStackInput
	seq                 int
}

type simStack struct {
	name, id  string
	n         int
	status    types.StackStatus
	reason    string
	template  string // as deployed
	params    []types.Parameter
	tags      []types.Tag
	protected bool               // termination protection
	op        string             // ID of the last operation
	events    []types.StackEvent // newest first
	outputs   []types.Output
	resources []types.StackResourceSummary
	script    []tick
	start     time.Time // of the script
	gone      bool      // deleted: found by ID only
	visible   time.Time // listed from then on
}

type simChangeSet struct {
	name, id string
	stack    *simStack
	typ      types.ChangeSetType
	in       *cloudformation.CreateChangeSetInput
	changes  []types.Change
	polls    int
	pending  int // polls that see CREATE_IN_PROGRESS
	status   types.ChangeSetStatus
	reason   string
	executed bool
	deleted  bool
	visible  time.Time // listed from then on
}

// execStatus is the change set's ExecutionStatus, as CloudFormation gives
// it: UNAVAILABLE until computed (and for good when it failed), AVAILABLE,
// then the execution's progress, read from the stack.
func (cs *simChangeSet) execStatus() types.ExecutionStatus {
	switch {
	case cs.executed && inProgress(cs.stack.status):
		return types.ExecutionStatusExecuteInProgress
	case cs.executed && strings.Contains(string(cs.stack.status), "ROLLBACK") || cs.executed && strings.HasSuffix(string(cs.stack.status), "FAILED"):
		return types.ExecutionStatusExecuteFailed
	case cs.executed:
		return types.ExecutionStatusExecuteComplete
	case cs.polls <= cs.pending || cs.status != types.ChangeSetStatusCreateComplete:
		return types.ExecutionStatusUnavailable
	}
	return types.ExecutionStatusAvailable
}

// tick is one step of a scripted operation: after the given time, the
// stack takes the status (when set), the events are added (oldest first)
// and do runs.
type tick struct {
	after  time.Duration
	status types.StackStatus
	events []ev
	do     func()
}

// ev is an event of a tick. An empty logical ID is the stack itself.
type ev struct {
	id, typ string
	status  types.ResourceStatus
	reason  string
}

const account = "arn:aws:cloudformation:us-east-1:123456789012:"

func newSim(t *testing.T) *sim {
	t.Helper()
	s := &sim{api: &fakeAPI{}, clock: newClock(), changeSets: map[string]*simChangeSet{}, eventPage: 3}
	s.api.Label = s.label
	s.api.DescribeStacksFunc = s.describeStacks
	s.api.DescribeStackEventsFunc = s.describeStackEvents
	s.api.ListStackResourcesFunc = s.listStackResources
	s.api.CreateChangeSetFunc = s.createChangeSet
	s.api.DescribeChangeSetFunc = s.describeChangeSet
	s.api.ExecuteChangeSetFunc = s.executeChangeSet
	s.api.DeleteChangeSetFunc = s.deleteChangeSet
	s.api.DeleteStackFunc = s.deleteStack
	s.api.GetTemplateFunc = s.getTemplate
	s.api.ListChangeSetsFunc = s.listChangeSets
	s.api.UpdateTerminationProtectionFunc = s.updateTerminationProtection
	s.api.DescribeEventsFunc = s.describeEvents
	s.api.ListHookResultsFunc = s.listHookResults
	s.api.GetHookResultFunc = s.getHookResult
	s.api.DetectStackDriftFunc = s.detectStackDrift
	s.api.DescribeStackDriftDetectionStatusFunc = s.describeDetection
	s.api.DescribeStackResourceDriftsFunc = s.describeResourceDrifts
	return s
}

// deployer returns a Deployer on the sim with buffers for Out and Log.
func (s *sim) deployer() (*Deployer, *bytes.Buffer, *bytes.Buffer) {
	var out, log bytes.Buffer
	return &Deployer{
		CFN:    s.api,
		Region: "eu-west-1",
		Out:    &out,
		Log:    &log,
		Now:    s.clock.Now,
		Sleep:  s.clock.Sleep,
		Rand:   &seqReader{},
	}, &out, &log
}

// addStack makes a stack that exists before the test starts.
func (s *sim) addStack(name string, status types.StackStatus) *simStack {
	st := s.newStack(name, status)
	s.event(st, ev{status: types.ResourceStatus(status)})
	return st
}

func (s *sim) newStack(name string, status types.StackStatus) *simStack {
	s.seq++
	st := &simStack{name: name, n: len(s.stacks) + 1, status: status}
	st.id = fmt.Sprintf("%sstack/%s/%08x-4d2c-11f0-9f3a-0a1b2c3d4e5f", account, name, 0x6a1f0c50+st.n)
	s.stacks = append(s.stacks, st)
	return st
}

// label shortens stack IDs to name#n and change-set IDs to their name.
func (s *sim) label(v string) string {
	for _, st := range s.stacks {
		if v == st.id {
			return st.name + "#" + strconv.Itoa(st.n)
		}
	}
	if cs, ok := s.changeSets[v]; ok {
		return cs.name
	}
	return v
}

// mutations returns the calls that change something.
func (s *sim) mutations() []string {
	var out []string
	for _, c := range s.api.Calls {
		switch strings.Fields(c)[0] {
		case "CreateChangeSet", "ExecuteChangeSet", "DeleteChangeSet", "DeleteStack":
			out = append(out, c)
		}
	}
	return out
}

func (s *sim) event(st *simStack, e ev) {
	s.seq++
	id, typ := e.id, e.typ
	if id == "" {
		id, typ = st.name, stackType
	}
	ts := s.clock.Now()
	phys := st.id
	if e.id != "" {
		phys = strings.ToLower(e.id) + "-0123456789abcdef"
	}
	var reason *string
	if e.reason != "" {
		reason = aws.String(e.reason)
	}
	se := types.StackEvent{
		OperationId:          aws.String(st.op),
		EventId:              aws.String(fmt.Sprintf("%s-%s-%d", id, e.status, s.seq)),
		StackId:              aws.String(st.id),
		StackName:            aws.String(st.name),
		LogicalResourceId:    aws.String(id),
		PhysicalResourceId:   aws.String(phys),
		ResourceType:         aws.String(typ),
		ResourceStatus:       e.status,
		ResourceStatusReason: reason,
		Timestamp:            &ts,
	}
	st.events = append([]types.StackEvent{se}, st.events...)
}

// play applies the ticks of the stack's script that are due.
func (s *sim) play(st *simStack) {
	for len(st.script) > 0 && !s.clock.Now().Before(st.start.Add(st.script[0].after)) {
		tk := st.script[0]
		st.script = st.script[1:]
		if tk.status != "" {
			st.status = tk.status
		}
		for _, e := range tk.events {
			s.event(st, e)
		}
		if tk.status == types.StackStatusDeleteComplete {
			st.gone = true
		}
		if tk.do != nil {
			tk.do()
		}
	}
}

func (s *sim) find(nameOrID string) *simStack {
	for _, st := range s.stacks {
		if !s.clock.Now().Before(st.visible) && (st.id == nameOrID || st.name == nameOrID && !st.gone) {
			return st
		}
	}
	return nil
}

func missing(nameOrID string) error {
	return apiError("ValidationError", "Stack with id "+nameOrID+" does not exist")
}

func (s *sim) describeStacks(_ context.Context, in *cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error) {
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	s.play(st)
	out := types.Stack{StackName: aws.String(st.name), StackId: aws.String(st.id), StackStatus: st.status, Outputs: st.outputs,
		Parameters: st.params, Tags: st.tags, EnableTerminationProtection: aws.Bool(st.protected)}
	if st.reason != "" {
		out.StackStatusReason = aws.String(st.reason)
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{out}}, nil
}

func (s *sim) describeStackEvents(_ context.Context, in *cloudformation.DescribeStackEventsInput) (*cloudformation.DescribeStackEventsOutput, error) {
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	from, to, next := page(in.NextToken, s.eventPage, len(st.events))
	return &cloudformation.DescribeStackEventsOutput{StackEvents: st.events[from:to], NextToken: next}, nil
}

// page returns the slice bounds of the page that token starts, size items
// long (size 0: the rest), out of n, and the token of the next page.
func page(token *string, size, n int) (from, to int, next *string) {
	if token != nil {
		from, _ = strconv.Atoi(*token)
	}
	to = n
	if size > 0 {
		to = min(from+size, n)
	}
	if to < n {
		next = aws.String(strconv.Itoa(to))
	}
	return from, to, next
}

func (s *sim) listStackResources(_ context.Context, in *cloudformation.ListStackResourcesInput) (*cloudformation.ListStackResourcesOutput, error) {
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	from, to, next := page(in.NextToken, 2, len(st.resources))
	return &cloudformation.ListStackResourcesOutput{StackResourceSummaries: st.resources[from:to], NextToken: next}, nil
}

func (s *sim) createChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error) {
	s.created = append(s.created, in)
	if s.createErr != nil {
		return nil, s.createErr
	}
	name := aws.ToString(in.StackName)
	st := s.find(name)
	switch {
	case in.ChangeSetType == types.ChangeSetTypeCreate && st == nil:
		st = s.newStack(name, types.StackStatusReviewInProgress)
		st.visible = s.clock.Now().Add(s.csLag)
		s.event(st, ev{status: "REVIEW_IN_PROGRESS", reason: "User Initiated"})
	case in.ChangeSetType == types.ChangeSetTypeCreate && st.status != types.StackStatusReviewInProgress:
		return nil, apiError("AlreadyExistsException", "Stack ["+name+"] already exists")
	case st == nil:
		return nil, missing(name)
	}
	status := s.csStatus
	if status == "" {
		status = types.ChangeSetStatusCreateComplete
	}
	cs := &simChangeSet{name: aws.ToString(in.ChangeSetName), stack: st, typ: in.ChangeSetType, in: in, changes: s.changes,
		pending: s.csPending, status: status, reason: s.csReason, visible: s.clock.Now().Add(s.csLag)}
	cs.id = fmt.Sprintf("%schangeSet/%s/%08x-5e3d-11f0-8b7c-0a1b2c3d4e5f", account, cs.name, len(s.changeSets)+1)
	s.changeSets[cs.id] = cs
	return &cloudformation.CreateChangeSetOutput{Id: aws.String(cs.id), StackId: aws.String(st.id)}, nil
}

func (s *sim) changeSet(nameOrID string) *simChangeSet {
	for _, cs := range s.changeSets {
		if (cs.id == nameOrID || cs.name == nameOrID) && !cs.deleted && !s.clock.Now().Before(cs.visible) {
			return cs
		}
	}
	return nil
}

func csMissing(nameOrID string) error {
	return apiError("ChangeSetNotFound", "ChangeSet ["+nameOrID+"] does not exist")
}

// invalidStatus is CloudFormation's answer to deleting or executing a
// change set in the wrong state.
func invalidStatus(msg string) error {
	return &smithyClientError{apiError("InvalidChangeSetStatus", msg)}
}

func (s *sim) describeChangeSet(_ context.Context, in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
	s.describedChangeSets = append(s.describedChangeSets, in)
	cs := s.changeSet(aws.ToString(in.ChangeSetName))
	if cs == nil {
		return nil, csMissing(aws.ToString(in.ChangeSetName))
	}
	s.play(cs.stack)
	out := &cloudformation.DescribeChangeSetOutput{
		ChangeSetId:    aws.String(cs.id),
		ChangeSetName:  aws.String(cs.name),
		StackId:        aws.String(cs.stack.id),
		StackName:      aws.String(cs.stack.name),
		Status:         types.ChangeSetStatusCreateInProgress,
		Parameters:     cs.in.Parameters,
		Tags:           cs.in.Tags,
		DeploymentMode: cs.in.DeploymentMode,
		Description:    cs.in.Description,
	}
	if in.NextToken == nil {
		cs.polls++
	}
	out.ExecutionStatus = cs.execStatus()
	if cs.polls <= cs.pending {
		return out, nil
	}
	out.Status = cs.status
	if cs.reason != "" {
		out.StatusReason = aws.String(cs.reason)
	}
	if out.Status != types.ChangeSetStatusCreateComplete {
		return out, nil
	}
	from, to, next := page(in.NextToken, s.csPage, len(cs.changes))
	out.Changes, out.NextToken = cs.changes[from:to], next
	return out, nil
}

func (s *sim) executeChangeSet(_ context.Context, in *cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error) {
	s.executed = append(s.executed, in)
	if s.execErr != nil {
		return nil, s.execErr
	}
	cs := s.changeSet(aws.ToString(in.ChangeSetName))
	if cs == nil {
		return nil, csMissing(aws.ToString(in.ChangeSetName))
	}
	if st := cs.execStatus(); st != types.ExecutionStatusAvailable {
		return nil, invalidStatus("ChangeSet [" + cs.id + "] cannot be executed in its current execution status of [" + string(st) + "]")
	}
	st := cs.stack
	cs.executed = true
	// Executing a change set deletes the stack's other change sets.
	for _, other := range s.changeSets {
		if other.stack == st && other != cs {
			other.deleted = true
		}
	}
	st.status = types.StackStatusUpdateInProgress
	if cs.typ == types.ChangeSetTypeCreate {
		st.status = types.StackStatusCreateInProgress
	}
	st.template, st.params = aws.ToString(cs.in.TemplateBody), cs.in.Parameters
	if len(cs.in.Tags) > 0 {
		st.tags = cs.in.Tags
	}
	s.seq++
	st.op = fmt.Sprintf("op-%04d", s.seq)
	s.event(st, ev{status: types.ResourceStatus(st.status), reason: "User Initiated"})
	st.script, st.start = s.onExecute, s.clock.Now()
	s.executedAt = s.clock.Now()
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

func (s *sim) deleteChangeSet(_ context.Context, in *cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error) {
	cs := s.changeSet(aws.ToString(in.ChangeSetName))
	if cs == nil {
		return nil, csMissing(aws.ToString(in.ChangeSetName))
	}
	s.play(cs.stack)
	switch st := cs.execStatus(); {
	case cs.polls <= cs.pending:
		return nil, invalidStatus("Cannot delete ChangeSet in status CREATE_IN_PROGRESS")
	case st == types.ExecutionStatusExecuteInProgress:
		return nil, invalidStatus("Cannot delete ChangeSet in status " + string(st))
	}
	cs.deleted = true
	return &cloudformation.DeleteChangeSetOutput{}, nil
}

func (s *sim) deleteStack(_ context.Context, in *cloudformation.DeleteStackInput) (*cloudformation.DeleteStackOutput, error) {
	s.deleted = append(s.deleted, in)
	if s.deleteErr != nil {
		return nil, s.deleteErr
	}
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return &cloudformation.DeleteStackOutput{}, nil
	}
	if st.protected {
		return nil, &smithyClientError{apiError("ValidationError", "Stack ["+st.name+"] cannot be deleted while TerminationProtection is enabled")}
	}
	// A stack's change sets go with it.
	for _, cs := range s.changeSets {
		if cs.stack == st {
			cs.deleted = true
		}
	}
	if st.status == types.StackStatusReviewInProgress {
		st.status, st.gone = types.StackStatusDeleteComplete, true
		return &cloudformation.DeleteStackOutput{}, nil
	}
	st.status = types.StackStatusDeleteInProgress
	s.seq++
	st.op = fmt.Sprintf("op-%04d", s.seq)
	s.event(st, ev{status: "DELETE_IN_PROGRESS", reason: "User Initiated"})
	st.script, st.start = s.onDelete, s.clock.Now()
	return &cloudformation.DeleteStackOutput{}, nil
}

// change builds a resource change; props are the changed properties.
func change(action types.ChangeAction, id, typ string, repl types.Replacement, props ...string) types.Change {
	rc := &types.ResourceChange{
		Action:            action,
		LogicalResourceId: aws.String(id),
		ResourceType:      aws.String(typ),
		Replacement:       repl,
	}
	for _, p := range props {
		rc.Details = append(rc.Details, types.ResourceChangeDetail{
			Target: &types.ResourceTargetDefinition{Attribute: types.ResourceAttributeProperties, Name: aws.String(p)},
		})
	}
	return types.Change{Type: types.ChangeTypeResource, ResourceChange: rc}
}

// unsupported is moto's answer to an action it does not implement: HTTP
// 500 with a page that is not an AWS error.
func unsupported() error {
	return &httpError{status: 500, err: &smithy.DeserializationError{Err: errors.New("XML syntax error on line 2: unquoted or missing attribute value in element")}}
}

type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string {
	return fmt.Sprintf("https response error StatusCode: %d, deserialization failed, %v", e.status, e.err)
}
func (e *httpError) Unwrap() error       { return e.err }
func (e *httpError) HTTPStatusCode() int { return e.status }

func (s *sim) getTemplate(_ context.Context, in *cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error) {
	if name := aws.ToString(in.ChangeSetName); name != "" {
		cs := s.changeSet(name)
		if cs == nil {
			return nil, csMissing(name)
		}
		return &cloudformation.GetTemplateOutput{TemplateBody: cs.in.TemplateBody}, nil
	}
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	return &cloudformation.GetTemplateOutput{TemplateBody: aws.String(st.template)}, nil
}

func (s *sim) listChangeSets(_ context.Context, in *cloudformation.ListChangeSetsInput) (*cloudformation.ListChangeSetsOutput, error) {
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	var all []types.ChangeSetSummary
	for _, cs := range s.changeSets {
		if cs.stack != st || cs.deleted {
			continue
		}
		status := cs.status
		if cs.polls < cs.pending {
			status = types.ChangeSetStatusCreateInProgress
		}
		created := s.clock.Now()
		all = append(all, types.ChangeSetSummary{ChangeSetId: aws.String(cs.id), ChangeSetName: aws.String(cs.name), StackId: aws.String(st.id),
			StackName: aws.String(st.name), Status: status, ExecutionStatus: cs.execStatus(), CreationTime: &created})
	}
	slices.SortFunc(all, func(a, b types.ChangeSetSummary) int { return strings.Compare(*a.ChangeSetId, *b.ChangeSetId) })
	from, to, next := page(in.NextToken, 2, len(all))
	return &cloudformation.ListChangeSetsOutput{Summaries: all[from:to], NextToken: next}, nil
}

func (s *sim) updateTerminationProtection(_ context.Context, in *cloudformation.UpdateTerminationProtectionInput) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	if s.noProtection {
		return nil, unsupported()
	}
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	st.protected = aws.ToBool(in.EnableTerminationProtection)
	return &cloudformation.UpdateTerminationProtectionOutput{StackId: aws.String(st.id)}, nil
}

// describeEvents gives, for an operation, the failed stack events of
// that operation as provisioning errors, and the events in opEvents; for a
// change set, those in opEvents.
func (s *sim) describeEvents(_ context.Context, in *cloudformation.DescribeEventsInput) (*cloudformation.DescribeEventsOutput, error) {
	if s.noEvents {
		return nil, unsupported()
	}
	var all []types.OperationEvent
	if cs := aws.ToString(in.ChangeSetName); cs != "" {
		all = append(all, s.opEvents[cs]...)
	} else {
		st := s.find(aws.ToString(in.StackName))
		if st == nil {
			return nil, missing(aws.ToString(in.StackName))
		}
		op := aws.ToString(in.OperationId)
		for _, e := range slices.Backward(st.events) {
			if op != "" && aws.ToString(e.OperationId) != op || !strings.HasSuffix(string(e.ResourceStatus), "_FAILED") {
				continue
			}
			all = append(all, types.OperationEvent{EventId: e.EventId, EventType: types.EventTypeProvisioningError, OperationId: e.OperationId,
				LogicalResourceId: e.LogicalResourceId, ResourceType: e.ResourceType, ResourceStatus: e.ResourceStatus,
				ResourceStatusReason: e.ResourceStatusReason, Timestamp: e.Timestamp, StackId: e.StackId})
		}
		all = append(all, s.opEvents[op]...)
	}
	from, to, next := page(in.NextToken, 2, len(all))
	return &cloudformation.DescribeEventsOutput{OperationEvents: all[from:to], NextToken: next}, nil
}

func (s *sim) listHookResults(_ context.Context, in *cloudformation.ListHookResultsInput) (*cloudformation.ListHookResultsOutput, error) {
	if s.noHooks {
		return nil, unsupported()
	}
	return &cloudformation.ListHookResultsOutput{HookResults: s.hooks[aws.ToString(in.TargetId)], TargetId: in.TargetId, TargetType: in.TargetType}, nil
}

func (s *sim) getHookResult(_ context.Context, in *cloudformation.GetHookResultInput) (*cloudformation.GetHookResultOutput, error) {
	if s.noHooks {
		return nil, unsupported()
	}
	return &cloudformation.GetHookResultOutput{HookResultId: in.HookResultId, Annotations: s.annotations[aws.ToString(in.HookResultId)],
		Status: types.HookStatusHookCompleteFailed}, nil
}

// simDetection is one drift detection under way.
type simDetection struct {
	stack *simStack
	polls int
}

func (s *sim) detectStackDrift(_ context.Context, in *cloudformation.DetectStackDriftInput) (*cloudformation.DetectStackDriftOutput, error) {
	if s.noDrift {
		return nil, unsupported()
	}
	st := s.find(aws.ToString(in.StackName))
	if st == nil {
		return nil, missing(aws.ToString(in.StackName))
	}
	if s.detections == nil {
		s.detections = map[string]*simDetection{}
	}
	id := fmt.Sprintf("%08x-drift", len(s.detections)+1)
	s.detections[id] = &simDetection{stack: st}
	return &cloudformation.DetectStackDriftOutput{StackDriftDetectionId: aws.String(id)}, nil
}

func (s *sim) describeDetection(_ context.Context, in *cloudformation.DescribeStackDriftDetectionStatusInput) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
	det := s.detections[aws.ToString(in.StackDriftDetectionId)]
	if det == nil {
		return nil, apiError("ValidationError", "Stack drift detection "+aws.ToString(in.StackDriftDetectionId)+" does not exist")
	}
	det.polls++
	out := &cloudformation.DescribeStackDriftDetectionStatusOutput{StackDriftDetectionId: in.StackDriftDetectionId, StackId: aws.String(det.stack.id),
		DetectionStatus: types.StackDriftDetectionStatusDetectionInProgress}
	if det.polls <= s.driftPolls {
		return out, nil
	}
	now := s.clock.Now()
	out.DetectionStatus, out.Timestamp = types.StackDriftDetectionStatusDetectionComplete, &now
	out.StackDriftStatus = types.StackDriftStatusInSync
	n := int32(0)
	for _, d := range s.drifts {
		if d.StackResourceDriftStatus != types.StackResourceDriftStatusInSync {
			n++
			out.StackDriftStatus = types.StackDriftStatusDrifted
		}
	}
	out.DriftedStackResourceCount = aws.Int32(n)
	return out, nil
}

func (s *sim) describeResourceDrifts(_ context.Context, in *cloudformation.DescribeStackResourceDriftsInput) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
	if s.noDrift {
		return nil, unsupported()
	}
	from, to, next := page(in.NextToken, s.driftPage, len(s.drifts))
	return &cloudformation.DescribeStackResourceDriftsOutput{StackResourceDrifts: s.drifts[from:to], NextToken: next}, nil
}
