package deploy

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"path"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// SecurityChanges are the access an update grants and takes away, read
// from the deployed template and the new one, as the CDK shows them before
// it deploys: IAM statements and managed policies, and security-group
// rules, each added or removed.
type SecurityChanges struct {
	IAM   []IAMChange
	Rules []RuleChange
}

// IAMChange is an IAM policy statement, or a managed policy, that the
// update adds or removes.
type IAMChange struct {
	Added    bool   // else removed
	Resource string // logical ID of the role, policy, bucket policy, ...
	// Kind is "trust" (who may assume a role), "statement" (a policy
	// statement) or "managed-policy".
	Kind      string
	Effect    string // Allow or Deny
	Actions   []string
	Principal string   // for trust and resource policies; for identity policies, who it is attached to
	Resources []string // for statements
	Condition string   // as compact JSON, when there is one
	Policy    string   // the managed policy's ARN, for Kind managed-policy
	// Broadens: the change grants access that the deployed template did
	// not: an added Allow not covered by an Allow that was there, a new
	// managed policy, or a removed Deny.
	Broadens bool
}

// RuleChange is a security-group rule that the update adds or removes.
type RuleChange struct {
	Added       bool   // else removed
	Group       string // logical ID of the security group, or its reference
	Direction   string // ingress or egress
	Protocol    string // tcp, udp, icmp, all, or a protocol number
	Ports       string // such as 80, 1024-65535, or all
	Peer        string // a CIDR, "security group X", or "prefix list pl-..."
	Description string
	// Broadens: an added rule that no rule of the deployed template
	// covers (same group and direction, a protocol, ports and peer that
	// hold it).
	Broadens bool
}

// Broadening reports whether any change grants access.
func (s *SecurityChanges) Broadening() bool {
	if s == nil {
		return false
	}
	for _, c := range s.IAM {
		if c.Broadens {
			return true
		}
	}
	for _, r := range s.Rules {
		if r.Broadens {
			return true
		}
	}
	return false
}

// Empty reports whether nothing changes.
func (s *SecurityChanges) Empty() bool { return s == nil || len(s.IAM) == 0 && len(s.Rules) == 0 }

// securityChanges compares the access in two templates, as long-form
// trees. For a new stack
// (old nil) every grant is added, and none counts as broadening: there is
// no access to widen. The parameters' values resolve a Ref to a parameter
// on each side.
func securityChanges(old, new *yaml.Node, oldParams, newParams map[string]string) *SecurityChanges {
	var before access
	if old != nil {
		before = readAccess(old, withDefaults(old, oldParams))
	}
	after := readAccess(new, withDefaults(new, newParams))
	sc := &SecurityChanges{}
	for _, s := range after.statements {
		if !slices.ContainsFunc(before.statements, s.same) {
			c := s.IAMChange
			c.Added = true
			c.Broadens = old != nil && (s.Effect == "Allow" && !before.covers(s) || s.Kind == "managed-policy")
			sc.IAM = append(sc.IAM, c)
		}
	}
	for _, s := range before.statements {
		if !slices.ContainsFunc(after.statements, s.same) {
			c := s.IAMChange
			c.Broadens = s.Effect == "Deny"
			sc.IAM = append(sc.IAM, c)
		}
	}
	for _, r := range after.rules {
		if !slices.ContainsFunc(before.rules, r.same) {
			c := r.RuleChange
			c.Added = true
			c.Broadens = old != nil && !slices.ContainsFunc(before.rules, func(o rule) bool { return o.covers(r) })
			sc.Rules = append(sc.Rules, c)
		}
	}
	for _, r := range before.rules {
		if !slices.ContainsFunc(after.rules, r.same) {
			sc.Rules = append(sc.Rules, r.RuleChange)
		}
	}
	return sc
}

// withDefaults returns the values, with the template's defaults for the
// parameters that have none: CloudFormation's values for them.
func withDefaults(root *yaml.Node, values map[string]string) map[string]string {
	out := map[string]string{}
	_, defaults, _ := templateParams(root)
	for k, v := range defaults {
		if v != nil {
			out[k] = *v
		}
	}
	for k, v := range values {
		out[k] = v
	}
	return out
}

// access is what one template grants.
type access struct {
	statements []statement
	rules      []rule
}

type statement struct {
	IAMChange
	notAction, notResource bool
}

// same reports whether two statements are the same grant.
func (s statement) same(o statement) bool { return s.key() == o.key() }

