package stackset

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/cfnrules"
)

const (
	tmpl1 = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n  Topic:\n    Type: AWS::SNS::Topic\n"
	tmpl2 = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      DisplayName: web\n"
	tmpl3 = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n"

	ouA  = "ou-ab12-aaaaaaaa"
	ouB  = "ou-ab12-bbbbbbbb"
	acc1 = "222222222222"
	acc2 = "333333333333"
	acc3 = "444444444444"
)

func serviceInput(regions ...string) Input {
	return Input{Name: "web", Template: []byte(tmpl1), Model: ServiceManaged, OrgUnits: []string{ouA}, Regions: regions, MinZones: 2, Yes: true}
}

func selfInput(regions ...string) Input {
	return Input{Name: "web", Template: []byte(tmpl1), Model: SelfManaged, Accounts: []string{acc1, acc2}, Regions: regions, MinZones: 2, Yes: true}
}

func wantIn(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func count(calls []string, op string) int {
	n := 0
	for _, c := range calls {
		if c == op || strings.HasPrefix(c, op+" ") {
			n++
		}
	}
	return n
}

// TestDeployCreatesServiceManaged: a new stack set for an OU of two
// accounts in two regions. The operation is RUNNING for 4 s and then
// SUCCEEDED; the plan, the progress per account and region, and the result
// table come out; the instances are CURRENT.
func TestDeployCreatesServiceManaged(t *testing.T) {
	s := newSim(t)
	s.ous[ouA] = []string{acc1, acc2}
	m, out, log := s.manager()

	res, err := m.Deploy(context.Background(), serviceInput("us-east-1", "eu-west-1"))
	if err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	wantIn(t, "plan", out.String(),
		"create stack set web (SERVICE_MANAGED) with the template (",
		"bytes, CAPABILITY_IAM)",
		"add     (each account)  ou-ab12-aaaaaaaa  us-east-1  -",
		"add     (each account)  ou-ab12-aaaaaaaa  eu-west-1  -",
		"2 to add, 0 to update, 0 to remove",
		"ACCOUNT       REGION     ORG UNIT          STATUS   DETAILED STATUS  REASON",
		"222222222222  eu-west-1  ou-ab12-aaaaaaaa  CURRENT  SUCCEEDED        -",
		"4 stack instances, 4 CURRENT",
	)
	wantIn(t, "log", log.String(),
		"created stack set web (SERVICE_MANAGED)",
		"adding stack instances: ou-ab12-aaaaaaaa in us-east-1, eu-west-1",
		"1/4  222222222222  us-east-1       SUCCEEDED",
		"4/4  333333333333  eu-west-1       SUCCEEDED",
		"create operation cfngen-20260102030405-04050607: SUCCEEDED in 4s (4/4 stack instances done)",
	)
	// us-east-1 first: the order the regions were given in.
	if i, j := strings.Index(log.String(), "us-east-1       SUCCEEDED"), strings.Index(log.String(), "eu-west-1       SUCCEEDED"); i < 0 || j < i {
		t.Errorf("regions not deployed in the order given:\n%s", log)
	}
	if len(res.Instances) != 4 || len(res.Failures) != 0 {
		t.Errorf("result: %d instances, %d failures", len(res.Instances), len(res.Failures))
	}
	set := s.sets["web"]
	if set.model != types.PermissionModelsServiceManaged || !slices.Equal(set.caps, []types.Capability{types.CapabilityCapabilityIam}) {
		t.Errorf("stack set: model %s, capabilities %v", set.model, set.caps)
	}
	p := set.ops[0].prefs
	if p.RegionConcurrencyType != types.RegionConcurrencyTypeSequential || aws.ToInt32(p.MaxConcurrentCount) != 1 || aws.ToInt32(p.FailureToleranceCount) != 0 {
		t.Errorf("default preferences: %+v", p)
	}
	if !slices.Equal(s.ec2.Regions, []string{"us-east-1", "eu-west-1"}) {
		t.Errorf("Availability Zones checked in %v", s.ec2.Regions)
	}
}

// TestPollSchedule: the first poll at once, then pauses growing by half
// from 200 ms to at most 2 s.
func TestPollSchedule(t *testing.T) {
	s := newSim(t)
	s.ous[ouA] = []string{acc1, acc2}
	s.step = 5 * time.Second
	m, _, log := s.manager()
	if _, err := m.Deploy(context.Background(), serviceInput("us-east-1")); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	want := []time.Duration{200 * time.Millisecond, 300 * time.Millisecond, 450 * time.Millisecond, 675 * time.Millisecond,
		1012500 * time.Microsecond, 1518750 * time.Microsecond, 2 * time.Second}
	got := s.clock.Sleeps
	if len(got) < len(want)+2 || !slices.Equal(got[:len(want)], want) {
		t.Fatalf("sleeps %v, want %v then 2s", got, want)
	}
	for _, d := range got[len(want):] {
		if d != 2*time.Second {
			t.Errorf("a pause of %s after the back-off reached 2s", d)
		}
	}
}

// TestSecondDeployIsNoChange: the same input again starts no operation.
func TestSecondDeployIsNoChange(t *testing.T) {
	for _, noOU := range []bool{false, true} {
		s := newSim(t)
		s.noOU = noOU // as moto: no OrganizationalUnitId on instances
		s.ous[ouA] = []string{acc1, acc2}
		m, _, log := s.manager()
		if _, err := m.Deploy(context.Background(), serviceInput("us-east-1", "eu-west-1")); err != nil {
			t.Fatalf("first deploy: %v\n%s", err, log)
		}
		s.api.Calls = nil
		m, out, log := s.manager()
		res, err := m.Deploy(context.Background(), serviceInput("us-east-1", "eu-west-1"))
		if !errors.Is(err, ErrNoChanges) {
			t.Fatalf("noOU=%v: second deploy: %v, want ErrNoChanges\n%s", noOU, err, log)
		}
		wantIn(t, "log", log.String(), "no changes: stack set web is up to date (4 stack instances)")
		if out.Len() != 0 || len(res.Instances) != 4 {
			t.Errorf("noOU=%v: out %q, %d instances", noOU, out, len(res.Instances))
		}
		for _, c := range s.api.Calls {
			if !strings.HasPrefix(c, "Describe") && !strings.HasPrefix(c, "List") {
				t.Errorf("noOU=%v: a deploy without changes called %s", noOU, c)
			}
		}
		if noOU {
			wantIn(t, "log", log.String(), "note: the service did not say which organizational unit 4 stack instances belong to")
		}
	}
}

// TestSelfManagedAccounts: accounts as targets; the expected number of
// results is known, instances and results come in pages.
func TestSelfManagedAccounts(t *testing.T) {
	s := newSim(t)
	m, out, log := s.manager()
	in := selfInput("us-east-1", "eu-west-1")
	in.Accounts = []string{acc1, acc2, acc3}
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	wantIn(t, "plan", out.String(), "add     444444444444  -         eu-west-1  -", "6 to add, 0 to update, 0 to remove", "6 stack instances, 6 CURRENT")
	wantIn(t, "log", log.String(), "1/6  222222222222  us-east-1", "6/6  444444444444  eu-west-1")
	// 6 results in pages of 2, and 6 instances in pages of 2.
	if !slices.Contains(s.api.Calls, "ListStackSetOperationResults token=4") || !slices.Contains(s.api.Calls, "ListStackInstances token=4") {
		t.Errorf("pages not all read: %v", s.api.Calls)
	}
	if s.sets["web"].model != types.PermissionModelsSelfManaged {
		t.Errorf("model %s", s.sets["web"].model)
	}
}

// TestFailureWithinTolerance: one account fails in each region, one is
// tolerated: the operation SUCCEEDED, the deploy too, with the failures
// and their reasons.
func TestFailureWithinTolerance(t *testing.T) {
	s := newSim(t)
	s.fail[acc1+"/us-east-1"] = "Resource handler returned message: \"The maximum number of VPCs has been reached.\""
	m, _, log := s.manager()
	in := selfInput("us-east-1", "eu-west-1")
	in.Preferences.FailureTolerance = Amount{N: 1}
	res, err := m.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	if len(res.Failures) != 1 || res.Failures[0].Account != acc1 {
		t.Errorf("failures %+v", res.Failures)
	}
	wantIn(t, "log", log.String(),
		"222222222222  us-east-1       FAILED  Resource handler returned message",
		"create operation cfngen-20260102030405-04050607: SUCCEEDED",
		"1 of 4 stack instances failed, within the failure tolerance:",
	)
}

// TestFailureBeyondTolerance: with no failure tolerated, the first
// failure stops the operation: FAILED, the rest CANCELLED, an
// OperationError with the reason, and the instance table still printed.
func TestFailureBeyondTolerance(t *testing.T) {
	s := newSim(t)
	s.fail[acc1+"/us-east-1"] = "The maximum number of VPCs has been reached."
	m, out, log := s.manager()
	_, err := m.Deploy(context.Background(), selfInput("us-east-1", "eu-west-1"))
	var oe *OperationError
	if !errors.Is(err, ErrFailed) || !errors.As(err, &oe) {
		t.Fatalf("err %v, want an OperationError wrapping ErrFailed\n%s", err, log)
	}
	if len(oe.Failures) != 1 || oe.Status != "FAILED" || oe.Action != "CREATE" {
		t.Errorf("operation error %+v", oe)
	}
	wantIn(t, "error", err.Error(), "create operation", "is FAILED: 222222222222 in us-east-1: The maximum number of VPCs has been reached.")
	wantIn(t, "log", log.String(), "CANCELLED", "failed stack instances:\n  222222222222  us-east-1  The maximum number of VPCs has been reached.",
		"reason: The Operation")
	wantIn(t, "out", out.String(), "222222222222  us-east-1  -         OUTDATED  FAILED           The maximum number of VPCs has been reached.", "4 stack instances, 4 OUTDATED")
}

// TestFailureTolerancePercent: 50% of two accounts tolerates one failure.
func TestFailureTolerancePercent(t *testing.T) {
	s := newSim(t)
	s.fail[acc2+"/us-east-1"] = "boom"
	m, _, log := s.manager()
	in := selfInput("us-east-1")
	in.Preferences.FailureTolerance = Amount{N: 50, Percent: true}
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	if p := s.sets["web"].ops[0].prefs; aws.ToInt32(p.FailureTolerancePercentage) != 50 || p.FailureToleranceCount != nil {
		t.Errorf("preferences %+v", p)
	}
}

// TestOperationInProgress: another operation runs on the stack set; the
// call is refused, cfngen follows the other one to its end and tries again.
func TestOperationInProgress(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1, &simInst{account: acc1, region: "us-east-1"})
	m, _, log := s.manager()
	in := selfInput("us-east-1")
	// Someone else's update starts after the plan was read: it shows as
	// OperationInProgressException on our call.
	s.api.CreateStackInstancesFunc = func(ctx context.Context, ci *cloudformation.CreateStackInstancesInput) (*cloudformation.CreateStackInstancesOutput, error) {
		if len(s.sets["web"].ops) == 0 {
			s.startOp("web", types.StackSetOperationActionUpdate, 0)
		}
		return s.createStackInstances(ctx, ci)
	}
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	wantIn(t, "log", log.String(),
		"another operation is under way on stack set web: waiting for it to end",
		"operation op-1 (UPDATE) is RUNNING on stack set web: following it",
		"update operation op-1: SUCCEEDED",
		"create operation cfngen-",
	)
	if n := count(s.api.Calls, "CreateStackInstances"); n != 2 {
		t.Errorf("CreateStackInstances called %d times, want 2", n)
	}
}

