package deploy

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// fakeConsole is a fake of Console with one instance's console output.
type fakeConsole struct {
	id, output string
	calls      []string
}

func (f *fakeConsole) GetConsoleOutput(_ context.Context, in *ec2.GetConsoleOutputInput, _ ...func(*ec2.Options)) (*ec2.GetConsoleOutputOutput, error) {
	f.calls = append(f.calls, aws.ToString(in.InstanceId))
	if aws.ToString(in.InstanceId) != f.id {
		return nil, apiError("InvalidInstanceID.NotFound", "The instance ID '"+aws.ToString(in.InstanceId)+"' does not exist")
	}
	return &ec2.GetConsoleOutputOutput{InstanceId: in.InstanceId, Output: aws.String(base64.StdEncoding.EncodeToString([]byte(f.output)))}, nil
}

// buriedFailure is a failed creation as CloudFormation reports it: the
// instance that signalled failure comes after a cancellation, and a dozen
// resources are cancelled behind it.
func buriedFailure(s *sim) []tick {
	cancelled := []ev{}
	for _, id := range []string{"Route", "NatGateway", "EIP", "Listener", "TargetGroup", "LoadBalancer", "LaunchTemplate", "InstanceProfile",
		"PrivateRouteTable", "PublicRouteTable", "Endpoint", "Instance2"} {
		cancelled = append(cancelled, ev{id, "AWS::EC2::Thing", "CREATE_FAILED", "Resource creation cancelled"})
	}
	return []tick{
		{after: time.Second, events: []ev{
			{"Instance1", "AWS::EC2::Instance", "CREATE_IN_PROGRESS", ""},
			{"Instance2", "AWS::EC2::Instance", "CREATE_IN_PROGRESS", ""},
		}},
		{after: 5 * time.Minute, status: "ROLLBACK_IN_PROGRESS", events: append([]ev{
			{"Subnet", "AWS::EC2::Subnet", "CREATE_FAILED", "Resource creation cancelled"},
			{"Instance1", "AWS::EC2::Instance", "CREATE_FAILED", "Received FAILURE signal with UniqueId i-0abc1234"},
		}, append(cancelled, ev{"", "", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Instance1, Subnet, ...]. Rollback requested by user."})...)},
		{after: 6 * time.Minute, status: "DELETE_COMPLETE", events: []ev{{"", "", "DELETE_COMPLETE", ""}}},
	}
}

func TestRootCauseFirst(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events bool // the endpoint has DescribeEvents
	}{{"DescribeEvents", true}, {"stack events only", false}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			s.changes = addChanges
			s.onExecute = buriedFailure(s)
			s.noEvents, s.noHooks = !tc.events, !tc.events
			d, _, log := s.deployer()
			console := &fakeConsole{id: "i-0abc1234", output: "[   12.3] cloud-init[1201]: cfngen-userdata: dnf failed; trying again in 5 s\n" +
				"[   48.0] cloud-init[1201]: cfngen-userdata: FAILED: installing the web server (exit status 1)\n"}
			d.EC2 = console
			_, err := d.Deploy(context.Background(), testInput())
			var fe *FailedError
			if !errors.As(err, &fe) || !errors.Is(err, ErrFailed) {
				t.Fatalf("Deploy: %v, want a *FailedError", err)
			}
			check(t, "error", err.Error(), "deploy failed: stack web is DELETE_COMPLETE: Instance1: Received FAILURE signal with UniqueId i-0abc1234")
			check(t, "cause", fe.Cause.LogicalID, "Instance1")
			check(t, "console", fe.Cause.Console, "cfngen-userdata: FAILED: installing the web server (exit status 1)")
			check(t, "console calls", console.calls, []string{"i-0abc1234"})
			_, report, _ := strings.Cut(log.String(), "stack web: DELETE_COMPLETE in 6m0s\n")
			checkText(t, "report", report, "cause: Instance1 (AWS::EC2::Instance) CREATE_FAILED: Received FAILURE signal with UniqueId i-0abc1234\n"+
				"  console of the instance: cfngen-userdata: FAILED: installing the web server (exit status 1)\n"+
				"13 resources cancelled: Subnet, Route, NatGateway, EIP, Listener, TargetGroup, LoadBalancer, LaunchTemplate, InstanceProfile, PrivateRouteTable, PublicRouteTable, Endpoint, Instance2\n"+
				"the creation of stack web failed; CloudFormation rolled it back and deleted the stack\n")
			var asked []string
			for _, c := range s.api.Calls {
				if strings.HasPrefix(c, "DescribeEvents") && !strings.Contains(c, "token=") || strings.HasPrefix(c, "ListHookResults") {
					asked = append(asked, c)
				}
			}
			// Once each (and every page); by the operation of the
			// execution, as its events say.
			check(t, "questions", asked, []string{"DescribeEvents web#1 operation=op-0003", "ListHookResults web#1 STACK"})
		})
	}
}

