package predict

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// state is how a value compares across the update.
type state int

const (
	same      state = iota
	mayDiffer       // it depends on values known only at deploy time
	differs
)

// verdict is a state and, for a change that comes from elsewhere (a
// parameter, a replaced resource), why.
type verdict struct {
	s   state
	why string
}

var sameV = verdict{}

// worse returns the more changed of a and b, a on a tie.
func worse(a, b verdict) verdict {
	if b.s > a.s {
		return b
	}
	return a
}

// intrinsicName returns the function of a one-key mapping such as
// {"Ref": "VPC"} and its argument, or "" for any other node.
func intrinsicName(n *yaml.Node) (string, *yaml.Node) {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", nil
	}
	k := n.Content[0].Value
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.Content[1]
	}
	return "", nil
}

// noValue turns a Ref to AWS::NoValue, which removes a property, into nil.
func noValue(n *yaml.Node) *yaml.Node {
	if f, arg := intrinsicName(n); f == "Ref" && arg.Kind == yaml.ScalarNode && arg.Value == "AWS::NoValue" {
		return nil
	}
	return n
}

// compare compares a value of the old template with one of the new.
func (p *predictor) compare(a, b *yaml.Node) verdict {
	a, b = noValue(p.old.choose(a)), noValue(p.new.choose(b))
	if a == nil || b == nil {
		if a == b {
			return sameV
		}
		return verdict{s: differs}
	}
	fa, aa := intrinsicName(a)
	fb, ab := intrinsicName(b)
	switch {
	case fa == "" && fb == "":
		return p.literal(a, b)
	case fa == "Ref" && fb == "Ref":
		return p.ref(aa, ab)
	case fa == "Ref" && fb == "" || fa == "" && fb == "Ref":
		return p.refLiteral(a, b)
	case fa != fb:
		return verdict{s: mayDiffer, why: "a different expression computes it"}
	}
	switch fa {
	case "Fn::GetAtt":
		return p.getAtt(aa, ab)
	case "Fn::Sub":
		return p.sub(aa, ab)
	case "Fn::FindInMap":
		return p.findInMap(aa, ab)
	case "Fn::If":
		v := p.compare(aa, ab)
		if v.s == same && aa.Kind == yaml.SequenceNode && len(aa.Content) > 0 {
			v = p.condition(aa.Content[0].Value)
		}
		return v
	case "Condition":
		return p.condition(aa.Value)
	}
	return p.compare(aa, ab)
}

// literal compares two values that are not intrinsic functions.
func (p *predictor) literal(a, b *yaml.Node) verdict {
	if a.Kind != b.Kind {
		return verdict{s: differs}
	}
	switch a.Kind {
	case yaml.ScalarNode:
		if scalar(a) == scalar(b) {
			return sameV
		}
		return verdict{s: differs}
	case yaml.SequenceNode:
		if len(a.Content) != len(b.Content) {
			return verdict{s: differs}
		}
		v := sameV
		for i := range a.Content {
			v = worse(v, p.compare(a.Content[i], b.Content[i]))
		}
		return v
	case yaml.MappingNode:
		v := sameV
		for _, k := range keys(a, b) {
			v = worse(v, p.compare(cfnyaml.Get(a, k), cfnyaml.Get(b, k)))
		}
		return v
	}
	return verdict{s: differs}
}

// scalar returns the text CloudFormation sees: 80 and "80" are the same,
// and so are true and True.
func scalar(n *yaml.Node) string {
	if n.Tag == "!!bool" {
		return strings.ToLower(n.Value)
	}
	return n.Value
}

// operand is what a name in a Ref or Fn::Sub stands for in one template.
type operand struct {
	kind  string // "resource", "parameter", "pseudo" or "" (unknown name)
	value string // a parameter's value, when known or defaulted
	given bool   // value is the stack's, not the default
	ssm   bool   // an SSM parameter type with no given value
}

func (s *side) operand(name string) operand {
	switch {
	case strings.HasPrefix(name, "AWS::"):
		return operand{kind: "pseudo"}
	case s.resources[name] != nil:
		return operand{kind: "resource"}
	}
	prm := s.parameters[name]
	if prm == nil {
		return operand{}
	}
	if v, ok := s.values[name]; ok {
		return operand{kind: "parameter", value: v, given: true}
	}
	o := operand{kind: "parameter"}
	if d := cfnyaml.Get(prm, "Default"); d != nil {
		o.value = scalar(d)
	}
	if t := cfnyaml.Get(prm, "Type"); t != nil && strings.HasPrefix(t.Value, "AWS::SSM::Parameter::Value<") {
		o.ssm = true
	}
	return o
}

