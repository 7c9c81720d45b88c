package deploy

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// drifts is what drift detection finds on webDeployed: the security
// group opened to the world and the queue deleted by hand, the rest in
// sync.
func drifts() []types.StackResourceDrift {
	inSync := func(id, typ string) types.StackResourceDrift {
		return types.StackResourceDrift{LogicalResourceId: aws.String(id), ResourceType: aws.String(typ), StackResourceDriftStatus: types.StackResourceDriftStatusInSync}
	}
	return []types.StackResourceDrift{
		inSync("VPC", "AWS::EC2::VPC"),
		{LogicalResourceId: aws.String("LoadBalancerSecurityGroup"), PhysicalResourceId: aws.String("sg-0abc"), ResourceType: aws.String("AWS::EC2::SecurityGroup"),
			StackResourceDriftStatus: types.StackResourceDriftStatusModified,
			ExpectedProperties:       aws.String(`{"SecurityGroupIngress":[{"CidrIp":"10.0.0.0/8","FromPort":443,"IpProtocol":"tcp","ToPort":443}]}`),
			ActualProperties:         aws.String(`{"SecurityGroupIngress":[{"CidrIp":"0.0.0.0/0","FromPort":443,"IpProtocol":"tcp","ToPort":443}]}`),
			PropertyDifferences: []types.PropertyDifference{
				{PropertyPath: aws.String("/SecurityGroupIngress/0/CidrIp"), ExpectedValue: aws.String("10.0.0.0/8"), ActualValue: aws.String("0.0.0.0/0"), DifferenceType: types.DifferenceTypeNotEqual},
				{PropertyPath: aws.String("/SecurityGroupIngress/1"), ActualValue: aws.String(`{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}`), DifferenceType: types.DifferenceTypeAdd},
			}},
		inSync("InstanceRole", "AWS::IAM::Role"),
		{LogicalResourceId: aws.String("OldQueue"), PhysicalResourceId: aws.String("https://sqs.us-east-1.amazonaws.com/123456789012/old"), ResourceType: aws.String("AWS::SQS::Queue"),
			StackResourceDriftStatus: types.StackResourceDriftStatusDeleted},
		inSync("Instance1", "AWS::EC2::Instance"),
	}
}

func TestGoldenDrift(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.drifts, s.driftPolls, s.driftPage = drifts(), 3, 2
	d, _, log := s.deployer()
	rep, err := d.Drift(context.Background(), "web", 0)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "drifted", rep.Drifted(), true)
	check(t, "status", []any{rep.Status, rep.Detection, rep.Checked, len(rep.Resources)}, []any{"DRIFTED", "DETECTION_COMPLETE", 5, 2})
	var b bytes.Buffer
	if err := rep.WriteText(&b, 0); err != nil {
		t.Fatal(err)
	}
	checkText(t, "text", b.String(), `LOGICAL ID                 TYPE                     DRIFT
LoadBalancerSecurityGroup  AWS::EC2::SecurityGroup  MODIFIED
    SecurityGroupIngress/0/CidrIp: 10.0.0.0/8 -> 0.0.0.0/0 (NOT_EQUAL)
    SecurityGroupIngress/1: "" -> {"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22} (ADD)
OldQueue                   AWS::SQS::Queue          DELETED
stack web: DRIFTED: 2 of 5 resources drifted
`)
	b.Reset()
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "drift.json", b.Bytes())
	// In progress three times, then done; the pages of the drifts.
	var calls []string
	for _, c := range s.api.Calls {
		if strings.Contains(c, "Drift") {
			calls = append(calls, c)
		}
	}
	check(t, "calls", calls, []string{
		"DetectStackDrift web#1",
		"DescribeStackDriftDetectionStatus 00000001-drift", "DescribeStackDriftDetectionStatus 00000001-drift",
		"DescribeStackDriftDetectionStatus 00000001-drift", "DescribeStackDriftDetectionStatus 00000001-drift",
		"DescribeStackResourceDrifts web#1", "DescribeStackResourceDrifts web#1 token=2", "DescribeStackResourceDrifts web#1 token=4",
	})
	check(t, "log", log.String(), "detecting drift of stack web\n")

	s.drifts = []types.StackResourceDrift{drifts()[0]}
	rep, err = d.Drift(context.Background(), "web", 0)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "in sync", []any{rep.Drifted(), rep.Status}, []any{false, "IN_SYNC"})
}

// moto does not implement drift detection: one plain error, no retries.
func TestDriftUnsupported(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.noDrift = true
	d, _, _ := s.deployer()
	_, err := d.Drift(context.Background(), "web", 0)
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Drift: %v, want ErrUnsupported", err)
	}
	check(t, "error", err.Error(), "detect drift of stack web: HTTP 500 from the endpoint, with an answer that is not an AWS error: it may not implement cloudformation:DetectStackDrift")
	_, err = d.Drift(context.Background(), "nope", 0)
	if !errors.Is(err, ErrStackNotFound) {
		t.Errorf("Drift of a missing stack: %v", err)
	}
}

