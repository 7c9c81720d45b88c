package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// deployed adds a created stack "web" with three resources.
func deployed(s *sim) *simStack {
	st := existing(s, "CREATE_COMPLETE")
	for _, r := range [][3]string{
		{"VPC", "AWS::EC2::VPC", "vpc-0a1b2c3d"},
		{"Subnet", "AWS::EC2::Subnet", "subnet-0a1b2c3d"},
		{"Role", "AWS::IAM::Role", "web-Role-1ABCDEF"},
	} {
		st.resources = append(st.resources, types.StackResourceSummary{
			LogicalResourceId:  aws.String(r[0]),
			ResourceType:       aws.String(r[1]),
			PhysicalResourceId: aws.String(r[2]),
			ResourceStatus:     types.ResourceStatusCreateComplete,
		})
	}
	return st
}

const destroyTable = `LOGICAL ID  TYPE              PHYSICAL ID
VPC         AWS::EC2::VPC     vpc-0a1b2c3d
Subnet      AWS::EC2::Subnet  subnet-0a1b2c3d
Role        AWS::IAM::Role    web-Role-1ABCDEF
3 resources to delete with stack web
`

func TestDestroy(t *testing.T) {
	s := newSim(t)
	deployed(s)
	s.onDelete = []tick{
		{after: time.Second, events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "DELETE_IN_PROGRESS", ""},
			{"Role", "AWS::IAM::Role", "DELETE_IN_PROGRESS", ""},
			{"Role", "AWS::IAM::Role", "DELETE_COMPLETE", ""},
		}},
		{after: 40 * time.Second, events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "DELETE_COMPLETE", ""},
			{"VPC", "AWS::EC2::VPC", "DELETE_IN_PROGRESS", ""},
		}},
		{after: 45 * time.Second, status: "DELETE_COMPLETE", events: []ev{
			{"VPC", "AWS::EC2::VPC", "DELETE_COMPLETE", ""},
			{"", "", "DELETE_COMPLETE", ""},
		}},
	}
	d, out, log := s.deployer()
	if err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true}); err != nil {
		t.Fatalf("Destroy: %v\nlog:\n%s", err, log)
	}
	check(t, "first calls", s.api.Calls[:4], []string{
		"DescribeStacks web",
		"ListStackResources web#1",
		"ListStackResources web#1 token=2",
		"DescribeStackEvents web#1",
	})
	check(t, "mutations", s.mutations(), []string{"DeleteStack web#1"})
	check(t, "token", strings.HasPrefix(aws.ToString(s.deleted[0].ClientRequestToken), "cfngen-delete-20260102040405-"), true)
	check(t, "polls by ID", s.api.Calls[len(s.api.Calls)-2], "DescribeStacks web#1")
	checkText(t, "Out", out.String(), destroyTable)
	checkText(t, "Log", log.String(), `deleting stack web
04:04:05  0/3  web     AWS::CloudFormation::Stack  DELETE_IN_PROGRESS  User Initiated
04:04:06  0/3  Subnet  AWS::EC2::Subnet            DELETE_IN_PROGRESS
04:04:06  0/3  Role    AWS::IAM::Role              DELETE_IN_PROGRESS
04:04:06  1/3  Role    AWS::IAM::Role              DELETE_COMPLETE
still DELETE_IN_PROGRESS (1/3 resources done), 32s elapsed
04:04:45  2/3  Subnet  AWS::EC2::Subnet            DELETE_COMPLETE
04:04:45  2/3  VPC     AWS::EC2::VPC               DELETE_IN_PROGRESS
04:04:51  3/3  VPC     AWS::EC2::VPC               DELETE_COMPLETE
04:04:51  3/3  web     AWS::CloudFormation::Stack  DELETE_COMPLETE
stack web: DELETE_COMPLETE in 46s
deleted stack web
`)
}

