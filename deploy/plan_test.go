package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	goldenfile "github.com/cfngen/cfngen/internal/testkit/golden"
)

// Run make golden (go test ./deploy -run Golden -update) after an
// intended change to the plan's text or JSON.
var update = flag.Bool("update", false, "rewrite the golden plans in testdata with the current output")

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, *update, filepath.Join("testdata", name), got)
}

// webDeployed is a small web stack as deployed: a load balancer's security
// group, an instance role, two instances, a queue.
const webDeployed = `Parameters:
  InstanceType:
    Type: String
    Default: t3.micro
  AllowedCidr:
    Type: String
    Default: 10.0.0.0/8
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  LoadBalancerSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: load balancer
      VpcId: !Ref VPC
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref AllowedCidr}
  InstanceRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: logs
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: "*"}
  Instance1:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0aaa1111
      InstanceType: !Ref InstanceType
      SubnetId: subnet-1
  Instance2:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0aaa1111
      InstanceType: !Ref InstanceType
      SubnetId: subnet-2
  TargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Port: 80
      Protocol: HTTP
      VpcId: !Ref VPC
      Targets: [{Id: !Ref Instance1}, {Id: !Ref Instance2}]
  OldQueue:
    Type: AWS::SQS::Queue
`

// webNext is the update: a tag on the VPC, a world-open port 80, reads of
// the site's bucket and SSM for the role, a new AMI for both instances, a
// topic in place of the queue.
var webNext = strings.NewReplacer(
	"      CidrBlock: 10.0.0.0/16\n", "      CidrBlock: 10.0.0.0/16\n      Tags: [{Key: team, Value: web}]\n",
	"        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref AllowedCidr}\n",
	"        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref AllowedCidr}\n        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, CidrIp: 0.0.0.0/0}\n",
	"              - {Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: \"*\"}\n",
	"              - {Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: \"*\"}\n              - {Effect: Allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::site/*\"}\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore]\n",
	"ami-0aaa1111", "ami-0bbb2222",
	"  OldQueue:\n    Type: AWS::SQS::Queue\n", "  Topic:\n    Type: AWS::SNS::Topic\n",
).Replace(webDeployed)

// detail builds a property change as DescribeChangeSet gives it with
// IncludePropertyValues.
func detail(path, changeType, before, after string, recreation types.RequiresRecreation, source types.ChangeSource, cause string) types.ResourceChangeDetail {
	name, _, _ := strings.Cut(strings.TrimPrefix(path, "/Properties/"), "/")
	d := types.ResourceChangeDetail{
		Evaluation:   types.EvaluationTypeStatic,
		ChangeSource: source,
		Target: &types.ResourceTargetDefinition{
			Attribute: types.ResourceAttributeProperties, Name: aws.String(name), Path: aws.String(path),
			AttributeChangeType: types.AttributeChangeType(changeType), RequiresRecreation: recreation,
		},
	}
	if before != "" {
		d.Target.BeforeValue = aws.String(before)
	}
	if after != "" {
		d.Target.AfterValue = aws.String(after)
	}
	if cause != "" {
		d.CausingEntity = aws.String(cause)
	}
	return d
}

// valued builds a resource change with its details and contexts, as
// DescribeChangeSet gives them with IncludePropertyValues.
func valued(action types.ChangeAction, id, typ string, repl types.Replacement, details ...types.ResourceChangeDetail) types.Change {
	c := change(action, id, typ, repl)
	rc := c.ResourceChange
	rc.Details = details
	if action != types.ChangeActionAdd {
		rc.PhysicalResourceId = aws.String(strings.ToLower(id) + "-0123456789abcdef")
		rc.BeforeContext = aws.String(`{"Properties":{}}`)
	}
	if action != types.ChangeActionRemove {
		rc.AfterContext = aws.String(`{"Properties":{}}`)
	}
	for _, d := range details {
		rc.Scope = append(rc.Scope, d.Target.Attribute)
	}
	return c
}

const userData = "IyEvYmluL2Jhc2gKc2V0IC1ldW8gcGlwZWZhaWwKbG9nPS92YXIvbG9nL2Nmbmdlbi11c2VyZGF0YS5sb2cK"

