package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/deploy"
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

// planFormat is the --format of diff and deploy: the change set as a table,
// or as the architecture picture with each change marked on it.
type planFormat struct{ format string }

func addPlanFormat(fs *flag.FlagSet) *planFormat {
	p := &planFormat{}
	fs.StringVar(&p.format, "format", "table", "show the change set as a `table`, or as svg: the stack's picture with each change marked")
	return p
}

// check validates the flag; the picture needs a change set that is not
// executed.
func (p *planFormat) check(noExecute bool) error {
	switch {
	case p.format != "table" && p.format != "svg":
		return usageErrorf("--format %q: want table or svg", p.format)
	case p.format == "svg" && !noExecute:
		return &usageError{msg: "--format svg needs --no-execute", hint: "or draw the change with: cfngen diff --format svg"}
	}
	return nil
}

// deployer keeps the table off stdout when the picture goes there.
func (p *planFormat) deployer(d *deploy.Deployer) *deploy.Deployer {
	if p.format == "svg" {
		d.Out = io.Discard
	}
	return d
}

// write draws the change set (or no change, on ErrNoChanges) on the
// picture of the template and writes it to stdout. The resources it
// removes are drawn where they are in the stack's current template.
func (p *planFormat) write(ctx context.Context, e *env, c *clients, in deploy.Input, cs *deploy.ChangeSet, err error) error {
	if p.format != "svg" || err != nil && !errors.Is(err, deploy.ErrNoChanges) {
		return nil
	}
	plan := &cfngraph.Plan{}
	removes := false
	if cs != nil {
		for _, ch := range cs.Changes {
			plan.Changes = append(plan.Changes, cfngraph.Change{Action: ch.Action, LogicalID: ch.LogicalID, Type: ch.Type, Replacement: ch.Replacement})
			removes = removes || ch.Action == "Remove"
		}
	}
	if removes {
		plan.Previous = currentTemplate(ctx, e, c, in.StackName)
	}
	pic, perr := cfngraph.Architecture(in.Template, cfngraph.Options{Title: in.StackName, Plan: plan})
	if perr != nil {
		return perr
	}
	_, werr := e.stdout.Write(pic.SVG())
	return werr
}

func changeSetOf(res *deploy.Result) *deploy.ChangeSet {
	if res == nil {
		return nil
	}
	return res.ChangeSet
}

// templateGetter is the part of the CloudFormation client that reads a
// stack's template.
type templateGetter interface {
	GetTemplate(ctx context.Context, params *cloudformation.GetTemplateInput, optFns ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error)
}

var _ templateGetter = (*cloudformation.Client)(nil)

// currentTemplate returns the stack's template, or nil with a note when it
// cannot be read: the picture then lists removed resources apart.
func currentTemplate(ctx context.Context, e *env, c *clients, stack string) []byte {
	g, ok := c.cfn.(templateGetter)
	if !ok {
		return nil
	}
	out, err := g.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(stack), TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		fmt.Fprintf(e.stderr, "cfngen: note: could not read the template of stack %s (%v); the picture lists removed resources apart\n", stack, err)
		return nil
	}
	return []byte(aws.ToString(out.TemplateBody))
}
