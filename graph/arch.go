package graph

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// level is where an element sits in the picture.
type level int

const (
	atTop    level = iota // above the VPC: the internet, DNS names
	atEdge                // on the VPC's border: the internet gateway
	inSubnet              // in one subnet
	across                // across several subnets of a tier: a load balancer, an Auto Scaling group
	inVPC                 // in the VPC, in no subnet
	regional              // outside the VPC
)

// element is one thing drawn: a resource with the plumbing folded into it,
// a group of instances, or a frame (the VPC, a subnet).
type element struct {
	key     string // its first own logical ID, or _internet
	kind    string // internet, igw, nat, lb, tg, instance, asg, fleet, endpoint, dns, vpc, subnet, node
	title   string
	name    string // the second line: logical IDs, a count
	details []string
	chips   []chip   // listeners on a load balancer
	own     []string // the logical IDs it draws (several for a group of instances)
	folded  []string // the plumbing folded into it
	level   level
	subnets []string // inSubnet: one; across: several

	public bool   // a public subnet
	zone   string // a subnet's Availability Zone, as a column key
}

// chip is a small labelled part of an element, such as a listener.
type chip struct{ text, id string }

// flow is traffic between two elements (a subnet's key is its logical ID).
type flow struct {
	from, to string
	label    string
	out      bool // the way out through NAT, drawn dashed
}

// column is an Availability Zone: its subnets by tier.
type column struct {
	label   string
	public  []string
	private []string
}

// arch is the architecture of a template.
type arch struct {
	s       *stack
	vpc     *element // nil when nothing is in a VPC
	columns []column
	elems   []*element          // in drawing order; frames included
	by      map[string]*element // element key -> element
	owners  map[string][]string // folded logical ID -> keys of the elements it is folded into
	flows   []flow
}

// maxPerSubnet is how many instances a subnet shows one by one; more are
// drawn as one box with a count.
const maxPerSubnet = 6

const (
	typeSubnet   = "AWS::EC2::Subnet"
	typeInstance = "AWS::EC2::Instance"
	typeSG       = "AWS::EC2::SecurityGroup"
	typeASG      = "AWS::AutoScaling::AutoScalingGroup"
	typeLT       = "AWS::EC2::LaunchTemplate"
	typeLB       = "AWS::ElasticLoadBalancingV2::LoadBalancer"
	typeListener = "AWS::ElasticLoadBalancingV2::Listener"
	typeTG       = "AWS::ElasticLoadBalancingV2::TargetGroup"
)

// foldedByProperty are plumbing types folded into what one of their
// properties names.
var foldedByProperty = map[string][]string{
	"AWS::EC2::Route":                                   {"RouteTableId"},
	"AWS::EC2::SubnetRouteTableAssociation":             {"SubnetId"},
	"AWS::EC2::VPCGatewayAttachment":                    {"InternetGatewayId", "VpnGatewayId"},
	"AWS::EC2::SecurityGroupIngress":                    {"GroupId"},
	"AWS::EC2::SecurityGroupEgress":                     {"GroupId"},
	"AWS::EC2::FlowLog":                                 {"ResourceId"},
	"AWS::AutoScaling::ScalingPolicy":                   {"AutoScalingGroupName"},
	"AWS::AutoScaling::ScheduledAction":                 {"AutoScalingGroupName"},
	"AWS::AutoScaling::LifecycleHook":                   {"AutoScalingGroupName"},
	typeListener:                                        {"LoadBalancerArn"},
	"AWS::ElasticLoadBalancingV2::ListenerRule":         {"ListenerArn"},
	"AWS::ElasticLoadBalancingV2::ListenerCertificate":  {"ListenerArn"},
	"AWS::S3::BucketPolicy":                             {"Bucket"},
	"AWS::IAM::Policy":                                  {"Roles"},
	"AWS::EC2::EIPAssociation":                          {"InstanceId", "NetworkInterfaceId"},
	"AWS::EC2::VPCEndpointConnectionNotification":       {"VPCEndpointId"},
	"AWS::ElasticLoadBalancingV2::TrustStoreRevocation": {"TrustStoreArn"},
}

