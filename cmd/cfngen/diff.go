package main

import (
	"context"
	"errors"

	"github.com/cfngen/cfngen/deploy"
)

const diffUsage = `usage: cfngen diff [-c FILE] [--stack-name NAME] [--exit-code] [--format table|json|svg] [flags]
       cfngen diff [-c FILE] --against TEMPLATE [--param KEY=VALUE] [--exit-code]

Diff shows what a deploy would change: it creates a change set, prints the
plan on stdout (as deploy does) and deletes the change set, with the empty
stack of a new one. It leaves nothing behind, also on Ctrl-C or a closed
stdout, and never deletes what it did not make, such as a change set left
for review. With --format json it prints the plan for a program to read;
with --format svg it draws the stack's architecture with each change marked.

With --against it makes no AWS call: it predicts the change set of an
update from TEMPLATE, the previous template ("-" for stdin), from
CloudFormation's resource schemas. A "?" marks a property that may change
with values known only at deploy time.

Example:
  cfngen diff -c prod.yaml --exit-code || echo "the stack would change"
  cfngen diff -c prod.yaml --against deployed.yaml
  cfngen diff -c prod.yaml --format json | jq '.changes[] | select(.risk != "")'
  cfngen diff -c prod.yaml --format svg > plan.svg
`

func diffCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("diff")
	sf := addStackFlags(fs)
	exitCode := fs.Bool("exit-code", false, "exit 1 when there are changes, like git diff --exit-code")
	against := fs.String("against", "", "predict the update from the template in `FILE` instead; no AWS call")
	updateAMI := fs.Bool("update-ami", false, updateAMIUsage)
	pf := addPlanFormat(fs)
	timeout := fs.Duration("timeout", 0, "stop after `DURATION`, AWS calls and waits included, and delete the change set")
	af := addAWSFlags(fs)
	if err := parse(e, fs, diffUsage, args); err != nil {
		return err
	}
	if err := checkTimeout(*timeout); err != nil {
		return err
	}
	if err := pf.check(true); err != nil {
		return err
	}
	if *against != "" {
		if pf.format != "table" {
			return usageErrorf("--against and --format %s do not go together yet: --against prints a table", pf.format)
		}
		if *updateAMI {
			return usageErrorf("--update-ami and --against do not go together: --against compares templates only; pass --param PinnedImageId=ami-... for the image")
		}
		return diffAgainst(e, sf, *against, *exitCode)
	}
	if err := af.check(); err != nil {
		return err
	}
	in, err := sf.input()
	if err != nil {
		return err
	}
	in.Timeout = *timeout
	c, err := e.connect(ctx, af, e.stderr)
	if err != nil {
		return err
	}
	if err := beforeDeploy(ctx, e, c, *sf.config, &in, *updateAMI); err != nil {
		return explain("diff", args, af, c.region, err)
	}
	cs, err := pf.deployer(c.deployer(e)).Diff(ctx, in)
	c.report(e, af)
	if werr := pf.write(ctx, e, c, in, cs, err); werr != nil {
		return werr
	}
	switch {
	case errors.Is(err, deploy.ErrNoChanges):
		return nil
	case err != nil:
		return explain("diff", args, af, c.region, err)
	}
	if err := withHints(e, nil, impactHints(cs)); err != nil {
		return err
	}
	if *exitCode {
		return &exitError{code: 1}
	}
	return nil
}