// TestRerunAttaches: an operation is under way when deploy starts (an
// earlier run was interrupted): deploy follows it, then plans from the
// state it left.
func TestRerunAttaches(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1)
	s.api.CreateStackInstancesFunc(context.Background(), &cloudformation.CreateStackInstancesInput{
		StackSetName: aws.String("web"), Accounts: []string{acc1, acc2}, Regions: []string{"us-east-1"},
		OperationId: aws.String("earlier"),
	})
	s.api.Calls = nil
	m, out, log := s.manager()
	_, err := m.Deploy(context.Background(), selfInput("us-east-1"))
	if !errors.Is(err, ErrNoChanges) {
		t.Fatalf("err %v, want ErrNoChanges once the earlier operation is done\n%s", err, log)
	}
	wantIn(t, "log", log.String(), "operation earlier (CREATE) is RUNNING on stack set web: following it", "2/2  333333333333  us-east-1       SUCCEEDED", "create operation earlier: SUCCEEDED")
	if out.Len() != 0 {
		t.Errorf("out: %s", out)
	}
}

// TestStoppedOperation: someone stops the operation: the running stack
// instance finishes, the rest are cancelled, ErrStopped.
func TestStoppedOperation(t *testing.T) {
	s := newSim(t)
	m, _, log := s.manager()
	m.Terminal = true // the live line shows STOPPING
	s.api.CreateStackInstancesFunc = func(ctx context.Context, ci *cloudformation.CreateStackInstancesInput) (*cloudformation.CreateStackInstancesOutput, error) {
		out, err := s.createStackInstances(ctx, ci)
		if err == nil {
			o := s.sets["web"].ops[0]
			s.stop(o, o.start.Add(1500*time.Millisecond))
		}
		return out, err
	}
	_, err := m.Deploy(context.Background(), selfInput("us-east-1", "eu-west-1"))
	var oe *OperationError
	if !errors.Is(err, ErrStopped) || !errors.As(err, &oe) || oe.Status != "STOPPED" {
		t.Fatalf("err %v, want ErrStopped\n%s", err, log)
	}
	wantIn(t, "log", log.String(), "STOPPING", "4/4  333333333333  us-east-1       SUCCEEDED", "CANCELLED  Cancelled since the operation was stopped", "create operation cfngen-20260102030405-04050607: STOPPED")
}

