package graph

import (
	"bytes"
	"fmt"
	"strings"
)

// DOT draws the picture in Graphviz DOT: the same boxes in clusters for the
// VPC, the zones and the subnets, and the traffic as labelled edges.
func (p *Picture) DOT() []byte {
	a := p.a
	var b bytes.Buffer
	b.WriteString("digraph {\n")
	b.WriteString("\tgraph [fontname=\"Helvetica\", fontsize=12, rankdir=\"TB\", newrank=true];\n")
	b.WriteString("\tnode [shape=\"box\", style=\"rounded\", fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("\tedge [fontname=\"Helvetica\", fontsize=9, color=\"#232f3e\"];\n")
	node := func(indent string, e *element) {
		shape := ""
		if e.kind == "internet" {
			shape = `, shape="oval"`
		}
		fmt.Fprintf(&b, "%s%s [label=%s%s];\n", indent, dotQuote(e.key), dotQuote(label(e)), shape)
	}
	p.each(func(e *element) bool { return e.level == atTop || e.level == atEdge }, func(e *element) { node("\t", e) })
	if a.vpc != nil {
		fmt.Fprintf(&b, "\tsubgraph \"cluster_vpc\" {\n\t\tlabel=%s; %s;\n", dotQuote(label(a.vpc)), dotStyle["vpc"])
		p.each(func(e *element) bool {
			return e.level == across || e.level == inVPC && e.kind != "vpc" && e.kind != "subnet"
		}, func(e *element) { node("\t\t", e) })
		for i, c := range a.columns {
			fmt.Fprintf(&b, "\t\tsubgraph \"cluster_az%d\" {\n\t\t\tlabel=%s; %s;\n", i+1, dotQuote(c.label), dotStyle["az"])
			for _, s := range append(append([]string{}, c.public...), c.private...) {
				e := a.by[s]
				kind := "private"
				if e.public {
					kind = "public"
				}
				fmt.Fprintf(&b, "\t\t\tsubgraph %s {\n\t\t\t\tlabel=%s; %s;\n", dotQuote("cluster_"+s), dotQuote(label(e)), dotStyle[kind])
				fmt.Fprintf(&b, "\t\t\t\t%s [shape=\"point\", style=\"invis\"];\n", dotQuote(s))
				p.each(func(x *element) bool { return x.level == inSubnet && x.subnets[0] == s }, func(x *element) { node("\t\t\t\t", x) })
				b.WriteString("\t\t\t}\n")
			}
			b.WriteString("\t\t}\n")
		}
		b.WriteString("\t}\n")
	}
	p.each(func(e *element) bool { return e.level == regional }, func(e *element) { node("\t", e) })
	for _, f := range a.flows {
		var attrs []string
		if f.label != "" {
			attrs = append(attrs, "label="+dotQuote(f.label))
		}
		if f.out {
			attrs = append(attrs, `style="dashed"`, `color="#d45b07"`, "constraint=false")
		}
		fmt.Fprintf(&b, "\t%s -> %s", dotQuote(f.from), dotQuote(f.to))
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// Mermaid draws the picture as a Mermaid flowchart, which GitHub renders
// in Markdown.
func (p *Picture) Mermaid() []byte {
	a := p.a
	var b bytes.Buffer
	b.WriteString("flowchart TB\n")
	node := func(indent string, e *element) {
		open, close := "[", "]"
		if e.kind == "internet" {
			open, close = "((", "))"
		}
		fmt.Fprintf(&b, "%s%s%s%s%s\n", indent, mermaidID(e.key), open, mermaidQuote(label(e)), close)
	}
	p.each(func(e *element) bool { return e.level == atTop || e.level == atEdge }, func(e *element) { node("  ", e) })
	if a.vpc != nil {
		fmt.Fprintf(&b, "  subgraph cluster_vpc [%s]\n", mermaidQuote(label(a.vpc)))
		p.each(func(e *element) bool {
			return e.level == across || e.level == inVPC && e.kind != "vpc" && e.kind != "subnet"
		}, func(e *element) { node("    ", e) })
		for i, c := range a.columns {
			fmt.Fprintf(&b, "    subgraph cluster_az%d [%s]\n", i+1, mermaidQuote(c.label))
			for _, s := range append(append([]string{}, c.public...), c.private...) {
				fmt.Fprintf(&b, "      subgraph %s [%s]\n", mermaidID(s), mermaidQuote(label(a.by[s])))
				p.each(func(x *element) bool { return x.level == inSubnet && x.subnets[0] == s }, func(x *element) { node("        ", x) })
				b.WriteString("      end\n")
			}
			b.WriteString("    end\n")
		}
		b.WriteString("  end\n")
	}
	p.each(func(e *element) bool { return e.level == regional }, func(e *element) { node("  ", e) })
	for _, f := range a.flows {
		arrow := "-->"
		if f.out {
			arrow = "-.->"
		}
		if f.label != "" {
			arrow += "|" + mermaidQuote(f.label) + "|"
		}
		fmt.Fprintf(&b, "  %s %s %s\n", mermaidID(f.from), arrow, mermaidID(f.to))
	}
	return b.Bytes()
}

// each calls f for the elements that keep says, in order, frames aside.
func (p *Picture) each(keep func(*element) bool, f func(*element)) {
	for _, e := range p.a.elems {
		if keep(e) {
			f(e)
		}
	}
}

// label is the text of an element as one label: title, name, details.
func label(e *element) string {
	lines := []string{e.title}
	if e.name != "" {
		lines = append(lines, e.name)
	}
	for _, c := range e.chips {
		lines = append(lines, c.text)
	}
	return strings.Join(append(lines, e.details...), "\n")
}
