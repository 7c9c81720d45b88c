package main

import (
	"context"
)

const destroyUsage = `usage: cfngen destroy [-c FILE] [--stack-name NAME] [--yes] [flags]

Destroy deletes the stack and everything in it. It lists the resources that
will be deleted on stdout, asks you to type the stack name (--yes does not
ask), and follows the deletion on stderr.

Example:
  cfngen destroy --stack-name web-test
`

func destroyCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("destroy")
	target := addTargetFlags(fs)
	yes := fs.Bool("yes", false, "delete without asking")
	af := addAWSFlags(fs)
	if err := parse(e, fs, destroyUsage, args); err != nil {
		return err
	}
	stack, c, err := target.connect(ctx, e, af)
	if err != nil {
		return err
	}
	err = c.deployer(e).Destroy(ctx, stack, *yes)
	c.report(e, af)
	return err
}
