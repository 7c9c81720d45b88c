package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// securityStack is the sim with webDeployed and a change set that changes
// only the load balancer's security group, to next.
func securityStack(t *testing.T, next string, details ...types.ResourceChangeDetail) (*sim, Input) {
	s := newSim(t)
	st := existing(s, "UPDATE_COMPLETE")
	st.template = webDeployed
	st.params = nil
	s.changes = []types.Change{valued("Modify", "LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", "False", details...)}
	s.onExecute = updateDone()
	return s, Input{StackName: "web", Template: []byte(next), Yes: true}
}

var openPort80 = strings.Replace(webDeployed, "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref AllowedCidr}\n",
	"        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref AllowedCidr}\n        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}\n", 1)

func TestBroadeningNeedsConsent(t *testing.T) {
	s, in := securityStack(t, openPort80)
	d, _, log := s.deployer()
	_, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrBroadeningRefused) || errors.Is(err, ErrReplacementRefused) || !errors.Is(err, ErrNeedsConsent) {
		t.Fatalf("Deploy --yes: %v, want ErrBroadeningRefused and ErrNeedsConsent only", err)
	}
	check(t, "error", err.Error(), "broadening refused: change set cfngen-20260102040405-0001 widens access to stack web")
	var ce *ConsentError
	errors.As(err, &ce)
	check(t, "broadening", ce.Broadening, []string{"+ security group LoadBalancerSecurityGroup ingress tcp 80 from 0.0.0.0/0 [broadens]"})
	for _, want := range []string{
		"the change set widens access:\n  + security group LoadBalancerSecurityGroup ingress tcp 80 from 0.0.0.0/0 [broadens]\n",
		"not executed: widening access needs consent\n",
	} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("Log lacks %q:\n%s", want, log)
		}
	}
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "DeleteChangeSet cfngen-20260102040405-0001"})

	// Consent on a terminal: the stack name typed.
	s, in = securityStack(t, openPort80)
	d, _, _ = s.deployer()
	p := answer(true)
	d.Prompt = p
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy with the name typed: %v", err)
	}
	check(t, "asked", p.Asked, []string{"ConfirmTyped(web): The change set widens access of stack web. Type the stack name to execute it"})

	// AllowBroadening.
	s, in = securityStack(t, openPort80)
	in.AllowBroadening = true
	d, _, _ = s.deployer()
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy with AllowBroadening: %v", err)
	}
	check(t, "executed", len(s.executed), 1)
}

func TestNarrowingNeedsOnlyYes(t *testing.T) {
	// 10.0.0.0/8 to 10.1.0.0/16, and port 443 to nothing more.
	narrower := strings.Replace(webDeployed, "CidrIp: !Ref AllowedCidr", "CidrIp: 10.1.0.0/16", 1)
	s, in := securityStack(t, narrower,
		detail("/Properties/SecurityGroupIngress/0/CidrIp", "Modify", "10.0.0.0/8", "10.1.0.0/16", types.RequiresRecreationNever, types.ChangeSourceDirectModification, ""))
	d, out, log := s.deployer()
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy --yes of a narrower rule: %v\n%s", err, log)
	}
	for _, want := range []string{
		"  + security group LoadBalancerSecurityGroup ingress tcp 443 from 10.1.0.0/16\n",
		"  - security group LoadBalancerSecurityGroup ingress tcp 443 from 10.0.0.0/8\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Out lacks %q:\n%s", want, out)
		}
	}
}

// The access cannot be compared without the deployed template: the guard
// fails closed.
func TestUnknownAccessNeedsConsent(t *testing.T) {
	s, in := securityStack(t, webDeployed)
	s.api.GetTemplateFunc = func(context.Context, *cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error) {
		return nil, apiError("AccessDenied", "User is not authorized to perform: cloudformation:GetTemplate")
	}
	d, out, _ := s.deployer()
	_, err := d.Deploy(context.Background(), in)
	var ce *ConsentError
	if !errors.As(err, &ce) || !errors.Is(err, ErrBroadeningRefused) {
		t.Fatalf("Deploy: %v, want ErrBroadeningRefused", err)
	}
	check(t, "broadening", ce.Broadening, []string{"the access that changes is not known: the deployed template could not be compared"})
	if !strings.Contains(out.String(), "note: could not read the deployed template (access denied to cloudformation:GetTemplate: User is not authorized to perform: cloudformation:GetTemplate): no prediction, and the access that changes is not known\n") {
		t.Errorf("Out:\n%s", out)
	}
}

// On a new stack every grant is new and shown, and none needs consent.
func TestNewStackAccessNeedsOnlyYes(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	s.onExecute = createScript(s)
	d, out, _ := s.deployer()
	in := testInput()
	in.Template = []byte(webDeployed)
	in.Parameters = nil
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  + IAM InstanceRole trust: Allow sts:AssumeRole by Service: ec2.amazonaws.com\n",
		"  + IAM InstanceRole: Allow logs:CreateLogStream, logs:PutLogEvents on * (role InstanceRole)\n",
		"  + security group LoadBalancerSecurityGroup ingress tcp 443 from 10.0.0.0/8\n",
		"  + security group LoadBalancerSecurityGroup egress all all to 0.0.0.0/0\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Out lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out.String(), "[broadens]") {
		t.Errorf("a new stack's access is marked as broadening:\n%s", out)
	}
}

