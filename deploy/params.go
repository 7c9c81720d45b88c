package deploy

import (
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// Where a parameter's value comes from.
const (
	SourceGiven    = "given"    // Input.Parameters
	SourceDefault  = "default"  // the template's default
	SourcePrevious = "previous" // the stack's value, kept
)

// ParameterChange is one parameter of the template, or of the stack
// before: its value before the update and after.
type ParameterChange struct {
	Key    string
	Before string // "" for a new stack or a new parameter (see New)
	After  string // "" for a parameter the template no longer has (see Removed)
	// ResolvedBefore and ResolvedAfter are the values that CloudFormation
	// resolved for a parameter of an SSM parameter type (such as an AMI ID
	// behind /aws/service/...), when it says.
	ResolvedBefore, ResolvedAfter string
	// Source says where After comes from: SourceGiven, SourceDefault or
	// SourcePrevious; "" when not known (a change set made elsewhere).
	Source  string
	New     bool // the stack did not have the parameter
	Removed bool // the template no longer has it
	Changed bool
	// RevertsToDefault: the stack had another value, which the update does
	// not give again, so that the parameter takes the template's default.
	RevertsToDefault bool

	ssm bool // of an SSM parameter type
}

// templateParams returns the parameters of the template with tree root
// (nil: none) in order, with their defaults (nil: none) and which are of an
// SSM parameter type.
func templateParams(root *yaml.Node) (keys []string, defaults map[string]*string, ssm map[string]bool) {
	defaults, ssm = map[string]*string{}, map[string]bool{}
	params := cfnyaml.Get(root, "Parameters")
	if params == nil || params.Kind != yaml.MappingNode {
		return nil, defaults, ssm
	}
	for i := 0; i+1 < len(params.Content); i += 2 {
		k := params.Content[i].Value
		keys = append(keys, k)
		if t := cfnyaml.Get(params.Content[i+1], "Type"); t != nil && strings.HasPrefix(t.Value, "AWS::SSM::Parameter::Value<") {
			ssm[k] = true
		}
		if d := cfnyaml.Get(params.Content[i+1], "Default"); d != nil && d.Kind == yaml.ScalarNode {
			defaults[k] = aws.String(d.Value)
		} else if d != nil && d.Kind == yaml.SequenceNode {
			var parts []string
			for _, c := range d.Content {
				parts = append(parts, c.Value)
			}
			defaults[k] = aws.String(strings.Join(parts, ","))
		}
	}
	return keys, defaults, ssm
}

// parameterChanges works out every parameter's change, from the trees of
// the new template and the deployed one (nil: not known); stack the stack before (nil: a new
// one); given the values the update gives (nil: not known, for a change set
// made elsewhere); used the values that DescribeChangeSet says the change
// set uses.
func parameterChanges(next, previous *yaml.Node, stack *types.Stack, given map[string]string, used []types.Parameter) []ParameterChange {
	keys, defaults, ssm := templateParams(next)
	_, oldDefaults, _ := templateParams(previous)
	before := map[string]types.Parameter{}
	if stack != nil {
		for _, p := range stack.Parameters {
			before[aws.ToString(p.ParameterKey)] = p
		}
	}
	inSet := map[string]types.Parameter{}
	for _, p := range used {
		inSet[aws.ToString(p.ParameterKey)] = p
	}
	var out []ParameterChange
	for _, k := range keys {
		pc := ParameterChange{Key: k, ssm: ssm[k]}
		old, had := before[k]
		pc.New = !had
		pc.Before, pc.ResolvedBefore = aws.ToString(old.ParameterValue), aws.ToString(old.ResolvedValue)
		unresolved := had && ssm[k] && old.ResolvedValue == nil
		cs, inCS := inSet[k]
		switch v, ok := given[k]; {
		case inCS && aws.ToBool(cs.UsePreviousValue):
			pc.After, pc.Source = pc.Before, SourcePrevious
		case ok:
			pc.After, pc.Source = v, SourceGiven
		case inCS && given == nil:
			pc.After = aws.ToString(cs.ParameterValue)
		case defaults[k] != nil:
			pc.After = *defaults[k]
			if given != nil {
				pc.Source = SourceDefault
			}
		}
		if inCS && aws.ToString(cs.ParameterValue) != "" && !aws.ToBool(cs.UsePreviousValue) {
			pc.After = aws.ToString(cs.ParameterValue) // what CloudFormation uses
		}
		if inCS {
			pc.ResolvedAfter = aws.ToString(cs.ResolvedValue)
		}
		if unresolved {
			// AWS gives an SSM parameter's name and, apart, the value it
			// resolved; some endpoints give the resolved value alone.
			pc.Before, pc.ResolvedBefore = pc.After, pc.Before
		}
		pc.Changed = pc.New || pc.Before != pc.After ||
			pc.ResolvedBefore != "" && pc.ResolvedAfter != "" && pc.ResolvedBefore != pc.ResolvedAfter
		// A value that was the deployed template's default was not given
		// either: the default itself changes.
		wasDefault := oldDefaults[k] != nil && *oldDefaults[k] == pc.Before
		pc.RevertsToDefault = had && pc.Source == SourceDefault && pc.Before != pc.After && !wasDefault
		out = append(out, pc)
	}
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if slices.Contains(keys, k) {
			continue
		}
		p := before[k]
		out = append(out, ParameterChange{Key: k, Before: aws.ToString(p.ParameterValue), ResolvedBefore: aws.ToString(p.ResolvedValue), Removed: true, Changed: true})
	}
	return out
}

// TagChange is a stack tag that the update adds, changes or removes.
type TagChange struct {
	Key    string
	Action string // Add, Modify or Remove
	Before string
	After  string
}

// tagChanges compares the stack's tags (nil stack: a new one) with the
// tags the update gives. Giving none leaves the stack's tags as they are.
func tagChanges(stack *types.Stack, next []types.Tag) []TagChange {
	before := map[string]string{}
	if stack != nil {
		for _, t := range stack.Tags {
			before[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	if len(next) == 0 && stack != nil {
		return nil
	}
	after := map[string]string{}
	for _, t := range next {
		after[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	var out []TagChange
	for _, k := range slices.Sorted(maps.Keys(after)) {
		old, had := before[k]
		switch {
		case !had:
			out = append(out, TagChange{Key: k, Action: "Add", After: after[k]})
		case old != after[k]:
			out = append(out, TagChange{Key: k, Action: "Modify", Before: old, After: after[k]})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(before)) {
		if _, ok := after[k]; !ok {
			out = append(out, TagChange{Key: k, Action: "Remove", Before: before[k]})
		}
	}
	return out
}
