package deploy

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

const testTemplate = `Parameters:
  Cidr:
    Type: String
    Default: 10.0.0.0/16
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: !Select [0, !Cidr [!GetAtt VPC.CidrBlock, 4, 8]]
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-role"
      AssumeRolePolicyDocument: {}
`

func testInput() Input {
	return Input{
		StackName:  "web",
		Template:   []byte(testTemplate),
		Parameters: map[string]string{"Cidr": "10.1.0.0/16"},
		Tags:       map[string]string{"project": "cfngen", "env": "test"},
		Yes:        true,
	}
}

// addChanges are the changes of a first deploy of testTemplate.
var addChanges = []types.Change{
	change("Add", "VPC", "AWS::EC2::VPC", ""),
	change("Add", "Subnet", "AWS::EC2::Subnet", ""),
	change("Add", "Role", "AWS::IAM::Role", ""),
}

// createScript is a successful creation of testTemplate.
func createScript(s *sim) []tick {
	return []tick{
		{after: 0, events: []ev{
			{"VPC", "AWS::EC2::VPC", "CREATE_IN_PROGRESS", ""},
			{"Role", "AWS::IAM::Role", "CREATE_IN_PROGRESS", ""},
			{"VPC", "AWS::EC2::VPC", "CREATE_IN_PROGRESS", "Resource creation Initiated"},
		}},
		{after: time.Second, events: []ev{
			{"VPC", "AWS::EC2::VPC", "CREATE_COMPLETE", ""},
			{"Subnet", "AWS::EC2::Subnet", "CREATE_IN_PROGRESS", ""},
		}},
		{after: 2 * time.Second, status: "CREATE_COMPLETE", events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "CREATE_COMPLETE", ""},
			{"Role", "AWS::IAM::Role", "CREATE_COMPLETE", ""},
			{"", "", "CREATE_COMPLETE", ""},
		}, do: func() {
			s.find("web").outputs = []types.Output{
				{OutputKey: aws.String("VpcId"), OutputValue: aws.String("vpc-0abc"), Description: aws.String("the VPC")},
				{OutputKey: aws.String("URL"), OutputValue: aws.String("http://web.example")},
			}
		}},
	}
}

// createOut is Out after the first deploy of testInput, below its
// parameters: the plan and the outputs.
const createOut = `stack tags:
  + env: test
  + project: cfngen
ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
Add     VPC         AWS::EC2::VPC     -            -
Add     Subnet      AWS::EC2::Subnet  -            -
Add     Role        AWS::IAM::Role    -            -
3 to add, 0 to modify, 0 to remove, 0 replacements

OUTPUT  VALUE               DESCRIPTION
VpcId   vpc-0abc            the VPC
URL     http://web.example  -
`

func check(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\ngot  %#v\nwant %#v", what, got, want)
	}
}

func checkText(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s:\n--- got ---\n%s\n--- want ---\n%s", what, got, want)
	}
}

