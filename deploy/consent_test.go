package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// dangerousChanges remove one resource and may replace two.
var dangerousChanges = []types.Change{
	change("Modify", "VPC", "AWS::EC2::VPC", "True", "CidrBlock"),
	change("Modify", "Role", "AWS::IAM::Role", "Conditional", "RoleName", "Path"),
	change("Remove", "Subnet", "AWS::EC2::Subnet", ""),
}

func updateDone() []tick {
	return []tick{{after: time.Second, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}}}}
}

func TestDeployDangerousChanges(t *testing.T) {
	typed := "ConfirmTyped(web): The change set removes or may replace resources of stack web. Type the stack name to execute it"
	for _, tc := range []struct {
		name    string
		yes     bool
		allow   bool
		prompt  *fakePrompter
		wantErr error
		asked   []string
	}{
		{name: "refused with yes and no terminal", yes: true, wantErr: ErrReplacementRefused},
		{name: "refused at the typed prompt even with yes", yes: true, prompt: answer(false), wantErr: ErrReplacementRefused, asked: []string{typed}},
		{name: "typed at the prompt", prompt: answer(true), asked: []string{typed}},
		{name: "allowed with yes", yes: true, allow: true, prompt: &fakePrompter{}},
		{name: "allowed, then asked", allow: true, prompt: answer(true), asked: []string{"Confirm: Execute change set cfngen-20260102040405-0001 on stack web?"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			existing(s, "UPDATE_COMPLETE")
			s.changes = dangerousChanges
			s.onExecute = updateDone()
			d, out, log := s.deployer()
			if tc.prompt != nil {
				d.Prompt = tc.prompt
			}
			in := testInput()
			in.Yes, in.AllowReplacement = tc.yes, tc.allow
			res, err := d.Deploy(context.Background(), in)
			if !errors.Is(err, tc.wantErr) || (err != nil) != (tc.wantErr != nil) {
				t.Fatalf("Deploy: %v, want %v\nlog:\n%s", err, tc.wantErr, log)
			}
			name := res.ChangeSet.Name
			if tc.wantErr != nil {
				check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "DeleteChangeSet " + name})
				check(t, "error", err.Error(), "replacement refused: change set "+name+" removes or may replace resources of stack web")
				var ce *ConsentError
				if !errors.As(err, &ce) || ce.Needed != ToReplace || len(ce.Risky) != 3 {
					t.Errorf("error %#v, want a ConsentError ToReplace with the 3 risky changes", err)
				}
			} else {
				check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + name})
			}
			if tc.prompt != nil {
				check(t, "asked", tc.prompt.Asked, tc.asked)
			}
			checkText(t, "Out table", strings.SplitAfterN(out.String(), "replacements\n", 2)[0], `ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
Modify  VPC         AWS::EC2::VPC     True         CidrBlock
Modify  Role        AWS::IAM::Role    Conditional  RoleName, Path
Remove  Subnet      AWS::EC2::Subnet  -            -
0 to add, 2 to modify, 1 to remove, 2 replacements
`)
			why := "the change set removes or may replace resources:\n" +
				"  VPC (AWS::EC2::VPC): replaced\n" +
				"  Role (AWS::IAM::Role): may be replaced (Replacement: Conditional)\n" +
				"  Subnet (AWS::EC2::Subnet): removed\n"
			check(t, "reasons on Log", strings.Contains(log.String(), why), !tc.allow)
			check(t, "refusal on Log", strings.Contains(log.String(), "not executed: removing or replacing resources needs consent\n"), tc.name == "refused with yes and no terminal")
		})
	}
}

func TestDeployDeclinedCreateCleansUp(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	d, _, log := s.deployer()
	p := answer(false)
	d.Prompt = p
	in := testInput()
	in.Yes = false
	res, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrDeclined) {
		t.Fatalf("Deploy: %v, want ErrDeclined", err)
	}
	name := res.ChangeSet.Name
	check(t, "asked", p.Asked, []string{"Confirm: Execute change set " + name + " on stack web?"})
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + name, "DeleteStack web#1"})
	check(t, "review stack gone", s.stacks[0].gone, true)
	if !strings.HasSuffix(log.String(), "deleted change set "+name+"\ndeleted empty stack web (REVIEW_IN_PROGRESS)\n") {
		t.Errorf("Log:\n%s", log)
	}
}