// TestTooFewZones: a region with fewer Availability Zones than the
// template uses is named, before anything changes.
func TestTooFewZones(t *testing.T) {
	s := newSim(t)
	s.zones["us-west-1"] = 2
	m, out, _ := s.manager()
	in := selfInput("us-east-1", "us-west-1")
	in.MinZones = 3
	_, err := m.Deploy(context.Background(), in)
	var ze *ZonesError
	if !errors.Is(err, ErrTooFewZones) || !errors.As(err, &ze) || ze.Region != "us-west-1" {
		t.Fatalf("err %v, want a ZonesError for us-west-1", err)
	}
	wantIn(t, "error", err.Error(), "region us-west-1 has 2 Availability Zones (us-west-1a, us-west-1b); the template needs 3")
	if count(s.api.Calls, "CreateStackSet") != 0 || out.Len() != 0 {
		t.Errorf("calls %v, out %q", s.api.Calls, out)
	}
}

// TestInterruptWhileFollowing: Ctrl-C while an operation runs stops the
// wait; CloudFormation goes on, the error names the operation.
func TestInterruptWhileFollowing(t *testing.T) {
	s := newSim(t)
	s.step = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	s.clock.OnSleep = func(n int) error {
		if n == 3 {
			cancel()
			return context.Canceled
		}
		return nil
	}
	m, out, log := s.manager()
	_, err := m.Deploy(ctx, selfInput("us-east-1"))
	var oe *OperationError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &oe) {
		t.Fatalf("err %v, want an OperationError wrapping context.Canceled", err)
	}
	if oe.ID != "cfngen-20260102030405-04050607" || oe.Status != "RUNNING" || oe.StackSet != "web" {
		t.Errorf("operation error %+v", oe)
	}
	wantIn(t, "log", log.String(), "interrupted: CloudFormation goes on with create operation cfngen-20260102030405-04050607 on stack set web (RUNNING)")
	if strings.Contains(out.String(), "ACCOUNT       REGION") {
		t.Errorf("an interrupted deploy printed the result table:\n%s", out)
	}
}

