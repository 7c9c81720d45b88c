package main

import (
	"context"

	"github.com/cfngen/cfngen/stackset"
)

const stacksetDestroyUsage = `usage: cfngen stackset destroy [-c FILE] [--stack-set-name NAME] [--yes] [--retain-stacks] [flags]

Stackset destroy deletes every stack instance of the stack set, with its
stack and resources, then the stack set. It lists the stack instances on
stdout, asks you to type the stack set name (--yes does not ask) and
follows the deletions on stderr. With --retain-stacks the stacks stay in
their accounts, outside any stack set.

Example:
  cfngen stackset destroy --stack-set-name web-test
`

func stacksetDestroy(ctx context.Context, e *env, args []string) error {
	fs := newFlags("stackset destroy")
	sf := addSetFlags(fs)
	yes := fs.Bool("yes", false, "delete without asking")
	retain := fs.Bool("retain-stacks", false, "keep the stack instances' stacks in their accounts")
	af := addAWSFlags(fs)
	if err := parse(e, fs, stacksetDestroyUsage, args); err != nil {
		return err
	}
	name, err := sf.stackSet()
	if err != nil {
		return err
	}
	if err := af.check(); err != nil {
		return err
	}
	c, err := e.connect(ctx, af, e.stderr)
	if err != nil {
		return err
	}
	err = c.stackSets(e).Destroy(ctx, stackset.DestroyInput{Name: name, Yes: *yes, RetainStacks: *retain, DelegatedAdmin: sf.asAdmin})
	c.report(e, af)
	return stacksetExit(e, "destroy", sf.asAdmin, err)
}
