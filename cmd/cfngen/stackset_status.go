package main

import (
	"context"
	"encoding/json"
)

const stacksetStatusUsage = `usage: cfngen stackset status [-c FILE] [--stack-set-name NAME] [--format text|json] [flags]

Stackset status prints on stdout the stack set's stack instances (account,
region, status, detailed status, reason) and its last operations, as
tables or JSON.

Example:
  cfngen stackset status --stack-set-name web
  cfngen stackset status --format json | jq -r '.instances[] | select(.status != "CURRENT") | .account + " " + .region'
`

func stacksetStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags("stackset status")
	sf := addSetFlags(fs)
	format := fs.String("format", "text", "print `text` tables or json")
	af := addAWSFlags(fs)
	if err := parse(e, fs, stacksetStatusUsage, args); err != nil {
		return err
	}
	name, err := sf.stackSet()
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageErrorf("--format %q: want text or json", *format)
	}
	if err := af.check(); err != nil {
		return err
	}
	c, err := e.connect(ctx, af, e.stderr)
	if err != nil {
		return err
	}
	st, err := c.stackSets(e).Status(ctx, name, sf.asAdmin)
	c.report(e, af)
	if err != nil {
		return stacksetExit(e, "status", sf.asAdmin, err)
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(st)
	}
	return st.Write(e.stdout)
}