func TestDeployCreate(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	s.csPending = 2
	s.onExecute = createScript(s)
	d, out, log := s.deployer()

	res, err := d.Deploy(context.Background(), testInput())
	if err != nil {
		t.Fatalf("Deploy: %v\nlog:\n%s", err, log)
	}
	cs := "cfngen-20260102030405-0001"
	check(t, "calls", s.api.Calls, []string{
		"DescribeStacks web",
		"CreateChangeSet web CREATE",
		"DescribeChangeSet " + cs,
		"DescribeChangeSet " + cs,
		"DescribeChangeSet " + cs,
		"ExecuteChangeSet " + cs, // a new stack has no events to skip
		"DescribeStacks web#1",
		"DescribeStackEvents web#1",
		"DescribeStackEvents web#1 token=3", // every page of a new stack
		"DescribeStacks web#1",
		"DescribeStackEvents web#1",
		"DescribeStacks web#1",
		"DescribeStackEvents web#1",
		"DescribeStacks web#1",
		"DescribeStackEvents web#1",
		"DescribeStacks web#1",
		"DescribeStackEvents web#1",
		"DescribeStacks web#1",
		"DescribeStackEvents web#1",
		"DescribeStackEvents web#1 token=3",
	})
	in := s.created[0]
	check(t, "OnStackFailure", in.OnStackFailure, types.OnStackFailureDelete)
	check(t, "ClientToken", aws.ToString(in.ClientToken), cs)
	check(t, "Capabilities", in.Capabilities, []types.Capability{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"})
	check(t, "Parameters", in.Parameters, []types.Parameter{{ParameterKey: aws.String("Cidr"), ParameterValue: aws.String("10.1.0.0/16")}})
	check(t, "Tags", in.Tags, []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}, {Key: aws.String("project"), Value: aws.String("cfngen")}})
	check(t, "TemplateBody", aws.ToString(in.TemplateBody), testTemplate)
	check(t, "TemplateURL", in.TemplateURL, (*string)(nil))
	check(t, "ExecuteChangeSet token", aws.ToString(s.executed[0].ClientRequestToken), "cfngen-execute-20260102030405-02030405")
	check(t, "sleeps", s.clock.Sleeps, []time.Duration{
		200 * time.Millisecond, 300 * time.Millisecond, // change set
		200 * time.Millisecond, 300 * time.Millisecond, 450 * time.Millisecond, 675 * time.Millisecond, 1012500 * time.Microsecond,
	})
	check(t, "result", *res, Result{
		StackName: "web",
		StackID:   s.stacks[0].id,
		ChangeSet: res.ChangeSet,
		Executed:  true,
		Status:    "CREATE_COMPLETE",
		Outputs:   []Output{{"VpcId", "vpc-0abc", "the VPC"}, {"URL", "http://web.example", ""}},
	})
	checkText(t, "Out", out.String(), "parameters:\n  Cidr: 10.1.0.0/16 (given)\n"+createOut)
	checkText(t, "Log", log.String(), `created change set cfngen-20260102030405-0001, waiting for CloudFormation to compute it
executing change set cfngen-20260102030405-0001 on stack web
03:04:05  0/3  web     AWS::CloudFormation::Stack  CREATE_IN_PROGRESS  User Initiated
03:04:05  0/3  VPC     AWS::EC2::VPC               CREATE_IN_PROGRESS
03:04:05  0/3  Role    AWS::IAM::Role              CREATE_IN_PROGRESS
03:04:05  0/3  VPC     AWS::EC2::VPC               CREATE_IN_PROGRESS  Resource creation Initiated
03:04:07  1/3  VPC     AWS::EC2::VPC               CREATE_COMPLETE
03:04:07  1/3  Subnet  AWS::EC2::Subnet            CREATE_IN_PROGRESS
03:04:08  2/3  Subnet  AWS::EC2::Subnet            CREATE_COMPLETE
03:04:08  3/3  Role    AWS::IAM::Role              CREATE_COMPLETE
03:04:08  3/3  web     AWS::CloudFormation::Stack  CREATE_COMPLETE
stack web: CREATE_COMPLETE in 3s
`)
}

// existing adds a stack "web" that was created earlier, with a history of
// events that a deploy must not print.
func existing(s *sim, status types.StackStatus) *simStack {
	st := s.addStack("web", "CREATE_IN_PROGRESS")
	s.event(st, ev{"VPC", "AWS::EC2::VPC", "CREATE_COMPLETE", ""})
	s.event(st, ev{status: types.ResourceStatus(status)})
	st.status = status
	// Deployed from testInput.
	st.template = testTemplate
	st.params = []types.Parameter{{ParameterKey: aws.String("Cidr"), ParameterValue: aws.String("10.1.0.0/16")}}
	st.tags = []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}, {Key: aws.String("project"), Value: aws.String("cfngen")}}
	s.clock.Advance(time.Hour)
	return st
}

func TestDeployUpdate(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "False", "Tags", "MapPublicIpOnLaunch", "Tags")}
	s.onExecute = []tick{
		{after: 0, events: []ev{{"Subnet", "AWS::EC2::Subnet", "UPDATE_IN_PROGRESS", ""}}},
		{after: time.Second, status: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "UPDATE_COMPLETE", ""},
			{"", "", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", ""},
		}},
		{after: 2 * time.Second, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}}},
	}
	d, out, log := s.deployer()

	res, err := d.Deploy(context.Background(), testInput())
	if err != nil {
		t.Fatalf("Deploy: %v\nlog:\n%s", err, log)
	}
	cs := res.ChangeSet.Name
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + cs})
	check(t, "first call", s.api.Calls[0], "DescribeStacks web")
	check(t, "polls by ID", s.api.Calls[len(s.api.Calls)-2], "DescribeStacks web#1")
	check(t, "OnStackFailure of an update", s.created[0].OnStackFailure, types.OnStackFailure(""))
	check(t, "status", res.Status, "UPDATE_COMPLETE")
	check(t, "outputs", res.Outputs, []Output(nil))
	checkText(t, "Out", out.String(), `ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
Modify  Subnet      AWS::EC2::Subnet  False        Tags, MapPublicIpOnLaunch
0 to add, 1 to modify, 0 to remove, 0 replacements
`)
	checkText(t, "Log", log.String(), `created change set `+cs+`, waiting for CloudFormation to compute it
executing change set `+cs+` on stack web
04:04:05  0/1  web     AWS::CloudFormation::Stack  UPDATE_IN_PROGRESS  User Initiated
04:04:05  0/1  Subnet  AWS::EC2::Subnet            UPDATE_IN_PROGRESS
04:04:06  1/1  Subnet  AWS::EC2::Subnet            UPDATE_COMPLETE
04:04:06  1/1  web     AWS::CloudFormation::Stack  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS
04:04:07  1/1  web     AWS::CloudFormation::Stack  UPDATE_COMPLETE
stack web: UPDATE_COMPLETE in 3s
`)
}

