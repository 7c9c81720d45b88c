package graph

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// place builds the clusters inside top and returns the cluster of every
// resource; the rules are in the package doc.
func place(res map[string]*resource, names []string, top *cluster) map[string]*cluster {
	vpc := &cluster{id: "cluster_vpc", label: "VPC", kind: "vpc"}
	where := map[string]*cluster{}
	public := publicSubnets(res)
	publicGiven(res, public)
	azs := map[int]*cluster{}
	// Public subnets first, so that each zone lists them first.
	for _, pub := range []bool{true, false} {
		for _, name := range names {
			r := res[name]
			if r.typ != "AWS::EC2::Subnet" || public[name] != pub {
				continue
			}
			kind := "private"
			if pub {
				kind = "public"
			}
			c := &cluster{id: "cluster_" + kind + "_" + name, label: kind + " subnet", kind: kind}
			if cidr := value(cfnyaml.Get(r.props, "CidrBlock")); cidr != "" {
				c.label += " " + cidr
			}
			if r.given != "" {
				c.label = "existing " + c.label + " " + r.given
			}
			parent := vpc
			if i, ok := azIndex(r.props); ok {
				if azs[i] == nil {
					azs[i] = &cluster{id: fmt.Sprintf("cluster_az%d", i+1), label: fmt.Sprintf("Availability Zone %d", i+1), kind: "az"}
				}
				parent = azs[i]
			}
			parent.clusters = append(parent.clusters, c)
			where[name] = c
		}
	}
	for _, i := range slices.Sorted(maps.Keys(azs)) {
		vpc.clusters = append(vpc.clusters, azs[i])
	}

	for _, name := range names {
		r := res[name]
		subnets := slices.DeleteFunc(slices.Clone(r.refs), func(ref string) bool { return res[ref].typ != "AWS::EC2::Subnet" })
		switch {
		case r.typ == "AWS::EC2::VPC":
			where[name] = vpc
		case where[name] == nil && len(subnets) == 1:
			where[name] = where[subnets[0]]
		}
	}
	// Whatever refers to something in the VPC is in it too, except the
	// regional resources that only name a security group.
	for changed := true; changed; {
		changed = false
		for _, name := range names {
			r := res[name]
			if where[name] != nil || strings.HasPrefix(r.typ, "AWS::IAM::") || r.typ == "AWS::EC2::LaunchTemplate" {
				continue
			}
			if slices.ContainsFunc(r.refs, func(ref string) bool { return where[ref] != nil }) {
				where[name] = vpc
				changed = true
			}
		}
	}
	for _, name := range names {
		if where[name] == nil {
			where[name] = top
		}
	}
	if len(vpc.clusters) > 0 || slices.ContainsFunc(names, func(name string) bool { return where[name] == vpc }) {
		top.clusters = append(top.clusters, vpc)
	}
	return where
}

// publicSubnets returns the subnets whose route table has a route to an
// internet gateway.
func publicSubnets(res map[string]*resource) map[string]bool {
	tables := map[string]bool{}
	for _, r := range res {
		if r.typ != "AWS::EC2::Route" {
			continue
		}
		for gw := range referenced(cfnyaml.Get(r.props, "GatewayId")) {
			if res[gw] != nil && res[gw].typ == "AWS::EC2::InternetGateway" {
				for t := range referenced(cfnyaml.Get(r.props, "RouteTableId")) {
					tables[t] = true
				}
			}
		}
	}
	public := map[string]bool{}
	for _, r := range res {
		if r.typ != "AWS::EC2::SubnetRouteTableAssociation" {
			continue
		}
		for t := range referenced(cfnyaml.Get(r.props, "RouteTableId")) {
			if tables[t] {
				for s := range referenced(cfnyaml.Get(r.props, "SubnetId")) {
					public[s] = true
				}
			}
		}
	}
	return public
}

// azIndex returns i from a subnet's AvailabilityZone: !Select [i, !GetAZs ...].
func azIndex(props *yaml.Node) (int, bool) {
	sel := cfnyaml.Get(cfnyaml.Get(props, "AvailabilityZone"), "Fn::Select")
	if sel == nil || sel.Kind != yaml.SequenceNode || len(sel.Content) != 2 || cfnyaml.Get(sel.Content[1], "Fn::GetAZs") == nil {
		return 0, false
	}
	i, err := strconv.Atoi(sel.Content[0].Value)
	return i, err == nil && i >= 0
}
