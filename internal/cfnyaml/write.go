package cfnyaml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// YAML writes a long-form tree as YAML with short-form intrinsics, which a
// YAML 1.1 reader (CloudFormation's) reads as the tree holds it.
func YAML(doc *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	if err := encode(&buf, short(doc), pieceEvents); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// yaml.v3's encoder keeps every event of a document in a queue it never
// empties, 272 bytes an event, grown by append: a 200-instance template
// (17,000 nodes) allocated 23 MB of queue. encode writes a mapping in
// pieces of at most pieceEvents events instead, each with an encoder of
// its own: entries that fit go together, and a larger entry whose value
// is a block mapping, such as Resources, is written as the same key over
// each run of its entries, all but the first run without the key's line.
// The bytes are those of one Encode (TestPiecesAsWhole); the queues are
// short-lived and small. A queue's capacity grows 16, 34, 70, 150, 301
// (Go 1.26's append, 272-byte events), and a piece costs the sum of the
// capacities it reaches: pieces of up to 301 events hold three or so of
// the stack's resources of about 80 events each and fill their queues
// better than pieces of up to 150 (at 200 instances, 15.3 MB allocated
// where 150 gave 22.8 MB: go test -bench Synth -benchmem ./template/).
const pieceEvents = 301

// pieceOverhead counts the events of a piece besides its entries: stream,
// document and mapping start and end, and a split entry's key, mapping
// start and end.
const pieceOverhead = 9

func encode(w *bytes.Buffer, doc *yaml.Node, limit int) error {
	if doc.Kind != yaml.MappingNode || doc.Style != 0 {
		return encodeOne(w, doc)
	}
	var piece []*yaml.Node
	size := 0
	flush := func() error {
		if len(piece) == 0 {
			return nil
		}
		err := encodeOne(w, &yaml.Node{Kind: yaml.MappingNode, Tag: doc.Tag, Content: piece})
		piece, size = nil, 0
		return err
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		n := events(k) + events(v)
		if size+n+pieceOverhead > limit {
			if err := flush(); err != nil {
				return err
			}
			if n+pieceOverhead > limit && splittable(k, v) {
				if err := encodeSplit(w, doc.Tag, k, v, limit); err != nil {
					return err
				}
				continue
			}
		}
		piece = append(piece, k, v)
		size += n
	}
	return flush()
}

// splittable reports whether the entry k: v is written as k's line, then
// v's entries, one per line at the next indentation.
func splittable(k, v *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Style&^yaml.TaggedStyle == 0 && !strings.ContainsAny(k.Value, "\n") &&
		len(k.Value) < 100 && v.Kind == yaml.MappingNode && v.Style == 0 && len(v.Content) > 0
}

// encodeSplit writes the entry k: v in runs of v's entries.
func encodeSplit(w *bytes.Buffer, tag string, k, v *yaml.Node, limit int) error {
	entry := w.Len()
	var header []byte // k's line, as the first run wrote it
	for lo := 0; lo < len(v.Content); {
		hi, size := lo, 0
		for hi+1 < len(v.Content) {
			n := events(v.Content[hi]) + events(v.Content[hi+1])
			if hi > lo && size+n+pieceOverhead > limit {
				break
			}
			hi, size = hi+2, size+n
		}
		start := w.Len()
		run := &yaml.Node{Kind: v.Kind, Tag: v.Tag, Content: v.Content[lo:hi]}
		if err := encodeOne(w, &yaml.Node{Kind: yaml.MappingNode, Tag: tag, Content: []*yaml.Node{k, run}}); err != nil {
			return err
		}
		b := w.Bytes()[start:]
		line := b[:bytes.IndexByte(b, '\n')+1]
		switch {
		case header == nil:
			header = bytes.Clone(line)
		case bytes.Equal(line, header):
			copy(b, b[len(line):])
			w.Truncate(w.Len() - len(line))
		default: // not one line after all: write the entry whole
			w.Truncate(entry)
			return encodeOne(w, &yaml.Node{Kind: yaml.MappingNode, Tag: tag, Content: []*yaml.Node{k, v}})
		}
		lo = hi
	}
	return nil
}

// events counts the events yaml.v3 emits for n.
func events(n *yaml.Node) int {
	c := 1
	if n.Kind != yaml.ScalarNode && n.Kind != yaml.AliasNode {
		c++
	}
	for _, k := range n.Content {
		c += events(k)
	}
	return c
}

func encodeOne(w *bytes.Buffer, n *yaml.Node) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return err
	}
	return enc.Close()
}

// short returns n with intrinsics in short form, multi-line strings as
// literal blocks and other scalars as a YAML 1.1 reader reads them (see
// written). It copies only the nodes that change: the result shares the
// others with n.
func short(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode {
		style, value := written(n.Tag, n.Value)
		if style == n.Style && value == n.Value && plain(n) {
			return n
		}
		return &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: value, Style: style}
	}
	var content []*yaml.Node // a copy of n.Content, once a child changes
	for i, c := range n.Content {
		s := short(c)
		if s != c && content == nil {
			content = slices.Clone(n.Content)
		}
		if content != nil {
			content[i] = s
		}
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && intrinsic(n.Content[0].Value) {
		arg := n.Content[1]
		if content != nil {
			arg = content[1]
		}
		if s := shortIntrinsic(n.Content[0].Value, n.Content[1], arg); s != nil {
			return s
		}
	}
	if content == nil && n.Style == 0 && plain(n) {
		return n
	}
	if content == nil {
		content = slices.Clone(n.Content)
	}
	return &yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Content: content}
}

// shortIntrinsic returns the short form of the intrinsic key: long, whose
// argument short writes as arg, or nil to keep the long form.
func shortIntrinsic(key string, long, arg *yaml.Node) *yaml.Node {
	if strings.HasPrefix(arg.Tag, "!") && !strings.HasPrefix(arg.Tag, "!!") {
		// A node takes one tag: keep this function in long form so that
		// its argument can be in short form, as in Fn::Base64: !Sub ...
		return nil
	}
	if key == "Condition" {
		// Condition is also a resource and output attribute; leave it.
		return nil
	}
	tag := "!" + strings.TrimPrefix(key, "Fn::")
	if key == "Fn::GetAtt" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 &&
		arg.Content[0].Kind == yaml.ScalarNode && arg.Content[1].Kind == yaml.ScalarNode {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: long.Content[0].Value + "." + long.Content[1].Value}
	}
	out := &yaml.Node{Kind: arg.Kind, Tag: tag, Content: arg.Content}
	switch {
	case arg.Kind == yaml.ScalarNode:
		// The tag makes it a string: as it is, on one line or a literal block.
		out.Value = long.Value
		if long.Tag == "!!str" && strings.Contains(long.Value, "\n") {
			out.Style = yaml.LiteralStyle
		}
	case arg.Kind == yaml.SequenceNode && flat(arg):
		out.Style = yaml.FlowStyle
	}
	return out
}

// plain reports whether n carries nothing that short leaves out.
func plain(n *yaml.Node) bool {
	return n.Anchor == "" && n.Alias == nil && n.HeadComment == "" && n.LineComment == "" && n.FootComment == ""
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
