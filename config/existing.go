package config

import (
	"fmt"
	"reflect"

	"go.yaml.in/yaml/v3"
)

var (
	vpcIDRE    = lazyRegexp(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDRE = lazyRegexp(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// MinGivenSubnets is how many subnets of each kind an existing VPC must
// give: the load balancer needs two Availability Zones, and so does high
// availability.
const MinGivenSubnets = 2

// ValidVPCID reports why s is not a VPC ID.
func ValidVPCID(s string) error {
	if !vpcIDRE().MatchString(s) {
		return fmt.Errorf("%q is not a VPC ID (vpc- and 8 or 17 hex digits)", clip(s))
	}
	return nil
}

// ValidSubnetID reports why s is not a subnet ID.
func ValidSubnetID(s string) error {
	if !subnetIDRE().MatchString(s) {
		return fmt.Errorf("%q is not a subnet ID (subnet- and 8 or 17 hex digits)", clip(s))
	}
	return nil
}

// ExistingVPC reports whether the stack goes into a VPC it does not
// create (vpc.id).
func (c *Config) ExistingVPC() bool { return c.VPC.ID != "" }

// notInExistingVPC are the keys of a network cfngen builds, with why each
// does not apply to a VPC someone else owns.
var notInExistingVPC = []struct{ key, why string }{
	{"cidr", "its address range is its owner's"},
	{"azCount", "the subnets given decide the Availability Zones"},
	{"natGateways", "the private subnets' way out (NAT gateways, routes) is the network's own"},
	{"subnetMask", "cfngen creates no subnets in it"},
	{"publicSubnets", "cfngen creates no subnets in it; give the IDs of its public subnets in vpc.publicSubnetIds"},
	{"privateSubnets", "cfngen creates no subnets in it; give the IDs of its private subnets in vpc.privateSubnetIds"},
	{"endpoints", "its VPC endpoints are its owner's: an S3 gateway endpoint adds routes to route tables the stack does not own, " +
		"and an interface endpoint with private DNS changes name resolution for the whole VPC"},
	{"flowLogs", "its flow logs are its owner's: a flow log of this stack would record the traffic of every application in it"},
	{"flowLogsDays", "its flow logs are its owner's: a flow log of this stack would record the traffic of every application in it"},
}

// checkExistingVPC checks vpc.id and its subnet lists, and refuses the
// keys that build a network when the VPC exists.
func (c *Config) checkExistingVPC() *Error {
	v := c.VPC
	if v.ID == "" {
		const reason = "names subnets of an existing VPC; set vpc.id to that VPC's ID too"
		switch {
		case len(v.PublicSubnetIDs) > 0:
			return bad("vpc.publicSubnetIds", reason)
		case len(v.PrivateSubnetIDs) > 0:
			return bad("vpc.privateSubnetIds", reason)
		}
		return nil
	}
	for _, k := range notInExistingVPC {
		if c.setsVPC(k.key) {
			return bad("vpc."+k.key, "does not apply to an existing VPC (vpc.id): %s; remove it", k.why)
		}
	}
	if err := ValidVPCID(v.ID); err != nil {
		return bad("vpc.id", "%v", err)
	}
	seen := map[string]string{}
	for _, l := range []struct {
		key, what string
		ids       []string
	}{
		{"vpc.publicSubnetIds", "the load balancer needs", v.PublicSubnetIDs},
		{"vpc.privateSubnetIds", "high availability needs", v.PrivateSubnetIDs},
	} {
		if len(l.ids) < MinGivenSubnets {
			return bad(l.key, "%d subnets given; %s at least %d, in different Availability Zones", len(l.ids), l.what, MinGivenSubnets)
		}
		for i, id := range l.ids {
			key := fmt.Sprintf("%s[%d]", l.key, i)
			if err := ValidSubnetID(id); err != nil {
				return bad(key, "%v", err)
			}
			if other, dup := seen[id]; dup {
				return bad(key, "%s is also %s; each subnet is given once: public (the load balancer's) or private (the instances')", id, other)
			}
			seen[id] = key
		}
	}
	return nil
}

// setsVPC reports whether the config sets the key of vpc: in its file,
// or, for a config built in code, to a value other than the default.
func (c *Config) setsVPC(key string) bool {
	if vpc := lookup(c.node, "vpc"); vpc != nil {
		return lookup(vpc, key) != nil
	}
	if c.node != nil {
		return false
	}
	field := map[string]string{
		"cidr": "CIDR", "azCount": "AZCount", "natGateways": "NATGateways", "subnetMask": "SubnetMask",
		"publicSubnets": "PublicSubnets", "privateSubnets": "PrivateSubnets", "endpoints": "Endpoints",
		"flowLogs": "FlowLogs", "flowLogsDays": "FlowLogsDays",
	}[key]
	got, def := reflect.ValueOf(c.VPC).FieldByName(field), reflect.ValueOf(Default().VPC).FieldByName(field)
	return !reflect.DeepEqual(got.Interface(), def.Interface())
}

// lookup returns the value of key in mapping n, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
