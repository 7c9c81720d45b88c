package main

import (
	"context"
)

const driftUsage = `usage: cfngen drift [-c FILE] [--stack-name NAME] [--format table|json] [--exit-code] [flags]

Drift asks CloudFormation to detect the stack's drift, waits for it with
progress on stderr, and prints on stdout each resource whose actual
configuration differs from the template, with each property difference
(path: expected -> actual). It exits 0 when the stack is in sync, and with
--exit-code 1 when it drifted. cfngen deploy --revert-drift puts the
template's values back.

Example:
  cfngen drift --stack-name web --exit-code || cfngen deploy --stack-name web --revert-drift
`

func driftCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("drift")
	target := addTargetFlags(fs)
	format := fs.String("format", "table", "print a `table` or json")
	exitCode := fs.Bool("exit-code", false, "exit 1 when the stack drifted")
	timeout := fs.Duration("timeout", 0, "stop waiting for the detection after `DURATION`")
	af := addAWSFlags(fs)
	if err := parse(e, fs, driftUsage, args); err != nil {
		return err
	}
	switch {
	case *format != "table" && *format != "json":
		return usageErrorf("--format %q: want table or json", *format)
	}
	if err := checkTimeout(*timeout); err != nil {
		return err
	}
	stack, c, err := target.connect(ctx, e, af)
	if err != nil {
		return err
	}
	d := c.deployer(e)
	rep, err := d.Drift(ctx, stack, *timeout)
	c.report(e, af)
	if err != nil {
		return explain("drift", args, af, c.region, err)
	}
	if *format == "json" {
		err = rep.WriteJSON(e.stdout)
	} else {
		err = rep.WriteText(e.stdout, d.Width)
	}
	if err != nil {
		return err
	}
	if *exitCode && rep.Drifted() {
		return &exitError{code: 1}
	}
	return nil
}