// ref compares Ref a (old) with Ref b (new).
func (p *predictor) ref(a, b *yaml.Node) verdict {
	if a.Kind != yaml.ScalarNode || b.Kind != yaml.ScalarNode {
		return p.literal(a, b)
	}
	return p.name(a.Value, b.Value)
}

// name compares what name x stands for in the old template with what y
// stands for in the new.
func (p *predictor) name(x, y string) verdict {
	ox, ny := p.old.operand(x), p.new.operand(y)
	switch {
	case ox.kind != ny.kind || ox.kind == "":
		return verdict{s: differs}
	case ox.kind == "pseudo":
		if x == y {
			return sameV
		}
		return verdict{s: differs}
	case ox.kind == "resource":
		if x != y {
			return verdict{s: differs}
		}
		return p.refTo(x)
	}
	return params(x, y, ox, ny)
}

// refTo is how the Ref of resource id, in both templates, changes: its
// physical ID is new when it is replaced.
func (p *predictor) refTo(id string) verdict {
	c := p.resource(id)
	switch {
	case c == nil:
		return verdict{s: mayDiffer, why: "a circular reference to " + id}
	case c.Action == Replace:
		return verdict{s: differs, why: "Ref " + id + ", which is replaced"}
	case c.Action == Conditional:
		return verdict{s: mayDiffer, why: "Ref " + id + ", which may be replaced"}
	}
	return sameV
}

// params compares the values of parameters x (old) and y (new).
func params(x, y string, ox, ny operand) verdict {
	switch {
	case ox.ssm || ny.ssm:
		return verdict{s: mayDiffer, why: "parameter " + y + " is an SSM parameter, resolved again at every update"}
	case ox.value == ny.value:
		return sameV
	case ox.given && ny.given:
		return verdict{s: differs, why: fmt.Sprintf("parameter %s changes from %q to %q", y, ox.value, ny.value)}
	}
	return verdict{s: mayDiffer, why: fmt.Sprintf("the default of parameter %s changes from %q to %q", y, ox.value, ny.value)}
}

// refLiteral compares a Ref on one side with a value on the other: they
// are the same when the Ref names a parameter with that value.
func (p *predictor) refLiteral(a, b *yaml.Node) verdict {
	s, ref, lit := p.old, a, b
	if f, _ := intrinsicName(b); f == "Ref" {
		s, ref, lit = p.new, b, a
	}
	_, arg := intrinsicName(ref)
	if arg.Kind != yaml.ScalarNode || lit.Kind != yaml.ScalarNode {
		return verdict{s: mayDiffer, why: "a different expression computes it"}
	}
	o := s.operand(arg.Value)
	switch {
	case o.kind != "parameter":
		return verdict{s: differs}
	case o.ssm:
		return verdict{s: mayDiffer, why: "parameter " + arg.Value + " is an SSM parameter, resolved at deploy time"}
	case o.value == scalar(lit):
		return sameV
	case o.given:
		return verdict{s: differs}
	}
	return verdict{s: mayDiffer, why: "parameter " + arg.Value + " may or may not be " + scalar(lit)}
}

// attributeArgs returns the resource and attribute of Fn::GetAtt.
func attributeArgs(arg *yaml.Node) (res, attr string, ok bool) {
	switch {
	case arg.Kind == yaml.ScalarNode:
		return strings.Cut(arg.Value, ".")
	case arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 &&
		arg.Content[0].Kind == yaml.ScalarNode && arg.Content[1].Kind == yaml.ScalarNode:
		return arg.Content[0].Value, arg.Content[1].Value, true
	}
	return "", "", false
}

// getAtt compares Fn::GetAtt a (old) with Fn::GetAtt b (new).
func (p *predictor) getAtt(a, b *yaml.Node) verdict {
	ra, xa, okA := attributeArgs(a)
	rb, xb, okB := attributeArgs(b)
	if !okA || !okB {
		return p.compare(a, b)
	}
	if ra != rb || xa != xb || p.old.resources[ra] == nil || p.new.resources[rb] == nil {
		return verdict{s: differs}
	}
	return p.attribute(ra, xa)
}