// foldedIntoUsers are plumbing types folded into the resources that name
// them.
var foldedIntoUsers = map[string]bool{
	typeSG:                                 true,
	"AWS::IAM::InstanceProfile":            true,
	"AWS::IAM::Role":                       true,
	"AWS::EC2::EIP":                        true,
	"AWS::Logs::LogGroup":                  true,
	"AWS::CertificateManager::Certificate": true,
	"AWS::IAM::ManagedPolicy":              true,
}

// isSubnetGroup reports whether typ is a group of subnets that a resource
// (a database, a cache) is placed in.
func isSubnetGroup(typ string) bool {
	return strings.HasSuffix(typ, "SubnetGroup")
}

// isRule reports whether typ is a security group or one of its rules,
// which name groups without using them.
func isRule(typ string) bool {
	return typ == typeSG || typ == "AWS::EC2::SecurityGroupIngress" || typ == "AWS::EC2::SecurityGroupEgress"
}

// newArch reads the architecture of s: the rules are in the package doc.
func newArch(s *stack) *arch {
	a := &arch{s: s, by: map[string]*element{}, owners: map[string][]string{}}
	users := map[string][]string{} // logical ID -> the resources that name it
	for _, name := range s.names {
		for _, ref := range s.res[name].refs {
			users[ref] = append(users[ref], name)
		}
	}
	a.fold(users)
	a.frames()
	a.place(users)
	a.describe(users)
	a.connect()
	return a
}

// fold decides which resources are plumbing and what each is folded into.
func (a *arch) fold(users map[string][]string) {
	s := a.s
	direct := func(name string) []string {
		r := s.res[name]
		if props := foldedByProperty[r.typ]; props != nil {
			var out []string
			for _, p := range props {
				out = append(out, s.refsIn(r.props, p)...)
			}
			return out
		}
		switch {
		case r.typ == "AWS::EC2::RouteTable": // into the subnets it serves
			var out []string
			for _, u := range users[name] {
				if s.res[u].typ == "AWS::EC2::SubnetRouteTableAssociation" {
					out = append(out, s.refsIn(s.res[u].props, "SubnetId")...)
				}
			}
			return out
		case r.typ == typeLT: // into an Auto Scaling group; for instances it is drawn
			return slices.DeleteFunc(slices.Clone(users[name]), func(u string) bool { return s.res[u].typ != typeASG })
		case foldedIntoUsers[r.typ] || isSubnetGroup(r.typ):
			return slices.DeleteFunc(slices.Clone(users[name]), func(u string) bool {
				return isRule(s.res[u].typ) || r.typ == "AWS::Logs::LogGroup" && s.res[u].typ == "AWS::IAM::Role"
			})
		}
		return nil
	}
	memo := map[string][]string{}
	var resolve func(name string, seen map[string]bool) []string
	resolve = func(name string, seen map[string]bool) []string {
		if got, ok := memo[name]; ok {
			return got
		}
		var out []string
		for _, c := range direct(name) {
			if seen[c] || c == name {
				continue
			}
			seen[c] = true
			if up := resolve(c, seen); len(up) > 0 {
				out = append(out, up...)
			} else {
				out = append(out, c)
			}
		}
		slices.Sort(out)
		out = slices.Compact(out)
		memo[name] = out
		return out
	}
	for _, name := range s.names {
		if o := resolve(name, map[string]bool{name: true}); len(o) > 0 {
			a.owners[name] = o
		}
	}
}

