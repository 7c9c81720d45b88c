package graph

import (
	"fmt"
	"slices"
	"strings"
)

// Change is one resource change of a change set, as CloudFormation
// describes it; deploy.Change carries the same fields.
type Change struct {
	Action      string // Add, Modify, Remove, Import or Dynamic
	LogicalID   string // logical ID in the template
	Type        string // resource type, such as AWS::EC2::VPC
	Replacement string // for Modify: True, Conditional, False, or ""
}

// Plan is a change set to draw on the picture.
type Plan struct {
	Changes []Change
	// Previous is the template the stack has now, if known: resources
	// that the change removes are then drawn where they are, not in a
	// list apart.
	Previous []byte
}

// act is what a change does to one resource, as the picture marks it.
type act int

const (
	same act = iota
	added
	modified
	mayReplace // Replacement: Conditional
	replaced
	removed
	imported
)

// acts lists the marks in the legend's order.
var acts = []act{added, modified, replaced, removed, imported}

func (k act) class() string {
	return [...]string{"same", "add", "modify", "replace", "replace", "remove", "import"}[k]
}

// mark is the text that says the action, so that the picture reads
// without colour too.
func (k act) mark() string {
	return [...]string{"", "+ add", "~ modify", "-/+ may replace", "-/+ replace", "- remove", "<- import"}[k]
}

func (k act) past() string {
	return [...]string{"unchanged", "added", "modified", "may be replaced", "replaced", "removed", "imported"}[k]
}

func (k act) symbol() string {
	return [...]string{"", "+", "~", "-/+", "-/+", "-", "<-"}[k]
}

func actOf(c Change) act {
	switch c.Action {
	case "Add":
		return added
	case "Remove":
		return removed
	case "Import":
		return imported
	case "Modify", "Dynamic":
		switch c.Replacement {
		case "True":
			return replaced
		case "Conditional":
			return mayReplace
		}
		return modified
	}
	return modified
}

// marks is the plan read for drawing: the action on each logical ID.
type marks struct {
	on    bool
	of    map[string]act
	types map[string]string // logical ID -> type, for removed resources
	count map[act]int
}

func newMarks(p *Plan) *marks {
	m := &marks{of: map[string]act{}, types: map[string]string{}, count: map[act]int{}}
	if p == nil {
		return m
	}
	m.on = true
	for _, c := range p.Changes {
		k := actOf(c)
		m.of[c.LogicalID] = k
		m.types[c.LogicalID] = c.Type
		if k == mayReplace {
			k = replaced
		}
		m.count[k]++
	}
	return m
}

// own returns the mark of an element itself: the action on the resource
// it draws, or the gravest on the resources of a group.
func (m *marks) own(e *element) act {
	if e.kind == "removed" {
		return removed
	}
	k := same
	for _, id := range e.own {
		k = max(k, m.of[id])
	}
	if k == imported {
		return imported
	}
	return k
}

// lines says what changes inside an element: in a group of instances, and
// in the plumbing folded into it, such as "~ 2 routes modified".
func (m *marks) lines(e *element, typeOf func(string) string) []planLine {
	if !m.on || e.kind == "removed" {
		return nil
	}
	type key struct {
		k    act
		noun string
	}
	counts := map[key]int{}
	var order []key
	note := func(id string, noun string) {
		k := m.of[id]
		if k == same {
			return
		}
		x := key{k, noun}
		if counts[x] == 0 {
			order = append(order, x)
		}
		counts[x]++
	}
	if len(e.own) > 1 {
		for _, id := range e.own {
			note(id, "instance")
		}
	}
	for _, id := range e.folded {
		note(id, noun(typeOf(id)))
	}
	slices.SortStableFunc(order, func(x, y key) int { return int(y.k) - int(x.k) })
	var out []planLine
	for _, x := range order {
		n := counts[x]
		word := x.noun
		if n > 1 {
			word = plural(word)
		}
		out = append(out, planLine{k: x.k, text: fmt.Sprintf("%s %d %s %s", x.k.symbol(), n, word, x.k.past())})
	}
	return out
}

// planLine is a line that says what changes inside an element.
type planLine struct {
	k    act
	text string
}

// nouns name the plumbing types in the lines of a plan.
var nouns = map[string]string{
	"AWS::EC2::Route":                           "route",
	"AWS::EC2::RouteTable":                      "route table",
	"AWS::EC2::SubnetRouteTableAssociation":     "route table association",
	"AWS::EC2::VPCGatewayAttachment":            "gateway attachment",
	"AWS::EC2::EIP":                             "Elastic IP",
	"AWS::EC2::EIPAssociation":                  "Elastic IP association",
	typeSG:                                      "security group",
	"AWS::EC2::SecurityGroupIngress":            "ingress rule",
	"AWS::EC2::SecurityGroupEgress":             "egress rule",
	typeLT:                                      "launch template",
	"AWS::IAM::InstanceProfile":                 "instance profile",
	"AWS::IAM::Role":                            "IAM role",
	"AWS::IAM::Policy":                          "IAM policy",
	"AWS::IAM::ManagedPolicy":                   "managed policy",
	typeListener:                                "listener",
	"AWS::ElasticLoadBalancingV2::ListenerRule": "listener rule",
	"AWS::ElasticLoadBalancingV2::ListenerCertificate": "listener certificate",
	"AWS::AutoScaling::ScalingPolicy":                  "scaling policy",
	"AWS::AutoScaling::ScheduledAction":                "scheduled action",
	"AWS::AutoScaling::LifecycleHook":                  "lifecycle hook",
	"AWS::EC2::FlowLog":                                "flow log",
	"AWS::Logs::LogGroup":                              "log group",
	"AWS::S3::BucketPolicy":                            "bucket policy",
	"AWS::CertificateManager::Certificate":             "certificate",
	typeInstance:                                       "instance",
}

func noun(typ string) string {
	if n, ok := nouns[typ]; ok {
		return n
	}
	return strings.TrimPrefix(typ, "AWS::")
}

func plural(s string) string {
	switch {
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ey"):
		return s[:len(s)-1] + "ies"
	case strings.Contains(s, "::"):
		return s
	}
	return s + "s"
}