func (s statement) key() string {
	return strings.Join([]string{s.Resource, s.Kind, s.Effect, strings.Join(s.Actions, ","), s.Principal,
		strings.Join(s.Resources, ","), s.Condition, s.Policy, strconv.FormatBool(s.notAction), strconv.FormatBool(s.notResource)}, "\x00")
}

// covers reports whether the template's Allow statements of the same
// resource and kind already grant every action on every resource to the
// principal that s grants.
func (a access) covers(s statement) bool {
	if s.notAction || s.notResource || s.Kind == "managed-policy" {
		return false
	}
	resources := s.Resources
	if len(resources) == 0 {
		resources = []string{""}
	}
	for _, act := range s.Actions {
		for _, res := range resources {
			if !slices.ContainsFunc(a.statements, func(o statement) bool {
				return o.Effect == "Allow" && !o.notAction && !o.notResource && o.Resource == s.Resource && o.Kind == s.Kind &&
					(o.Principal == s.Principal || o.Principal == "*") && (o.Condition == "" || o.Condition == s.Condition) &&
					slices.ContainsFunc(o.Actions, func(p string) bool { return match(p, act) }) &&
					(len(o.Resources) == 0 && res == "" || slices.ContainsFunc(o.Resources, func(p string) bool { return match(p, res) }))
			}) {
				return false
			}
		}
	}
	return true
}

// match reports whether IAM pattern p (with * and ?) matches s, case
// aside as IAM compares actions.
func match(p, s string) bool {
	if p == s || p == "*" {
		return true
	}
	ok, err := path.Match(strings.ToLower(strings.ReplaceAll(p, "/", "\x00")), strings.ToLower(strings.ReplaceAll(s, "/", "\x00")))
	return err == nil && ok
}

type rule struct {
	RuleChange
	from, to int // port range; -1 for all
}

func (r rule) same(o rule) bool {
	return r.Group == o.Group && r.Direction == o.Direction && r.Protocol == o.Protocol && r.Ports == o.Ports && r.Peer == o.Peer
}

// covers reports whether r allows all that n allows.
func (r rule) covers(n rule) bool {
	if r.Group != n.Group || r.Direction != n.Direction {
		return false
	}
	if r.Protocol != "all" && r.Protocol != n.Protocol {
		return false
	}
	if r.Protocol != "all" && r.from != -1 && (n.from == -1 || n.from < r.from || n.to > r.to) {
		return false
	}
	if r.Peer == n.Peer {
		return true
	}
	rp, err1 := netip.ParsePrefix(r.Peer)
	np, err2 := netip.ParsePrefix(n.Peer)
	return err1 == nil && err2 == nil && rp.Addr().Is4() == np.Addr().Is4() && rp.Bits() <= np.Bits() && rp.Contains(np.Addr())
}

// iamPolicies are the resource types whose PolicyDocument is read, and the
// properties that name who it is attached to.
var iamPolicies = map[string][]string{
	"AWS::IAM::Policy":        {"Roles", "Users", "Groups"},
	"AWS::IAM::ManagedPolicy": {"Roles", "Users", "Groups"},
	"AWS::IAM::RolePolicy":    {"RoleName"},
	"AWS::IAM::UserPolicy":    {"UserName"},
	"AWS::IAM::GroupPolicy":   {"GroupName"},
}

// attachedTo names what a property of iamPolicies attaches a policy to.
var attachedTo = map[string]string{"Roles": "role", "Users": "user", "Groups": "group", "RoleName": "role", "UserName": "user", "GroupName": "group"}

// resourcePolicies are the resource types with a resource-based policy.
var resourcePolicies = map[string]bool{
	"AWS::S3::BucketPolicy": true,
	"AWS::SQS::QueuePolicy": true,
	"AWS::SNS::TopicPolicy": true,
}