// frames builds the VPC and the subnets, and the columns of the zones.
func (a *arch) frames() {
	s := a.s
	public := publicSubnets(s.res)
	publicGiven(s.res, public)
	routed := map[string]bool{} // subnets with a route table in the template
	for _, name := range s.names {
		if r := s.res[name]; r.typ == "AWS::EC2::SubnetRouteTableAssociation" {
			for _, sub := range s.refsIn(r.props, "SubnetId") {
				routed[sub] = true
			}
		}
	}
	for _, name := range s.names {
		if s.res[name].typ == "AWS::EC2::VPC" && a.vpc == nil && a.owners[name] == nil {
			a.vpc = &element{key: name, kind: "vpc", title: "VPC", name: name, own: []string{name}, level: inVPC}
		}
	}
	type zone struct {
		index int // the i of Fn::Select [i, Fn::GetAZs], or -1
		name  string
	}
	zones := map[zone]*column{}
	unknown := map[bool]int{} // subnets of each tier with no zone seen so far
	for _, name := range s.names {
		r := s.res[name]
		if r.typ != typeSubnet {
			continue
		}
		z := zone{index: -1}
		if i, ok := azIndex(r.props); ok {
			z.index = i
		} else if az := cfnyaml.Get(r.props, "AvailabilityZone"); az != nil && az.Kind == yaml.ScalarNode {
			z.name = az.Value
		} else {
			z.name = fmt.Sprintf("\x00%d", unknown[public[name]]) // the n-th of each tier side by side
			unknown[public[name]]++
		}
		c := zones[z]
		if c == nil {
			c = &column{label: "Availability Zone " + strconv.Itoa(z.index+1)}
			if z.index < 0 {
				c.label = z.name
				if strings.HasPrefix(z.name, "\x00") {
					c.label = "zone not given"
				}
			}
			zones[z] = c
		}
		e := &element{key: name, kind: "subnet", name: name, own: []string{name}, level: inVPC, public: public[name]}
		switch {
		case e.public:
			e.title = "Public subnet"
			c.public = append(c.public, name)
		case routed[name] || a.vpc != nil, r.given != "" && strings.Contains(strings.ToLower(r.param), "private"):
			e.title = "Private subnet" // the VPC's main route table: no way out; or a given private one
			c.private = append(c.private, name)
		default: // in a VPC whose routes are not in the template
			e.title = "Subnet"
			c.private = append(c.private, name)
		}
		if cidr := value(cfnyaml.Get(r.props, "CidrBlock")); cidr != "" {
			e.details = append(e.details, cidr)
		}
		if r.given != "" {
			e.title, e.name = "Existing "+strings.ToLower(e.title[:1])+e.title[1:], r.param
			if r.given != "?" {
				e.details = append(e.details, r.given)
			}
		}
		a.add(e)
	}
	rank := func(z zone) int { // zones by index, then the named ones
		if z.index < 0 {
			return 1 << 30
		}
		return z.index
	}
	keys := slices.SortedFunc(maps.Keys(zones), func(x, y zone) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), strings.Compare(x.name, y.name))
	})
	for i, k := range keys {
		for _, sub := range slices.Concat(zones[k].public, zones[k].private) {
			a.by[sub].zone = strconv.Itoa(i)
		}
		a.columns = append(a.columns, *zones[k])
	}
	if a.vpc == nil && len(keys) > 0 {
		a.vpc = &element{key: "_vpc", kind: "vpc", title: "VPC", level: inVPC}
		if id := a.givenVPC(); id != "" {
			a.vpc.title, a.vpc.name = "Existing VPC", id
		}
	}
	if a.vpc != nil {
		a.elems = slices.Insert(a.elems, 0, a.vpc)
		a.by[a.vpc.key] = a.vpc
	}
}

// givenVPC returns the VPC the subnets name when the template does not
// create it: a literal ID, or the parameter that holds it.
func (a *arch) givenVPC() string {
	for _, name := range a.s.names {
		r := a.s.res[name]
		if r.typ != typeSubnet {
			continue
		}
		v := cfnyaml.Get(r.props, "VpcId")
		if v == nil {
			continue
		}
		if v.Kind == yaml.ScalarNode {
			return v.Value
		}
		if ref := value(cfnyaml.Get(v, "Ref")); ref != "" {
			if d := value(cfnyaml.Get(a.s.params[ref], "Default")); d != "" {
				return d + " (parameter " + ref + ")"
			}
			return "parameter " + ref
		}
	}
	return ""
}

func (a *arch) add(e *element) {
	a.elems = append(a.elems, e)
	a.by[e.key] = e
	for _, id := range e.own {
		a.by[id] = e
	}
}

