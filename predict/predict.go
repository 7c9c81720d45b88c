package predict

import (
	"errors"
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// Action is what an update does to one resource.
type Action string

// The actions, from the least to the most disruptive.
const (
	None        Action = "None"        // nothing changes
	Add         Action = "Add"         // the resource is created
	Modify      Action = "Modify"      // updated in place
	Conditional Action = "Conditional" // updated in place or replaced; it depends on values known only at deploy time
	Replace     Action = "Replace"     // created anew, then the old one deleted
	Remove      Action = "Remove"      // deleted
)

// Recreation says whether a changed property replaces its resource, in the
// words of CloudFormation's change sets.
type Recreation string

// The values of Recreation.
const (
	Never         Recreation = "Never"
	Always        Recreation = "Always"
	Conditionally Recreation = "Conditionally"
)

// Detail is one changed property or resource attribute.
type Detail struct {
	Name       string     // the property, or the attribute (DependsOn, Metadata, ...), or "Type"
	Attribute  bool       // Name is a resource attribute or Type, not a property
	Certain    bool       // the value changes; otherwise it may, with values known only at deploy time
	Recreation Recreation // whether the change replaces the resource
	Reason     string     // why the value changes when it comes from elsewhere, or why it may replace
}

// Change is the prediction for one resource.
type Change struct {
	LogicalID string
	Type      string // the resource type (the old one for Remove)
	OldType   string // the old type, when it differs
	Action    Action
	Details   []Detail // for Modify, Conditional and Replace
}

// Properties returns the names of the changed properties and attributes.
func (c Change) Properties() []string {
	var out []string
	for _, d := range c.Details {
		out = append(out, d.Name)
	}
	return out
}

// Replacement returns the change's replacement in the words of
// CloudFormation's change sets: True, Conditional or False for a change
// that keeps the resource, and "" otherwise.
func (c Change) Replacement() string {
	switch c.Action {
	case Replace:
		return "True"
	case Conditional:
		return "Conditional"
	case Modify:
		return "False"
	}
	return ""
}

// Options are what a prediction knows beyond the two templates.
type Options struct {
	// OldParameters and NewParameters are the stack's parameter values
	// before and after the update, when known (for an SSM parameter type,
	// the resolved value). A parameter without a value is assumed to take
	// its default; see the package documentation.
	OldParameters, NewParameters map[string]string
}

// Plan is the prediction for every resource of two templates.
type Plan struct {
	// Changes are the resources that change, in the new template's order,
	// then the removed ones in the old template's order.
	Changes []Change

	all map[string]Change
}

// Resource returns the prediction for a logical ID of either template,
// None included; false when neither template has it.
func (p *Plan) Resource(logicalID string) (Change, bool) {
	c, ok := p.all[logicalID]
	return c, ok
}

// Replacement returns the predicted replacement of a resource that the
// update modifies: True, Conditional or False, as a change set says it.
// It returns "" when the prediction does not see the resource modified,
// so that a caller filling in what the service left unsaid never turns an
// unexpected change into a safe one.
func (p *Plan) Replacement(logicalID string) string {
	return p.all[logicalID].Replacement()
}

// Counts returns how many resources the update adds, modifies (Replace and
// Conditional included) and removes, and how many it replaces or may
// replace.
func (p *Plan) Counts() (add, modify, remove, replace int) {
	for _, c := range p.Changes {
		switch c.Action {
		case Add:
			add++
		case Remove:
			remove++
		case Replace, Conditional:
			replace++
			fallthrough
		case Modify:
			modify++
		}
	}
	return add, modify, remove, replace
}

// Predict reads two versions of a template, YAML or JSON, and predicts
// what an update from old to new does to each resource.
func Predict(old, new []byte, opts Options) (*Plan, error) {
	o, err := cfnyaml.Parse(old)
	if err != nil {
		return nil, &TemplateError{Old: true, Err: err}
	}
	n, err := cfnyaml.Parse(new)
	if err != nil {
		return nil, &TemplateError{Err: err}
	}
	return predictTrees(o, n, opts)
}

// predictTrees is [Predict] for long-form trees, as cfnyaml.Parse returns.
func predictTrees(old, new *yaml.Node, opts Options) (*Plan, error) {
	p := &predictor{result: map[string]*Change{}, busy: map[string]bool{}}
	var err error
	if p.old, err = read(old, opts.OldParameters); err != nil {
		return nil, &TemplateError{Old: true, Err: err}
	}
	if p.new, err = read(new, opts.NewParameters); err != nil {
		return nil, &TemplateError{Err: err}
	}
	plan := &Plan{all: map[string]Change{}}
	ids := slices.Clone(p.new.order)
	for _, id := range p.old.order {
		if p.new.resources[id] == nil {
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		c := *p.resource(id)
		plan.all[id] = c
		if c.Action != None {
			plan.Changes = append(plan.Changes, c)
		}
	}
	return plan, nil
}

// TemplateError is a template that cannot be read.
type TemplateError struct {
	Old bool // the old template; otherwise the new one
	Err error
}

func (e *TemplateError) Error() string {
	which := "new"
	if e.Old {
		which = "old"
	}
	return fmt.Sprintf("%s template: %v", which, e.Err)
}

func (e *TemplateError) Unwrap() error { return e.Err }

// side is one of the two templates.
type side struct {
	resources  map[string]*yaml.Node
	order      []string
	parameters map[string]*yaml.Node
	mappings   *yaml.Node
	conditions *yaml.Node
	values     map[string]string // given parameter values
}

func read(doc *yaml.Node, values map[string]string) (*side, error) {
	s := &side{
		resources:  map[string]*yaml.Node{},
		parameters: map[string]*yaml.Node{},
		mappings:   cfnyaml.Get(doc, "Mappings"),
		conditions: cfnyaml.Get(doc, "Conditions"),
		values:     values,
	}
	res := cfnyaml.Get(doc, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return nil, errors.New("no Resources mapping")
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, r := res.Content[i].Value, res.Content[i+1]
		if t := cfnyaml.Get(r, "Type"); t == nil || t.Kind != yaml.ScalarNode || t.Value == "" {
			return nil, fmt.Errorf("resource %s: no Type", id)
		}
		if p := cfnyaml.Get(r, "Properties"); p != nil && p.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("resource %s: Properties is not a mapping", id)
		}
		s.resources[id] = r
		s.order = append(s.order, id)
	}
	if params := cfnyaml.Get(doc, "Parameters"); params != nil {
		for i := 0; i+1 < len(params.Content); i += 2 {
			s.parameters[params.Content[i].Value] = params.Content[i+1]
		}
	}
	return s, nil
}

func typeOf(r *yaml.Node) string { return cfnyaml.Get(r, "Type").Value }

// attributes are the resource attributes compared besides Type and
// Properties. None of them replaces a resource.
var attributes = []string{
	"Condition", "DependsOn", "CreationPolicy", "UpdatePolicy",
	"UpdateReplacePolicy", "DeletionPolicy", "Metadata",
}

// predictor predicts each resource once, on demand, so that a resource
// is predicted before those that refer to it.
type predictor struct {
	old, new *side
	result   map[string]*Change
	busy     map[string]bool
}

func (p *predictor) resource(id string) *Change {
	if c := p.result[id]; c != nil {
		return c
	}
	if p.busy[id] {
		return nil // a cycle, which CloudFormation refuses
	}
	p.busy[id] = true
	c := p.predict(id)
	delete(p.busy, id)
	p.result[id] = c
	return c
}

func (p *predictor) predict(id string) *Change {
	o, n := p.old.resources[id], p.new.resources[id]
	switch {
	case o == nil:
		return &Change{LogicalID: id, Type: typeOf(n), Action: Add}
	case n == nil:
		return &Change{LogicalID: id, Type: typeOf(o), Action: Remove}
	}
	c := &Change{LogicalID: id, Type: typeOf(n)}
	if ot := typeOf(o); ot != c.Type {
		c.OldType = ot
		c.Details = append(c.Details, Detail{
			Name: "Type", Attribute: true, Certain: true, Recreation: Always,
			Reason: "CloudFormation refuses to change a resource's type; give the new resource another logical ID",
		})
	}
	for _, a := range attributes {
		var v verdict
		if a == "DependsOn" {
			v = sameSet(cfnyaml.Get(o, a), cfnyaml.Get(n, a))
		} else {
			v = p.compare(cfnyaml.Get(o, a), cfnyaml.Get(n, a))
		}
		if v.s != same {
			c.Details = append(c.Details, Detail{Name: a, Attribute: true, Certain: v.s == differs, Recreation: Never, Reason: v.why})
		}
	}
	op, np := cfnyaml.Get(o, "Properties"), cfnyaml.Get(n, "Properties")
	for _, name := range keys(np, op) {
		ov, nv := cfnyaml.Get(op, name), cfnyaml.Get(np, name)
		v := p.compare(ov, nv)
		if v.s == same {
			continue
		}
		d := Detail{Name: name, Certain: v.s == differs, Recreation: Never, Reason: v.why}
		if c.OldType == "" {
			p.recreation(&d, c.Type, n, ov, nv)
		}
		c.Details = append(c.Details, d)
	}
	c.Action = None
	for _, d := range c.Details {
		switch {
		case d.Recreation == Always && d.Certain:
			c.Action = Replace
		case (d.Recreation == Always || d.Recreation == Conditionally) && c.Action != Replace:
			c.Action = Conditional
		case c.Action == None:
			c.Action = Modify
		}
	}
	return c
}

// recreation fills in whether the changed property d of a resource of
// type typ, from ov to nv, replaces it.
func (p *predictor) recreation(d *Detail, typ string, res, ov, nv *yaml.Node) {
	sc, ok := snapshot().Types[typ]
	if !ok {
		d.Recreation = Conditionally
		d.Reason = "the schema snapshot has no type " + typ
		return
	}
	always, conditionally := sc.paths(d.Name)
	for _, path := range always {
		switch v := p.comparePath(ov, nv, path[1:]); v.s {
		case differs:
			d.Recreation, d.Certain = Always, true
			return
		case mayDiffer:
			d.Recreation = Conditionally
		}
	}
	if d.Recreation == Conditionally || len(conditionally) == 0 {
		return
	}
	for _, path := range conditionally {
		if p.comparePath(ov, nv, path[1:]).s == same {
			continue
		}
		if rule := rules[typ]; rule != nil {
			d.Recreation, d.Reason = rule(res, d.Reason)
		} else {
			d.Recreation = Conditionally
			if d.Reason == "" {
				d.Reason = "the schema says it replaces the resource in some cases"
			}
		}
		return
	}
}

// rules decide the conditionally create-only properties of the types
// whose condition is documented.
var rules = map[string]func(res *yaml.Node, why string) (Recreation, string){
	// An Auto Scaling group is replaced when its launch template, subnets
	// or instances policy change only under AutoScalingReplacingUpdate
	// with WillReplace; otherwise it is updated in place.
	"AWS::AutoScaling::AutoScalingGroup": func(res *yaml.Node, why string) (Recreation, string) {
		will := cfnyaml.Get(cfnyaml.Get(cfnyaml.Get(res, "UpdatePolicy"), "AutoScalingReplacingUpdate"), "WillReplace")
		switch {
		case will == nil:
			return Never, why
		case will.Kind != yaml.ScalarNode:
			return Conditionally, "UpdatePolicy AutoScalingReplacingUpdate WillReplace is known only at deploy time"
		case will.Value == "true" || will.Value == "True":
			return Always, "UpdatePolicy AutoScalingReplacingUpdate WillReplace is true"
		}
		return Never, why
	},
}

// keys returns the keys of mappings a and b: a's in order, then b's others.
func keys(a, b *yaml.Node) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range []*yaml.Node{a, b} {
		if m == nil || m.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if k := m.Content[i].Value; !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}