func TestDeployNoChanges(t *testing.T) {
	for _, reason := range []string{
		"The submitted information didn't contain changes. Submit different information to create a change set.",
		"No updates are to be performed.",
	} {
		t.Run(reason[:20], func(t *testing.T) {
			s := newSim(t)
			existing(s, "UPDATE_COMPLETE")
			s.csStatus, s.csReason = "FAILED", reason
			d, out, log := s.deployer()
			_, err := d.Deploy(context.Background(), testInput())
			if !errors.Is(err, ErrNoChanges) {
				t.Fatalf("Deploy: %v, want ErrNoChanges", err)
			}
			name := s.created[0].ChangeSetName
			check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "DeleteChangeSet " + *name})
			checkText(t, "Out", out.String(), "")
			checkText(t, "Log", log.String(), "created change set "+*name+", waiting for CloudFormation to compute it\n"+
				"no changes: stack web is up to date\ndeleted change set "+*name+"\n")
		})
	}
	t.Run("ValidationError", func(t *testing.T) {
		s := newSim(t)
		existing(s, "UPDATE_COMPLETE")
		s.createErr = apiError("ValidationError", "No updates are to be performed.")
		d, out, log := s.deployer()
		_, err := d.Deploy(context.Background(), testInput())
		if !errors.Is(err, ErrNoChanges) {
			t.Fatalf("Deploy: %v, want ErrNoChanges", err)
		}
		check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE"})
		checkText(t, "Out", out.String(), "")
		checkText(t, "Log", log.String(), "no changes: stack web is up to date\n")
	})
}

func TestDeployCreateFails(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	reason := `Resource handler returned message: "The CIDR '10.1.0.0/33' is invalid." (HandlerErrorCode: InvalidRequest)`
	s.onExecute = []tick{
		{after: 0, events: []ev{{"VPC", "AWS::EC2::VPC", "CREATE_IN_PROGRESS", ""}}},
		{after: time.Second, status: "ROLLBACK_IN_PROGRESS", events: []ev{
			{"VPC", "AWS::EC2::VPC", "CREATE_FAILED", reason},
			{"", "", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [VPC]. Rollback requested by user."},
		}},
		{after: 2 * time.Second, status: "DELETE_IN_PROGRESS", events: []ev{
			{"VPC", "AWS::EC2::VPC", "DELETE_COMPLETE", ""},
			{"", "", "ROLLBACK_COMPLETE", ""},
			{"", "", "DELETE_IN_PROGRESS", ""},
		}},
		{after: 3 * time.Second, status: "DELETE_COMPLETE", events: []ev{{"", "", "DELETE_COMPLETE", ""}}},
	}
	d, _, log := s.deployer()
	res, err := d.Deploy(context.Background(), testInput())
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Deploy: %v, want ErrFailed", err)
	}
	check(t, "error", err.Error(), "deploy failed: stack web is DELETE_COMPLETE: VPC: "+reason)
	check(t, "status", res.Status, "DELETE_COMPLETE")
	check(t, "executed", res.Executed, true)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "ExecuteChangeSet " + res.ChangeSet.Name})
	want := "stack web: DELETE_COMPLETE in 4s\n" +
		"cause: VPC (AWS::EC2::VPC) CREATE_FAILED: " + reason + "\n" +
		"the creation of stack web failed; CloudFormation rolled it back and deleted the stack\n"
	if !strings.HasSuffix(log.String(), want) {
		t.Errorf("Log ends:\n%s\nwant suffix:\n%s", log, want)
	}
}

