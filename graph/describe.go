package graph

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// rule is one security-group rule, as a person says it.
type rule struct {
	ingress bool
	ports   string // 80, 1024-65535, all traffic
	peer    string // the internet, the load balancer, 10.0.0.0/16
	group   bool   // the peer is a security group
}

// rules returns the rules of a security group: its inline ones and those
// of the rule resources folded into it.
func (a *arch) rules(sg string) []rule {
	s := a.s
	r := s.res[sg]
	var out []rule
	for _, in := range []bool{true, false} {
		key := "SecurityGroupEgress"
		if in {
			key = "SecurityGroupIngress"
		}
		if list := cfnyaml.Get(r.props, key); list != nil {
			for _, n := range list.Content {
				out = append(out, a.rule(n, in))
			}
		}
	}
	for _, name := range s.names {
		x := s.res[name]
		in := x.typ == "AWS::EC2::SecurityGroupIngress"
		if (in || x.typ == "AWS::EC2::SecurityGroupEgress") && slices.Contains(s.refsIn(x.props, "GroupId"), sg) {
			out = append(out, a.rule(x.props, in))
		}
	}
	return out
}

func (a *arch) rule(n *yaml.Node, ingress bool) rule {
	r := rule{ingress: ingress}
	proto := strings.ToLower(value(cfnyaml.Get(n, "IpProtocol")))
	from, to := value(cfnyaml.Get(n, "FromPort")), value(cfnyaml.Get(n, "ToPort"))
	switch {
	case proto == "-1" || proto == "all":
		r.ports = "all traffic"
	case proto == "icmp" || proto == "1":
		r.ports = "ICMP"
	case from == to || to == "":
		r.ports = from
	default:
		r.ports = from + "-" + to
	}
	if proto == "udp" || proto == "17" {
		r.ports = "UDP " + r.ports
	}
	peers := []string{"SourceSecurityGroupId", "CidrIp", "CidrIpv6", "SourcePrefixListId"}
	if !ingress {
		peers = []string{"DestinationSecurityGroupId", "CidrIp", "CidrIpv6", "DestinationPrefixListId"}
	}
	for _, p := range peers {
		v := cfnyaml.Get(n, p)
		if v == nil {
			continue
		}
		switch {
		case strings.HasSuffix(p, "SecurityGroupId"):
			r.group = true
			r.peer = "a security group"
			if refs := a.s.refsIn(n, p); len(refs) > 0 {
				r.peer = a.groupName(refs[0])
			}
		case v.Value == "0.0.0.0/0" || v.Value == "::/0":
			r.peer = "the internet"
			if !ingress {
				r.peer = "anywhere"
			}
		case v.Kind == yaml.ScalarNode:
			r.peer = v.Value
		default:
			r.peer = "a " + strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(p, "Source"), "Id"))
		}
		break
	}
	return r
}

// groupName names a security group by what uses it.
func (a *arch) groupName(sg string) string {
	for _, o := range a.owners[sg] {
		switch a.by[o].kind {
		case "lb":
			return "the load balancer"
		case "instance", "fleet", "asg":
			return "the instances"
		case "endpoint":
			return "the endpoints"
		}
	}
	return sg
}

// allows says what the security groups allow, one line per direction and
// peer: "allows 80 from the load balancer only".
func (a *arch) allows(groups []string) []string {
	var rules []rule
	for _, g := range groups {
		rules = append(rules, a.rules(g)...)
	}
	var lines []string
	for _, in := range []bool{true, false} {
		var peers []string
		ports := map[string][]string{}
		group := true
		for _, r := range rules {
			if r.ingress != in {
				continue
			}
			if ports[r.peer] == nil {
				peers = append(peers, r.peer)
			}
			if !slices.Contains(ports[r.peer], r.ports) {
				ports[r.peer] = append(ports[r.peer], r.ports)
			}
			group = group && r.group
		}
		verb, prep := "allows", "from"
		if !in {
			verb, prep = "sends", "to"
		}
		for _, p := range peers {
			line := fmt.Sprintf("%s %s %s %s", verb, strings.Join(ports[p], ", "), prep, p)
			if p == "anywhere" {
				line = fmt.Sprintf("%s %s anywhere", verb, strings.Join(ports[p], ", "))
			}
			if len(peers) == 1 && group {
				line += " only"
			}
			lines = append(lines, line)
		}
		if !in && len(peers) == 0 && len(groups) > 0 && !a.egressGiven(groups) {
			lines = append(lines, "sends anything anywhere")
		}
	}
	return lines
}