// TestInterruptDuringStartCall: the call that starts the operation is
// interrupted after the service got it: the operation exists by its ID,
// so it goes on; when it does not, nothing started.
func TestInterruptDuringStartCall(t *testing.T) {
	for _, started := range []bool{true, false} {
		s := newSim(t)
		ctx, cancel := context.WithCancel(context.Background())
		s.api.CreateStackInstancesFunc = func(c context.Context, ci *cloudformation.CreateStackInstancesInput) (*cloudformation.CreateStackInstancesOutput, error) {
			if started {
				s.createStackInstances(c, ci)
			}
			cancel()
			return nil, context.Canceled
		}
		m, _, log := s.manager()
		_, err := m.Deploy(ctx, selfInput("us-east-1"))
		var oe *OperationError
		if !errors.Is(err, context.Canceled) || errors.As(err, &oe) != started {
			t.Errorf("started=%v: err %v", started, err)
		}
		if started {
			wantIn(t, "log", log.String(), "interrupted: CloudFormation goes on with create operation cfngen-")
		} else {
			wantIn(t, "error", err.Error(), "interrupted before the operation started")
		}
	}
}

// TestRemovalNeedsConsent: instances no longer targeted are deleted only
// with AllowRemoval or the name typed; service-managed ones by OU.
func TestRemovalNeedsConsent(t *testing.T) {
	setup := func() *sim {
		s := newSim(t)
		s.ous[ouA] = []string{acc1}
		s.ous[ouB] = []string{acc2}
		s.addSet("web", types.PermissionModelsServiceManaged, tmpl1,
			&simInst{account: acc1, region: "us-east-1", ou: ouA}, &simInst{account: acc2, region: "us-east-1", ou: ouB},
			&simInst{account: acc1, region: "eu-west-1", ou: ouA})
		return s
	}
	in := serviceInput("us-east-1") // drops ouB and eu-west-1

	s := setup()
	m, out, _ := s.manager()
	_, err := m.Deploy(context.Background(), in)
	if !errors.Is(err, ErrRemovalRefused) || count(s.api.Calls, "DeleteStackInstances") != 0 {
		t.Fatalf("without consent: err %v, calls %v", err, s.api.Calls)
	}
	wantIn(t, "plan", out.String(), "remove  333333333333  ou-ab12-bbbbbbbb  us-east-1  CURRENT", "remove  222222222222  ou-ab12-aaaaaaaa  eu-west-1  CURRENT", "0 to add, 0 to update, 2 to remove")
	wantIn(t, "error", err.Error(), "the plan deletes 2 stack instances of stack set web")

	s = setup()
	m, _, _ = s.manager()
	p := &fakePrompter{answer: false}
	m.Prompt = p
	if _, err := m.Deploy(context.Background(), in); !errors.Is(err, ErrRemovalRefused) || len(p.Asked) != 1 || !strings.HasPrefix(p.Asked[0], "ConfirmTyped(web)") {
		t.Errorf("declined at the prompt: err %v, asked %v", err, p.Asked)
	}

	s = setup()
	m, _, log := s.manager()
	in.AllowRemoval = true
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("with AllowRemoval: %v\n%s", err, log)
	}
	if n := count(s.api.Calls, "DeleteStackInstances"); n != 2 {
		t.Errorf("%d DeleteStackInstances calls, want 2 (one per OU with its regions)", n)
	}
	if got := len(s.sets["web"].insts); got != 1 {
		t.Errorf("%d instances left, want 1", got)
	}
	wantIn(t, "log", log.String(), "removing stack instances: ou-ab12-aaaaaaaa in eu-west-1", "removing stack instances: ou-ab12-bbbbbbbb in us-east-1")
}