// attribute is how attribute attr of resource id changes.
func (p *predictor) attribute(id, attr string) verdict {
	c := p.resource(id)
	switch {
	case c == nil:
		return verdict{s: mayDiffer, why: "a circular reference to " + id}
	case c.Action == Replace:
		return verdict{s: mayDiffer, why: id + "." + attr + ", whose resource is replaced"}
	case c.Action == Conditional:
		return verdict{s: mayDiffer, why: id + "." + attr + ", whose resource may be replaced"}
	case c.Action != Modify:
		return sameV
	}
	v := sameV
	for _, prop := range changesOnUpdate[c.Type][attr] {
		for _, d := range c.Details {
			if d.Name == prop && !d.Attribute {
				s := mayDiffer
				if d.Certain {
					s = differs
				}
				v = worse(v, verdict{s: s, why: id + "." + attr + ", which changes with " + id + "'s " + prop})
			}
		}
	}
	return v
}

// changesOnUpdate lists the attributes that an update in place changes,
// with the properties whose change does it. Other attributes of a resource
// updated in place keep their values.
var changesOnUpdate = map[string]map[string][]string{
	// A new launch-template version, which becomes the default.
	"AWS::EC2::LaunchTemplate": {
		"LatestVersionNumber":  {"LaunchTemplateData"},
		"DefaultVersionNumber": {"LaunchTemplateData"},
	},
}

// subVar matches a ${Name} or ${Name.Attribute} of Fn::Sub; ${!Text} is
// literal text.
var subVar = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// sub compares Fn::Sub a (old) with Fn::Sub b (new): the same text gives
// the same string when every variable keeps its value.
func (p *predictor) sub(a, b *yaml.Node) verdict {
	text := func(n *yaml.Node) (string, *yaml.Node) {
		switch {
		case n.Kind == yaml.ScalarNode:
			return n.Value, nil
		case n.Kind == yaml.SequenceNode && len(n.Content) == 2 && n.Content[0].Kind == yaml.ScalarNode:
			return n.Content[0].Value, n.Content[1]
		}
		return "", nil
	}
	ta, va := text(a)
	tb, vb := text(b)
	if ta == "" || tb == "" {
		return p.compare(a, b)
	}
	if ta != tb {
		return verdict{s: differs}
	}
	v := p.compare(va, vb)
	for _, m := range subVar.FindAllStringSubmatch(ta, -1) {
		name := strings.TrimSpace(m[1])
		if cfnyaml.Get(va, name) != nil || cfnyaml.Get(vb, name) != nil {
			continue // one of the variables compared above
		}
		if res, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
			if p.old.resources[res] == nil || p.new.resources[res] == nil {
				v = worse(v, verdict{s: differs})
				continue
			}
			v = worse(v, p.attribute(res, attr))
			continue
		}
		v = worse(v, p.name(name, name))
	}
	return v
}

// findInMap compares Fn::FindInMap a (old) with b (new): the same keys
// give the same value when the mapping's entry is the same.
func (p *predictor) findInMap(a, b *yaml.Node) verdict {
	v := p.compare(a, b)
	if v.s != same || a.Kind != yaml.SequenceNode || len(a.Content) < 3 {
		return v
	}
	if a.Content[0].Kind != yaml.ScalarNode {
		return verdict{s: mayDiffer, why: "a mapping chosen at deploy time"}
	}
	name := a.Content[0].Value
	om, nm := cfnyaml.Get(p.old.mappings, name), cfnyaml.Get(p.new.mappings, name)
	if a.Content[1].Kind == yaml.ScalarNode && a.Content[2].Kind == yaml.ScalarNode {
		k1, k2 := a.Content[1].Value, a.Content[2].Value
		return worse(v, p.literalOrNil(cfnyaml.Get(cfnyaml.Get(om, k1), k2), cfnyaml.Get(cfnyaml.Get(nm, k1), k2)))
	}
	if p.literalOrNil(om, nm).s != same {
		return verdict{s: mayDiffer, why: "mapping " + name + " changes"}
	}
	return v
}

func (p *predictor) literalOrNil(a, b *yaml.Node) verdict {
	if a == nil || b == nil {
		if a == b {
			return sameV
		}
		return verdict{s: differs}
	}
	return p.compare(a, b)
}

// condition compares the definition of a condition in both templates;
// conditions are not evaluated.
func (p *predictor) condition(name string) verdict {
	if p.literalOrNil(cfnyaml.Get(p.old.conditions, name), cfnyaml.Get(p.new.conditions, name)).s != same {
		return verdict{s: mayDiffer, why: "condition " + name + " changes"}
	}
	return sameV
}

