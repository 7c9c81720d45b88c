package deploy

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const sgOld = `Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 80, ToPort: 80, SourceSecurityGroupId: !Ref LB}
        - {IpProtocol: tcp, FromPort: 1024, ToPort: 2048, CidrIp: 10.0.0.0/16}
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  LB:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: lb
  Ssh:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Web.GroupId
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 10.0.0.0/8
`

func rules(t *testing.T, old, new string) []string {
	t.Helper()
	var o *yaml.Node
	if old != "" {
		o = tree(t, old)
	}
	sc := securityChanges(o, tree(t, new), nil, nil)
	var out []string
	for _, r := range sc.Rules {
		out = append(out, r.String())
	}
	for _, c := range sc.IAM {
		out = append(out, c.String())
	}
	return out
}

func TestSecurityGroupRules(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"a description is neutral", "CidrIp: 10.0.0.0/8\n", "CidrIp: 10.0.0.0/8\n      Description: ssh from the office\n", nil},
		{"a narrower range", "FromPort: 1024, ToPort: 2048, CidrIp: 10.0.0.0/16", "FromPort: 1100, ToPort: 1200, CidrIp: 10.0.1.0/24", []string{
			"+ security group Web ingress tcp 1100-1200 from 10.0.1.0/24",
			"- security group Web ingress tcp 1024-2048 from 10.0.0.0/16"}},
		{"a wider peer", "CidrIp: 10.0.0.0/8\n", "CidrIp: 0.0.0.0/0\n", []string{
			"+ security group Web ingress tcp 22 from 0.0.0.0/0 [broadens]",
			"- security group Web ingress tcp 22 from 10.0.0.0/8"}},
		{"more ports", "FromPort: 1024, ToPort: 2048", "FromPort: 1024, ToPort: 4096", []string{
			"+ security group Web ingress tcp 1024-4096 from 10.0.0.0/16 [broadens]",
			"- security group Web ingress tcp 1024-2048 from 10.0.0.0/16"}},
		{"another group as peer", "SourceSecurityGroupId: !Ref LB", "SourceSecurityGroupId: !GetAtt Ssh.GroupId", []string{
			"+ security group Web ingress tcp 80 from security group Ssh [broadens]",
			"- security group Web ingress tcp 80 from security group LB"}},
		{"IPv6 from anywhere", "- {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}", "- {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n        - {IpProtocol: -1, CidrIpv6: '::/0'}", []string{
			"+ security group Web egress all all to ::/0 [broadens]"}},
		{"egress rules given take the default's place", "      GroupDescription: lb\n", "      GroupDescription: lb\n      SecurityGroupEgress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}]\n", []string{
			"+ security group LB egress tcp 443 to 0.0.0.0/0",
			"- security group LB egress all all to 0.0.0.0/0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "rules", rules(t, sgOld, strings.Replace(sgOld, tc.from, tc.to, 1)), tc.want)
		})
	}
}

const iamOld = `Parameters:
  Bucket:
    Type: String
    Default: site
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "s3:Get*", Resource: !Sub "arn:aws:s3:::${Bucket}/*"}
              - {Effect: Allow, Action: ["logs:*"], Resource: "*"}
              - {Effect: Deny, Action: "s3:DeleteObject", Resource: "*"}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Action: sqs:SendMessage, Resource: "*"}
`

func TestIAMStatements(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		want           []string
	}{
		{"an action already covered by a wildcard", `["logs:*"]`, `["logs:*", "logs:PutLogEvents"]`, []string{
			"+ IAM Role: Allow logs:*, logs:PutLogEvents on * (role Role)",
			"- IAM Role: Allow logs:* on * (role Role)"}},
		{"a new action", `["logs:*"]`, `["logs:*", "ec2:TerminateInstances"]`, []string{
			"+ IAM Role: Allow ec2:TerminateInstances, logs:* on * (role Role) [broadens]",
			"- IAM Role: Allow logs:* on * (role Role)"}},
		{"a removed Deny", "              - {Effect: Deny, Action: \"s3:DeleteObject\", Resource: \"*\"}\n", "", []string{
			"- IAM Role: Deny s3:DeleteObject on * (role Role) [broadens]"}},
		{"a new principal", "Principal: {Service: ec2.amazonaws.com}", "Principal: {Service: [ec2.amazonaws.com, lambda.amazonaws.com]}", []string{
			"+ IAM Role trust: Allow sts:AssumeRole by Service: ec2.amazonaws.com, Service: lambda.amazonaws.com [broadens]",
			"- IAM Role trust: Allow sts:AssumeRole by Service: ec2.amazonaws.com"}},
		{"a managed policy", "      Policies:\n", "      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n      Policies:\n", []string{
			"+ IAM Role: managed policy arn:aws:iam::aws:policy/AdministratorAccess [broadens]"}},
		{"a policy attached to one more role", "Roles: [!Ref Role]", "Roles: [!Ref Role, !Ref Other]", []string{
			"+ IAM Extra: Allow sqs:SendMessage on * (role Other, role Role) [broadens]",
			"- IAM Extra: Allow sqs:SendMessage on * (role Role)"}},
		{"fewer actions", `["logs:*"]`, `["logs:PutLogEvents"]`, []string{
			"+ IAM Role: Allow logs:PutLogEvents on * (role Role)",
			"- IAM Role: Allow logs:* on * (role Role)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check(t, "changes", rules(t, iamOld, strings.Replace(iamOld, tc.from, tc.to, 1)), tc.want)
		})
	}
}

func TestSecurityParameters(t *testing.T) {
	tmpl := `Parameters:
  Allowed: {Type: String, Default: 10.0.0.0/8}
Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref Allowed}]
      SecurityGroupEgress: []
`
	sc := securityChanges(tree(t, tmpl), tree(t, tmpl), map[string]string{"Allowed": "10.1.0.0/16"}, map[string]string{"Allowed": "0.0.0.0/0"})
	check(t, "broadening", sc.Broadening(), true)
	check(t, "rule", sc.Rules[0].String(), "+ security group G ingress tcp 443 from 0.0.0.0/0 [broadens]")
}

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"s3:Get*", "s3:GetObject", true},
		{"s3:get*", "S3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"arn:aws:s3:::site/*", "arn:aws:s3:::site/a/b", true},
		{"arn:aws:s3:::site/*", "arn:aws:s3:::other/a", false},
		{"*", "anything", true},
		{"ec2:Describe?pc*", "ec2:DescribeVpcs", true},
	} {
		check(t, tc.p+" ~ "+tc.s, match(tc.p, tc.s), tc.want)
	}
}
