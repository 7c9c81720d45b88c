package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cfngen/cfngen/deploy"
)

const outputsUsage = `usage: cfngen outputs [-c FILE] [--stack-name NAME] [--format text|json] [flags]

Outputs prints the stack's outputs on stdout: a table, or JSON.

Example:
  cfngen outputs --stack-name web --format json | jq -r '.[] | select(.Key == "URL") | .Value'
`

func outputsCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("outputs")
	target := addTargetFlags(fs)
	format := fs.String("format", "text", "print a `text` table or json")
	af := addAWSFlags(fs)
	if err := parse(e, fs, outputsUsage, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("--format %q: want text or json", *format)
	}
	stack, c, err := target.connect(ctx, e, af)
	if err != nil {
		return err
	}
	outs, err := c.deployer(e).Outputs(ctx, stack)
	if err != nil {
		return explain("outputs", args, af, c.region, err)
	}
	if len(outs) == 0 {
		fmt.Fprintf(e.stderr, "stack %s has no outputs\n", stack)
	}
	if *format == "json" {
		if outs == nil {
			outs = []deploy.Output{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(outs)
	}
	if len(outs) == 0 {
		return nil
	}
	return deploy.WriteOutputs(e.stdout, outs)
}