func TestDestroyConsent(t *testing.T) {
	t.Run("no terminal", func(t *testing.T) {
		s := newSim(t)
		deployed(s)
		d, out, log := s.deployer()
		err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: false})
		if !errors.Is(err, ErrNeedsConsent) {
			t.Fatalf("Destroy: %v, want ErrNeedsConsent", err)
		}
		check(t, "mutations", s.mutations(), []string(nil))
		checkText(t, "Out", out.String(), destroyTable)
		checkText(t, "Log", log.String(), "not deleted: no terminal to ask for consent on\n")
		var ce *ConsentError
		check(t, "ConsentError", errors.As(err, &ce) && ce.Needed == ToDestroy, true)
	})
	t.Run("declined", func(t *testing.T) {
		s := newSim(t)
		deployed(s)
		d, _, _ := s.deployer()
		p := &fakePrompter{ConfirmTypedFunc: func(_ context.Context, _, want string) (bool, error) { return false, nil }}
		d.Prompt = p
		err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: false})
		if !errors.Is(err, ErrDeclined) {
			t.Fatalf("Destroy: %v, want ErrDeclined", err)
		}
		check(t, "asked", p.Asked, []string{"ConfirmTyped(web): Delete stack web and the resources above? Type the stack name to confirm"})
		check(t, "mutations", s.mutations(), []string(nil))
	})
	t.Run("typed", func(t *testing.T) {
		s := newSim(t)
		deployed(s)
		s.onDelete = []tick{{status: "DELETE_COMPLETE"}}
		d, _, _ := s.deployer()
		d.Prompt = answer(true)
		if err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: false}); err != nil {
			t.Fatal(err)
		}
		check(t, "mutations", s.mutations(), []string{"DeleteStack web#1"})
	})
}

func TestDestroyMissingStack(t *testing.T) {
	s := newSim(t)
	d, _, _ := s.deployer()
	err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true})
	if !errors.Is(err, ErrStackNotFound) {
		t.Fatalf("Destroy: %v, want ErrStackNotFound", err)
	}
	check(t, "error", err.Error(), "stack not found: stack web does not exist")
	check(t, "calls", s.api.Calls, []string{"DescribeStacks web"})
}

func TestDestroyFails(t *testing.T) {
	s := newSim(t)
	deployed(s)
	reason := "The vpc 'vpc-0a1b2c3d' has dependencies and cannot be deleted."
	s.onDelete = []tick{
		{after: time.Second, events: []ev{{"VPC", "AWS::EC2::VPC", "DELETE_FAILED", reason}}},
		{after: 2 * time.Second, status: "DELETE_FAILED", events: []ev{{"", "", "DELETE_FAILED", "The following resource(s) failed to delete: [VPC]. "}}},
	}
	d, _, log := s.deployer()
	err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true})
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("Destroy: %v, want ErrFailed", err)
	}
	check(t, "error", err.Error(), "deploy failed: stack web is DELETE_FAILED: VPC: "+reason)
	if !strings.HasSuffix(log.String(), "stack web: DELETE_FAILED in 3s\ncause: VPC (AWS::EC2::VPC) DELETE_FAILED: "+reason+"\n") {
		t.Errorf("Log:\n%s", log)
	}
}

func TestDestroyAPIError(t *testing.T) {
	s := newSim(t)
	deployed(s)
	s.deleteErr = apiError("DependencyViolation", "The vpc vpc-0a1b2c3d has dependencies and cannot be deleted.")
	d, _, _ := s.deployer()
	err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true})
	check(t, "error", err.Error(), "delete stack web: DependencyViolation: The vpc vpc-0a1b2c3d has dependencies and cannot be deleted.")
}

func TestDestroyInterrupted(t *testing.T) {
	s := newSim(t)
	deployed(s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.onDelete = []tick{{after: time.Second, do: cancel}}
	d, _, log := s.deployer()
	err := d.Destroy(ctx, DestroyInput{StackName: "web", Yes: true})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Destroy: %v, want context.Canceled", err)
	}
	if !strings.HasSuffix(log.String(), "interrupted: CloudFormation goes on with the deletion of stack web (DELETE_IN_PROGRESS)\n"+
		"  follow it: aws cloudformation describe-stack-events --stack-name web\n"+
		"  cancel it: a deletion cannot be cancelled; wait for it to end\n") {
		t.Errorf("Log:\n%s", log)
	}
}