// TestConsent: without Yes, a terminal is needed; no at the prompt
// changes nothing.
func TestConsent(t *testing.T) {
	in := selfInput("us-east-1")
	in.Yes = false

	s := newSim(t)
	m, _, _ := s.manager()
	if _, err := m.Deploy(context.Background(), in); !errors.Is(err, ErrNeedsConsent) || count(s.api.Calls, "CreateStackSet") != 0 {
		t.Errorf("no terminal: err %v, calls %v", err, s.api.Calls)
	}

	s = newSim(t)
	m, _, _ = s.manager()
	p := &fakePrompter{answer: false}
	m.Prompt = p
	if _, err := m.Deploy(context.Background(), in); !errors.Is(err, ErrDeclined) || count(s.api.Calls, "CreateStackSet") != 0 {
		t.Errorf("declined: err %v, calls %v", err, s.api.Calls)
	}
	if len(p.Asked) != 1 || p.Asked[0] != "Confirm: Deploy stack set web (2 to add, 0 to update, 0 to remove)?" {
		t.Errorf("asked %q", p.Asked)
	}

	s = newSim(t)
	m, _, _ = s.manager()
	m.Prompt = &fakePrompter{answer: true}
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Errorf("yes at the prompt: %v", err)
	}
}

// TestTemplateUpdate: a changed template shows as a unified diff and
// updates every instance; a custom administration role is named again.
func TestTemplateUpdate(t *testing.T) {
	s := newSim(t)
	set := s.addSet("web", types.PermissionModelsSelfManaged, tmpl1, &simInst{account: acc1, region: "us-east-1"}, &simInst{account: acc2, region: "us-east-1"})
	set.admin = "arn:aws:iam::" + adminAccount + ":role/WebStackSetAdmin"
	m, out, log := s.manager()
	in := selfInput("us-east-1")
	in.Template = []byte(tmpl2)
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	wantIn(t, "plan", out.String(),
		"update stack set web: template changes\ndiff stack set web cfngen\n--- stack set web\n+++ cfngen\n",
		"+    Properties:\n+      DisplayName: web\n",
		"update  222222222222  -         us-east-1  CURRENT",
		"0 to add, 2 to update, 0 to remove")
	wantIn(t, "log", log.String(), "update operation cfngen-", "SUCCEEDED")
	if set.template != tmpl2 || set.admin != "arn:aws:iam::"+adminAccount+":role/WebStackSetAdmin" {
		t.Errorf("stack set: template %q, admin %s", set.template, set.admin)
	}
	if order := set.ops[0].prefs.RegionOrder; len(order) != 0 {
		t.Errorf("one region, yet an order: %v", order)
	}
}

