package preflight

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// SubnetsAPI is the part of the EC2 client the network checks use.
type SubnetsAPI interface {
	DescribeSubnets(ctx context.Context, in *ec2.DescribeSubnetsInput, opts ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeRouteTables(ctx context.Context, in *ec2.DescribeRouteTablesInput, opts ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error)
}

var _ SubnetsAPI = (*ec2.Client)(nil)

// Network is an existing VPC that a stack goes into: its load balancer
// into the public subnets, its instances into the private ones.
type Network struct {
	VPC     string
	Public  []string
	Private []string
}

// NetworkError lists what keeps a stack out of a network.
type NetworkError struct {
	VPC      string
	Problems []string
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("VPC %s: %s", e.VPC, strings.Join(e.Problems, "; "))
}

// MinFreeAddresses is what an Application Load Balancer needs free in
// each of its subnets.
const MinFreeAddresses = 8

// CheckNetwork looks the subnets of n up (EC2 DescribeSubnets and
// DescribeRouteTables) and returns a [*NetworkError] when the stack cannot
// go there: a subnet that does not exist or is in another VPC, public
// subnets that do not span two Availability Zones, or two of them in one
// zone, or one with fewer than [MinFreeAddresses] free addresses, all of
// which would fail the load balancer. The warnings are what may keep the
// stack from serving: a private subnet without a default route (its
// instances could not install packages nor signal), one that routes to an
// internet gateway or gives public addresses, private subnets all in one
// zone, a public subnet without a route to an internet gateway. Failures
// to ask are plain errors.
func CheckNetwork(ctx context.Context, api SubnetsAPI, n Network) (warnings []string, err error) {
	ids := slices.Concat(n.Public, n.Private)
	subnets := map[string]types.Subnet{}
	p := ec2.NewDescribeSubnetsPaginator(api, &ec2.DescribeSubnetsInput{
		Filters: []types.Filter{{Name: aws.String("subnet-id"), Values: ids}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe subnets: %w", err)
		}
		for _, s := range page.Subnets {
			subnets[aws.ToString(s.SubnetId)] = s
		}
	}
	ne := &NetworkError{VPC: n.VPC}
	for _, id := range ids {
		s, ok := subnets[id]
		switch {
		case !ok:
			ne.Problems = append(ne.Problems, fmt.Sprintf("no subnet %s in this account and region", id))
		case aws.ToString(s.VpcId) != n.VPC:
			ne.Problems = append(ne.Problems, fmt.Sprintf("subnet %s is in another VPC, %s", id, aws.ToString(s.VpcId)))
		}
	}
	if len(ne.Problems) > 0 {
		return nil, ne
	}

	zones := map[string]string{} // zone -> the first public subnet in it
	for _, id := range n.Public {
		s := subnets[id]
		az := aws.ToString(s.AvailabilityZone)
		if other, dup := zones[az]; dup {
			ne.Problems = append(ne.Problems, fmt.Sprintf("public subnets %s and %s are both in %s; a load balancer takes one subnet per Availability Zone", other, id, az))
		}
		zones[az] = id
		if free := aws.ToInt32(s.AvailableIpAddressCount); free < MinFreeAddresses {
			ne.Problems = append(ne.Problems, fmt.Sprintf("public subnet %s has %d free addresses; the load balancer needs %d in each of its subnets", id, free, MinFreeAddresses))
		}
	}
	if len(zones) < 2 {
		ne.Problems = append(ne.Problems, fmt.Sprintf("the public subnets are all in %s; an internet-facing load balancer needs subnets in two Availability Zones or more",
			strings.Join(slices.Sorted(maps.Keys(zones)), ", ")))
	}
	if len(ne.Problems) > 0 {
		return nil, ne
	}

	tableOf, err := routeTables(ctx, api, n.VPC)
	if err != nil {
		return nil, err
	}
	for _, id := range n.Public {
		rt := tableOf(id)
		if target := defaultRoute(rt); !strings.HasPrefix(target, "igw-") {
			warnings = append(warnings, fmt.Sprintf("public subnet %s: its route table %s has no default route to an internet gateway, "+
				"so the load balancer there takes traffic from the internet only if something else brings it", id, tableID(rt)))
		}
	}
	privateZones := map[string]bool{}
	for _, id := range n.Private {
		s, rt := subnets[id], tableOf(id)
		privateZones[aws.ToString(s.AvailabilityZone)] = true
		switch target := defaultRoute(rt); {
		case target == "":
			warnings = append(warnings, fmt.Sprintf("private subnet %s: its route table %s has no default route (0.0.0.0/0), "+
				"so its instances reach the package repositories only through an S3 gateway endpoint and CloudFormation only through its interface endpoint; "+
				"without them they cannot install the web server nor signal, and the stack fails when the signal times out", id, tableID(rt)))
		case strings.HasPrefix(target, "igw-"):
			warnings = append(warnings, fmt.Sprintf("private subnet %s: its default route goes to the internet gateway %s: it is a public subnet, "+
				"where instances without a public address have no way out", id, target))
		}
		if aws.ToBool(s.MapPublicIpOnLaunch) {
			warnings = append(warnings, fmt.Sprintf("private subnet %s gives public IPv4 addresses on launch: the instances there would have them", id))
		}
	}
	if len(n.Private) > 1 && len(privateZones) == 1 {
		warnings = append(warnings, fmt.Sprintf("the private subnets are all in %s: an outage of that zone stops every instance",
			aws.ToString(subnets[n.Private[0]].AvailabilityZone)))
	}
	return warnings, nil
}

// routeTables reads the VPC's route tables and returns a function that
// gives a subnet's: the one associated with it, or the VPC's main one.
func routeTables(ctx context.Context, api SubnetsAPI, vpc string) (func(subnet string) *types.RouteTable, error) {
	explicit := map[string]*types.RouteTable{}
	var main *types.RouteTable
	p := ec2.NewDescribeRouteTablesPaginator(api, &ec2.DescribeRouteTablesInput{
		Filters: []types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe route tables: %w", err)
		}
		for i := range page.RouteTables {
			rt := &page.RouteTables[i]
			for _, a := range rt.Associations {
				switch {
				case aws.ToBool(a.Main):
					main = rt
				case a.SubnetId != nil:
					explicit[aws.ToString(a.SubnetId)] = rt
				}
			}
		}
	}
	return func(subnet string) *types.RouteTable {
		if rt, ok := explicit[subnet]; ok {
			return rt
		}
		return main
	}, nil
}

// defaultRoute returns the target of a route table's active IPv4 default
// route, or "" when it has none.
func defaultRoute(rt *types.RouteTable) string {
	if rt == nil {
		return ""
	}
	for _, r := range rt.Routes {
		if aws.ToString(r.DestinationCidrBlock) != "0.0.0.0/0" || r.State == types.RouteStateBlackhole {
			continue
		}
		for _, t := range []*string{r.GatewayId, r.NatGatewayId, r.TransitGatewayId, r.NetworkInterfaceId, r.InstanceId,
			r.VpcPeeringConnectionId, r.LocalGatewayId, r.CarrierGatewayId, r.CoreNetworkArn, r.EgressOnlyInternetGatewayId} {
			if t != nil && *t != "" {
				return *t
			}
		}
		return "a target"
	}
	return ""
}

func tableID(rt *types.RouteTable) string {
	if rt == nil {
		return "(none found)"
	}
	return aws.ToString(rt.RouteTableId)
}
