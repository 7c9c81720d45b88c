package cfnyaml

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// intrinsic reports whether key names an intrinsic function in long form.
func intrinsic(key string) bool {
	return key == "Ref" || key == "Condition" || strings.HasPrefix(key, "Fn::")
}

// longKey returns the long-form key of a short-form tag: Ref for !Ref,
// Condition for !Condition, Fn::Sub for !Sub; ok is false for a tag that
// is not one (none, or a YAML tag such as !!str).
func longKey(tag string) (key string, ok bool) {
	name, ok := strings.CutPrefix(tag, "!")
	switch {
	case !ok || strings.HasPrefix(name, "!"):
		return "", false
	case name == "Ref" || name == "Condition":
		return name, true
	}
	return "Fn::" + name, true
}

// Decode builds a long-form tree from JSON as goformation marshals it: key
// order is kept, and the base64-encoded strings that goformation's helpers
// (cloudformation.Ref, GetAtt, Sub, ...) return are expanded into the
// intrinsics they encode. Nothing is evaluated.
func Decode(data []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("cfnyaml: trailing data after JSON value")
	}
	return n, nil
}

func decodeValue(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				val, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				m.Content = append(m.Content, Str(k.(string)), val)
			}
			_, err := dec.Token()
			return m, err
		case '[':
			s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for dec.More() {
				val, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				s.Content = append(s.Content, val)
			}
			_, err := dec.Token()
			return s, err
		}
	case string:
		if n := expand(v); n != nil {
			return n, nil
		}
		return Str(v), nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(v.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("cfnyaml: unexpected JSON token %v", tok)
}

// expand returns the intrinsic that a goformation helper encoded in s, or
// nil when s is an ordinary string.
func expand(s string) *yaml.Node {
	if len(s) < 8 || len(s)%4 != 0 {
		return nil
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil || !json.Valid(raw) {
		return nil
	}
	n, err := Decode(raw)
	if err != nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 || !intrinsic(n.Content[0].Value) {
		return nil
	}
	return n
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
	key, ok := longKey(n.Tag)
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