// egressGiven reports whether any of the groups has egress rules; a group
// without any sends anything anywhere.
func (a *arch) egressGiven(groups []string) bool {
	for _, g := range groups {
		for _, r := range a.rules(g) {
			if !r.ingress {
				return true
			}
		}
	}
	return false
}

// outPorts returns the ports the groups send to anywhere: the way out.
func (a *arch) outPorts(groups []string) []string {
	var ports []string
	for _, g := range groups {
		for _, r := range a.rules(g) {
			if !r.ingress && r.peer == "anywhere" && !slices.Contains(ports, r.ports) {
				ports = append(ports, r.ports)
			}
		}
	}
	return ports
}

// foldedOf returns the resources of type typ folded into e.
func (a *arch) foldedOf(e *element, typ string) []string {
	return slices.DeleteFunc(slices.Clone(e.folded), func(n string) bool { return a.s.res[n].typ != typ })
}

// describe writes each element's name and detail lines.
func (a *arch) describe(users map[string][]string) {
	s := a.s
	for _, e := range a.elems {
		if len(e.own) == 0 {
			continue
		}
		r := s.res[e.own[0]]
		groups := a.foldedOf(e, typeSG)
		switch e.kind {
		case "vpc":
			if cidr := value(cfnyaml.Get(r.props, "CidrBlock")); cidr != "" {
				e.name += " · " + cidr
			}
			for _, fl := range a.foldedOf(e, "AWS::EC2::FlowLog") {
				e.details = append(e.details, a.flowLog(fl))
			}
		case "subnet":
			e.details = append(e.details, a.routes(e)...)
		case "nat":
			if len(a.foldedOf(e, "AWS::EC2::EIP")) > 0 {
				e.details = append(e.details, "Elastic IP")
			}
		case "lb":
			scheme := value(cfnyaml.Get(r.props, "Scheme"))
			if scheme == "" {
				scheme = "internet-facing"
			}
			e.name += " · " + scheme
			for _, l := range a.foldedOf(e, typeListener) {
				e.chips = append(e.chips, chip{text: listener(s.res[l]), id: l})
			}
			slices.SortStableFunc(e.chips, func(x, y chip) int { return strings.Compare(y.text, x.text) })
			e.details = append(e.details, a.allows(groups)...)
			for _, c := range a.foldedOf(e, "AWS::CertificateManager::Certificate") {
				cert := s.res[c].props
				line := "certificate of " + a.show(cfnyaml.Get(cert, "DomainName"))
				if m := value(cfnyaml.Get(cert, "ValidationMethod")); m != "" {
					line += " (" + m + " validation)"
				}
				e.details = append(e.details, line)
			}
			if b := lbAttr(r, "access_logs.s3.bucket"); b != nil {
				e.details = append(e.details, "access logs → "+a.show(b))
			}
		case "tg":
			e.details = append(e.details, a.targetGroup(r))
		case "instance":
			if len(e.own) == 1 && cfnyaml.Get(r.props, "LaunchTemplate") == nil {
				e.details = append(e.details, a.show(cfnyaml.Get(r.props, "InstanceType")))
			}
			e.details = append(e.details, a.allows(groups)...)
		case "fleet":
			e.details = append(e.details, a.launchTemplate(e, r)...)
		case "asg":
			e.details = append(e.details, a.autoScaling(e, r)...)
			for _, lt := range a.foldedOf(e, typeLT) {
				e.details = append(e.details, "launch template "+lt)
				e.details = append(e.details, a.launchTemplate(e, s.res[lt])...)
			}
		case "endpoint":
			if n := len(s.refsIn(r.props, "RouteTableIds")); n > 0 {
				e.details = append(e.details, fmt.Sprintf("on %d route tables", n))
			}
			e.details = append(e.details, a.allows(groups)...)
		case "node":
			e.details = append(e.details, a.allows(groups)...)
		case "dns":
			for _, ref := range r.refs {
				if x := a.by[ref]; x != nil {
					e.details = append(e.details, "→ "+x.title)
				}
			}
		}
	}
}

