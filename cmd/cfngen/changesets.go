package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cfngen/cfngen/deploy"
)

const changesetsUsage = `usage: cfngen changesets [-c FILE] [--stack-name NAME] [--format table|json] [flags]

Changesets lists the stack's change sets on stdout, oldest first: name,
status, execution status, when it was made, and the counts of its changes
(to add, to modify, to remove, replaced). cfngen execute NAME runs one.

Example:
  cfngen changesets --stack-name web
  cfngen changesets --format json | jq -r '.[] | select(.executionStatus == "AVAILABLE") | .name'
`

func changesetsCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("changesets")
	target := addTargetFlags(fs)
	format := fs.String("format", "table", "print a `table` or json")
	af := addAWSFlags(fs)
	if err := parse(e, fs, changesetsUsage, args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return usageErrorf("--format %q: want table or json", *format)
	}
	stack, c, err := target.connect(ctx, e, af)
	if err != nil {
		return err
	}
	sets, err := c.deployer(e).ChangeSets(ctx, stack)
	c.report(e, af)
	if err != nil {
		return explain("changesets", args, af, c.region, err)
	}
	if len(sets) == 0 {
		fmt.Fprintf(e.stderr, "stack %s has no change sets\n", stack)
	}
	if *format == "json" {
		if sets == nil {
			sets = []deploy.ChangeSetSummary{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(sets)
	}
	if len(sets) == 0 {
		return nil
	}
	return deploy.WriteChangeSets(e.stdout, sets)
}