func TestDeployUpdateRollsBack(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "False", "Tags")}
	reason := "Resource handler returned message: \"You are not authorized to perform this operation.\""
	s.onExecute = []tick{
		{after: time.Second, status: "UPDATE_ROLLBACK_IN_PROGRESS", events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "UPDATE_FAILED", reason},
			{"", "", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [Subnet]."},
		}},
		{after: 2 * time.Second, status: "UPDATE_ROLLBACK_COMPLETE", events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "UPDATE_COMPLETE", ""},
			{"", "", "UPDATE_ROLLBACK_COMPLETE", ""},
		}},
	}
	d, _, log := s.deployer()
	res, err := d.Deploy(context.Background(), testInput())
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Deploy: %v, want ErrFailed", err)
	}
	check(t, "error", err.Error(), "deploy failed: stack web is UPDATE_ROLLBACK_COMPLETE: Subnet: "+reason)
	check(t, "status", res.Status, "UPDATE_ROLLBACK_COMPLETE")
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + res.ChangeSet.Name})
	for _, want := range []string{
		"Subnet  AWS::EC2::Subnet            UPDATE_FAILED  " + reason + "\n",
		"stack web: UPDATE_ROLLBACK_COMPLETE in 3s\ncause: Subnet (AWS::EC2::Subnet) UPDATE_FAILED: " + reason + "\n",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("Log lacks %q:\n%s", want, log)
		}
	}
}

func TestDeployRollbackComplete(t *testing.T) {
	setup := func(t *testing.T) *sim {
		s := newSim(t)
		st := existing(s, "ROLLBACK_COMPLETE")
		st.reason = "The following resource(s) failed to create: [VPC]."
		s.changes = addChanges
		s.onDelete = []tick{{after: time.Second, status: "DELETE_COMPLETE", events: []ev{{"", "", "DELETE_COMPLETE", ""}}}}
		s.onExecute = createScript(s)
		return s
	}
	t.Run("refused without consent", func(t *testing.T) {
		s := setup(t)
		d, out, log := s.deployer()
		_, err := d.Deploy(context.Background(), testInput())
		if !errors.Is(err, ErrNeedsConsent) {
			t.Fatalf("Deploy: %v, want ErrNeedsConsent", err)
		}
		check(t, "mutations", s.mutations(), []string(nil))
		checkText(t, "Out", out.String(), "")
		checkText(t, "Log", log.String(), "stack web is ROLLBACK_COMPLETE: it cannot be updated, only deleted and created again\n"+
			"  reason: The following resource(s) failed to create: [VPC].\n"+
			"not deleted: no terminal to ask for consent on\n")
		var ce *ConsentError
		if !errors.As(err, &ce) || ce.Needed != ToRecreate || ce.Status != "ROLLBACK_COMPLETE" {
			t.Errorf("error %#v, want a ConsentError ToRecreate of ROLLBACK_COMPLETE", err)
		}
	})
	t.Run("declined at the prompt", func(t *testing.T) {
		s := setup(t)
		d, _, _ := s.deployer()
		p := answer(false)
		d.Prompt = p
		_, err := d.Deploy(context.Background(), testInput())
		if !errors.Is(err, ErrDeclined) {
			t.Fatalf("Deploy: %v, want ErrDeclined", err)
		}
		check(t, "asked", p.Asked, []string{"ConfirmTyped(web): Delete stack web (ROLLBACK_COMPLETE) and create it again? Type the stack name to confirm"})
		check(t, "mutations", s.mutations(), []string(nil))
	})
	for _, tc := range []struct {
		name   string
		allow  bool
		prompt *fakePrompter
	}{
		{"allowed by flag", true, nil},
		{"typed at the prompt", false, &fakePrompter{ConfirmTypedFunc: func(_ context.Context, _, want string) (bool, error) { return want == "web", nil }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := setup(t)
			d, _, log := s.deployer()
			if tc.prompt != nil {
				d.Prompt = tc.prompt
			}
			in := testInput()
			in.AllowDeleteRollbackComplete = tc.allow
			res, err := d.Deploy(context.Background(), in)
			if err != nil {
				t.Fatalf("Deploy: %v\nlog:\n%s", err, log)
			}
			check(t, "mutations", s.mutations(), []string{"DeleteStack web#1", "CreateChangeSet web CREATE", "ExecuteChangeSet " + res.ChangeSet.Name})
			check(t, "delete token", strings.HasPrefix(aws.ToString(s.deleted[0].ClientRequestToken), "cfngen-delete-"), true)
			check(t, "new stack", res.StackID, s.stacks[1].id)
			check(t, "status", res.Status, "CREATE_COMPLETE")
			if !strings.Contains(log.String(), "deleting stack web\n") || !strings.Contains(log.String(), "stack web: DELETE_COMPLETE in 2s\n") {
				t.Errorf("Log lacks the deletion:\n%s", log)
			}
		})
	}
}

