package template

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template/cloudformation"
)

func build(t *testing.T, c *config.Config) *Stack {
	t.Helper()
	s, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// resource returns the resource id of s if it is a T.
func resource[T cloudformation.Resource](s *Stack, id string) (T, bool) {
	r, ok := s.Template.Resources[id].(T)
	return r, ok
}

// mustResource returns the resource id of s, which must be a T.
func mustResource[T cloudformation.Resource](t *testing.T, s *Stack, id string) T {
	t.Helper()
	r, ok := resource[T](s, id)
	if !ok {
		t.Fatalf("no %s of type %T; got %T", id, r, s.Template.Resources[id])
	}
	return r
}

// TestInstancesRoundRobin: instance i sits in private subnet i mod AZs.
func TestInstancesRoundRobin(t *testing.T) {
	c := config.Default()
	c.VPC.AZCount, c.VPC.NATGateways, c.Instances.Count = 3, 3, 7
	s := build(t, c)
	for i := range 7 {
		inst, ok := resource[*ec2.Instance](s, fmt.Sprintf("Instance%d", i+1))
		if !ok {
			t.Fatalf("no Instance%d", i+1)
		}
		want := cloudformation.Ref(fmt.Sprintf("PrivateSubnet%d", i%3+1))
		if *inst.SubnetId != want {
			t.Errorf("Instance%d is not in PrivateSubnet%d", i+1, i%3+1)
		}
	}
}

// TestNATRoutes: one NAT serves every private route table; per-AZ NATs
// serve their own AZ; none leaves the private subnets without a route.
func TestNATRoutes(t *testing.T) {
	for _, nat := range []int{0, 1, 3} {
		c := config.Default()
		c.VPC.AZCount, c.VPC.NATGateways = 3, nat
		s := build(t, c)
		routes := 0
		for i := range 3 {
			r, ok := resource[*ec2.Route](s, fmt.Sprintf("PrivateDefaultRoute%d", i+1))
			if nat == 0 {
				if ok {
					t.Errorf("natGateways 0: PrivateDefaultRoute%d exists", i+1)
				}
				continue
			}
			if !ok {
				t.Fatalf("natGateways %d: no PrivateDefaultRoute%d", nat, i+1)
			}
			routes++
			want := cloudformation.Ref(fmt.Sprintf("NatGateway%d", i%nat+1))
			if *r.NatGatewayId != want {
				t.Errorf("natGateways %d: route %d goes to the wrong NAT", nat, i+1)
			}
		}
		n := 0
		for _, r := range s.Template.Resources {
			if _, ok := r.(*ec2.NatGateway); ok {
				n++
			}
		}
		if n != nat {
			t.Errorf("natGateways %d: %d NAT gateways", nat, n)
		}
		if nat > 0 && routes != 3 {
			t.Errorf("natGateways %d: %d routes", nat, routes)
		}
	}
}

func TestTooManyResources(t *testing.T) {
	c := config.Default()
	c.VPC.AZCount, c.VPC.NATGateways, c.Instances.Count = 6, 6, 500
	_, err := Build(c)
	var te *Error
	if !errors.As(err, &te) || te.Key != "instances.count" || !strings.Contains(te.Reason, "over CloudFormation's limit of 500") {
		t.Fatalf("got %v, want an instances.count error about the 500-resource limit", err)
	}
	if !strings.Contains(te.Reason, "563 resources, 63 over") {
		t.Errorf("the error does not say by how much: %s", te.Reason)
	}
}

// TestManyInstanceOutputs: past 200 outputs, instance IDs are grouped.
func TestManyInstanceOutputs(t *testing.T) {
	c := config.Default()
	c.Instances.Count = 200
	s := build(t, c)
	if n := len(s.Template.Outputs); n > cfnrules.MaxOutputs {
		t.Fatalf("%d outputs", n)
	}
	if _, ok := s.Template.Outputs["InstanceIds176To200"]; !ok {
		t.Errorf("no grouped output for the last instances; outputs: %d", len(s.Template.Outputs))
	}
	c.Instances.Count = 197
	if _, ok := build(t, c).Template.Outputs["Instance197Id"]; !ok {
		t.Errorf("197 instances: want one output each")
	}
}

func TestLaunchTemplateHardening(t *testing.T) {
	s := build(t, config.Default())
	lt, ok := resource[*ec2.LaunchTemplate](s, "LaunchTemplate")
	if !ok {
		t.Fatal("no LaunchTemplate")
	}
	d := lt.LaunchTemplateData
	if *d.MetadataOptions.HttpTokens != "required" || *d.MetadataOptions.HttpPutResponseHopLimit != 1 {
		t.Errorf("IMDSv2 not required: %+v", d.MetadataOptions)
	}
	ebs := d.BlockDeviceMappings[0].Ebs
	if !*ebs.Encrypted || *ebs.VolumeType != "gp3" {
		t.Errorf("root volume: %+v", ebs)
	}
}

// TestAutoScalingKeepsItsSize: the group carries DesiredCapacity only when
// the config sets it, and waits for, and keeps in service, desired or min
// instances; the scaling policy lets a new instance warm up.
func TestAutoScalingKeepsItsSize(t *testing.T) {
	for _, desired := range []int{0, 4} {
		c := config.Default()
		c.Instances.AutoScaling = &config.AutoScaling{Min: 3, Max: 8, Desired: desired, GracePeriodSeconds: 240}
		s := build(t, c)
		g := mustResource[*autoscaling.AutoScalingGroup](t, s, "AutoScalingGroup")
		inService := max(desired, 3)
		switch {
		case desired == 0 && g.DesiredCapacity != nil:
			t.Errorf("desired unset: DesiredCapacity %s", *g.DesiredCapacity)
		case desired != 0 && (g.DesiredCapacity == nil || *g.DesiredCapacity != "4"):
			t.Errorf("desired 4: DesiredCapacity %v", g.DesiredCapacity)
		}
		ru := g.AWSCloudFormationUpdatePolicy.AutoScalingRollingUpdate
		if int(ru.MinInstancesInService) != inService || int(g.AWSCloudFormationCreationPolicy.ResourceSignal.Count) != inService {
			t.Errorf("desired %d: %v in service, waits for %v signals; want %d", desired, ru.MinInstancesInService, g.AWSCloudFormationCreationPolicy.ResourceSignal.Count, inService)
		}
		p := mustResource[*autoscaling.ScalingPolicy](t, s, "ScalingPolicy")
		if p.EstimatedInstanceWarmup == nil || *p.EstimatedInstanceWarmup != 240 {
			t.Errorf("warm-up %v, want the grace period (240)", p.EstimatedInstanceWarmup)
		}
	}
}