// subnetsOf returns the subnets that r names in its properties, or
// through a subnet group.
func (a *arch) subnetsOf(r *resource) []string {
	var out []string
	for ref := range referenced(r.props) {
		x := a.s.res[ref]
		switch {
		case x == nil:
		case x.typ == typeSubnet:
			out = append(out, ref)
		case isSubnetGroup(x.typ) && !isSubnetGroup(r.typ):
			out = append(out, a.subnetsOf(x)...)
		}
	}
	return a.byColumn(out)
}

// byColumn sorts subnets by their column, then by name.
func (a *arch) byColumn(subnets []string) []string {
	slices.SortFunc(subnets, func(x, y string) int {
		zx, _ := strconv.Atoi(a.by[x].zone)
		zy, _ := strconv.Atoi(a.by[y].zone)
		return cmp.Or(cmp.Compare(zx, zy), strings.Compare(x, y))
	})
	return slices.Compact(subnets)
}

// place makes an element of every resource that is not folded, and decides
// where it sits.
func (a *arch) place(users map[string][]string) {
	s := a.s
	lbOf := map[string]string{} // target group -> the load balancer that forwards to it
	for _, name := range s.names {
		r := s.res[name]
		if r.typ != typeListener && r.typ != "AWS::ElasticLoadBalancingV2::ListenerRule" {
			continue
		}
		for _, lb := range a.owners[name] {
			for _, ref := range r.refs {
				if s.res[ref].typ == typeTG && lbOf[ref] == "" {
					lbOf[ref] = lb
				}
			}
		}
	}
	instances := map[string][]string{} // subnet -> its instances
	var later []*element               // target groups, after their load balancers
	for _, name := range s.names {
		r := s.res[name]
		if a.owners[name] != nil || a.by[name] != nil {
			continue
		}
		e := &element{key: name, kind: "node", title: strings.TrimPrefix(r.typ, "AWS::"), name: name, own: []string{name}}
		subnets := a.subnetsOf(r)
		switch len(subnets) {
		case 0:
			e.level = regional
			if slices.Contains(r.refs, a.vpcKey()) {
				e.level = inVPC
			}
		case 1:
			e.level, e.subnets = inSubnet, subnets
		default:
			e.level, e.subnets = across, subnets
		}
		switch r.typ {
		case "AWS::EC2::InternetGateway":
			e.kind, e.title, e.level = "igw", "Internet gateway", atEdge
		case "AWS::EC2::NatGateway":
			e.kind, e.title = "nat", "NAT gateway"
		case typeLB, "AWS::ElasticLoadBalancing::LoadBalancer":
			e.kind, e.title = "lb", lbTitle(r)
		case typeTG:
			e.kind, e.title = "tg", "Target group"
			if lb := a.by[lbOf[name]]; lb != nil {
				e.level, e.subnets = lb.level, lb.subnets
				later = append(later, e)
				continue
			}
			e.level = inVPC
		case typeInstance:
			if len(subnets) == 1 {
				instances[subnets[0]] = append(instances[subnets[0]], name)
				continue
			}
			e.kind, e.title = "instance", "EC2 instance"
		case typeASG:
			e.kind, e.title = "asg", "Auto Scaling group"
		case typeLT:
			e.kind, e.title = "fleet", "Launch template"
			var subs []string
			for _, u := range users[name] {
				if s.res[u].typ == typeInstance {
					subs = append(subs, a.subnetsOf(s.res[u])...)
				}
			}
			subs = a.byColumn(subs)
			switch len(subs) {
			case 0:
			case 1:
				e.level, e.subnets = inSubnet, subs
			default:
				e.level, e.subnets = across, subs
			}
		case "AWS::EC2::VPCEndpoint":
			e.kind, e.title = "endpoint", endpointTitle(r)
			if e.level == regional {
				e.level = inVPC
			}
		case "AWS::Route53::RecordSet", "AWS::Route53::RecordSetGroup", "AWS::Route53::HostedZone":
			e.kind, e.level, e.subnets = "dns", atTop, nil
			e.title = "DNS"
			if n := value(cfnyaml.Get(r.props, "Name")); n != "" {
				e.title = strings.TrimSuffix(n, ".")
			}
		}
		a.add(e)
	}
	for _, e := range later {
		i := slices.IndexFunc(a.elems, func(x *element) bool { return x.key == lbOf[e.key] })
		a.elems = slices.Insert(a.elems, i+1, e)
		a.by[e.key] = e
	}
	for _, sub := range slices.Sorted(maps.Keys(instances)) {
		ids := instances[sub]
		slices.SortFunc(ids, byNumber)
		if len(ids) <= maxPerSubnet {
			for _, id := range ids {
				a.add(&element{key: id, kind: "instance", title: "EC2 instance", name: id, own: []string{id}, level: inSubnet, subnets: []string{sub}})
			}
			continue
		}
		a.add(&element{key: ids[0], kind: "instance", title: fmt.Sprintf("%d EC2 instances", len(ids)),
			name: ids[0] + " … " + ids[len(ids)-1], own: ids, level: inSubnet, subnets: []string{sub}})
	}
	if slices.ContainsFunc(a.elems, func(e *element) bool { return e.kind == "igw" || e.kind == "lb" && a.internetFacing(e) }) {
		a.elems = slices.Insert(a.elems, 0, &element{key: internet, kind: "internet", title: "Internet", level: atTop})
		a.by[internet] = a.elems[0]
	}
	for k, list := range a.owners {
		a.owners[k] = slices.DeleteFunc(list, func(o string) bool { return a.by[o] == nil })
		for _, o := range a.owners[k] {
			a.by[o].folded = append(a.by[o].folded, k)
		}
	}
	for _, e := range a.elems {
		slices.Sort(e.folded)
		e.folded = slices.Compact(e.folded)
	}
}

