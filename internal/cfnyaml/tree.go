package cfnyaml

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// intrinsic reports whether key names an intrinsic function in long form.
func intrinsic(key string) bool {
	return key == "Ref" || key == "Condition" || strings.HasPrefix(key, "Fn::")
}

// LongKey returns the long-form key of a short-form tag: Ref for !Ref,
// Condition for !Condition, Fn::Sub for !Sub; ok is false for a tag that
// is not one (none, or a YAML tag such as !!str).
func LongKey(tag string) (key string, ok bool) {
	name, ok := strings.CutPrefix(tag, "!")
	switch {
	case !ok || strings.HasPrefix(name, "!"):
		return "", false
	case name == "Ref" || name == "Condition":
		return name, true
	}
	return "Fn::" + name, true
}

// Str returns a string scalar.
func Str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// Get returns the value of key in mapping m, or nil.
func Get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Parse reads a template written in YAML (short or long form) or JSON and
// returns its long-form tree. Anchors and aliases are refused.
func Parse(src []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("cfnyaml: a template is a YAML or JSON mapping")
	}
	return longForm(doc.Content[0])
}

// longForm turns short-form tags into one-key mappings and drops the
// source's styles, so that the writer alone decides how things look.
func longForm(n *yaml.Node) (*yaml.Node, error) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return nil, fmt.Errorf("cfnyaml: line %d: anchors and aliases are not supported", n.Line)
	}
	out := &yaml.Node{Kind: n.Kind, Tag: n.ShortTag(), Value: n.Value}
	for _, c := range n.Content {
		lc, err := longForm(c)
		if err != nil {
			return nil, err
		}
		out.Content = append(out.Content, lc)
	}
	key, ok := LongKey(n.Tag)
	if !ok {
		return out, nil
	}
	if key == "Fn::GetAtt" && out.Kind == yaml.ScalarNode {
		res, attr, ok := strings.Cut(out.Value, ".")
		if !ok {
			return nil, fmt.Errorf("cfnyaml: line %d: !GetAtt %q: want Resource.Attribute", n.Line, out.Value)
		}
		out = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{Str(res), Str(attr)}}
	}
	switch out.Kind {
	case yaml.ScalarNode:
		out.Tag = "!!str"
	case yaml.SequenceNode:
		out.Tag = "!!seq"
	case yaml.MappingNode:
		out.Tag = "!!map"
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{Str(key), out}}, nil
}