// TestUpdateRegionOrder: an update goes through the target regions in
// the order given, then any other region with instances.
func TestUpdateRegionOrder(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1, &simInst{account: acc1, region: "ap-south-1"},
		&simInst{account: acc1, region: "eu-west-1"}, &simInst{account: acc1, region: "us-east-1"})
	m, _, log := s.manager()
	in := selfInput("us-east-1", "eu-west-1")
	in.Accounts = []string{acc1}
	in.Template, in.AllowRemoval = []byte(tmpl2), true
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	if order := s.sets["web"].ops[0].prefs.RegionOrder; !slices.Equal(order, []string{"us-east-1", "eu-west-1", "ap-south-1"}) {
		t.Errorf("update order %v", order)
	}
	wantIn(t, "log", log.String(), "removing stack instances: 222222222222 in ap-south-1")
}

// TestTemplateRemovesResources: a template that drops a resource deletes
// it in every instance, so it needs the same consent as a removal.
func TestTemplateRemovesResources(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1, &simInst{account: acc1, region: "us-east-1"}, &simInst{account: acc2, region: "us-east-1"})
	m, out, _ := s.manager()
	in := selfInput("us-east-1")
	in.Template = []byte(tmpl3)
	_, err := m.Deploy(context.Background(), in)
	if !errors.Is(err, ErrRemovalRefused) || count(s.api.Calls, "UpdateStackSet") != 0 {
		t.Fatalf("err %v, calls %v", err, s.api.Calls)
	}
	wantIn(t, "plan", out.String(), "the template no longer has Topic: every stack instance deletes it", "-  Topic:\n")
	wantIn(t, "error", err.Error(), "the template deletes Topic from every stack instance")
}

// TestOutdatedInstancesAreRedeployed: an unchanged template with an
// instance left OUTDATED by a failed operation updates the stack set.
func TestOutdatedInstancesAreRedeployed(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1, &simInst{account: acc1, region: "us-east-1"},
		&simInst{account: acc2, region: "us-east-1", status: types.StackInstanceStatusOutdated, detailed: types.StackInstanceDetailedStatusFailed, reason: "quota"})
	m, out, log := s.manager()
	if _, err := m.Deploy(context.Background(), selfInput("us-east-1")); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	wantIn(t, "plan", out.String(), "update stack set web: template unchanged", "update  333333333333  -         us-east-1  OUTDATED", "2 stack instances, 2 CURRENT")
}