func TestDeployConfirmed(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "False", "Tags")}
	s.onExecute = updateDone()
	d, _, _ := s.deployer()
	p := answer(true)
	d.Prompt = p
	in := testInput()
	in.Yes = false
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "asked", len(p.Asked), 1)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + res.ChangeSet.Name})
}

func TestDeployNeedsConsentWithoutTerminal(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	d, out, log := s.deployer()
	in := testInput()
	in.Yes = false
	res, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrNeedsConsent) {
		t.Fatalf("Deploy: %v, want ErrNeedsConsent", err)
	}
	name := res.ChangeSet.Name
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + name, "DeleteStack web#1"})
	check(t, "table shown", strings.HasSuffix(out.String(), "3 to add, 0 to modify, 0 to remove, 0 replacements\n"), true)
	checkText(t, "Log", log.String(), "created change set "+name+", waiting for CloudFormation to compute it\n"+
		"not executed: no terminal to ask for consent on\n"+
		"deleted change set "+name+"\n"+
		"deleted empty stack web (REVIEW_IN_PROGRESS)\n")
}

func TestDeployNoExecute(t *testing.T) {
	s := newSim(t)
	s.changes = dangerousChanges
	existing(s, "UPDATE_COMPLETE")
	d, out, log := s.deployer()
	in := testInput()
	in.Yes, in.NoExecute = false, true
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	name := res.ChangeSet.Name
	check(t, "executed", res.Executed, false)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE"})
	check(t, "change set kept", s.changeSet(name) != nil, true)
	check(t, "table shown", strings.Contains(out.String(), "Remove  Subnet"), true)
	checkText(t, "Log", log.String(), "created change set "+name+", waiting for CloudFormation to compute it\n"+
		"change set "+name+" left for review on stack web\n"+
		"  delete it: aws cloudformation delete-change-set --stack-name web --change-set-name "+name+"\n")
}

// TestGuardFailsClosed: a Modify of which CloudFormation does not say
// whether it replaces the resource (moto never says) needs the same consent
// as a replacement, and the Log says that CloudFormation did not say.
func TestGuardFailsClosed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change types.Change
		risky  bool
	}{
		{"no Replacement", change("Modify", "VPC", "AWS::EC2::VPC", "", "CidrBlock"), true},
		{"Dynamic without Replacement", change("Dynamic", "VPC", "AWS::EC2::VPC", ""), true},
		{"Replacement False", change("Modify", "VPC", "AWS::EC2::VPC", "False", "Tags"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			existing(s, "UPDATE_COMPLETE")
			s.changes = []types.Change{tc.change}
			s.onExecute = updateDone()
			d, out, log := s.deployer()
			res, err := d.Deploy(context.Background(), testInput()) // Yes, no AllowReplacement
			if !tc.risky {
				if err != nil {
					t.Fatalf("Deploy: %v", err)
				}
				check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + res.ChangeSet.Name})
				return
			}
			if !errors.Is(err, ErrReplacementRefused) {
				t.Fatalf("Deploy: %v, want ErrReplacementRefused", err)
			}
			check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "DeleteChangeSet " + res.ChangeSet.Name})
			if !strings.Contains(log.String(), "  VPC (AWS::EC2::VPC): may be replaced: CloudFormation did not say whether it is\n") {
				t.Errorf("Log does not say that CloudFormation did not say:\n%s", log)
			}
			if !strings.Contains(out.String(), " unknown ") || !strings.HasSuffix(out.String(), ", 1 unknown\n") && tc.change.ResourceChange.Action == "Modify" {
				t.Errorf("the table does not show the replacement as unknown:\n%s", out)
			}
		})
	}
}
