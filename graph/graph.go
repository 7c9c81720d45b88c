// Package graph draws a CloudFormation template as a diagram, in two views.
//
// The architecture view, [Architecture], is the picture a person would
// draw: the internet at the top and its internet gateway on the VPC's
// border; inside the VPC a column per Availability Zone and a row per
// tier, each subnet a box; the load balancer with its listeners across the
// public subnets, its target group under it, the instances (or an Auto
// Scaling group across them) in the private subnets, the NAT gateways in
// the public ones. Arrows go the way traffic flows, labelled with its
// ports: from the internet through the gateway to the load balancer and on
// to the targets, and, dashed, out of the private subnets through NAT.
// [Picture.SVG] lays it out itself, with no other tool; [Picture.DOT] and
// [Picture.Mermaid] give the same boxes and arrows to Graphviz and
// Mermaid.
//
// It is read from the template's resources, their types and references,
// so resources it knows nothing about still show: a resource is drawn in
// the subnet it names, across the subnets when it names several, in the
// VPC when it names the VPC, and outside it otherwise. Plumbing is folded
// into what it serves, as detail lines: routes, route tables and their
// associations into the subnets; the gateway attachment into the internet
// gateway; Elastic IPs into the NAT gateways; listeners into the load
// balancer; security groups and their rules into what uses them, said as
// what they allow ("allows 80 from the load balancer only"); the instance
// profile and its role into the launch template, and the launch template
// and scaling policies into an Auto Scaling group; flow logs, their log
// group and role into the VPC. Instances of a subnet beyond six are drawn
// as one box with their count. A subnet is public when its route table
// has a route to an internet gateway; its zone is the i of
// Fn::Select [i, Fn::GetAZs]. Subnets of a VPC the template does not
// create sit in a frame named by the VPC ID or parameter they give; so do
// the subnets that parameters give (List<AWS::EC2::Subnet::Id>), drawn as
// existing subnets, public when an internet-facing load balancer uses
// them, one for each ID of the default and picked by Fn::Select [i, Ref].
//
// A [Plan] marks a change set on the picture: each box by its action (add,
// modify, replace, remove) in colour and with a text mark, so that it also
// reads in grey; unchanged boxes fade; changes to folded plumbing are
// counted on what it serves ("~ 2 routes modified"); a legend gives the
// counts. With the stack's current template, removed resources are drawn
// where they are; without it, they are listed apart.
//
// The references view, [DOT] and [Mermaid], draws every resource as a node
// labelled with its logical ID and its type without the "AWS::" prefix. An
// edge A -> B means that A refers to B, by Ref, Fn::GetAtt, a ${B} or
// ${B.Attr} in Fn::Sub, or DependsOn; references to parameters and pseudo
// parameters (AWS::Region, ...) are not drawn. The edges from the Internet
// node are the exception: they show where traffic from the internet
// enters, at each internet gateway and each internet-facing load balancer.
// Parameters and outputs are not drawn. Resources are grouped in clusters:
//   - a VPC cluster holds the VPC and each resource that refers (by Ref,
//     Fn::GetAtt or Fn::Sub) to it, to a subnet or to another resource in
//     the cluster: route tables, routes, security groups, load balancers,
//     target groups, listeners. A load balancer or an Auto Scaling group
//     that spans subnets sits here, with an edge to each subnet. IAM
//     resources and launch templates are regional and stay outside even
//     when they name a security group, as does whatever refers to nothing
//     in the VPC;
//   - inside it, a cluster per Availability Zone, numbered from the i in
//     each subnet's AvailabilityZone of Fn::Select [i, Fn::GetAZs]; a
//     subnet whose zone is given another way sits in the VPC cluster;
//   - around each subnet, a cluster: public when the subnet's route table
//     has a route to an internet gateway, private otherwise. A resource
//     that refers to exactly one subnet (a NAT gateway, an instance, a
//     route table association) sits in that subnet's cluster.
//
// Every output is deterministic: the same template gives the same bytes.
package graph

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// DOT draws the references view of the template in Graphviz DOT, for
// `dot -Tsvg` and the like.
func DOT(template []byte) ([]byte, error) {
	d, err := build(template)
	if err != nil {
		return nil, err
	}
	return d.dot(), nil
}

// Mermaid draws the references view of the template as a Mermaid
// flowchart, which GitHub renders in Markdown.
func Mermaid(template []byte) ([]byte, error) {
	d, err := build(template)
	if err != nil {
		return nil, err
	}
	return d.mermaid(), nil
}

// internet is the ID of the Internet node; logical IDs are alphanumeric,
// so no resource has it.
const internet = "_internet"

// diagram is what both formats draw: nodes in nested clusters, and edges.
type diagram struct {
	top   cluster // the outermost level, without a frame
	edges []edge  // sorted, without duplicates
}

type cluster struct {
	id, label string
	kind      string // vpc, az, public or private: how DOT styles it
	nodes     []node
	clusters  []*cluster
}

type node struct{ id, label string }

type edge struct{ from, to string }

// resource is one entry of the template's Resources.
type resource struct {
	typ   string
	props *yaml.Node
	node  *yaml.Node // the whole entry: Type, Properties, CreationPolicy, ...
	refs  []string   // resources named by Ref, Fn::GetAtt and Fn::Sub, sorted
	deps  []string   // resources named by DependsOn

	// given is the ID of a subnet that a parameter gives (see
	// givenSubnets), "?" when its default does not say; param names it.
	given, param string
}

