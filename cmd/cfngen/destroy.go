package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/cfngen/cfngen/deploy"
)

const destroyUsage = `usage: cfngen destroy [-c FILE] [--stack-name NAME] [--yes] [--timeout DURATION] [flags]

Destroy deletes the stack and everything in it. It lists the resources that
will be deleted on stdout, asks you to type the stack name (--yes does not
ask), and follows the deletion on stderr. A stack that does not exist is
nothing to delete: exit 0.

Example:
  cfngen destroy --stack-name web-test
`

func destroyCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("destroy")
	target := addTargetFlags(fs)
	yes := fs.Bool("yes", false, "delete without asking")
	timeout := fs.Duration("timeout", 0, "stop following after `DURATION` (e.g. 30m), AWS calls and waits included, the prompt not; CloudFormation goes on")
	af := addAWSFlags(fs)
	if err := parse(e, fs, destroyUsage, args); err != nil {
		return err
	}
	if err := checkTimeout(*timeout); err != nil {
		return err
	}
	stack, c, err := target.connect(ctx, e, af)
	if err != nil {
		return err
	}
	err = c.deployer(e).Destroy(ctx, deploy.DestroyInput{StackName: stack, Yes: *yes, Timeout: *timeout})
	c.report(e, af)
	if errors.Is(err, deploy.ErrStackNotFound) {
		fmt.Fprintf(e.stderr, "no stack %s: nothing to delete\n", stack)
		return nil
	}
	return explain("destroy", args, af, c.region, err)
}
