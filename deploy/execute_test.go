package deploy

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// reviewed leaves a change set for review with NoExecute, as deploy
// --no-execute does, and returns its name.
func reviewed(t *testing.T, s *sim, in Input) string {
	t.Helper()
	d, _, _ := s.deployer()
	in.NoExecute = true
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res.ChangeSet.Name
}

func TestExecuteReviewed(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	s.onExecute = createScript(s)
	name := reviewed(t, s, testInput())
	d, out, log := s.deployer()
	res, err := d.Execute(context.Background(), ExecuteInput{StackName: "web", ChangeSet: name, Yes: true})
	if err != nil {
		t.Fatalf("Execute: %v\n%s", err, log)
	}
	check(t, "status", res.Status, "CREATE_COMPLETE")
	check(t, "executed", *s.executed[0].ChangeSetName, res.ChangeSet.ID)
	check(t, "reviewed", res.ChangeSet.Name, name)
	check(t, "change sets made", len(s.created), 1)
	// Its parameter's source is not known: the change set was made before.
	checkText(t, "Out", out.String(), "parameters:\n  Cidr: 10.1.0.0/16\n"+createOut)
}

func TestExecuteNeedsTheSameConsent(t *testing.T) {
	s, in := securityStack(t, openPort80)
	name := reviewed(t, s, in)
	d, _, log := s.deployer()
	_, err := d.Execute(context.Background(), ExecuteInput{StackName: "web", ChangeSet: name, Yes: true})
	if !errors.Is(err, ErrBroadeningRefused) {
		t.Fatalf("Execute --yes: %v, want ErrBroadeningRefused", err)
	}
	if !strings.HasSuffix(log.String(), "not executed: widening access needs consent\nchange set "+name+" is left as it is on stack web\n") {
		t.Errorf("Log:\n%s", log)
	}
	// Not this run's: left.
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE"})
	if _, err := d.Execute(context.Background(), ExecuteInput{StackName: "web", ChangeSet: name, Yes: true, AllowBroadening: true}); err != nil {
		t.Fatalf("Execute with consent: %v", err)
	}
	check(t, "executed", len(s.executed), 1)
	// Executed: not again.
	_, err = d.Execute(context.Background(), ExecuteInput{StackName: "web", ChangeSet: name, Yes: true, AllowBroadening: true})
	var se *ChangeSetStateError
	if !errors.As(err, &se) || !errors.Is(err, ErrNotExecutable) {
		t.Fatalf("Execute again: %v, want ErrNotExecutable", err)
	}
	check(t, "state", []string{se.Status, se.ExecutionStatus}, []string{"CREATE_COMPLETE", "EXECUTE_COMPLETE"})
	_, err = d.Execute(context.Background(), ExecuteInput{StackName: "web", ChangeSet: "nope", Yes: true})
	if !errors.Is(err, ErrChangeSetNotFound) {
		t.Errorf("Execute of a missing change set: %v", err)
	}
}

func TestChangeSets(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "True", "CidrBlock"), change("Add", "Topic", "AWS::SNS::Topic", "")}
	a := reviewed(t, s, testInput())
	s.changes = []types.Change{change("Modify", "VPC", "AWS::EC2::VPC", "", "Tags")}
	b := reviewed(t, s, testInput())
	s.csStatus, s.csReason = "FAILED", "Template error: something"
	d, _, _ := s.deployer()
	d.Diff(context.Background(), testInput())
	// Another stack's change set is not listed.
	s.addStack("other", "REVIEW_IN_PROGRESS")
	sets, err := d.ChangeSets(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, cs := range sets {
		got = append(got, cs.Name)
	}
	check(t, "names", got, []string{a, b})
	check(t, "counts", []int{sets[0].Add, sets[0].Modify, sets[0].Replace, sets[1].Modify, sets[1].Unknown}, []int{1, 1, 1, 1, 1})
	var buf bytes.Buffer
	if err := WriteChangeSets(&buf, sets); err != nil {
		t.Fatal(err)
	}
	checkText(t, "table", buf.String(), `NAME                        STATUS           EXECUTION  CREATED               CHANGES
`+a+`  CREATE_COMPLETE  AVAILABLE  2026-01-02 04:04:05Z  1 to add, 1 to modify, 0 to remove, 1 replaced
`+b+`  CREATE_COMPLETE  AVAILABLE  2026-01-02 04:04:05Z  0 to add, 1 to modify, 0 to remove, 1 unknown
`)
	if _, err := d.ChangeSets(context.Background(), "nope"); !errors.Is(err, ErrStackNotFound) {
		t.Errorf("ChangeSets of a missing stack: %v", err)
	}
}
