package main

import (
	"context"
	"errors"

	"github.com/cfngen/cfngen/deploy"
)

const diffUsage = `usage: cfngen diff [-c FILE] [--stack-name NAME] [--exit-code] [flags]

Diff shows what a deploy would change: it creates a change set, prints it
on stdout and deletes it, with the empty stack of a new one. It leaves
nothing behind, also on Ctrl-C or a closed stdout, and never deletes what
it did not make, such as a change set left for review.

Example:
  cfngen diff -c prod.yaml --exit-code || echo "the stack would change"
`

func diffCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("diff")
	sf := addStackFlags(fs)
	exitCode := fs.Bool("exit-code", false, "exit 1 when there are changes, like git diff --exit-code")
	timeout := fs.Duration("timeout", 0, "stop after `DURATION`, AWS calls and waits included, and delete the change set")
	af := addAWSFlags(fs)
	if err := parse(e, fs, diffUsage, args); err != nil {
		return err
	}
	if *timeout < 0 {
		return usageErrorf("--timeout %s: want a positive duration", *timeout)
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
	_, err = c.deployer(e).Diff(ctx, in)
	c.report(e, af)
	switch {
	case errors.Is(err, deploy.ErrNoChanges):
		return nil
	case err != nil:
		return explain("diff", args, af, c.region, err)
	case *exitCode:
		return &exitError{code: 1}
	}
	return nil
}
