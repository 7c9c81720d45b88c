package main

import (
	"context"
	"strings"

	"github.com/cfngen/cfngen/deploy"
)

const executeUsage = `usage: cfngen execute CHANGE_SET [--stack-name NAME] [--yes] [--allow-replacement] [--allow-broadening] [flags]

Execute runs a change set that exists, such as one that deploy --no-execute
left for review: the change set that was reviewed is the one executed. It
reads the change set, prints its plan on stdout as deploy does, asks for
the same consent (removals and replacements need --allow-replacement,
wider access --allow-broadening, even with --yes), executes it, follows the
stack's events on stderr and prints the outputs. It never deletes the
change set: without consent it leaves it as it is. CHANGE_SET is a name
(of a change set of --stack-name, or of the config's stack) or an ARN.

Example:
  cfngen deploy --no-execute -c prod.yaml > plan.txt
  cfngen execute cfngen-20261201154754-cb22 -c prod.yaml
`

// validChangeSetName is CloudFormation's rule for a change set's name: a
// letter, then letters, digits and hyphens, 128 at most.
func validChangeSetName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, c := range s {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c != '-' && (c < '0' || c > '9')) {
			return false
		}
	}
	return true
}

func executeCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("execute")
	target := addTargetFlags(fs)
	yes := fs.Bool("yes", false, "execute without asking")
	allowReplacement := fs.Bool("allow-replacement", false, "consent to a change set that removes or replaces resources")
	allowBroadening := fs.Bool("allow-broadening", false, "consent to a change set that widens access: IAM permissions, security-group rules")
	timeout := fs.Duration("timeout", 0, "stop after `DURATION` (e.g. 30m), AWS calls and waits included, prompts not; CloudFormation goes on")
	af := addAWSFlags(fs)
	name, rest := "", args
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, rest = args[0], args[1:]
	}
	if err := parse(e, fs, executeUsage, rest); err != nil {
		return err
	}
	arn := strings.HasPrefix(name, "arn:") && strings.Contains(name, ":changeSet/")
	switch {
	case name == "":
		return &usageError{msg: "execute: name the change set", hint: "cfngen execute CHANGE_SET; cfngen changesets lists them"}
	case !arn && !validChangeSetName(name):
		return usageErrorf("execute: %q is not a change set name (a letter, then letters, digits and hyphens, at most 128) nor a change set ARN", name)
	}
	if err := checkTimeout(*timeout); err != nil {
		return err
	}
	var stack string
	var c *clients
	var err error
	if arn && target.name == "" {
		if err := af.check(); err != nil {
			return err
		}
		c, err = e.connect(ctx, af, e.stderr)
	} else {
		stack, c, err = target.connect(ctx, e, af)
	}
	if err != nil {
		return err
	}
	res, err := c.deployer(e).Execute(ctx, deploy.ExecuteInput{
		StackName: stack, ChangeSet: name, Yes: *yes,
		AllowReplacement: *allowReplacement, AllowBroadening: *allowBroadening, Timeout: *timeout,
	})
	c.report(e, af)
	return withHints(e, explain("execute", args, af, c.region, err), impactHints(changeSetOf(res)))
}
