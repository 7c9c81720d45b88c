package golden_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/golden"
)

// resource is one resource of a parsed golden.
type resource struct {
	id, typ string
	props   *yaml.Node
	node    *yaml.Node
}

// resources returns the resources of the template built now for s.
func resources(t *testing.T, s scenario) []resource {
	t.Helper()
	doc, err := cfnyaml.Parse(built(t, s))
	if err != nil {
		t.Fatal(err)
	}
	var out []resource
	res := cfnyaml.Get(doc, "Resources")
	for i := 0; i+1 < len(res.Content); i += 2 {
		n := res.Content[i+1]
		out = append(out, resource{id: res.Content[i].Value, typ: cfnyaml.Get(n, "Type").Value, props: cfnyaml.Get(n, "Properties"), node: n})
	}
	return out
}

// path follows keys (and [i] for list items) from n; nil when missing.
func path(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil {
			return nil
		}
		if strings.HasPrefix(k, "[") {
			var i int
			fmt.Sscanf(k, "[%d]", &i)
			if n.Kind != yaml.SequenceNode || i >= len(n.Content) {
				return nil
			}
			n = n.Content[i]
			continue
		}
		n = cfnyaml.Get(n, k)
	}
	return n
}

func value(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// TestSecurityProperties scans the template built from every config for the properties a security
// review relies on, so that a regression fails the build.
func TestSecurityProperties(t *testing.T) {
	golden.Behaviour(t)
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			rs := resources(t, s)
			listenerPorts := map[string]bool{}
			for _, r := range rs {
				if r.typ == "AWS::ElasticLoadBalancingV2::Listener" {
					listenerPorts[value(path(r.props, "Port"))] = true
				}
			}
			sawLT, sawLB, sawInstanceIngress := false, false, false
			for _, r := range rs {
				switch r.typ {
				case "AWS::EC2::LaunchTemplate":
					sawLT = true
					d := path(r.props, "LaunchTemplateData")
					if value(path(d, "MetadataOptions", "HttpTokens")) != "required" {
						t.Errorf("%s: IMDSv2 is not required", r.id)
					}
					if value(path(d, "MetadataOptions", "HttpPutResponseHopLimit")) != "1" {
						t.Errorf("%s: metadata hop limit is not 1", r.id)
					}
					bdm := items(path(d, "BlockDeviceMappings"))
					if len(bdm) == 0 {
						t.Errorf("%s: no root volume mapping", r.id)
					}
					for _, m := range bdm {
						if value(path(m, "Ebs", "Encrypted")) != "true" {
							t.Errorf("%s: a volume is not encrypted", r.id)
						}
					}
					for _, ni := range items(path(d, "NetworkInterfaces")) {
						if value(path(ni, "AssociatePublicIpAddress")) == "true" {
							t.Errorf("%s: instances get a public IP", r.id)
						}
					}
				case "AWS::EC2::Instance":
					if path(r.props, "LaunchTemplate") == nil {
						t.Errorf("%s: not launched from the hardened launch template", r.id)
					}
					if path(r.props, "NetworkInterfaces") != nil || !strings.HasPrefix(subnetName(path(r.props, "SubnetId")), "PrivateSubnet") {
						t.Errorf("%s: not in a private subnet", r.id)
					}
				case "AWS::AutoScaling::AutoScalingGroup":
					for _, sub := range items(path(r.props, "VPCZoneIdentifier")) {
						if !strings.HasPrefix(subnetName(sub), "PrivateSubnet") {
							t.Errorf("%s: launches outside the private subnets", r.id)
						}
					}
				case "AWS::EC2::Subnet":
					if value(path(r.props, "MapPublicIpOnLaunch")) != "false" {
						t.Errorf("%s: maps public IPs on launch", r.id)
					}
				case "AWS::EC2::SecurityGroup":
					for _, rule := range items(path(r.props, "SecurityGroupIngress")) {
						checkRule(t, r.id, "ingress", rule, r.id == "LoadBalancerSecurityGroup", listenerPorts)
						if r.id == "InstanceSecurityGroup" {
							checkFromLoadBalancer(t, r.id, rule)
						}
					}
					for _, rule := range items(path(r.props, "SecurityGroupEgress")) {
						checkRule(t, r.id, "egress", rule, true, nil)
						checkEgress(t, r.id, rule)
					}
				case "AWS::EC2::SecurityGroupIngress":
					checkRule(t, r.id, "ingress", r.props, false, listenerPorts)
					if getAtt(path(r.props, "GroupId")) == "InstanceSecurityGroup.GroupId" {
						sawInstanceIngress = true
						checkFromLoadBalancer(t, r.id, r.props)
					}
				case "AWS::EC2::SecurityGroupEgress":
					checkRule(t, r.id, "egress", r.props, true, nil)
				case "AWS::ElasticLoadBalancingV2::LoadBalancer":
					sawLB = true
					drop := false
					for _, a := range items(path(r.props, "LoadBalancerAttributes")) {
						if value(path(a, "Key")) == "routing.http.drop_invalid_header_fields.enabled" && value(path(a, "Value")) == "true" {
							drop = true
						}
					}
					if !drop {
						t.Errorf("%s: does not drop invalid header fields", r.id)
					}
					for _, sub := range items(path(r.props, "Subnets")) {
						if !strings.HasPrefix(subnetName(sub), "PublicSubnet") {
							t.Errorf("%s: outside the public subnets", r.id)
						}
					}
				case "AWS::ElasticLoadBalancingV2::Listener":
					if value(path(r.props, "Protocol")) == "HTTPS" && !strings.HasPrefix(value(path(r.props, "SslPolicy")), "ELBSecurityPolicy-TLS13-1-2") {
						t.Errorf("%s: HTTPS without a TLS 1.2+ policy", r.id)
					}
				case "AWS::IAM::Role":
					checkPolicies(t, r)
				case "AWS::S3::Bucket":
					if value(path(r.props, "BucketEncryption", "ServerSideEncryptionConfiguration", "[0]", "ServerSideEncryptionByDefault", "SSEAlgorithm")) == "" {
						t.Errorf("%s: no default encryption", r.id)
					}
					for _, k := range []string{"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"} {
						if value(path(r.props, "PublicAccessBlockConfiguration", k)) != "true" {
							t.Errorf("%s: %s is not on", r.id, k)
						}
					}
				case "AWS::S3::BucketPolicy":
					checkBucketPolicy(t, r)
				}
				checkSuppressions(t, r)
			}
			if !sawLT || !sawLB {
				t.Errorf("no launch template or load balancer to check")
			}
			if !sawInstanceIngress {
				t.Errorf("no rule lets the load balancer reach the instances")
			}
		})
	}
}

