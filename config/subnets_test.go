package config

import (
	"net/netip"
	"slices"
	"testing"
)

// TestSubnetsCarved checks every valid VPC prefix, subnet mask and AZ
// count: the subnets lie in the VPC and never overlap.
func TestSubnetsCarved(t *testing.T) {
	checked := 0
	for bits := 16; bits <= 28; bits++ {
		vpc := netip.PrefixFrom(netip.MustParseAddr("10.128.0.0"), bits).Masked()
		for mask := bits; mask <= 28; mask++ {
			for azs := 2; azs <= 6; azs++ {
				c := Default()
				c.VPC.CIDR, c.VPC.SubnetMask, c.VPC.AZCount, c.VPC.NATGateways = vpc.String(), mask, azs, 1
				if c.Validate() != nil {
					if 1<<(mask-bits) >= 2*azs && mask <= 27 { // the load balancer needs /27
						t.Errorf("%s /%d %d AZs: refused but fits", vpc, mask, azs)
					}
					continue
				}
				pub, priv := c.VPC.Subnets()
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

// TestSubnetsStayWhenAZsAreAdded: for every VPC prefix and subnet mask,
// the subnets of an AZ are the same whatever the AZ count, and a 2-AZ
// stack keeps the blocks cfngen has always carved for it (public first).
func TestSubnetsStayWhenAZsAreAdded(t *testing.T) {
	for bits := 16; bits <= 24; bits++ {
		vpc := netip.PrefixFrom(netip.MustParseAddr("10.128.0.0"), bits).Masked().String()
		for mask := bits + 4; mask <= 27; mask++ { // room for 6 AZs
			pub6, priv6 := VPC{CIDR: vpc, AZCount: 6, SubnetMask: mask}.Subnets()
			for azs := 2; azs < 6; azs++ {
				pub, priv := VPC{CIDR: vpc, AZCount: azs, SubnetMask: mask}.Subnets()
				if !slices.Equal(pub, pub6[:azs]) || !slices.Equal(priv, priv6[:azs]) {
					t.Errorf("%s /%d: %d AZs carve %v %v, 6 AZs %v %v", vpc, mask, azs, pub, priv, pub6, priv6)
				}
			}
		}
	}
	pub, priv := Default().VPC.Subnets()
	if want := []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"}; !slices.Equal(append(pub, priv...), want) {
		t.Errorf("the 2-AZ stack moved: %v %v, want %v", pub, priv, want)
	}
}
