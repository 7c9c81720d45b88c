package preflight

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// fakeNetworkEC2 answers DescribeSubnets and DescribeRouteTables as EC2 does:
// filters select, an unknown ID in a subnet-id filter matches nothing, and
// results come in pages of two, so that the checks must follow NextToken.
type fakeNetworkEC2 struct {
	subnets []types.Subnet
	tables  []types.RouteTable
	err     error
	calls   int
}

const pageSize = 2

func page[T any](all []T, token *string) ([]T, *string) {
	start := 0
	if token != nil {
		start = len(*token) // the token is as many x as items already given
	}
	end := min(start+pageSize, len(all))
	var next *string
	if end < len(all) {
		next = aws.String(strings.Repeat("x", end))
	}
	return all[start:end], next
}

func filter(fs []types.Filter, name, v string) bool {
	for _, f := range fs {
		if aws.ToString(f.Name) == name && !slices.Contains(f.Values, v) {
			return false
		}
	}
	return true
}

func (f *fakeNetworkEC2) DescribeSubnets(_ context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	var out []types.Subnet
	for _, s := range f.subnets {
		if filter(in.Filters, "subnet-id", aws.ToString(s.SubnetId)) && filter(in.Filters, "vpc-id", aws.ToString(s.VpcId)) {
			out = append(out, s)
		}
	}
	items, next := page(out, in.NextToken)
	return &ec2.DescribeSubnetsOutput{Subnets: items, NextToken: next}, nil
}

func (f *fakeNetworkEC2) DescribeRouteTables(_ context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	f.calls++
	var out []types.RouteTable
	for _, t := range f.tables {
		if filter(in.Filters, "vpc-id", aws.ToString(t.VpcId)) {
			out = append(out, t)
		}
	}
	items, next := page(out, in.NextToken)
	return &ec2.DescribeRouteTablesOutput{RouteTables: items, NextToken: next}, nil
}

func subnet(id, vpc, az string, free int32, mapPublic bool) types.Subnet {
	return types.Subnet{SubnetId: aws.String(id), VpcId: aws.String(vpc), AvailabilityZone: aws.String(az),
		AvailableIpAddressCount: aws.Int32(free), MapPublicIpOnLaunch: aws.Bool(mapPublic)}
}

func table(id, vpc string, main bool, subnets []string, routes ...types.Route) types.RouteTable {
	rt := types.RouteTable{RouteTableId: aws.String(id), VpcId: aws.String(vpc), Routes: append([]types.Route{{
		DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), State: types.RouteStateActive,
	}}, routes...)}
	if main {
		rt.Associations = append(rt.Associations, types.RouteTableAssociation{Main: aws.Bool(true)})
	}
	for _, s := range subnets {
		rt.Associations = append(rt.Associations, types.RouteTableAssociation{Main: aws.Bool(false), SubnetId: aws.String(s)})
	}
	return rt
}

func defaultTo(target string) types.Route {
	r := types.Route{DestinationCidrBlock: aws.String("0.0.0.0/0"), State: types.RouteStateActive}
	if strings.HasPrefix(target, "nat-") {
		r.NatGatewayId = aws.String(target)
	} else {
		r.GatewayId = aws.String(target)
	}
	return r
}

// goodNetwork is a VPC laid out as the stack wants it: two public subnets
// routed to an internet gateway, two private ones routed to a NAT gateway
// (one of them through the main route table), in two zones; another VPC
// beside it.
func goodNetwork() (*fakeNetworkEC2, Network) {
	f := &fakeNetworkEC2{
		subnets: []types.Subnet{
			subnet("subnet-pub1", "vpc-1", "us-east-1a", 250, true),
			subnet("subnet-pub2", "vpc-1", "us-east-1b", 8, true),
			subnet("subnet-priv1", "vpc-1", "us-east-1a", 250, false),
			subnet("subnet-priv2", "vpc-1", "us-east-1b", 250, false),
			subnet("subnet-other", "vpc-2", "us-east-1a", 250, false),
		},
		tables: []types.RouteTable{
			table("rtb-main", "vpc-1", true, nil, defaultTo("nat-1")),
			table("rtb-pub", "vpc-1", false, []string{"subnet-pub1", "subnet-pub2"}, defaultTo("igw-1")),
			table("rtb-priv1", "vpc-1", false, []string{"subnet-priv1"}, defaultTo("nat-1")),
			table("rtb-other", "vpc-2", true, nil),
		},
	}
	return f, Network{VPC: "vpc-1", Public: []string{"subnet-pub1", "subnet-pub2"}, Private: []string{"subnet-priv1", "subnet-priv2"}}
}

func TestCheckNetworkGood(t *testing.T) {
	f, n := goodNetwork()
	warnings, err := CheckNetwork(context.Background(), f, n)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("a good network: %v, warnings %q", err, warnings)
	}
	if f.calls < 4 {
		t.Errorf("%d calls: the pages of subnets and route tables were not all read", f.calls)
	}
}