// TestExecutionRoleMissing: a target account without the execution role
// fails with the service's words; the error says roles are missing.
func TestExecutionRoleMissing(t *testing.T) {
	s := newSim(t)
	s.noExecRole[acc2] = true
	m, _, log := s.manager()
	_, err := m.Deploy(context.Background(), selfInput("us-east-1"))
	var re *RoleError
	if !errors.Is(err, ErrRolesMissing) || !errors.Is(err, ErrFailed) || !errors.As(err, &re) {
		t.Fatalf("err %v, want ErrRolesMissing and ErrFailed\n%s", err, log)
	}
	if re.Role != DefaultExecutionRole || re.Account != acc2 {
		t.Errorf("role error %+v", re)
	}
}

// TestAdministrationRoleMissing: the service refuses the operation when
// the administration role is missing.
func TestAdministrationRoleMissing(t *testing.T) {
	s := newSim(t)
	s.noAdmin = true
	m, _, _ := s.manager()
	_, err := m.Deploy(context.Background(), selfInput("us-east-1"))
	var re *RoleError
	if !errors.Is(err, ErrRolesMissing) || !errors.As(err, &re) || re.Role != DefaultAdminRoleName {
		t.Fatalf("err %v (%+v), want a RoleError for the administration role", err, re)
	}
	wantIn(t, "error", err.Error(), "should have 'AWSCloudFormationStackSetAdministrationRole' role with trust relationship to CloudFormation service")
}

// TestPermissionModelMismatch: an existing self-managed set is not
// deployed to OUs.
func TestPermissionModelMismatch(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1)
	m, _, _ := s.manager()
	if _, err := m.Deploy(context.Background(), serviceInput("us-east-1")); !errors.Is(err, ErrPermissionModel) {
		t.Fatalf("err %v, want ErrPermissionModel", err)
	}
}

// TestParallelRegionsAndOrder: the preferences reach the service; an
// order names only the regions of each operation.
func TestParallelRegionsAndOrder(t *testing.T) {
	s := newSim(t)
	m, _, log := s.manager()
	in := selfInput("us-east-1", "eu-west-1")
	in.Preferences = Preferences{MaxConcurrent: Amount{N: 50, Percent: true}, RegionOrder: []string{"eu-west-1", "us-east-1"}}
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	p := s.sets["web"].ops[0].prefs
	if !slices.Equal(p.RegionOrder, []string{"eu-west-1", "us-east-1"}) || aws.ToInt32(p.MaxConcurrentPercentage) != 50 || p.MaxConcurrentCount != nil {
		t.Errorf("preferences %+v", p)
	}
	if i, j := strings.Index(log.String(), "eu-west-1       SUCCEEDED"), strings.Index(log.String(), "us-east-1       SUCCEEDED"); i < 0 || j < i {
		t.Errorf("eu-west-1 not first:\n%s", log)
	}

	s = newSim(t)
	m, _, log = s.manager()
	in.Preferences = Preferences{ParallelRegions: true}
	if _, err := m.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v\n%s", err, log)
	}
	wantIn(t, "log", log.String(), "SUCCEEDED in 3s") // sequential: 4s
}

// TestHeartbeat: without a terminal a line comes at least every
// heartbeat; on a terminal one live line is rewritten.
func TestHeartbeat(t *testing.T) {
	s := newSim(t)
	s.step = 45 * time.Second
	m, _, log := s.manager()
	m.Heartbeat = 10 * time.Second
	if _, err := m.Deploy(context.Background(), selfInput("us-east-1")); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(log.String(), "still create operation cfngen-20260102030405-04050607 RUNNING, "); n < 6 {
		t.Errorf("%d heartbeat lines in 90 s, want at least 6:\n%s", n, log)
	}
	wantIn(t, "log", log.String(), "0/2 stack instances done, 10s elapsed")

	s = newSim(t)
	m, _, log = s.manager()
	m.Terminal = true
	if _, err := m.Deploy(context.Background(), selfInput("us-east-1")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "\r\x1b[Kcreate operation") || strings.Contains(log.String(), "still ") {
		t.Errorf("no live line:\n%q", log)
	}
}