// A change set in the drift-aware mode puts back what was changed by
// hand; the plan shows the drift, actual -> template.
func TestRevertDriftPlan(t *testing.T) {
	s := newSim(t)
	st := existing(s, "UPDATE_COMPLETE")
	st.template = webDeployed
	st.params = []types.Parameter{{ParameterKey: aws.String("AllowedCidr"), ParameterValue: aws.String("10.0.0.0/8")},
		{ParameterKey: aws.String("InstanceType"), ParameterValue: aws.String("t3.micro")}}
	d1 := detail("/Properties/SecurityGroupIngress/0/CidrIp", "Modify", "0.0.0.0/0", "10.0.0.0/8", types.RequiresRecreationNever, types.ChangeSourceDirectModification, "")
	d1.Target.BeforeValueFrom, d1.Target.AfterValueFrom = types.BeforeValueFromActualState, types.AfterValueFromTemplate
	d1.Target.Drift = &types.LiveResourceDrift{ActualValue: aws.String("0.0.0.0/0"), PreviousValue: aws.String("10.0.0.0/8")}
	d2 := detail("/Properties/Tags/0/Value", "SyncWithActual", "ops", "ops", types.RequiresRecreationNever, types.ChangeSourceNoModification, "")
	sg := valued("Modify", "LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", "False", d1)
	sg.ResourceChange.ResourceDriftStatus = types.StackResourceDriftStatusModified
	vpc := valued("SyncWithActual", "VPC", "AWS::EC2::VPC", "", d2)
	vpc.ResourceChange.ResourceDriftStatus = types.StackResourceDriftStatusModified
	s.changes = []types.Change{sg, vpc}
	s.onExecute = updateDone()
	d, out, _ := s.deployer()
	in := Input{StackName: "web", Template: []byte(webDeployed), Yes: true, RevertDrift: true}
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "DeploymentMode", s.created[0].DeploymentMode, types.DeploymentModeRevertDrift)
	check(t, "mode", res.ChangeSet.DeploymentMode, "REVERT_DRIFT")
	check(t, "drift", res.ChangeSet.Changes[0].Drift, "MODIFIED")
	checkText(t, "plan", out.String(), `ACTION          LOGICAL ID                 TYPE                     REPLACEMENT  CHANGED PROPERTIES
Modify          LoadBalancerSecurityGroup  AWS::EC2::SecurityGroup  False        SecurityGroupIngress
    SecurityGroupIngress/0/CidrIp: 0.0.0.0/0 -> 10.0.0.0/8 (drift reverted: actual -> template)
SyncWithActual  VPC                        AWS::EC2::VPC            -            Tags
    Tags/0/Value: ops -> ops (drift recorded, not reverted)
0 to add, 1 to modify, 0 to remove, 0 replacements
drift reverted: LoadBalancerSecurityGroup (MODIFIED), VPC (MODIFIED)
`)
}

func TestTerminationProtection(t *testing.T) {
	on, off := true, false
	t.Run("on after a create", func(t *testing.T) {
		s := newSim(t)
		s.changes = addChanges
		s.onExecute = createScript(s)
		d, _, log := s.deployer()
		in := testInput()
		in.TerminationProtection = &on
		if _, err := d.Deploy(context.Background(), in); err != nil {
			t.Fatal(err)
		}
		check(t, "protected", s.stacks[0].protected, true)
		if !strings.HasSuffix(log.String(), "termination protection on for stack web\n") {
			t.Errorf("Log:\n%s", log)
		}
		// Destroy stops, before any deletion.
		err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true})
		if !errors.Is(err, ErrProtected) {
			t.Fatalf("Destroy: %v, want ErrProtected", err)
		}
		check(t, "error", err.Error(), "termination protection on: stack web has termination protection on")
		check(t, "deleted", len(s.deleted), 0)
	})
	t.Run("off with no changes", func(t *testing.T) {
		s := newSim(t)
		existing(s, "UPDATE_COMPLETE").protected = true
		s.createErr = apiError("ValidationError", "No updates are to be performed.")
		d, _, log := s.deployer()
		in := testInput()
		in.TerminationProtection = &off
		if _, err := d.Deploy(context.Background(), in); !errors.Is(err, ErrNoChanges) {
			t.Fatalf("Deploy: %v, want ErrNoChanges", err)
		}
		check(t, "protected", s.stacks[0].protected, false)
		check(t, "log", log.String(), "no changes: stack web is up to date\ntermination protection off for stack web\n")
	})
	t.Run("a protected stack refused by CloudFormation", func(t *testing.T) {
		s := newSim(t)
		deployed(s)
		s.api.DescribeStacksFunc = func(ctx context.Context, in *cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error) {
			out, err := s.describeStacks(ctx, in)
			if err == nil {
				out.Stacks[0].EnableTerminationProtection = nil // a server that does not say
			}
			return out, err
		}
		s.stacks[0].protected = true
		d, _, _ := s.deployer()
		if err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true}); !errors.Is(err, ErrProtected) {
			t.Fatalf("Destroy: %v, want ErrProtected", err)
		}
	})
	t.Run("unsupported", func(t *testing.T) {
		s := newSim(t)
		s.changes = addChanges
		s.onExecute = createScript(s)
		s.noProtection = true
		d, _, _ := s.deployer()
		in := testInput()
		in.TerminationProtection = &on
		_, err := d.Deploy(context.Background(), in)
		if !errors.Is(err, ErrUnsupported) {
			t.Fatalf("Deploy: %v, want ErrUnsupported", err)
		}
		check(t, "stack", s.stacks[0].status, types.StackStatusCreateComplete)
	})
}