// TestCheckNetworkRefuses: what would fail the stack stops the deploy.
func TestCheckNetworkRefuses(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(f *fakeNetworkEC2, n *Network)
		want   []string
	}{
		{"missing subnet", func(f *fakeNetworkEC2, n *Network) { n.Private[1] = "subnet-gone" }, []string{"VPC vpc-1: no subnet subnet-gone in this account and region"}},
		{"two missing", func(f *fakeNetworkEC2, n *Network) { n.Public[0], n.Private[0] = "subnet-gone1", "subnet-gone2" },
			[]string{"no subnet subnet-gone1", "; no subnet subnet-gone2"}},
		{"another VPC", func(f *fakeNetworkEC2, n *Network) { n.Private[0] = "subnet-other" }, []string{"subnet subnet-other is in another VPC, vpc-2"}},
		{"the subnets of another VPC", func(f *fakeNetworkEC2, n *Network) { n.VPC = "vpc-2" }, []string{"VPC vpc-2: subnet subnet-pub1 is in another VPC, vpc-1"}},
		{"one zone", func(f *fakeNetworkEC2, n *Network) { f.subnets[1].AvailabilityZone = aws.String("us-east-1a") },
			[]string{"public subnets subnet-pub1 and subnet-pub2 are both in us-east-1a; a load balancer takes one subnet per Availability Zone",
				"the public subnets are all in us-east-1a; an internet-facing load balancer needs subnets in two Availability Zones"}},
		{"full subnet", func(f *fakeNetworkEC2, n *Network) { f.subnets[1].AvailableIpAddressCount = aws.Int32(7) },
			[]string{"public subnet subnet-pub2 has 7 free addresses; the load balancer needs 8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, n := goodNetwork()
			tc.change(f, &n)
			_, err := CheckNetwork(context.Background(), f, n)
			var ne *NetworkError
			if !errors.As(err, &ne) {
				t.Fatalf("got %v, want a *NetworkError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got %q, want it to say %q", err, w)
				}
			}
		})
	}
}

// TestCheckNetworkWarns: what may keep the stack from serving is said,
// and the deploy goes on.
func TestCheckNetworkWarns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(f *fakeNetworkEC2, n *Network)
		want   string
	}{
		{"no default route", func(f *fakeNetworkEC2, n *Network) { f.tables[2].Routes = f.tables[2].Routes[:1] },
			"private subnet subnet-priv1: its route table rtb-priv1 has no default route (0.0.0.0/0), so its instances reach the package repositories only through an S3 gateway endpoint"},
		{"main table without a default route", func(f *fakeNetworkEC2, n *Network) { f.tables[0].Routes = f.tables[0].Routes[:1] },
			"private subnet subnet-priv2: its route table rtb-main has no default route"},
		{"blackhole route", func(f *fakeNetworkEC2, n *Network) { f.tables[2].Routes[1].State = types.RouteStateBlackhole },
			"subnet-priv1: its route table rtb-priv1 has no default route"},
		{"private is public", func(f *fakeNetworkEC2, n *Network) { f.tables[2].Routes[1] = defaultTo("igw-1") },
			"private subnet subnet-priv1: its default route goes to the internet gateway igw-1: it is a public subnet"},
		{"public addresses", func(f *fakeNetworkEC2, n *Network) { f.subnets[3].MapPublicIpOnLaunch = aws.Bool(true) },
			"private subnet subnet-priv2 gives public IPv4 addresses on launch"},
		{"one private zone", func(f *fakeNetworkEC2, n *Network) { f.subnets[3].AvailabilityZone = aws.String("us-east-1a") },
			"the private subnets are all in us-east-1a: an outage of that zone stops every instance"},
		{"public without internet", func(f *fakeNetworkEC2, n *Network) { f.tables[1].Routes[1] = defaultTo("nat-1") },
			"public subnet subnet-pub1: its route table rtb-pub has no default route to an internet gateway"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, n := goodNetwork()
			tc.change(f, &n)
			warnings, err := CheckNetwork(context.Background(), f, n)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(warnings, func(w string) bool { return strings.Contains(w, tc.want) }) {
				t.Errorf("warnings %q, want one that says %q", warnings, tc.want)
			}
		})
	}
}

func TestCheckNetworkFailsToAsk(t *testing.T) {
	f, n := goodNetwork()
	f.err = apiError("UnauthorizedOperation")
	_, err := CheckNetwork(context.Background(), f, n)
	var ne *NetworkError
	if err == nil || errors.As(err, &ne) || !strings.Contains(err.Error(), "describe subnets") {
		t.Errorf("got %v, want a plain error about describing subnets", err)
	}
}

// ExampleCheckNetwork checks the subnets of an existing VPC; here EC2 is
// a fake whose private subnet subnet-priv1 has lost its default route.
func ExampleCheckNetwork() {
	ec2c, n := goodNetwork() // a VPC with two public and two private subnets
	ec2c.tables[2].Routes = ec2c.tables[2].Routes[:1]
	warnings, err := CheckNetwork(context.Background(), ec2c, n)
	fmt.Println(err)
	for _, w := range warnings {
		fmt.Println(w[:strings.Index(w, ",")])
	}
	// Output:
	// <nil>
	// private subnet subnet-priv1: its route table rtb-priv1 has no default route (0.0.0.0/0)
}