// byNumber orders Instance2 before Instance10.
func byNumber(x, y string) int {
	tx, nx := splitNumber(x)
	ty, ny := splitNumber(y)
	return cmp.Or(strings.Compare(tx, ty), cmp.Compare(nx, ny), strings.Compare(x, y))
}

func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, _ := strconv.Atoi(s[i:])
	return s[:i], n
}

func (a *arch) vpcKey() string {
	if a.vpc == nil {
		return ""
	}
	return a.vpc.key
}

func (a *arch) internetFacing(e *element) bool {
	return internetFacing(a.s.res[e.key])
}

func lbTitle(r *resource) string {
	switch value(cfnyaml.Get(r.props, "Type")) {
	case "network":
		return "Network Load Balancer"
	case "gateway":
		return "Gateway Load Balancer"
	case "application", "":
		if r.typ == typeLB {
			return "Application Load Balancer"
		}
	}
	return "Classic Load Balancer"
}

func endpointTitle(r *resource) string {
	kind := value(cfnyaml.Get(r.props, "VpcEndpointType"))
	if kind == "" {
		kind = "Gateway"
	}
	service := serviceName(cfnyaml.Get(r.props, "ServiceName"))
	return strings.TrimSpace(service + " " + strings.ToLower(kind) + " endpoint")
}

// serviceName returns the short service of an endpoint's ServiceName, such
// as s3 in com.amazonaws.${AWS::Region}.s3.
func serviceName(n *yaml.Node) string {
	s := value(n)
	if sub := cfnyaml.Get(n, "Fn::Sub"); sub != nil {
		s = value(sub)
	}
	if i := strings.LastIndex(s, "}."); i >= 0 {
		return s[i+2:]
	}
	if i := strings.LastIndex(s, "."); i >= 0 {
		return s[i+1:]
	}
	return s
}

// refsIn returns the resources named in the property p of props.
func (s *stack) refsIn(props *yaml.Node, p string) []string {
	var out []string
	for ref := range referenced(cfnyaml.Get(props, p)) {
		if s.res[ref] != nil {
			out = append(out, ref)
		}
	}
	slices.Sort(out)
	return out
}

