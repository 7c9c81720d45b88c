package template

import (
	"fmt"
	"slices"

	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// network holds the logical IDs the other resource groups refer to.
type network struct {
	vpc            string
	publicSubnets  []string
	privateSubnets []string

	privateRouteTables []string
	// wayOut[i] are what private subnet i needs before an instance there
	// can reach anything: its route-table association and its default
	// route (with a NAT gateway), then the VPC endpoints.
	wayOut    [][]string
	endpoints []string
	// internet is what the load balancer needs to serve: the gateway
	// attachment and the public default route.
	internet []string

	// public and private are how resources name the subnets: a Ref of
	// each subnet the stack creates, or a Select from a parameter's list
	// (existing.go).
	public, private []string
	// given: the VPC exists, and the stack owns no part of its network.
	given bool
}

// bootAfter returns what an instance in private subnet i must wait for.
func (n *network) bootAfter(i int) []string {
	return append(slices.Clone(n.wayOut[i]), n.endpoints...)
}

// bootAfterAll returns what an instance in any private subnet must wait for.
func (n *network) bootAfterAll() []string {
	var out []string
	for i := range n.privateSubnets {
		out = append(out, n.wayOut[i]...)
	}
	return append(out, n.endpoints...)
}

func (b *builder) network() *network {
	if b.cfg.ExistingVPC() {
		return b.existingNetwork()
	}
	v := b.cfg.VPC
	n := &network{vpc: "VPC"}
	b.resource("VPC", &ec2.VPC{
		CidrBlock:                 cloudformation.String(v.CIDR),
		EnableDnsHostnames:        cloudformation.Bool(true),
		EnableDnsSupport:          cloudformation.Bool(true),
		Tags:                      b.tags("vpc"),
		AWSCloudFormationMetadata: b.vpcFindings(),
	})
	b.resource("InternetGateway", &ec2.InternetGateway{Tags: b.tags("igw")})
	b.resource("InternetGatewayAttachment", &ec2.VPCGatewayAttachment{
		VpcId:             cloudformation.Ref("VPC"),
		InternetGatewayId: cloudformation.String(cloudformation.Ref("InternetGateway")),
	})

	public, private := v.Subnets()
	subnet := func(kind string, i int, cidr string) string {
		id := fmt.Sprintf("%sSubnet%d", kind, i+1)
		b.resource(id, &ec2.Subnet{
			VpcId:               cloudformation.Ref("VPC"),
			CidrBlock:           cloudformation.String(cidr),
			AvailabilityZone:    cloudformation.String(az(i)),
			MapPublicIpOnLaunch: cloudformation.Bool(false),
			Tags:                b.tags(fmt.Sprintf("%s-%d", lower(kind), i+1)),
		})
		return id
	}
	for i := range v.AZCount {
		n.publicSubnets = append(n.publicSubnets, subnet("Public", i, public[i]))
	}
	for i := range v.AZCount {
		n.privateSubnets = append(n.privateSubnets, subnet("Private", i, private[i]))
	}

	b.resource("PublicRouteTable", &ec2.RouteTable{VpcId: cloudformation.Ref("VPC"), Tags: b.tags("public")})
	b.resource("PublicDefaultRoute", &ec2.Route{
		RouteTableId:               cloudformation.Ref("PublicRouteTable"),
		DestinationCidrBlock:       cloudformation.String("0.0.0.0/0"),
		GatewayId:                  cloudformation.String(cloudformation.Ref("InternetGateway")),
		AWSCloudFormationDependsOn: []string{"InternetGatewayAttachment"},
	})
	for _, s := range n.publicSubnets {
		b.associate(s, "PublicRouteTable")
	}
	n.internet = []string{"InternetGatewayAttachment", "PublicDefaultRoute"}

	var nats []string
	for i := range v.NATGateways {
		eip, nat := fmt.Sprintf("NatGateway%dEIP", i+1), fmt.Sprintf("NatGateway%d", i+1)
		b.resource(eip, &ec2.EIP{
			Domain:                     cloudformation.String("vpc"),
			Tags:                       b.tags(fmt.Sprintf("nat-%d", i+1)),
			AWSCloudFormationDependsOn: []string{"InternetGatewayAttachment"},
		})
		b.resource(nat, &ec2.NatGateway{
			AllocationId: cloudformation.String(cloudformation.GetAtt(eip, "AllocationId")),
			SubnetId:     cloudformation.Ref(n.publicSubnets[i]),
			Tags:         b.tags(fmt.Sprintf("nat-%d", i+1)),
		})
		nats = append(nats, nat)
	}
	for i, s := range n.privateSubnets {
		rt := fmt.Sprintf("PrivateRouteTable%d", i+1)
		b.resource(rt, &ec2.RouteTable{VpcId: cloudformation.Ref("VPC"), Tags: b.tags(fmt.Sprintf("private-%d", i+1))})
		var out []string
		if len(nats) > 0 {
			route := fmt.Sprintf("PrivateDefaultRoute%d", i+1)
			b.resource(route, &ec2.Route{
				RouteTableId:         cloudformation.Ref(rt),
				DestinationCidrBlock: cloudformation.String("0.0.0.0/0"),
				NatGatewayId:         cloudformation.String(cloudformation.Ref(nats[i%len(nats)])),
			})
			out = append(out, route)
		}
		n.wayOut = append(n.wayOut, append([]string{b.associate(s, rt)}, out...))
		n.privateRouteTables = append(n.privateRouteTables, rt)
	}
	if v.FlowLogs {
		b.flowLogs()
	}
	n.public, n.private = refs(n.publicSubnets), refs(n.privateSubnets)
	return n
}

// vpcFindings records that flow logs are off, when they are.
func (b *builder) vpcFindings() map[string]any {
	if b.cfg.VPC.FlowLogs {
		return nil
	}
	return suppress(noFlowLogs)
}

func (b *builder) associate(subnet, routeTable string) string {
	id := subnet + "RouteTableAssociation"
	b.resource(id, &ec2.SubnetRouteTableAssociation{
		SubnetId:     cloudformation.Ref(subnet),
		RouteTableId: cloudformation.Ref(routeTable),
	})
	return id
}

// az selects the region's i-th Availability Zone; AZ names are never
// written into the template.
func az(i int) string {
	return cloudformation.Select(i, cloudformation.GetAZs(""))
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
