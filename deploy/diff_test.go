package deploy

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func TestDiffUpdate(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "True", "CidrBlock")}
	d, out, _ := s.deployer()
	cs, err := d.Diff(context.Background(), testInput())
	if err != nil {
		t.Fatal(err)
	}
	check(t, "change set", []any{cs.StackName, cs.StackID, cs.Type, cs.Status, cs.ExecutionStatus, cs.Deleted},
		[]any{"web", s.stacks[0].id, "UPDATE", "CREATE_COMPLETE", "AVAILABLE", true})
	check(t, "changes", cs.Changes, []Change{{Action: "Modify", LogicalID: "Subnet", Type: "AWS::EC2::Subnet", Replacement: "True",
		Properties: []string{"CidrBlock"}, Details: []PropertyChange{{Attribute: "Properties", Name: "CidrBlock"}}}})
	check(t, "template", string(cs.Previous), testTemplate)
	check(t, "security", *cs.Security, SecurityChanges{})
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "DeleteChangeSet " + cs.Name})
	checkText(t, "Out", out.String(), `ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
Modify  Subnet      AWS::EC2::Subnet  True         CidrBlock
0 to add, 1 to modify, 0 to remove, 1 replacement
Subnet: replaced
`)
}

func TestDiffCreateLeavesNothing(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	d, _, _ := s.deployer()
	cs, err := d.Diff(context.Background(), testInput())
	if err != nil {
		t.Fatal(err)
	}
	check(t, "type", cs.Type, "CREATE")
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + cs.Name, "DeleteStack web#1"})
	check(t, "stack gone", s.stacks[0].gone, true)
}

func TestDiffNoChanges(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.csStatus, s.csReason = "FAILED", "No updates are to be performed."
	d, _, _ := s.deployer()
	if _, err := d.Diff(context.Background(), testInput()); !errors.Is(err, ErrNoChanges) {
		t.Fatalf("Diff: %v, want ErrNoChanges", err)
	}
	check(t, "mutations", len(s.mutations()), 2)
}

func TestDiffNeverDeletesAStack(t *testing.T) {
	s := newSim(t)
	existing(s, "ROLLBACK_COMPLETE")
	d, _, _ := s.deployer()
	in := testInput()
	in.AllowDeleteRollbackComplete = true
	_, err := d.Diff(context.Background(), in)
	if !errors.Is(err, ErrStackState) {
		t.Fatalf("Diff: %v, want ErrStackState", err)
	}
	check(t, "error", err.Error(), "stack cannot be updated: stack web is ROLLBACK_COMPLETE: it can only be deleted and created again")
	var se *StackStateError
	check(t, "StackStateError", errors.As(err, &se) && se.Deletable && se.Status == "ROLLBACK_COMPLETE", true)
	check(t, "mutations", s.mutations(), []string(nil))
}

func TestBadInputMakesNoCall(t *testing.T) {
	for name, mod := range map[string]func(*Input){
		"stack name": func(in *Input) { in.StackName = "web_1" },
		"template":   func(in *Input) { in.Template = []byte("Resources: [") },
	} {
		t.Run(name, func(t *testing.T) {
			s := newSim(t)
			d, _, _ := s.deployer()
			in := testInput()
			mod(&in)
			if _, err := d.Deploy(context.Background(), in); err == nil {
				t.Error("Deploy: no error")
			}
			if _, err := d.Diff(context.Background(), in); err == nil {
				t.Error("Diff: no error")
			}
			check(t, "calls", s.api.Calls, []string(nil))
		})
	}
}