// connect finds the traffic: from the internet through the internet
// gateway to the load balancers and on to their targets, and out of the
// private subnets through NAT gateways and the internet gateway.
func (a *arch) connect() {
	s := a.s
	igw := ""
	for _, e := range a.elems {
		if e.kind == "igw" {
			igw = e.key
			break
		}
	}
	var in []string
	for _, e := range a.elems {
		if e.kind != "lb" || !a.internetFacing(e) {
			continue
		}
		ports := a.listenerPorts(e)
		from := internet
		if igw != "" {
			from = igw
		}
		a.flows = append(a.flows, flow{from: from, to: e.key, label: strings.Join(ports, ", ")})
		in = append(in, ports...)
	}
	if igw != "" && len(in) > 0 {
		slices.Sort(in)
		a.flows = slices.Insert(a.flows, 0, flow{from: internet, to: igw, label: strings.Join(slices.Compact(in), ", ")})
	}
	for _, lb := range a.elems {
		if lb.kind != "lb" {
			continue
		}
		for _, l := range lb.folded {
			for _, ref := range s.res[l].refs {
				if x := a.by[ref]; x != nil && x.kind == "tg" && s.res[l].typ != typeTG {
					a.flows = append(a.flows, flow{from: lb.key, to: x.key, label: "forward"})
				}
			}
		}
	}
	for _, e := range a.elems {
		if e.kind != "tg" && e.kind != "lb" {
			continue
		}
		r := s.res[e.key]
		label := strings.TrimSpace(value(cfnyaml.Get(r.props, "Protocol")) + " " + value(cfnyaml.Get(r.props, "Port")))
		targets := s.refsIn(r.props, "Targets")
		if e.kind == "lb" {
			targets = append(targets, s.refsIn(r.props, "Instances")...)
		}
		for _, name := range s.names {
			if x := s.res[name]; x.typ == typeASG && slices.Contains(s.refsIn(x.props, "TargetGroupARNs"), e.key) {
				targets = append(targets, name)
			}
		}
		var seen []string
		for _, t := range targets {
			if x := a.by[t]; x != nil && !slices.Contains(seen, x.key) {
				seen = append(seen, x.key)
				a.flows = append(a.flows, flow{from: e.key, to: x.key, label: label})
			}
		}
	}
	natOut := false
	for _, sub := range a.elems {
		if sub.kind != "subnet" {
			continue
		}
		for _, name := range sub.folded {
			r := s.res[name]
			if r.typ != "AWS::EC2::Route" || value(cfnyaml.Get(r.props, "DestinationCidrBlock")) != "0.0.0.0/0" {
				continue
			}
			for _, nat := range s.refsIn(r.props, "NatGatewayId") {
				if a.by[nat] == nil {
					continue
				}
				a.flows = append(a.flows, flow{from: sub.key, to: nat, out: true, label: strings.Join(a.subnetOut(sub.key), ", ")})
				if n := a.by[nat]; igw != "" && len(n.subnets) == 1 && a.by[n.subnets[0]].public {
					a.flows = append(a.flows, flow{from: nat, to: igw, out: true})
					natOut = true
				}
			}
		}
	}
	if natOut {
		a.flows = append(a.flows, flow{from: igw, to: internet, out: true})
	}
	// One flow per pair, in order.
	var flows []flow
	for _, f := range a.flows {
		if !slices.ContainsFunc(flows, func(g flow) bool { return g.from == f.from && g.to == f.to }) {
			flows = append(flows, f)
		}
	}
	a.flows = flows
}

// listenerPorts returns the protocol and port of each of a load
// balancer's listeners, such as HTTPS 443.
func (a *arch) listenerPorts(lb *element) []string {
	var ports []string
	for _, l := range a.foldedOf(lb, typeListener) {
		r := a.s.res[l]
		ports = append(ports, strings.TrimSpace(value(cfnyaml.Get(r.props, "Protocol"))+" "+value(cfnyaml.Get(r.props, "Port"))))
	}
	slices.Sort(ports)
	return slices.Compact(ports)
}

// subnetOut returns the ports on which the instances of a subnet go out to
// anywhere.
func (a *arch) subnetOut(subnet string) []string {
	var groups []string
	for _, e := range a.elems {
		if slices.Contains(e.subnets, subnet) && (e.kind == "instance" || e.kind == "fleet" || e.kind == "asg") {
			groups = append(groups, a.foldedOf(e, typeSG)...)
		}
	}
	slices.Sort(groups)
	return a.outPorts(slices.Compact(groups))
}
