package main

import (
	"context"

	cfngraph "github.com/cfngen/cfngen/graph"
)

const graphUsage = `usage: cfngen graph [-c FILE] [--format dot|mermaid]

Graph writes a diagram of the stack's CloudFormation template to stdout:
every resource, grouped by VPC, Availability Zone and subnet, with an
arrow for each reference. It draws the template that synth writes, in
Graphviz DOT or as a Mermaid flowchart (which GitHub renders in Markdown).

Example:
  cfngen graph | dot -Tsvg > stack.svg
  cfngen graph -c prod.yaml --format mermaid > stack.mmd
`

func graph(ctx context.Context, e *env, args []string) error {
	fs := newFlags("graph")
	cfgPath := configFlag(fs)
	format := fs.String("format", "dot", "write the diagram as Graphviz `dot` or mermaid")
	if err := parse(e, fs, graphUsage, args); err != nil {
		return err
	}
	draw := map[string]func([]byte) ([]byte, error){"dot": cfngraph.DOT, "mermaid": cfngraph.Mermaid}[*format]
	if draw == nil {
		return usageErrorf("--format %q: want dot or mermaid", *format)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	_, body, _, err := build(cfg, *cfgPath, "yaml")
	if err != nil {
		return err
	}
	diagram, err := draw(body)
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(diagram)
	return err
}
