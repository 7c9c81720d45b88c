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

// planFormat is the --format of diff and deploy: the plan as text, as
// JSON for a program, or as the architecture picture with each change
// marked on it.
type planFormat struct{ format string }

func addPlanFormat(fs *flag.FlagSet) *planFormat {
	p := &planFormat{}
	fs.StringVar(&p.format, "format", "table", "show the plan as a `table`, as json for CI, or as svg: the stack's picture with each change marked")
	return p
}

// check validates the flag; JSON and the picture need a change set that is
// not executed.
func (p *planFormat) check(noExecute bool) error {
	switch {
	case p.format != "table" && p.format != "svg" && p.format != "json":
		return usageErrorf("--format %q: want table, json or svg", p.format)
	case p.format == "svg" && !noExecute:
		return &usageError{msg: "--format svg needs --no-execute", hint: "or draw the change with: cfngen diff --format svg"}
	case p.format == "json" && !noExecute:
		return &usageError{msg: "--format json needs --no-execute", hint: "or print the plan as JSON with: cfngen diff --format json"}
	}
	return nil
}

// deployer keeps the table off stdout when JSON or the picture goes there.
func (p *planFormat) deployer(d *deploy.Deployer) *deploy.Deployer {
	if p.format != "table" {
		d.Out = io.Discard
	}
	return d
}

// write writes the plan as JSON, or draws the change set on the picture of
// the template, on stdout, also on ErrNoChanges (a plan without changes).
// The resources it removes are drawn where they are in the stack's current
// template.
func (p *planFormat) write(ctx context.Context, e *env, c *clients, in deploy.Input, cs *deploy.ChangeSet, err error) error {
	if p.format == "table" || err != nil && !errors.Is(err, deploy.ErrNoChanges) {
		return nil
	}
	if p.format == "json" {
		if cs == nil {
			cs = &deploy.ChangeSet{StackName: in.StackName, Notes: []string{"no changes: the stack is up to date"}}
		}
		return cs.WriteJSON(e.stdout)
	}
	plan := &cfngraph.Plan{}
	removes := false
	if cs != nil {
		for _, ch := range cs.Changes {
			plan.Changes = append(plan.Changes, cfngraph.Change{Action: ch.Action, LogicalID: ch.LogicalID, Type: ch.Type, Replacement: ch.Replaces()})
			removes = removes || ch.Action == "Remove"
		}
	}
	if removes {
		plan.Previous = cs.Previous
		if plan.Previous == nil {
			plan.Previous = currentTemplate(ctx, e, c, in.StackName)
		}
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

// currentTemplate returns the stack's template, or nil with a note when it
// cannot be read: the picture then lists removed resources apart.
func currentTemplate(ctx context.Context, e *env, c *clients, stack string) []byte {
	out, err := c.cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(stack), TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		fmt.Fprintf(e.stderr, "cfngen: note: could not read the template of stack %s (%v); the picture lists removed resources apart\n", stack, err)
		return nil
	}
	return []byte(aws.ToString(out.TemplateBody))
}

// impactHints are the next steps that the plan's impact lines call for.
func impactHints(cs *deploy.ChangeSet) []string {
	if cs == nil {
		return nil
	}
	for _, im := range cs.Impact {
		if im.Kind == deploy.ImpactFleetDown {
			return []string{"to replace instances a batch at a time, keeping the site up, give the config instances.autoScaling: its group rolls out a new launch template with a rolling update"}
		}
	}
	return nil
}