// checkRule: every rule has a description; world-open ingress only where
// worldOK (the load balancer's group) and only on listener ports.
func checkRule(t *testing.T, id, dir string, rule *yaml.Node, worldOK bool, listenerPorts map[string]bool) {
	t.Helper()
	if value(path(rule, "Description")) == "" {
		t.Errorf("%s: an %s rule has no description", id, dir)
	}
	world := value(path(rule, "CidrIp")) == "0.0.0.0/0" || value(path(rule, "CidrIpv6")) == "::/0"
	if dir != "ingress" || !world {
		return
	}
	from, to := value(path(rule, "FromPort")), value(path(rule, "ToPort"))
	if !worldOK || from != to || !listenerPorts[from] {
		t.Errorf("%s: ingress from the whole internet on ports %s-%s", id, from, to)
	}
}

// checkFromLoadBalancer: the instances take only HTTP on the target port,
// and only from the load balancer's group.
func checkFromLoadBalancer(t *testing.T, id string, rule *yaml.Node) {
	t.Helper()
	if src := getAtt(path(rule, "SourceSecurityGroupId")); src != "LoadBalancerSecurityGroup.GroupId" || value(path(rule, "CidrIp")) != "" || value(path(rule, "CidrIpv6")) != "" {
		t.Errorf("%s: the instances take traffic from %q, not only from the load balancer's group", id, src)
	}
	if value(path(rule, "IpProtocol")) != "tcp" || value(path(rule, "FromPort")) != "80" || value(path(rule, "ToPort")) != "80" {
		t.Errorf("%s: the instances take %s ports %s-%s, want tcp 80", id, value(path(rule, "IpProtocol")), value(path(rule, "FromPort")), value(path(rule, "ToPort")))
	}
}

// checkEgress: the load balancer reaches only the instances' group on the
// target port; the instances go out only on HTTPS; no group sends all
// traffic anywhere.
func checkEgress(t *testing.T, id string, rule *yaml.Node) {
	t.Helper()
	proto, from, to := value(path(rule, "IpProtocol")), value(path(rule, "FromPort")), value(path(rule, "ToPort"))
	if proto == "-1" {
		t.Errorf("%s: an egress rule allows every protocol", id)
	}
	switch id {
	case "LoadBalancerSecurityGroup":
		if getAtt(path(rule, "DestinationSecurityGroupId")) != "InstanceSecurityGroup.GroupId" || from != "80" || to != "80" {
			t.Errorf("%s: egress to %s ports %s-%s, want only the instances' group on port 80", id, value(path(rule, "CidrIp"))+getAtt(path(rule, "DestinationSecurityGroupId")), from, to)
		}
	case "InstanceSecurityGroup":
		if proto != "tcp" || from != "443" || to != "443" {
			t.Errorf("%s: egress on %s ports %s-%s, want HTTPS only", id, proto, from, to)
		}
	}
}

