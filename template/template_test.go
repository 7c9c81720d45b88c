package template

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/config"
	_ "github.com/cfngen/cfngen/internal/golden" // defines -update
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
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "instances.count" || !strings.Contains(ce.Reason, "over CloudFormation's limit of 500") {
		t.Fatalf("got %v, want an instances.count error about the 500-resource limit", err)
	}
	if !strings.Contains(ce.Reason, "563 resources, 63 over") {
		t.Errorf("the error does not say by how much: %s", ce.Reason)
	}
}

// TestManyInstanceOutputs: past 200 outputs, instance IDs are grouped.
func TestManyInstanceOutputs(t *testing.T) {
	c := config.Default()
	c.Instances.Count = 200
	s := build(t, c)
	if n := len(s.Template.Outputs); n > MaxOutputs {
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
