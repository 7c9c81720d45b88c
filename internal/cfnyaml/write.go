package cfnyaml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// YAML writes a long-form tree as YAML with short-form intrinsics, which a
// YAML 1.1 reader (CloudFormation's) reads as the tree holds it.
func YAML(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	out := short(doc)
	as11(out)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// short returns a copy of n with intrinsics in short form and multi-line
// strings as literal blocks.
func short(n *yaml.Node) *yaml.Node {
	out := &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && strings.Contains(n.Value, "\n") {
		out.Style = yaml.LiteralStyle
	}
	for _, c := range n.Content {
		out.Content = append(out.Content, short(c))
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 || !intrinsic(n.Content[0].Value) {
		return out
	}
	key, arg := n.Content[0].Value, out.Content[1]
	if strings.HasPrefix(arg.Tag, "!") && !strings.HasPrefix(arg.Tag, "!!") {
		// A node takes one tag: keep this function in long form so that
		// its argument can be in short form, as in Fn::Base64: !Sub ...
		return out
	}
	if key == "Condition" {
		// Condition is also a resource and output attribute; leave it.
		return out
	}
	tag := "!" + strings.TrimPrefix(key, "Fn::")
	if key == "Fn::GetAtt" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 &&
		arg.Content[0].Kind == yaml.ScalarNode && arg.Content[1].Kind == yaml.ScalarNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: arg.Content[0].Value + "." + arg.Content[1].Value}
	}
	arg.Tag = tag
	if arg.Kind == yaml.SequenceNode && flat(arg) {
		arg.Style = yaml.FlowStyle
	}
	return arg
}

// flat reports whether a sequence is short and holds only single-line
// scalars, so that it reads well on one line.
func flat(seq *yaml.Node) bool {
	width := 0
	for _, c := range seq.Content {
		if c.Kind != yaml.ScalarNode || strings.Contains(c.Value, "\n") {
			return false
		}
		width += len(c.Value) + len(c.Tag) + 4
	}
	return width <= 60
}

// JSON writes a long-form tree as indented JSON, without the HTML escaping
// of encoding/json.
func JSON(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeJSON(&buf, doc, ""); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func writeJSON(buf *bytes.Buffer, n *yaml.Node, indent string) error {
	inner := indent + "  "
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 0 {
			buf.WriteString("{}")
			return nil
		}
		buf.WriteString("{")
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteString(",")
			}
			buf.WriteString("\n" + inner)
			writeString(buf, n.Content[i].Value)
			buf.WriteString(": ")
			if err := writeJSON(buf, n.Content[i+1], inner); err != nil {
				return err
			}
		}
		buf.WriteString("\n" + indent + "}")
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			buf.WriteString("[]")
			return nil
		}
		buf.WriteString("[")
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteString(",")
			}
			buf.WriteString("\n" + inner)
			if err := writeJSON(buf, c, inner); err != nil {
				return err
			}
		}
		buf.WriteString("\n" + indent + "]")
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float", "!!bool":
			if !json.Valid([]byte(n.Value)) {
				return fmt.Errorf("cfnyaml: %s %q has no JSON form", n.Tag, n.Value)
			}
			buf.WriteString(n.Value)
		case "!!null":
			buf.WriteString("null")
		default:
			writeString(buf, n.Value)
		}
	default:
		return fmt.Errorf("cfnyaml: cannot write node kind %d as JSON", n.Kind)
	}
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)           // a string always encodes
	buf.Truncate(buf.Len() - 1) // Encode's newline
}