// webChanges is the change set of webDeployed to webNext, with values.
func webChanges() []types.Change {
	direct := types.ChangeSourceDirectModification
	instance := func(id string) types.Change {
		return valued("Modify", id, "AWS::EC2::Instance", "True",
			detail("/Properties/ImageId", "Modify", "ami-0aaa1111", "ami-0bbb2222", types.RequiresRecreationAlways, direct, ""),
			detail("/Properties/InstanceType", "Modify", "t3.small", "t3.micro", types.RequiresRecreationNever, types.ChangeSourceParameterReference, "InstanceType"),
			detail("/Properties/UserData", "Modify", userData, userData+"ZWNobyBoZWxsbwo=", types.RequiresRecreationNever, direct, ""))
	}
	targets := detail("/Properties/Targets/0/Id", "Modify", "i-0aaa", "", types.RequiresRecreationNever, types.ChangeSourceResourceReference, "Instance1")
	targets.Evaluation = types.EvaluationTypeDynamic
	return []types.Change{
		valued("Modify", "VPC", "AWS::EC2::VPC", "False",
			detail("/Properties/Tags/0", "Add", "", `{"Key":"team","Value":"web"}`, types.RequiresRecreationNever, direct, "")),
		valued("Modify", "LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", "False",
			detail("/Properties/SecurityGroupIngress/0/CidrIp", "Modify", "10.0.0.0/8", "10.1.0.0/16", types.RequiresRecreationNever, types.ChangeSourceParameterReference, "AllowedCidr"),
			detail("/Properties/SecurityGroupIngress/1", "Add", "", `{"CidrIp":"0.0.0.0/0","FromPort":80,"IpProtocol":"tcp","ToPort":80}`, types.RequiresRecreationNever, direct, "")),
		valued("Modify", "InstanceRole", "AWS::IAM::Role", "False",
			detail("/Properties/Policies/0/PolicyDocument/Statement/1", "Add", "", `{"Action":"s3:GetObject","Effect":"Allow","Resource":"arn:aws:s3:::site/*"}`, types.RequiresRecreationNever, direct, ""),
			detail("/Properties/ManagedPolicyArns", "Add", "", `["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]`, types.RequiresRecreationNever, direct, "")),
		instance("Instance1"),
		instance("Instance2"),
		valued("Modify", "TargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", "False", targets),
		valued("Add", "Topic", "AWS::SNS::Topic", ""),
		valued("Remove", "OldQueue", "AWS::SQS::Queue", ""),
	}
}

// webStack is the sim with webDeployed, deployed with InstanceType
// t3.small given, and the change set to webNext.
func webStack(t *testing.T) (*sim, Input) {
	s := newSim(t)
	st := existing(s, "UPDATE_COMPLETE")
	st.template = webDeployed
	st.params = []types.Parameter{
		{ParameterKey: aws.String("InstanceType"), ParameterValue: aws.String("t3.small")},
		{ParameterKey: aws.String("AllowedCidr"), ParameterValue: aws.String("10.0.0.0/8")},
	}
	st.tags = []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}, {Key: aws.String("team"), Value: aws.String("web")}}
	s.changes = webChanges()
	s.csPage = 3
	in := Input{StackName: "web", Template: []byte(webNext), Parameters: map[string]string{"AllowedCidr": "10.1.0.0/16"},
		Tags: map[string]string{"env": "prod", "owner": "ops"}, Yes: true}
	return s, in
}

func TestGoldenPlan(t *testing.T) {
	s, in := webStack(t)
	d, out, _ := s.deployer()
	cs, err := d.Diff(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.txt", out.Bytes())
	var b bytes.Buffer
	if err := cs.WriteText(&b, 24); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan-terminal.txt", b.Bytes())
	b.Reset()
	if err := cs.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.json", b.Bytes())
	var back map[string]any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back["version"] != float64(PlanVersion) {
		t.Errorf("the JSON plan does not read back with its version: %v, %v", err, back["version"])
	}

	// Every page was read, with the property values.
	var pages []string
	for _, c := range s.api.Calls {
		if strings.HasPrefix(c, "DescribeChangeSet") {
			pages = append(pages, strings.TrimPrefix(c, "DescribeChangeSet "+cs.Name))
		}
	}
	check(t, "pages", pages, []string{"", " token=3", " token=6"})
	for _, in := range s.describedChangeSets {
		check(t, "IncludePropertyValues", aws.ToBool(in.IncludePropertyValues), true)
	}
	check(t, "changes", len(cs.Changes), 8)
}
