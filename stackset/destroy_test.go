package stackset

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func twoOUs(t *testing.T) *sim {
	s := newSim(t)
	s.ous[ouA] = []string{acc1}
	s.ous[ouB] = []string{acc2}
	s.addSet("web", types.PermissionModelsServiceManaged, tmpl1,
		&simInst{account: acc1, region: "us-east-1", ou: ouA}, &simInst{account: acc1, region: "eu-west-1", ou: ouA},
		&simInst{account: acc2, region: "us-east-1", ou: ouB})
	return s
}

// TestDestroy lists the instances, deletes them by OU (following each
// operation), then the stack set.
func TestDestroy(t *testing.T) {
	s := twoOUs(t)
	m, out, log := s.manager()
	if err := m.Destroy(context.Background(), DestroyInput{Name: "web", Yes: true}); err != nil {
		t.Fatalf("Destroy: %v\n%s", err, log)
	}
	wantIn(t, "out", out.String(), "222222222222  eu-west-1  ou-ab12-aaaaaaaa  CURRENT", "3 stack instances, 3 CURRENT",
		"delete stack set web and its 3 stack instances, with their stacks and resources")
	wantIn(t, "log", log.String(),
		"deleting stack instances: ou-ab12-aaaaaaaa in eu-west-1, us-east-1",
		"deleting stack instances: ou-ab12-bbbbbbbb in us-east-1",
		"delete operation cfngen-", "SUCCEEDED",
		"deleted stack set web")
	if !s.sets["web"].deleted {
		t.Error("stack set not deleted")
	}
}

func TestDestroyConsent(t *testing.T) {
	s := twoOUs(t)
	m, _, _ := s.manager()
	if err := m.Destroy(context.Background(), DestroyInput{Name: "web"}); !errors.Is(err, ErrNeedsConsent) {
		t.Errorf("no terminal: %v", err)
	}
	p := &fakePrompter{answer: false}
	m.Prompt = p
	if err := m.Destroy(context.Background(), DestroyInput{Name: "web"}); !errors.Is(err, ErrDeclined) {
		t.Errorf("declined: %v", err)
	}
	if len(p.Asked) != 1 || !strings.HasPrefix(p.Asked[0], "ConfirmTyped(web): Delete stack set web") {
		t.Errorf("asked %q", p.Asked)
	}
	if count(s.api.Calls, "DeleteStackInstances")+count(s.api.Calls, "DeleteStackSet") != 0 {
		t.Errorf("deleted without consent: %v", s.api.Calls)
	}
}

// TestDestroySelfManagedRetain: self-managed instances are named by
// account; RetainStacks reaches the service.
func TestDestroySelfManagedRetain(t *testing.T) {
	s := newSim(t)
	s.addSet("web", types.PermissionModelsSelfManaged, tmpl1, &simInst{account: acc1, region: "us-east-1"}, &simInst{account: acc2, region: "us-east-1"})
	var retain []bool
	s.api.DeleteStackInstancesFunc = func(ctx context.Context, in *cloudformation.DeleteStackInstancesInput) (*cloudformation.DeleteStackInstancesOutput, error) {
		retain = append(retain, *in.RetainStacks)
		if len(in.Accounts) != 2 || in.DeploymentTargets != nil {
			t.Errorf("targets: accounts %v, deployment targets %+v", in.Accounts, in.DeploymentTargets)
		}
		return s.deleteStackInstances(ctx, in)
	}
	m, out, log := s.manager()
	if err := m.Destroy(context.Background(), DestroyInput{Name: "web", Yes: true, RetainStacks: true}); err != nil {
		t.Fatalf("Destroy: %v\n%s", err, log)
	}
	if len(retain) != 1 || !retain[0] {
		t.Errorf("RetainStacks %v", retain)
	}
	wantIn(t, "out", out.String(), "its 2 stack instances leave it, their stacks stay")
}

// TestDestroyUnknownOrgUnit: service-managed instances without an OU (as
// moto lists them) cannot be deleted: nothing is touched.
func TestDestroyUnknownOrgUnit(t *testing.T) {
	s := twoOUs(t)
	s.noOU = true
	m, _, _ := s.manager()
	err := m.Destroy(context.Background(), DestroyInput{Name: "web", Yes: true})
	if !errors.Is(err, ErrUnknownOrgUnit) || count(s.api.Calls, "DeleteStackInstances") != 0 {
		t.Fatalf("err %v, calls %v", err, s.api.Calls)
	}
	wantIn(t, "error", err.Error(), "222222222222 eu-west-1, 222222222222 us-east-1, 333333333333 us-east-1")
}

// TestDestroyLeftovers: a deletion that succeeds but leaves instances
// (one that failed within tolerance, or a server that ignores the
// targets) keeps the stack set and says which remain.
func TestDestroyLeftovers(t *testing.T) {
	s := twoOUs(t)
	s.api.DeleteStackInstancesFunc = func(ctx context.Context, in *cloudformation.DeleteStackInstancesInput) (*cloudformation.DeleteStackInstancesOutput, error) {
		in.DeploymentTargets.OrganizationalUnitIds = []string{"ou-ab12-nothere0"} // deletes nothing
		return s.deleteStackInstances(ctx, in)
	}
	m, _, _ := s.manager()
	err := m.Destroy(context.Background(), DestroyInput{Name: "web", Yes: true})
	if !errors.Is(err, ErrFailed) || count(s.api.Calls, "DeleteStackSet") != 0 {
		t.Fatalf("err %v, calls %v", err, s.api.Calls)
	}
	wantIn(t, "error", err.Error(), "stack set web still has 3 stack instances after their deletion succeeded")
}

func TestDestroyNotFound(t *testing.T) {
	s := newSim(t)
	m, _, _ := s.manager()
	if err := m.Destroy(context.Background(), DestroyInput{Name: "web", Yes: true}); !errors.Is(err, ErrNotFound) {
		t.Errorf("err %v, want ErrNotFound", err)
	}
	if _, err := m.Status(context.Background(), "web", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("status: err %v, want ErrNotFound", err)
	}
}

// TestStatus reads the instances and the last operations, newest first.
func TestStatus(t *testing.T) {
	s := twoOUs(t)
	for range 6 {
		o := s.startOp("web", types.StackSetOperationActionUpdate, 0)
		s.clock.Advance(s.step * 10)
		s.advance(s.sets["web"], o)
	}
	s.sets["web"].insts[2].status = types.StackInstanceStatusOutdated
	s.sets["web"].insts[2].reason = "User Initiated"
	m, _, _ := s.manager()
	st, err := m.Status(context.Background(), "web", false)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Instances) != 3 || len(st.Operations) != statusOperations || st.Operations[0].ID != "op-6" || st.Model != "SERVICE_MANAGED" {
		t.Fatalf("status %+v", st)
	}
	var b strings.Builder
	if err := st.Write(&b); err != nil {
		t.Fatal(err)
	}
	wantIn(t, "status", b.String(),
		"stack set web (SERVICE_MANAGED, ACTIVE)",
		"333333333333  us-east-1  ou-ab12-bbbbbbbb  OUTDATED  SUCCEEDED        User Initiated",
		"3 stack instances, 2 CURRENT, 1 OUTDATED",
		"OPERATION  ACTION  STATUS     STARTED               ENDED                 REASON",
		"op-6       UPDATE  SUCCEEDED  2026-01-02T03:04:55Z  2026-01-02T03:04:58Z  -",
	)
	if strings.Contains(b.String(), "op-1 ") {
		t.Errorf("more than %d operations:\n%s", statusOperations, b.String())
	}
}
