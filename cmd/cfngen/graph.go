package main

import (
	"context"

	cfngraph "github.com/cfngen/cfngen/graph"
)

const graphUsage = `usage: cfngen graph [-c FILE] [--view architecture|references] [--format dot|svg|mermaid]

Graph draws the stack's CloudFormation template, the one synth writes, on
stdout. The architecture view (the default) is the picture a person would
draw: the internet and its gateway, the load balancer with its listeners
across the public subnets, the target group, the instances (or the Auto
Scaling group) in the private subnets, the NAT gateways and the way out,
grouped by VPC, Availability Zone and subnet, with arrows in the direction
traffic flows, labelled with its ports. Routes, security groups, the launch
template's role and other plumbing are folded into what they serve; the
security groups show as what they allow. The references view draws every
resource and every reference between them.

--format svg writes a self-contained SVG that cfngen lays out itself (the
architecture view only); dot is for Graphviz, mermaid for Markdown.

Example:
  cfngen graph --format svg > stack.svg
  cfngen graph -c prod.yaml --format mermaid > stack.mmd
  cfngen graph --view references | dot -Tsvg > references.svg
`

func graph(ctx context.Context, e *env, args []string) error {
	fs := newFlags("graph")
	cfgPath := configFlag(fs)
	view := fs.String("view", "architecture", "draw the `architecture` or every reference (references)")
	format := fs.String("format", "dot", "write the diagram as Graphviz `dot`, svg or mermaid")
	if err := parse(e, fs, graphUsage, args); err != nil {
		return err
	}
	switch *view {
	case "architecture":
		if *format != "dot" && *format != "svg" && *format != "mermaid" {
			return usageErrorf("--format %q: want dot, svg or mermaid", *format)
		}
	case "references":
		if *format == "svg" {
			return &usageError{msg: "--format svg draws the architecture view only", hint: "pipe --format dot to Graphviz: cfngen graph --view references | dot -Tsvg"}
		}
		if *format != "dot" && *format != "mermaid" {
			return usageErrorf("--format %q: want dot or mermaid", *format)
		}
	default:
		return usageErrorf("--view %q: want architecture or references", *view)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	_, body, _, err := build(cfg, "yaml")
	if err != nil {
		return err
	}
	var diagram []byte
	if *view == "references" {
		draw := map[string]func([]byte) ([]byte, error){"dot": cfngraph.DOT, "mermaid": cfngraph.Mermaid}[*format]
		if diagram, err = draw(body); err != nil {
			return err
		}
	} else {
		p, err := cfngraph.Architecture(body, cfngraph.Options{Title: cfg.StackName})
		if err != nil {
			return err
		}
		diagram = map[string]func() []byte{"dot": p.DOT, "svg": p.SVG, "mermaid": p.Mermaid}[*format]()
	}
	_, err = e.stdout.Write(diagram)
	return err
}
