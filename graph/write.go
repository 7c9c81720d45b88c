package graph

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

// dotStyle is the look of each kind of cluster in DOT.
var dotStyle = map[string]string{
	"vpc":     `style="rounded"; color="#4d7f17"`,
	"az":      `style="dashed"; color="#147eba"`,
	"public":  `style="filled,rounded"; color="#7aa116"; fillcolor="#f2f6e8"`,
	"private": `style="filled,rounded"; color="#147eba"; fillcolor="#e6f2f8"`,
}

func (d *diagram) dot() []byte {
	var b bytes.Buffer
	b.WriteString("digraph {\n")
	b.WriteString("\tgraph [fontname=\"Helvetica\", fontsize=12, rankdir=\"LR\"];\n")
	b.WriteString("\tnode [shape=\"box\", style=\"rounded\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("\tedge [color=\"#666666\"];\n")
	d.top.writeDOT(&b, "\t")
	for _, e := range d.edges {
		fmt.Fprintf(&b, "\t%s -> %s;\n", dotQuote(e.from), dotQuote(e.to))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func (c *cluster) writeDOT(b *bytes.Buffer, indent string) {
	for _, n := range c.nodes {
		shape := ""
		if n.id == internet {
			shape = `, shape="oval"`
		}
		fmt.Fprintf(b, "%s%s [label=%s%s];\n", indent, dotQuote(n.id), dotQuote(n.label), shape)
	}
	for _, s := range c.clusters {
		fmt.Fprintf(b, "%ssubgraph %s {\n", indent, dotQuote(s.id))
		fmt.Fprintf(b, "%s\tlabel=%s; %s;\n", indent, dotQuote(s.label), dotStyle[s.kind])
		s.writeDOT(b, indent+"\t")
		fmt.Fprintf(b, "%s}\n", indent)
	}
}

// dotQuote returns s as a DOT string, with line breaks as \n.
func dotQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
	return `"` + s + `"`
}

func (d *diagram) mermaid() []byte {
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	d.top.writeMermaid(&b, "  ")
	for _, e := range d.edges {
		fmt.Fprintf(&b, "  %s --> %s\n", mermaidID(e.from), mermaidID(e.to))
	}
	return b.Bytes()
}

func (c *cluster) writeMermaid(b *bytes.Buffer, indent string) {
	for _, n := range c.nodes {
		open, close := "[", "]"
		if n.id == internet {
			open, close = "((", "))"
		}
		fmt.Fprintf(b, "%s%s%s%s%s\n", indent, mermaidID(n.id), open, mermaidQuote(n.label), close)
	}
	for _, s := range c.clusters {
		fmt.Fprintf(b, "%ssubgraph %s [%s]\n", indent, mermaidID(s.id), mermaidQuote(s.label))
		s.writeMermaid(b, indent+"  ")
		fmt.Fprintf(b, "%send\n", indent)
	}
}

// mermaidID returns the ID that Mermaid knows a node or subgraph by.
// Mermaid reserves lower-case words such as end and style, so a logical ID
// that does not start with an upper-case letter gets the prefix r_ (a
// logical ID has no _, so it cannot clash with another).
func mermaidID(id string) string {
	if strings.Contains(id, "_") || id != "" && unicode.IsUpper(rune(id[0])) {
		return id
	}
	return "r_" + id
}

// mermaidQuote returns s as a quoted Mermaid label, with line breaks as
// <br/> and the characters that Mermaid or HTML would read as entity codes.
func mermaidQuote(s string) string {
	s = strings.NewReplacer("#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>").Replace(s)
	return `"` + s + `"`
}