// getAtt returns A.B for !GetAtt A.B; "" for anything else.
func getAtt(n *yaml.Node) string {
	if a := items(path(n, "Fn::GetAtt")); len(a) == 2 {
		return value(a[0]) + "." + value(a[1])
	}
	return value(path(n, "Fn::GetAtt"))
}

// checkPolicies: no wildcard actions in trust or inline policies.
func checkPolicies(t *testing.T, r resource) {
	t.Helper()
	docs := []*yaml.Node{path(r.props, "AssumeRolePolicyDocument")}
	for _, p := range items(path(r.props, "Policies")) {
		docs = append(docs, path(p, "PolicyDocument"))
	}
	for _, d := range docs {
		for _, st := range items(path(d, "Statement")) {
			actions := items(path(st, "Action"))
			if a := path(st, "Action"); a != nil && a.Kind == yaml.ScalarNode {
				actions = []*yaml.Node{a}
			}
			if len(actions) == 0 {
				t.Errorf("%s: a statement without actions", r.id)
			}
			for _, a := range actions {
				if strings.Contains(a.Value, "*") {
					t.Errorf("%s: wildcard action %q", r.id, a.Value)
				}
			}
			if value(path(st, "Resource")) == "*" && value(path(st, "Effect")) == "Allow" {
				t.Errorf("%s: allows actions on every resource", r.id)
			}
		}
	}
}

// checkBucketPolicy: no statement allows everyone, and plain HTTP is
// refused.
func checkBucketPolicy(t *testing.T, r resource) {
	t.Helper()
	tlsOnly := false
	for _, st := range items(path(r.props, "PolicyDocument", "Statement")) {
		everyone := value(path(st, "Principal")) == "*" || value(path(st, "Principal", "AWS")) == "*"
		switch value(path(st, "Effect")) {
		case "Allow":
			if everyone {
				t.Errorf("%s: allows everyone", r.id)
			}
		case "Deny":
			tlsOnly = tlsOnly || everyone && value(path(st, "Condition", "Bool", "aws:SecureTransport")) == "false"
		}
	}
	if !tlsOnly {
		t.Errorf("%s: does not refuse plain HTTP", r.id)
	}
}

// checkSuppressions: every suppressed scanner rule says why.
func checkSuppressions(t *testing.T, r resource) {
	t.Helper()
	md := cfnyaml.Get(r.node, "Metadata")
	for _, rule := range items(path(md, "cfn_nag", "rules_to_suppress")) {
		if value(path(rule, "id")) == "" || len(value(path(rule, "reason"))) < 20 {
			t.Errorf("%s: a cfn_nag suppression without an ID or a reason", r.id)
		}
	}
	for _, rule := range items(path(md, "checkov", "skip")) {
		if value(path(rule, "id")) == "" || len(value(path(rule, "comment"))) < 20 {
			t.Errorf("%s: a checkov skip without an ID or a comment", r.id)
		}
	}
}

// TestOptionsTurnFindingsOff: the keys that add access logs and flow logs
// also drop the suppressions that their absence needed.
func TestOptionsTurnFindingsOff(t *testing.T) {
	golden.Behaviour(t)
	suppressed := func(name, id string) []string {
		var where []string
		for _, r := range resources(t, named(t, name)) {
			md := cfnyaml.Get(r.node, "Metadata")
			for _, rule := range append(items(path(md, "cfn_nag", "rules_to_suppress")), items(path(md, "checkov", "skip"))...) {
				if value(path(rule, "id")) == id {
					where = append(where, r.id)
				}
			}
		}
		return where
	}
	for _, c := range []struct {
		rule, on string
	}{{"W60", "flow-logs"}, {"W52", "access-logs"}, {"CKV_AWS_91", "access-logs"}, {"W52", "access-logs-bucket"}, {"CKV_AWS_91", "access-logs-bucket"}, {"CKV_AWS_2", "https"}} {
		if got := suppressed("default", c.rule); len(got) != 1 {
			t.Errorf("default: %s suppressed on %v, want one resource", c.rule, got)
		}
		if got := suppressed(c.on, c.rule); len(got) != 0 {
			t.Errorf("%s: %s still suppressed on %v", c.on, c.rule, got)
		}
	}
	if !slices.Contains(suppressed("flow-logs", "CKV_AWS_158"), "FlowLogsGroup") {
		t.Errorf("flow-logs: the log group's default encryption is not recorded")
	}
}