// routes says where a subnet's traffic leaves: through which gateway.
func (a *arch) routes(subnet *element) []string {
	var lines []string
	for _, name := range subnet.folded {
		r := a.s.res[name]
		if r.typ != "AWS::EC2::Route" {
			continue
		}
		dest := value(cfnyaml.Get(r.props, "DestinationCidrBlock"))
		for _, ref := range r.refs {
			x := a.s.res[ref]
			var via string
			switch x.typ {
			case "AWS::EC2::InternetGateway":
				via = "internet gateway"
			case "AWS::EC2::RouteTable":
				continue
			default:
				via = ref
			}
			if dest == "0.0.0.0/0" {
				lines = append(lines, "out via "+via)
			} else {
				lines = append(lines, dest+" via "+via)
			}
		}
	}
	for _, e := range a.elems {
		if e.kind == "endpoint" && a.s.res[e.key].typ == "AWS::EC2::VPCEndpoint" {
			for _, rt := range a.s.refsIn(a.s.res[e.key].props, "RouteTableIds") {
				if slices.Contains(subnet.folded, rt) {
					lines = append(lines, serviceName(cfnyaml.Get(a.s.res[e.key].props, "ServiceName"))+" via endpoint")
				}
			}
		}
	}
	switch {
	case a.s.res[subnet.key].given != "":
		lines = append(lines, "routes: the network's own")
	case subnet.title != "Subnet" && !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "out via") }):
		lines = append(lines, "no way out")
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

func (a *arch) flowLog(name string) string {
	r := a.s.res[name]
	line := "flow logs"
	if dest := value(cfnyaml.Get(r.props, "LogDestinationType")); dest == "s3" {
		line += " → S3"
	} else {
		line += " → CloudWatch Logs"
	}
	for _, g := range a.s.refsIn(r.props, "LogGroupName") {
		if days := value(cfnyaml.Get(a.s.res[g].props, "RetentionInDays")); days != "" {
			line += ", kept " + days + " days"
		}
	}
	return line
}

func listener(r *resource) string {
	text := value(cfnyaml.Get(r.props, "Protocol")) + " " + value(cfnyaml.Get(r.props, "Port"))
	if actions := cfnyaml.Get(r.props, "DefaultActions"); actions != nil && len(actions.Content) > 0 {
		act := actions.Content[0]
		switch t := value(cfnyaml.Get(act, "Type")); t {
		case "redirect":
			port := value(cfnyaml.Get(cfnyaml.Get(act, "RedirectConfig"), "Port"))
			return text + " → redirect to " + port
		case "forward":
			return text + " → forward"
		default:
			return text + " → " + t
		}
	}
	return text
}

// lbAttr returns the value of a load balancer attribute.
func lbAttr(r *resource, key string) *yaml.Node {
	if list := cfnyaml.Get(r.props, "LoadBalancerAttributes"); list != nil {
		for _, kv := range list.Content {
			if value(cfnyaml.Get(kv, "Key")) == key {
				return cfnyaml.Get(kv, "Value")
			}
		}
	}
	return nil
}

func (a *arch) targetGroup(r *resource) string {
	parts := []string{strings.TrimSpace(value(cfnyaml.Get(r.props, "Protocol")) + " " + value(cfnyaml.Get(r.props, "Port")))}
	if path := value(cfnyaml.Get(r.props, "HealthCheckPath")); path != "" {
		check := "health check " + path
		if every := value(cfnyaml.Get(r.props, "HealthCheckIntervalSeconds")); every != "" {
			check += " every " + every + " s"
		}
		parts = append(parts, check)
	}
	return strings.Join(parts, " · ")
}