// TestBadInput: every field is checked before any call.
func TestBadInput(t *testing.T) {
	cases := []struct {
		edit func(*Input)
		want string
	}{
		{func(in *Input) { in.Name = "" }, "Name: stack set name is empty"},
		{func(in *Input) { in.Name = "1web" }, `Name: stack set name "1web" must start with a letter`},
		{func(in *Input) { in.Name = strings.Repeat("a", 129) }, "Name: stack set name is 129 characters; the limit is 128"},
		{func(in *Input) { in.Regions = nil }, "Regions: the list is empty"},
		{func(in *Input) { in.Regions = []string{"us-east-1", "us-east-1"} }, "Regions: us-east-1 is given twice"},
		{func(in *Input) { in.Regions = []string{"moon-1"} }, `Regions: "moon-1" is not an AWS region`},
		{func(in *Input) { in.Accounts = []string{"12345"} }, `Accounts: "12345" is not an account ID (12 digits)`},
		{func(in *Input) { in.Accounts = nil }, "Accounts: the list is empty"},
		{func(in *Input) { in.OrgUnits = []string{ouA} }, "OrgUnits: a self-managed stack set targets accounts"},
		{func(in *Input) { in.Model = ServiceManaged; in.Accounts = nil; in.OrgUnits = []string{"ou-x"} }, `OrgUnits: "ou-x" is not an organizational unit ID`},
		{func(in *Input) { in.Model = ServiceManaged }, "Accounts: a service-managed stack set targets organizational units"},
		{func(in *Input) { in.Model = "" }, `Model: "": want SELF_MANAGED or SERVICE_MANAGED`},
		{func(in *Input) { in.DelegatedAdmin = true }, "DelegatedAdmin: only a service-managed stack set"},
		{func(in *Input) { in.AdminRoleARN = "arn:aws:iam::1:role/x" }, "AdminRoleARN: \"arn:aws:iam::1:role/x\" is not an IAM role ARN"},
		{func(in *Input) { in.ExecutionRoleName = "a b" }, `ExecutionRoleName: "a b" is not an IAM role name`},
		{func(in *Input) { in.Preferences.MaxConcurrent = Amount{N: 0, Percent: true} }, "MaxConcurrent: 0%: want 1 or more, or 1% to 100%"},
		{func(in *Input) { in.Preferences.FailureTolerance = Amount{N: 101, Percent: true} }, "FailureTolerance: 101%: want 0 or more"},
		{func(in *Input) { in.Preferences.RegionOrder = []string{"eu-west-1"} }, "RegionOrder: eu-west-1 is not one of the target regions (us-east-1)"},
		{func(in *Input) {
			in.Preferences.RegionOrder = []string{"us-east-1"}
			in.Preferences.ParallelRegions = true
		}, "RegionOrder: regions deployed in parallel have no order"},
		{func(in *Input) { in.Template = make([]byte, cfnrules.MaxTemplateBody+1) }, "template too large: 51201 bytes"},
	}
	for _, tc := range cases {
		s := newSim(t)
		m, _, _ := s.manager()
		in := selfInput("us-east-1")
		tc.edit(&in)
		_, err := m.Deploy(context.Background(), in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("err %v, want %q", err, tc.want)
		}
		if len(s.api.Calls) > 0 {
			t.Errorf("%q: calls made: %v", tc.want, s.api.Calls)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]Amount{"0": {0, false}, "3": {3, false}, "25%": {25, true}, "100%": {100, true}} {
		if got, err := ParseAmount(in); err != nil || got != want || got.String() != in {
			t.Errorf("ParseAmount(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "%", "-1", "+2", "1.5", "x%", "1 %", "%5"} {
		if _, err := ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) accepted", in)
		}
	}
}

func TestGroups(t *testing.T) {
	got := groups([]Target{{"b", "r1"}, {"a", "r1"}, {"a", "r2"}, {"c", "r2"}, {"b", "r2"}, {"c", "r3"}}, []string{"r2"})
	want := []group{{ids: []string{"a", "b"}, regions: []string{"r2", "r1"}}, {ids: []string{"c"}, regions: []string{"r2", "r3"}}}
	if len(got) != len(want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i].ids, want[i].ids) || !slices.Equal(got[i].regions, want[i].regions) {
			t.Errorf("group %d: %v, want %v", i, got[i], want[i])
		}
	}
}