// choose returns the branch that Fn::If n takes in template s when its
// condition can be evaluated, else n.
func (s *side) choose(n *yaml.Node) *yaml.Node {
	for {
		f, arg := intrinsicName(n)
		if f != "Fn::If" || arg.Kind != yaml.SequenceNode || len(arg.Content) != 3 || arg.Content[0].Kind != yaml.ScalarNode {
			return n
		}
		v, ok := s.evalCondition(arg.Content[0].Value, 0)
		if !ok {
			return n
		}
		if v {
			n = arg.Content[1]
		} else {
			n = arg.Content[2]
		}
	}
}

// maxConditionDepth bounds the conditions that name conditions, which
// CloudFormation refuses to nest in a circle.
const maxConditionDepth = 32

// evalCondition evaluates the condition name of template s; ok is false
// when it depends on a value not known before the update.
func (s *side) evalCondition(name string, depth int) (v, ok bool) {
	def := cfnyaml.Get(s.conditions, name)
	if def == nil || depth > maxConditionDepth {
		return false, false
	}
	return s.eval(def, depth+1)
}

// eval evaluates a condition function: Fn::Equals of literals and
// parameters with given values, Fn::Not, Fn::And, Fn::Or, Condition.
func (s *side) eval(n *yaml.Node, depth int) (v, ok bool) {
	f, arg := intrinsicName(n)
	if f == "Condition" {
		if arg.Kind != yaml.ScalarNode {
			return false, false
		}
		return s.evalCondition(arg.Value, depth)
	}
	if arg == nil || arg.Kind != yaml.SequenceNode {
		return false, false
	}
	switch {
	case f == "Fn::Equals" && len(arg.Content) == 2:
		x, okx := s.conditionValue(arg.Content[0])
		y, oky := s.conditionValue(arg.Content[1])
		return x == y, okx && oky
	case f == "Fn::Not" && len(arg.Content) == 1:
		v, ok := s.eval(arg.Content[0], depth+1)
		return !v, ok
	case f == "Fn::And" || f == "Fn::Or":
		// And is false, and Or true, as soon as one operand says so.
		decisive := f == "Fn::Or"
		known := true
		for _, c := range arg.Content {
			v, ok := s.eval(c, depth+1)
			if ok && v == decisive {
				return decisive, true
			}
			known = known && ok
		}
		return !decisive, known && len(arg.Content) > 0
	}
	return false, false
}

// conditionValue returns what an operand of Fn::Equals stands for when it
// is known: a literal, or a parameter with a given value.
func (s *side) conditionValue(n *yaml.Node) (string, bool) {
	if n.Kind == yaml.ScalarNode {
		return scalar(n), true
	}
	if f, arg := intrinsicName(n); f == "Ref" && arg.Kind == yaml.ScalarNode && s.parameters[arg.Value] != nil {
		v, ok := s.values[arg.Value]
		return v, ok
	}
	return "", false
}

// comparePath compares the values at path below a (old) and b (new).
// Where an intrinsic function stands in the way, the whole values are
// compared.
func (p *predictor) comparePath(a, b *yaml.Node, path []string) verdict {
	a, b = noValue(p.old.choose(a)), noValue(p.new.choose(b))
	if len(path) == 0 {
		return p.compare(a, b)
	}
	fa, _ := intrinsicName(a)
	fb, _ := intrinsicName(b)
	if fa != "" || fb != "" {
		return p.compare(a, b)
	}
	want := yaml.MappingNode
	if path[0] == "*" {
		want = yaml.SequenceNode
	}
	if a != nil && a.Kind != want || b != nil && b.Kind != want {
		return p.compare(a, b)
	}
	if want == yaml.MappingNode {
		return p.comparePath(cfnyaml.Get(a, path[0]), cfnyaml.Get(b, path[0]), path[1:])
	}
	if a == nil || b == nil || len(a.Content) != len(b.Content) {
		return p.compare(a, b)
	}
	v := sameV
	for i := range a.Content {
		v = worse(v, p.comparePath(a.Content[i], b.Content[i], path[1:]))
	}
	return v
}

// sameSet compares two DependsOn values, a name or a list of names, as
// sets.
func sameSet(a, b *yaml.Node) verdict {
	names := func(n *yaml.Node) []string {
		var out []string
		switch {
		case n == nil:
		case n.Kind == yaml.ScalarNode:
			out = []string{n.Value}
		default:
			for _, c := range n.Content {
				out = append(out, c.Value)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	if slices.Equal(names(a), names(b)) {
		return sameV
	}
	return verdict{s: differs}
}