func readAccess(root *yaml.Node, params map[string]string) access {
	var a access
	res := cfnyaml.Get(root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return a
	}
	r := renderer{params: params}
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, node := res.Content[i].Value, res.Content[i+1]
		typ := cfnyaml.Get(node, "Type")
		props := cfnyaml.Get(node, "Properties")
		if typ == nil {
			continue
		}
		switch t := typ.Value; {
		case t == "AWS::IAM::Role" || t == "AWS::IAM::User" || t == "AWS::IAM::Group":
			kind := map[string]string{"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group"}[t]
			if t == "AWS::IAM::Role" {
				a.statements = append(a.statements, r.statements(id, "trust", "", cfnyaml.Get(props, "AssumeRolePolicyDocument"))...)
			}
			if pols := cfnyaml.Get(props, "Policies"); pols != nil {
				for _, p := range pols.Content {
					a.statements = append(a.statements, r.statements(id, "statement", kind+" "+id, cfnyaml.Get(p, "PolicyDocument"))...)
				}
			}
			if arns := cfnyaml.Get(props, "ManagedPolicyArns"); arns != nil {
				for _, arn := range list(arns) {
					a.statements = append(a.statements, statement{IAMChange: IAMChange{Resource: id, Kind: "managed-policy", Effect: "Allow",
						Principal: kind + " " + id, Policy: r.value(arn)}})
				}
			}
		case iamPolicies[t] != nil:
			var to []string
			for _, p := range iamPolicies[t] {
				for _, v := range list(cfnyaml.Get(props, p)) {
					to = append(to, attachedTo[p]+" "+r.ref(v))
				}
			}
			slices.Sort(to)
			a.statements = append(a.statements, r.statements(id, "statement", strings.Join(to, ", "), cfnyaml.Get(props, "PolicyDocument"))...)
		case resourcePolicies[t]:
			a.statements = append(a.statements, r.statements(id, "statement", "", cfnyaml.Get(props, "PolicyDocument"))...)
		case t == "AWS::EC2::SecurityGroup":
			in, out := cfnyaml.Get(props, "SecurityGroupIngress"), cfnyaml.Get(props, "SecurityGroupEgress")
			for _, n := range list(in) {
				a.rules = append(a.rules, r.rule(id, "ingress", n))
			}
			if out == nil {
				// Without egress rules, a group allows all traffic out.
				a.rules = append(a.rules, rule{RuleChange: RuleChange{Group: id, Direction: "egress", Protocol: "all", Ports: "all",
					Peer: "0.0.0.0/0", Description: "the default of a group without egress rules"}, from: -1, to: -1})
			}
			for _, n := range list(out) {
				a.rules = append(a.rules, r.rule(id, "egress", n))
			}
		case t == "AWS::EC2::SecurityGroupIngress" || t == "AWS::EC2::SecurityGroupEgress":
			dir := "ingress"
			if strings.HasSuffix(t, "Egress") {
				dir = "egress"
			}
			group := r.ref(cfnyaml.Get(props, "GroupId"))
			if group == "" {
				group = r.value(cfnyaml.Get(props, "GroupName"))
			}
			a.rules = append(a.rules, r.rule(group, dir, props))
		}
	}
	return a
}

// list returns the items of a sequence, or the node itself.
func list(n *yaml.Node) []*yaml.Node {
	switch {
	case n == nil:
		return nil
	case n.Kind == yaml.SequenceNode:
		return n.Content
	}
	return []*yaml.Node{n}
}

// renderer writes template values as short text, with Refs to parameters
// of known value resolved.
type renderer struct{ params map[string]string }

func (r renderer) statements(id, kind, principal string, doc *yaml.Node) []statement {
	var out []statement
	for _, s := range list(cfnyaml.Get(doc, "Statement")) {
		st := statement{IAMChange: IAMChange{Resource: id, Kind: kind, Effect: r.value(cfnyaml.Get(s, "Effect")), Principal: principal}}
		acts := cfnyaml.Get(s, "Action")
		if acts == nil {
			acts, st.notAction = cfnyaml.Get(s, "NotAction"), true
		}
		st.Actions = r.values(acts)
		res := cfnyaml.Get(s, "Resource")
		if res == nil && cfnyaml.Get(s, "NotResource") != nil {
			res, st.notResource = cfnyaml.Get(s, "NotResource"), true
		}
		st.Resources = r.values(res)
		if p := cfnyaml.Get(s, "Principal"); p != nil {
			st.Principal = r.principal(p)
		} else if p := cfnyaml.Get(s, "NotPrincipal"); p != nil {
			st.Principal = "not " + r.principal(p)
		}
		if c := cfnyaml.Get(s, "Condition"); c != nil {
			st.Condition = r.value(c)
		}
		if st.notAction {
			st.Actions = prefix("not ", st.Actions)
		}
		if st.notResource {
			st.Resources = prefix("not ", st.Resources)
		}
		out = append(out, st)
	}
	return out
}

func prefix(p string, ss []string) []string {
	for i := range ss {
		ss[i] = p + ss[i]
	}
	return ss
}