func TestDeployWaitsForOperationInProgress(t *testing.T) {
	s := newSim(t)
	st := existing(s, "UPDATE_IN_PROGRESS")
	st.script, st.start = []tick{
		{after: 2 * time.Second, events: []ev{{"Subnet", "AWS::EC2::Subnet", "UPDATE_COMPLETE", ""}}},
		{after: 4 * time.Second, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}}},
	}, s.clock.Now()
	s.changes = []types.Change{change("Modify", "Role", "AWS::IAM::Role", "False", "Description")}
	s.onExecute = []tick{{after: time.Second, status: "UPDATE_COMPLETE", events: []ev{
		{"Role", "AWS::IAM::Role", "UPDATE_COMPLETE", ""},
		{"", "", "UPDATE_COMPLETE", ""},
	}}}
	d, _, log := s.deployer()
	res, err := d.Deploy(context.Background(), testInput())
	if err != nil {
		t.Fatalf("Deploy: %v\nlog:\n%s", err, log)
	}
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + res.ChangeSet.Name})
	lines := strings.Split(log.String(), "\n")
	check(t, "Log while waiting", lines[:4], []string{
		"stack web is UPDATE_IN_PROGRESS: waiting for it to end",
		"04:04:07    1  Subnet  AWS::EC2::Subnet            UPDATE_COMPLETE",
		"04:04:09    1  web     AWS::CloudFormation::Stack  UPDATE_COMPLETE",
		"stack web: UPDATE_COMPLETE in 4s",
	})
	check(t, "then", strings.HasPrefix(lines[4], "created change set "), true)
}

func TestDeployUpdateRollbackFailed(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_ROLLBACK_FAILED")
	d, _, _ := s.deployer()
	_, err := d.Deploy(context.Background(), testInput())
	if !errors.Is(err, ErrStackState) {
		t.Fatalf("Deploy: %v, want ErrStackState", err)
	}
	check(t, "error", err.Error(), "stack cannot be updated: stack web is UPDATE_ROLLBACK_FAILED: fix the cause, "+
		"run aws cloudformation continue-update-rollback --stack-name web, then deploy again")
	check(t, "mutations", s.mutations(), []string(nil))
}

func TestDeployChangeSetFails(t *testing.T) {
	s := newSim(t)
	s.csPending = 1
	s.csStatus = "FAILED"
	s.csReason = "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
	d, out, log := s.deployer()
	_, err := d.Deploy(context.Background(), testInput())
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Deploy: %v, want ErrFailed", err)
	}
	name := *s.created[0].ChangeSetName
	check(t, "error", err.Error(), "deploy failed: change set "+name+" is FAILED: "+s.csReason)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + name, "DeleteStack web#1"})
	checkText(t, "Out", out.String(), "")
	checkText(t, "Log", log.String(), "created change set "+name+", waiting for CloudFormation to compute it\n"+
		"deleted change set "+name+"\ndeleted empty stack web (REVIEW_IN_PROGRESS)\n")
}

func TestDeployExecuteRejected(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	s.execErr = &smithyClientError{apiError("InsufficientCapabilitiesException", "Requires capabilities : [CAPABILITY_NAMED_IAM]")}
	d, _, _ := s.deployer()
	res, err := d.Deploy(context.Background(), testInput())
	check(t, "error", err.Error(), "execute change set "+res.ChangeSet.Name+": InsufficientCapabilitiesException: Requires capabilities : [CAPABILITY_NAMED_IAM]")
	check(t, "executed", res.Executed, false)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "ExecuteChangeSet " + res.ChangeSet.Name,
		"DeleteChangeSet " + res.ChangeSet.Name, "DeleteStack web#1"})
}

// smithyClientError is an API error with an HTTP 400 status, as the SDK
// returns for a rejected request.
type smithyClientError struct{ error }

func (e *smithyClientError) Unwrap() error       { return e.error }
func (e *smithyClientError) HTTPStatusCode() int { return 400 }