// A modification of which CloudFormation says nothing (as moto's) gets the
// replacement predicted from the deployed template and the new one; the
// guard uses it.
func TestPredictedReplacement(t *testing.T) {
	setup := func(t *testing.T, next string) (*sim, Input) {
		s := newSim(t)
		st := existing(s, "UPDATE_COMPLETE")
		st.template, st.params = webDeployed, nil
		s.changes = []types.Change{change("Modify", "VPC", "AWS::EC2::VPC", "")}
		s.onExecute = updateDone()
		return s, Input{StackName: "web", Template: []byte(next), Yes: true}
	}
	t.Run("a CIDR change is a known replacement", func(t *testing.T) {
		s, in := setup(t, strings.Replace(webDeployed, "CidrBlock: 10.0.0.0/16", "CidrBlock: 10.1.0.0/16", 1))
		d, out, log := s.deployer()
		_, err := d.Deploy(context.Background(), in)
		var ce *ConsentError
		if !errors.As(err, &ce) || !errors.Is(err, ErrReplacementRefused) {
			t.Fatalf("Deploy: %v, want ErrReplacementRefused", err)
		}
		check(t, "predicted", []string{ce.Risky[0].Predicted, ce.Risky[0].Risk()}, []string{"True", "replaced: CidrBlock is create-only and changes (predicted)"})
		for _, want := range []string{
			"Modify  VPC         AWS::EC2::VPC  True (predicted)  CidrBlock (predicted)\n",
			"0 to add, 1 to modify, 0 to remove, 1 replacement\n",
			"VPC: replaced: CidrBlock is create-only and changes (predicted)\n",
		} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("Out lacks %q:\n%s", want, out)
			}
		}
		if !strings.Contains(log.String(), "  VPC (AWS::EC2::VPC): replaced: CidrBlock is create-only and changes (predicted)\n") {
			t.Errorf("Log:\n%s", log)
		}
	})
	t.Run("a tag is an update in place", func(t *testing.T) {
		s, in := setup(t, strings.Replace(webDeployed, "      CidrBlock: 10.0.0.0/16\n", "      CidrBlock: 10.0.0.0/16\n      Tags: [{Key: team, Value: web}]\n", 1))
		d, out, log := s.deployer()
		if _, err := d.Deploy(context.Background(), in); err != nil {
			t.Fatalf("Deploy --yes: %v\n%s", err, log)
		}
		if !strings.Contains(out.String(), "Modify  VPC         AWS::EC2::VPC  False (predicted)  Tags (predicted)\n") {
			t.Errorf("Out:\n%s", out)
		}
	})
	t.Run("a change the prediction does not see stays unknown", func(t *testing.T) {
		s, in := setup(t, webDeployed)
		d, _, _ := s.deployer()
		_, err := d.Deploy(context.Background(), in)
		var ce *ConsentError
		if !errors.As(err, &ce) || ce.Risky[0].Risk() != "may be replaced: CloudFormation did not say whether it is" {
			t.Fatalf("Deploy: %v, want the unknown replacement refused", err)
		}
	})
	t.Run("the prediction beside what the service says", func(t *testing.T) {
		c := Change{Action: "Modify", Replacement: "False", Predicted: "True"}
		check(t, "cell", c.replacementText(), "False (predicted True)")
		check(t, "risk", c.Risk(), "")
		c.Replacement = "True"
		check(t, "cell", c.replacementText(), "True")
	})
}

func TestPlanOfExecuteKnowsNoSources(t *testing.T) {
	s, _ := webStack(t)
	cs := &ChangeSet{Type: "UPDATE", Template: []byte(webNext), csParams: []types.Parameter{
		{ParameterKey: aws.String("InstanceType"), ParameterValue: aws.String("t3.micro")},
		{ParameterKey: aws.String("AllowedCidr"), ParameterValue: aws.String("10.1.0.0/16")},
	}}
	ps := parameterChanges(tree(t, webNext), tree(t, webDeployed), &types.Stack{Parameters: s.stacks[0].params}, nil, cs.csParams)
	check(t, "parameters", ps, []ParameterChange{
		{Key: "InstanceType", Before: "t3.small", After: "t3.micro", Changed: true},
		{Key: "AllowedCidr", Before: "10.0.0.0/8", After: "10.1.0.0/16", Changed: true},
	})
}

// moto lists the launch template's change and not the instances that it
// replaces: the plan shows them as predicted, and what the site will feel.
func TestUnlistedPredictions(t *testing.T) {
	fleet := `Resources:
  LaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData: {UserData: aGk=}
  Instance1:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref LaunchTemplate, Version: !GetAtt LaunchTemplate.LatestVersionNumber}
      SubnetId: subnet-1
  Instance2:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate: {LaunchTemplateId: !Ref LaunchTemplate, Version: !GetAtt LaunchTemplate.LatestVersionNumber}
      SubnetId: subnet-2
`
	s := newSim(t)
	st := existing(s, "UPDATE_COMPLETE")
	st.template, st.params = fleet, nil
	s.changes = []types.Change{change("Modify", "LaunchTemplate", "AWS::EC2::LaunchTemplate", "")}
	d, out, _ := s.deployer()
	cs, err := d.Diff(context.Background(), Input{StackName: "web", Template: []byte(strings.Replace(fleet, "aGk=", "aG8=", 1))})
	if err != nil {
		t.Fatal(err)
	}
	check(t, "unlisted", len(cs.Unlisted), 2)
	for _, want := range []string{
		"Modify  LaunchTemplate  AWS::EC2::LaunchTemplate  False (predicted)  LaunchTemplateData (predicted)\n",
		"Instance1 (AWS::EC2::Instance): not in the change set, but predicted: replaced: LaunchTemplate is create-only and changes",
		"the site:\n  all 2 instances may be replaced at the same time; the site is down until the new ones pass health checks\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("Out lacks %q:\n%s", want, out)
		}
	}
}