// principal writes a Principal as "*", or "Service: ec2.amazonaws.com" and
// the like, sorted.
func (r renderer) principal(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode || cfnyaml.Get(n, "Ref") != nil || len(n.Content) == 2 && strings.HasPrefix(n.Content[0].Value, "Fn::") {
		return r.value(n)
	}
	var parts []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		for _, v := range r.values(n.Content[i+1]) {
			parts = append(parts, n.Content[i].Value+": "+v)
		}
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func (r renderer) values(n *yaml.Node) []string {
	var out []string
	for _, v := range list(n) {
		out = append(out, r.value(v))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ref names what a Ref or Fn::GetAtt points at, such as "InstanceRole";
// other values as value does.
func (r renderer) ref(n *yaml.Node) string {
	if v := cfnyaml.Get(n, "Ref"); v != nil && v.Kind == yaml.ScalarNode {
		if p, ok := r.params[v.Value]; ok {
			return p
		}
		return v.Value
	}
	if v := cfnyaml.Get(n, "Fn::GetAtt"); v != nil && v.Kind == yaml.SequenceNode && len(v.Content) == 2 {
		return v.Content[0].Value
	}
	return r.value(n)
}

// value writes n as text: a scalar as it is, a Ref as !Ref X (or the
// parameter's value when known), a GetAtt as !GetAtt X.Y, anything else as
// compact JSON.
func (r renderer) value(n *yaml.Node) string {
	switch {
	case n == nil:
		return ""
	case n.Kind == yaml.ScalarNode:
		return n.Value
	}
	if v := cfnyaml.Get(n, "Ref"); v != nil && len(n.Content) == 2 && v.Kind == yaml.ScalarNode {
		if p, ok := r.params[v.Value]; ok {
			return p
		}
		return "!Ref " + v.Value
	}
	if v := cfnyaml.Get(n, "Fn::GetAtt"); v != nil && len(n.Content) == 2 && v.Kind == yaml.SequenceNode && len(v.Content) == 2 {
		return "!GetAtt " + v.Content[0].Value + "." + v.Content[1].Value
	}
	var x any
	if err := n.Decode(&x); err != nil {
		return "?"
	}
	b, err := json.Marshal(x)
	if err != nil {
		return "?"
	}
	return string(b)
}

// rule reads one security-group rule.
func (r renderer) rule(group, dir string, n *yaml.Node) rule {
	ru := rule{RuleChange: RuleChange{Group: group, Direction: dir, Description: r.value(cfnyaml.Get(n, "Description"))}, from: -1, to: -1}
	proto := strings.ToLower(r.value(cfnyaml.Get(n, "IpProtocol")))
	switch proto {
	case "-1", "all", "":
		proto = "all"
	case "6":
		proto = "tcp"
	case "17":
		proto = "udp"
	case "1":
		proto = "icmp"
	}
	ru.Protocol = proto
	from, ferr := strconv.Atoi(r.value(cfnyaml.Get(n, "FromPort")))
	to, terr := strconv.Atoi(r.value(cfnyaml.Get(n, "ToPort")))
	switch {
	case proto == "all":
		ru.Ports = "all"
	case ferr != nil || terr != nil:
		ru.Ports = r.value(cfnyaml.Get(n, "FromPort")) + "-" + r.value(cfnyaml.Get(n, "ToPort"))
		ru.from, ru.to = -2, -2 // not known: covered only by all
	case proto == "icmp" || proto == "58":
		ru.Ports = fmt.Sprintf("type %d code %d", from, to)
		if from == -1 {
			ru.Ports = "all"
		}
		ru.from, ru.to = from, to
	case from == -1 || from == 0 && to == 65535:
		ru.Ports = "all"
	case from == to:
		ru.Ports = strconv.Itoa(from)
		ru.from, ru.to = from, to
	default:
		ru.Ports = fmt.Sprintf("%d-%d", from, to)
		ru.from, ru.to = from, to
	}
	for _, k := range []string{"CidrIp", "CidrIpv6"} {
		if v := cfnyaml.Get(n, k); v != nil {
			ru.Peer = r.value(v)
		}
	}
	for _, k := range []string{"SourceSecurityGroupId", "DestinationSecurityGroupId", "SourceSecurityGroupName"} {
		if v := cfnyaml.Get(n, k); v != nil {
			ru.Peer = "security group " + r.ref(v)
		}
	}
	for _, k := range []string{"SourcePrefixListId", "DestinationPrefixListId"} {
		if v := cfnyaml.Get(n, k); v != nil {
			ru.Peer = "prefix list " + r.ref(v)
		}
	}
	return ru
}
