package template

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/config"
)

func build(t *testing.T, c *config.Config) *Stack {
	t.Helper()
	s, err := Build(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestInstancesRoundRobin: instance i sits in private subnet i mod AZs.
func TestInstancesRoundRobin(t *testing.T) {
	c := config.Default()
	c.VPC.AZCount, c.VPC.NATGateways, c.Instances.Count = 3, 3, 7
	s := build(t, c)
	for i := range 7 {
		inst, err := s.Template.GetEC2InstanceWithName(fmt.Sprintf("Instance%d", i+1))
		if err != nil {
			t.Fatal(err)
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
			r, err := s.Template.GetEC2RouteWithName(fmt.Sprintf("PrivateDefaultRoute%d", i+1))
			if nat == 0 {
				if err == nil {
					t.Errorf("natGateways 0: PrivateDefaultRoute%d exists", i+1)
				}
				continue
			}
			if err != nil {
				t.Fatalf("natGateways %d: %v", nat, err)
			}
			routes++
			want := cloudformation.Ref(fmt.Sprintf("NatGateway%d", i%nat+1))
			if *r.NatGatewayId != want {
				t.Errorf("natGateways %d: route %d goes to the wrong NAT", nat, i+1)
			}
		}
		if n := len(s.Template.GetAllEC2NatGatewayResources()); n != nat {
			t.Errorf("natGateways %d: %d NAT gateways", nat, n)
		}
		if nat > 0 && routes != 3 {
			t.Errorf("natGateways %d: %d routes", nat, routes)
		}
	}
}

// TestSubnetsCarved checks every valid VPC prefix, subnet mask and AZ
// count: the subnets lie in the VPC and never overlap.
func TestSubnetsCarved(t *testing.T) {
	checked := 0
	for bits := 16; bits <= 28; bits++ {
		vpc := netip.PrefixFrom(netip.MustParseAddr("10.128.0.0"), bits).Masked()
		for mask := bits; mask <= 28; mask++ {
			for azs := 2; azs <= 6; azs++ {
				c := config.Default()
				c.VPC.CIDR, c.VPC.SubnetMask, c.VPC.AZCount, c.VPC.NATGateways = vpc.String(), mask, azs, 1
				if c.Validate() != nil {
					if 1<<(mask-bits) >= 2*azs && mask <= 27 { // the load balancer needs /27
						t.Errorf("%s /%d %d AZs: refused but fits", vpc, mask, azs)
					}
					continue
				}
				pub, priv := Subnets(c.VPC.CIDR, azs, mask, nil, nil)
				all := append(append([]string{}, pub...), priv...)
				if len(all) != 2*azs {
					t.Fatalf("%d subnets for %d AZs", len(all), azs)
				}
				var seen []netip.Prefix
				for _, s := range all {
					p := netip.MustParsePrefix(s)
					if p.Bits() != mask || !vpc.Contains(p.Addr()) || p.Masked() != p {
						t.Errorf("%s /%d: subnet %s is not a /%d block of the VPC", vpc, mask, s, mask)
					}
					for _, q := range seen {
						if q.Overlaps(p) {
							t.Errorf("%s /%d: %s overlaps %s", vpc, mask, s, q)
						}
					}
					seen = append(seen, p)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d combinations checked", checked)
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
	lt, err := s.Template.GetEC2LaunchTemplateWithName("LaunchTemplate")
	if err != nil {
		t.Fatal(err)
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