func TestRootCauseIsNotACancellation(t *testing.T) {
	fs := []Failure{
		{Kind: "resource", LogicalID: "A", Reason: "Resource creation cancelled"},
		{Kind: "resource", LogicalID: "B", Reason: "The subnet ID 'subnet-1' does not exist"},
		{Kind: "resource", LogicalID: "C", Reason: "Resource update cancelled"},
	}
	check(t, "cause", rootCause(fs).LogicalID, "B")
	check(t, "only cancellations", rootCause(fs[:1]).LogicalID, "A")
	if rootCause(nil) != nil {
		t.Error("a cause out of nothing")
	}
}

// Early validation and hooks: CloudFormation refuses to create the change
// set; DescribeEvents names the validation and the property, and the hook
// results their failed checks.
func TestChangeSetValidationFailures(t *testing.T) {
	s := newSim(t)
	s.csStatus = "FAILED"
	s.csReason = "The following hook(s)/validation failed: [AWS::EarlyValidation::PropertyValidation, Org::Security::BucketHook]"
	cs := account + "changeSet/cfngen-20260102030405-0001/00000001-5e3d-11f0-8b7c-0a1b2c3d4e5f"
	s.opEvents = map[string][]types.OperationEvent{cs: {
		{EventType: types.EventTypeValidationError, LogicalResourceId: aws.String("Subnet"), ValidationName: aws.String("PropertyValidation"),
			ValidationPath: aws.String("/Resources/Subnet/Properties/CidrBlock"), ValidationStatus: types.ValidationStatusFailed,
			ValidationStatusReason: aws.String("#: CidrBlock 10.9.0.0/24 is not within the VPC's 10.0.0.0/16"), ValidationFailureMode: types.HookFailureModeFail},
		{EventType: types.EventTypeHookInvocationError, LogicalResourceId: aws.String("Bucket"), HookType: aws.String("Org::Security::BucketHook"),
			HookStatus: types.HookStatusHookCompleteFailed, HookStatusReason: aws.String("Bucket is not encrypted"), HookFailureMode: types.HookFailureModeFail},
	}}
	s.hooks = map[string][]types.HookResultSummary{cs: {{HookResultId: aws.String("hook-1"), TypeName: aws.String("Org::Security::BucketHook"),
		Status: types.HookStatusHookCompleteFailed, HookStatusReason: aws.String("Bucket is not encrypted"), HookExecutionTarget: aws.String("Bucket")}}}
	s.annotations = map[string][]types.Annotation{"hook-1": {
		{AnnotationName: aws.String("BucketEncryption"), Status: types.AnnotationStatusFailed, StatusMessage: aws.String("no default encryption"),
			RemediationMessage: aws.String("set BucketEncryption with SSE-S3")},
		{AnnotationName: aws.String("BucketVersioning"), Status: types.AnnotationStatusPassed},
	}}
	d, _, log := s.deployer()
	_, err := d.Deploy(context.Background(), testInput())
	var fe *FailedError
	if !errors.As(err, &fe) {
		t.Fatalf("Deploy: %v, want a *FailedError", err)
	}
	check(t, "error", err.Error(), "deploy failed: change set cfngen-20260102030405-0001 is FAILED: "+s.csReason+
		": validation PropertyValidation failed on Subnet at /Resources/Subnet/Properties/CidrBlock: #: CidrBlock 10.9.0.0/24 is not within the VPC's 10.0.0.0/16")
	checkText(t, "Log", log.String(), "created change set cfngen-20260102030405-0001, waiting for CloudFormation to compute it\n"+
		"change set cfngen-20260102030405-0001 is FAILED: "+s.csReason+"\n"+
		"cause: validation PropertyValidation failed on Subnet at /Resources/Subnet/Properties/CidrBlock: #: CidrBlock 10.9.0.0/24 is not within the VPC's 10.0.0.0/16\n"+
		"then:\n"+
		"  hook Org::Security::BucketHook failed on Bucket: Bucket is not encrypted\n"+
		"deleted change set cfngen-20260102030405-0001\n"+
		"deleted empty stack web (REVIEW_IN_PROGRESS)\n")
	check(t, "annotations", fe.Failures[1].Annotations, []string{"BucketEncryption: no default encryption (to fix: set BucketEncryption with SSE-S3)"})
}

// An endpoint without DescribeEvents (moto) says nothing more about a
// change set that failed, and is asked once.
func TestChangeSetFailureWithoutEvents(t *testing.T) {
	s := newSim(t)
	s.csStatus = "FAILED"
	s.csReason = "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"
	s.noEvents, s.noHooks = true, true
	d, _, log := s.deployer()
	_, err := d.Deploy(context.Background(), testInput())
	check(t, "error", err.Error(), "deploy failed: change set cfngen-20260102030405-0001 is FAILED: "+s.csReason)
	checkText(t, "Log", log.String(), "created change set cfngen-20260102030405-0001, waiting for CloudFormation to compute it\n"+
		"deleted change set cfngen-20260102030405-0001\ndeleted empty stack web (REVIEW_IN_PROGRESS)\n")
}
