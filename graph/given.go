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

// givenSubnets draws the subnets that parameters give, as in a template
// for an existing VPC: for each subnet of a List<AWS::EC2::Subnet::Id>
// parameter it adds a subnet named PARAM_n (n from 1; a logical ID has no
// _, so none clashes), marked given with the subnet ID of the default, and
// it turns the references to them into references to those: !Select [i,
// !Ref PARAM] to the (i+1)-th, a whole !Ref PARAM to the list of all. A
// parameter of type AWS::EC2::Subnet::Id is one subnet of its own name.
// The subnets are in the VPC of the template's one AWS::EC2::VPC::Id
// parameter, if it has exactly one.
func (s *stack) givenSubnets(resources *yaml.Node) {
	vpc := ""
	lists := map[string][]string{} // parameter -> its subnets' logical IDs
	for _, p := range slices.Sorted(maps.Keys(s.params)) {
		switch value(cfnyaml.Get(s.params[p], "Type")) {
		case "AWS::EC2::VPC::Id":
			if vpc == "" {
				vpc = p
			} else {
				vpc = "\x00" // more than one: say none
			}
		case "AWS::EC2::Subnet::Id":
			lists[p] = []string{p}
		case "List<AWS::EC2::Subnet::Id>":
			lists[p] = nil
		}
	}
	if len(lists) == 0 {
		return
	}
	// A list holds its default's subnets, or as many as the template picks.
	count := map[string]int{}
	walk(resources, func(n *yaml.Node) {
		if p, i, ok := selectFrom(n); ok {
			if _, given := lists[p]; given {
				count[p] = max(count[p], i+1)
			}
		}
	})
	for p := range lists {
		if lists[p] != nil {
			continue
		}
		ids := defaults(s.params[p])
		for n := range max(len(ids), count[p], 1) {
			lists[p] = append(lists[p], fmt.Sprintf("%s_%d", p, n+1))
		}
	}
	for p, names := range lists {
		ids := defaults(s.params[p])
		for i, name := range names {
			props := &yaml.Node{Kind: yaml.MappingNode}
			if vpc != "" && vpc != "\x00" {
				props.Content = append(props.Content, cfnyaml.Str("VpcId"), ref(vpc))
			}
			r := &resource{typ: typeSubnet, props: props, node: &yaml.Node{Kind: yaml.MappingNode}, given: "?", param: p}
			if i < len(ids) {
				r.given = ids[i]
			}
			if len(names) > 1 || names[0] != p {
				r.param = p + "[" + strconv.Itoa(i) + "]"
			}
			s.res[name] = r
			s.names = append(s.names, name)
		}
	}
	slices.Sort(s.names)
	walk(resources, func(n *yaml.Node) {
		if p, i, ok := selectFrom(n); ok && i < len(lists[p]) {
			*n = *ref(lists[p][i])
		} else if p := value(cfnyaml.Get(n, "Ref")); len(n.Content) == 2 && len(lists[p]) > 0 && lists[p][0] != p {
			seq := &yaml.Node{Kind: yaml.SequenceNode}
			for _, name := range lists[p] {
				seq.Content = append(seq.Content, ref(name))
			}
			*n = *seq
		}
	})
}

// selectFrom reads !Select [i, !Ref PARAM].
func selectFrom(n *yaml.Node) (param string, i int, ok bool) {
	sel := cfnyaml.Get(n, "Fn::Select")
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 || sel == nil || sel.Kind != yaml.SequenceNode || len(sel.Content) != 2 {
		return "", 0, false
	}
	i, err := strconv.Atoi(sel.Content[0].Value)
	param = value(cfnyaml.Get(sel.Content[1], "Ref"))
	return param, i, err == nil && i >= 0 && param != ""
}

// defaults returns the items of a list parameter's default.
func defaults(param *yaml.Node) []string {
	d := value(cfnyaml.Get(param, "Default"))
	if d == "" {
		return nil
	}
	ids := strings.Split(d, ",")
	for i := range ids {
		ids[i] = strings.TrimSpace(ids[i])
	}
	return ids
}

func ref(name string) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{cfnyaml.Str("Ref"), cfnyaml.Str(name)}}
}

// walk calls f on n and every node under it, parents first.
func walk(n *yaml.Node, f func(*yaml.Node)) {
	if n == nil {
		return
	}
	f(n)
	for _, c := range n.Content {
		walk(c, f)
	}
}

// publicGiven marks the given subnets that an internet-facing load
// balancer names as public, in public.
func publicGiven(res map[string]*resource, public map[string]bool) {
	for _, r := range res {
		if !internetFacing(r) {
			continue
		}
		for sub := range referenced(cfnyaml.Get(r.props, "Subnets")) {
			if x := res[sub]; x != nil && x.given != "" {
				public[sub] = true
			}
		}
	}
}