// launchTemplate describes what the instances of a launch template run
// with: type, image, metadata, disk, role and security groups.
func (a *arch) launchTemplate(e *element, r *resource) []string {
	data := cfnyaml.Get(r.props, "LaunchTemplateData")
	var lines []string
	var first []string
	if t := a.show(cfnyaml.Get(data, "InstanceType")); t != "" {
		first = append(first, t)
	}
	if img := a.show(cfnyaml.Get(data, "ImageId")); img != "" {
		first = append(first, image(img))
	}
	if len(first) > 0 {
		lines = append(lines, strings.Join(first, " · "))
	}
	var second []string
	if value(cfnyaml.Get(cfnyaml.Get(data, "MetadataOptions"), "HttpTokens")) == "required" {
		second = append(second, "IMDSv2")
	}
	if bdm := cfnyaml.Get(data, "BlockDeviceMappings"); bdm != nil && len(bdm.Content) > 0 {
		ebs := cfnyaml.Get(bdm.Content[0], "Ebs")
		disk := strings.TrimSpace(value(cfnyaml.Get(ebs, "VolumeSize")) + " GiB " + value(cfnyaml.Get(ebs, "VolumeType")))
		if value(cfnyaml.Get(ebs, "Encrypted")) == "true" {
			disk += " encrypted"
		}
		second = append(second, "root "+disk)
	}
	if len(second) > 0 {
		lines = append(lines, strings.Join(second, " · "))
	}
	for _, role := range a.foldedOf(e, "AWS::IAM::Role") {
		line := "role " + role
		if arns := cfnyaml.Get(a.s.res[role].props, "ManagedPolicyArns"); arns != nil {
			var names []string
			for _, arn := range arns.Content {
				text := value(arn)
				if sub := cfnyaml.Get(arn, "Fn::Sub"); sub != nil {
					text = value(sub)
				}
				names = append(names, text[strings.LastIndex(text, "/")+1:])
			}
			line += ": " + strings.Join(names, ", ")
		}
		lines = append(lines, line)
	}
	return append(lines, a.allows(a.foldedOf(e, typeSG))...)
}

func (a *arch) autoScaling(e *element, r *resource) []string {
	size := a.show(cfnyaml.Get(r.props, "MinSize")) + " to " + a.show(cfnyaml.Get(r.props, "MaxSize")) + " instances"
	if d := a.show(cfnyaml.Get(r.props, "DesiredCapacity")); d != "" {
		size += ", " + d + " desired"
	}
	lines := []string{size}
	for _, p := range a.foldedOf(e, "AWS::AutoScaling::ScalingPolicy") {
		tt := cfnyaml.Get(a.s.res[p].props, "TargetTrackingConfiguration")
		target := value(cfnyaml.Get(tt, "TargetValue"))
		switch value(cfnyaml.Get(cfnyaml.Get(tt, "PredefinedMetricSpecification"), "PredefinedMetricType")) {
		case "ASGAverageCPUUtilization":
			lines = append(lines, "scales to "+target+"% average CPU")
		case "ALBRequestCountPerTarget":
			lines = append(lines, "scales to "+target+" requests per instance")
		case "":
			lines = append(lines, "scaling policy "+p)
		default:
			lines = append(lines, "scales on "+value(cfnyaml.Get(cfnyaml.Get(tt, "PredefinedMetricSpecification"), "PredefinedMetricType")))
		}
	}
	if value(cfnyaml.Get(r.props, "HealthCheckType")) == "ELB" {
		check := "load-balancer health checks"
		if g := value(cfnyaml.Get(r.props, "HealthCheckGracePeriod")); g != "" {
			check += ", " + g + " s grace"
		}
		lines = append(lines, check)
	}
	return lines
}

// image names an AMI parameter's value: Amazon Linux 2023 for its public
// SSM parameters, else the value itself.
func image(v string) string {
	if strings.Contains(v, "al2023-ami") {
		name := "Amazon Linux 2023"
		if strings.Contains(v, "arm64") {
			name += " arm64"
		}
		return name
	}
	return v
}

// show returns a property's value as a person reads it: a scalar as it
// is, a parameter's default, a resource's logical ID, the branch of an
// Fn::If that has a value by default.
func (a *arch) show(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value
	}
	if ref := value(cfnyaml.Get(n, "Ref")); ref != "" {
		if p := a.s.params[ref]; p != nil {
			if d := value(cfnyaml.Get(p, "Default")); d != "" {
				return d
			}
			return "parameter " + ref
		}
		return ref
	}
	if arg := cfnyaml.Get(n, "Fn::If"); arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) == 3 {
		// The branch that has a value by default, such as the latest
		// image beside an empty pin.
		x, y := a.show(arg.Content[1]), a.show(arg.Content[2])
		switch {
		case strings.HasPrefix(x, "parameter "):
			return y
		case strings.HasPrefix(y, "parameter ") || x == y:
			return x
		}
		return x + " or " + y
	}
	for ref := range referenced(n) {
		if a.s.res[ref] != nil {
			return ref
		}
	}
	return "…"
}