// stack is a template read for drawing.
type stack struct {
	res    map[string]*resource
	names  []string              // logical IDs, sorted
	params map[string]*yaml.Node // each parameter's definition
}

// read parses a template and the references between its resources.
func read(template []byte) (*stack, error) {
	doc, err := cfnyaml.Parse(template)
	if err != nil {
		return nil, fmt.Errorf("graph: %w", err)
	}
	section := cfnyaml.Get(doc, "Resources")
	if section == nil || section.Kind != yaml.MappingNode || len(section.Content) == 0 {
		return nil, errors.New("graph: the template has no Resources")
	}
	s := &stack{res: map[string]*resource{}, params: map[string]*yaml.Node{}}
	if ps := cfnyaml.Get(doc, "Parameters"); ps != nil && ps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			s.params[ps.Content[i].Value] = ps.Content[i+1]
		}
	}
	res := s.res
	for i := 0; i+1 < len(section.Content); i += 2 {
		name, n := section.Content[i].Value, section.Content[i+1]
		res[name] = &resource{typ: value(cfnyaml.Get(n, "Type")), props: cfnyaml.Get(n, "Properties"), node: n}
		s.names = append(s.names, name)
	}
	slices.Sort(s.names)
	s.givenSubnets(section)
	// Only references to other resources count: not parameters, pseudo
	// parameters or Fn::Sub's own variables.
	keep := func(set map[string]bool, self string) []string {
		var out []string
		for name := range set {
			if res[name] != nil && name != self {
				out = append(out, name)
			}
		}
		slices.Sort(out)
		return out
	}
	for i := 0; i+1 < len(section.Content); i += 2 {
		name, n := section.Content[i].Value, section.Content[i+1]
		r := res[name]
		r.refs = keep(referenced(n), name)
		if dep := cfnyaml.Get(n, "DependsOn"); dep != nil {
			set := map[string]bool{dep.Value: true} // one name, or a list
			for _, c := range dep.Content {
				set[c.Value] = true
			}
			r.deps = keep(set, name)
		}
	}
	return s, nil
}

func build(template []byte) (*diagram, error) {
	s, err := read(template)
	if err != nil {
		return nil, err
	}
	res, names := s.res, s.names
	d := &diagram{}
	where := place(res, names, &d.top)
	for _, name := range names {
		r := res[name]
		where[name].nodes = append(where[name].nodes, node{name, name + "\n" + strings.TrimPrefix(r.typ, "AWS::")})
		for _, to := range slices.Concat(r.refs, r.deps) {
			d.edges = append(d.edges, edge{name, to})
		}
		if r.typ == "AWS::EC2::InternetGateway" || internetFacing(r) {
			d.edges = append(d.edges, edge{internet, name})
		}
	}
	if slices.ContainsFunc(d.edges, func(e edge) bool { return e.from == internet }) {
		d.top.nodes = slices.Insert(d.top.nodes, 0, node{internet, "Internet"})
	}
	slices.SortFunc(d.edges, func(a, b edge) int {
		return cmp.Or(strings.Compare(a.from, b.from), strings.Compare(a.to, b.to))
	})
	d.edges = slices.Compact(d.edges)
	return d, nil
}

// internetFacing reports whether r is a load balancer that takes traffic
// from the internet: its Scheme is not internal.
func internetFacing(r *resource) bool {
	if !strings.HasPrefix(r.typ, "AWS::ElasticLoadBalancing") || !strings.HasSuffix(r.typ, "::LoadBalancer") {
		return false
	}
	return value(cfnyaml.Get(r.props, "Scheme")) != "internal"
}

// value returns a scalar's text, or "" for nil.
func value(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// referenced returns the names that n refers to with Ref, Fn::GetAtt and
// Fn::Sub, anywhere inside it.
func referenced(n *yaml.Node) map[string]bool {
	set := map[string]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
			v := n.Content[1]
			switch n.Content[0].Value {
			case "Ref":
				set[v.Value] = true
			case "Fn::GetAtt": // [Name, Attr] or "Name.Attr"
				if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
					set[v.Content[0].Value] = true
				} else {
					name, _, _ := strings.Cut(v.Value, ".")
					set[name] = true
				}
			case "Fn::Sub": // "text" or ["text", {Var: value}]
				text, vars := v, (*yaml.Node)(nil)
				if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
					text = v.Content[0]
					if len(v.Content) > 1 {
						vars = v.Content[1]
					}
				}
				for _, name := range subNames(text.Value) {
					if cfnyaml.Get(vars, name) == nil {
						set[name] = true
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return set
}

// subNames returns the X of each ${X} and ${X.Attr} in an Fn::Sub string;
// ${!X} is literal text.
func subNames(s string) []string {
	var names []string
	for {
		_, after, ok := strings.Cut(s, "${")
		if !ok {
			return names
		}
		v, rest, ok := strings.Cut(after, "}")
		if !ok {
			return names
		}
		if !strings.HasPrefix(v, "!") {
			name, _, _ := strings.Cut(v, ".")
			names = append(names, name)
		}
		s = rest
	}
}
