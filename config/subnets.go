package config

import "net/netip"

// Subnets returns the public and private subnet CIDRs, one of each per
// AZ: the configured ones, or blocks of SubnetMask carved from CIDR at
// fixed places, so that adding AZs never moves a subnet. Counting blocks
// of that size from the start of the VPC, the first two AZs own blocks 0
// and 1 (public) and 2 and 3 (private), the blocks cfngen has always
// given a 2-AZ stack; each further AZ n (from 3) owns blocks 2n-2
// (public) and 2n-1 (private). Call it on a checked config.
func (v VPC) Subnets() (public, private []string) {
	if len(v.PublicSubnets) > 0 {
		return v.PublicSubnets, v.PrivateSubnets
	}
	vpc := netip.MustParsePrefix(v.CIDR)
	base := vpc.Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	size := uint32(1) << (32 - v.SubnetMask)
	block := func(i int) string {
		a := start + uint32(i)*size
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(a >> 24), byte(a >> 16), byte(a >> 8), byte(a)}), v.SubnetMask).String()
	}
	for i := range v.AZCount {
		pub, priv := subnetBlocks(i)
		public = append(public, block(pub))
		private = append(private, block(priv))
	}
	return public, private
}

// subnetBlocks returns the blocks that AZ i (from 0) owns: where its
// public and private subnets start, counted in subnets from the start of
// the VPC.
func subnetBlocks(i int) (public, private int) {
	if i < 2 {
		return i, 2 + i
	}
	return 2 * i, 2*i + 1
}
