package template

import (
	"fmt"
	"strings"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// existingNetwork takes the VPC of vpc.id and its subnets as parameters,
// with the config's IDs as defaults, so that the same template deploys
// into another VPC of the same shape with other parameter values. The
// stack creates no part of the network: no subnets, gateways, routes, VPC
// endpoints or flow logs, and so its resources wait for none of them. The
// load balancer goes into the public subnets; the instances, round-robin,
// into the private ones, each picked with !Select from the list, whose
// length is the config's.
func (b *builder) existingNetwork() *network {
	v := b.cfg.VPC
	b.parameter("VpcId", cloudformation.Parameter{
		Type:        "AWS::EC2::VPC::Id",
		Default:     v.ID,
		Description: cloudformation.String("The existing VPC the stack goes into"),
	})
	n := &network{vpc: "VpcId", given: true}
	list := func(name, kind, use string, ids []string) []string {
		b.parameter(name, cloudformation.Parameter{
			Type:    "List<AWS::EC2::Subnet::Id>",
			Default: strings.Join(ids, ","),
			Description: cloudformation.String(fmt.Sprintf("The %s subnets of VpcId for %s, in different Availability Zones: exactly %d, which the template picks by index",
				kind, use, len(ids))),
		})
		var out []string
		for i := range ids {
			out = append(out, cloudformation.Select(i, cloudformation.Ref(name)))
		}
		return out
	}
	n.public = list("PublicSubnetIds", "public", "the load balancer", v.PublicSubnetIDs)
	n.private = list("PrivateSubnetIds", "private", "the instances", v.PrivateSubnetIDs)
	n.wayOut = make([][]string, len(n.private))
	return n
}
