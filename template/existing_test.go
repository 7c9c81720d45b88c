package template

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/certificatemanager"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/elasticloadbalancingv2"
	"github.com/awslabs/goformation/v7/cloudformation/route53"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template/cloudformation"
)

func existingConfig() *config.Config {
	c := config.Default()
	c.VPC.ID = "vpc-0a1b2c3d4e5f60718"
	c.VPC.PublicSubnetIDs = []string{"subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"}
	c.VPC.PrivateSubnetIDs = []string{"subnet-0a1b2c3d4e5f60011", "subnet-0a1b2c3d4e5f60012", "subnet-0a1b2c3d4e5f60013"}
	c.Instances.Count = 4
	return c
}

// TestExistingVPCTemplate: the template takes the network as parameters
// and creates none of it; instances go round-robin over the private
// subnets, picked from the list; nothing waits for a network resource.
func TestExistingVPCTemplate(t *testing.T) {
	s := build(t, existingConfig())
	p := s.Template.Parameters
	if p["VpcId"].Type != "AWS::EC2::VPC::Id" || p["VpcId"].Default != "vpc-0a1b2c3d4e5f60718" {
		t.Errorf("VpcId: %+v", p["VpcId"])
	}
	if p["PrivateSubnetIds"].Type != "List<AWS::EC2::Subnet::Id>" || p["PrivateSubnetIds"].Default != strings.Join(existingConfig().VPC.PrivateSubnetIDs, ",") {
		t.Errorf("PrivateSubnetIds: %+v", p["PrivateSubnetIds"])
	}
	for id, r := range s.Template.Resources {
		typ := r.AWSCloudFormationType()
		if strings.HasPrefix(typ, "AWS::EC2::") && !slices.Contains([]string{"SecurityGroup", "SecurityGroupIngress", "LaunchTemplate", "Instance"}, strings.TrimPrefix(typ, "AWS::EC2::")) {
			t.Errorf("%s: a %s in a network the stack does not own", id, typ)
		}
	}
	for i := range 4 {
		inst := mustResource[*ec2.Instance](t, s, fmt.Sprintf("Instance%d", i+1))
		if want := cloudformation.Select(i%3, cloudformation.Ref("PrivateSubnetIds")); *inst.SubnetId != want {
			t.Errorf("Instance%d is not in private subnet %d", i+1, i%3)
		}
		if len(inst.AWSCloudFormationDependsOn) > 0 {
			t.Errorf("Instance%d waits for %v", i+1, inst.AWSCloudFormationDependsOn)
		}
	}
	lb := mustResource[*elasticloadbalancingv2.LoadBalancer](t, s, "LoadBalancer")
	if len(lb.Subnets) != 2 || lb.Subnets[1] != cloudformation.Select(1, cloudformation.Ref("PublicSubnetIds")) || len(lb.AWSCloudFormationDependsOn) > 0 {
		t.Errorf("load balancer: subnets %v, depends on %v", lb.Subnets, lb.AWSCloudFormationDependsOn)
	}
	if !strings.Contains(s.Template.Description, "an existing VPC") {
		t.Errorf("description: %s", s.Template.Description)
	}
	c := existingConfig()
	c.Instances.AutoScaling = &config.AutoScaling{Min: 2, Max: 4}
	asg := mustResource[*autoscaling.AutoScalingGroup](t, build(t, c), "AutoScalingGroup")
	if len(asg.VPCZoneIdentifier) != 3 || asg.VPCZoneIdentifier[2] != cloudformation.Select(2, cloudformation.Ref("PrivateSubnetIds")) || len(asg.AWSCloudFormationDependsOn) > 0 {
		t.Errorf("group: subnets %v, depends on %v", asg.VPCZoneIdentifier, asg.AWSCloudFormationDependsOn)
	}
}

// TestDomainTemplate: a domain gets a certificate validated in its zone
// (or the one given), HTTPS with a redirect, an alias record and its URL;
// a zone named by name is a parameter without a default.
func TestDomainTemplate(t *testing.T) {
	c := config.Default()
	c.LoadBalancer.DomainName, c.LoadBalancer.HostedZoneID = "app.example.com", "Z0123456789ABCDEFGHIJ"
	s := build(t, c)
	cert := mustResource[*certificatemanager.Certificate](t, s, "Certificate")
	if cert.DomainName != "app.example.com" || *cert.ValidationMethod != "DNS" || len(cert.DomainValidationOptions) != 1 ||
		*cert.DomainValidationOptions[0].HostedZoneId != cloudformation.Ref("HostedZoneId") {
		t.Errorf("certificate: %+v", cert)
	}
	if p := s.Template.Parameters["HostedZoneId"]; p.Type != "AWS::Route53::HostedZone::Id" || p.Default != "Z0123456789ABCDEFGHIJ" {
		t.Errorf("HostedZoneId: %+v", p)
	}
	https := mustResource[*elasticloadbalancingv2.Listener](t, s, "HTTPSListener")
	if *https.Certificates[0].CertificateArn != cloudformation.Ref("Certificate") || *https.SslPolicy != tlsPolicy {
		t.Errorf("HTTPS listener: %+v", https)
	}
	if http := mustResource[*elasticloadbalancingv2.Listener](t, s, "HTTPListener"); http.DefaultActions[0].Type != "redirect" {
		t.Errorf("HTTP listener does not redirect: %v", http.DefaultActions[0].Type)
	}
	rec := mustResource[*route53.RecordSet](t, s, "AliasRecord")
	if rec.Name != "app.example.com" || rec.Type != "A" || rec.AliasTarget.DNSName != cloudformation.GetAtt("LoadBalancer", "DNSName") ||
		rec.AliasTarget.HostedZoneId != cloudformation.GetAtt("LoadBalancer", "CanonicalHostedZoneID") || *rec.HostedZoneId != cloudformation.Ref("HostedZoneId") {
		t.Errorf("alias record: %+v %+v", rec, rec.AliasTarget)
	}
	if s.Template.Outputs["URL"].Value != "https://app.example.com" {
		t.Errorf("URL: %v", s.Template.Outputs["URL"].Value)
	}

	// A certificate given, a zone by name.
	c.LoadBalancer.CertificateArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
	c.LoadBalancer.HostedZoneID, c.LoadBalancer.HostedZoneName = "", "example.com"
	s = build(t, c)
	if _, ok := resource[*certificatemanager.Certificate](s, "Certificate"); ok {
		t.Error("a certificate is created though one is given")
	}
	https = mustResource[*elasticloadbalancingv2.Listener](t, s, "HTTPSListener")
	if *https.Certificates[0].CertificateArn != c.LoadBalancer.CertificateArn {
		t.Errorf("the listener does not use the given certificate: %v", *https.Certificates[0].CertificateArn)
	}
	if p := s.Template.Parameters["HostedZoneId"]; p.Default != nil || !strings.Contains(*p.Description, "example.com") {
		t.Errorf("HostedZoneId of a zone named by name: %+v", p)
	}
	if _, ok := build(t, config.Default()).Template.Parameters["HostedZoneId"]; ok {
		t.Error("the default stack has a HostedZoneId parameter")
	}
}
