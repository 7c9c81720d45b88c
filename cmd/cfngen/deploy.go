package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/cfngen/cfngen/deploy"
)

const deployUsage = `usage: cfngen deploy [-c FILE] [--stack-name NAME] [--yes] [--no-execute [--format json|svg]] [flags]

Deploy creates or updates the stack through a change set. It prints the
plan on stdout (parameters and tags that change, each resource change with
its property values, why a resource is replaced, the access that changes
and what the update does to the site), asks before executing it (--yes
does not ask), follows the stack's events on stderr and prints the outputs
on stdout. On a failure it names the cause first.

A change set that removes a resource or may replace one also needs
--allow-replacement, or a typed confirmation on a terminal; so does a
modification of which neither CloudFormation nor the prediction from the
deployed template says whether it replaces the resource. An update that
widens access (a new IAM action, principal or managed policy, a wider
security-group rule) needs --allow-broadening the same way. Without a
terminal and without --yes, deploy stops after showing the change set. An
unchanged stack is a success ("no changes"). --no-execute leaves the
change set for review; cfngen execute runs it.

Whatever stops a deploy before CloudFormation starts the change set (an
error, Ctrl-C, --timeout, a closed stdout), it deletes the change set it
made, and the empty stack when it made that, and says so. Once the change
set runs, it says how the stack stands, as read from CloudFormation.

Example:
  cfngen deploy -c prod.yaml
  cfngen deploy --yes --param InstanceType=t3.small --tag team=web
  cfngen deploy --no-execute --format json > plan.json
  cfngen deploy --yes --revert-drift
`

func deployCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("deploy")
	sf := addStackFlags(fs)
	yes := fs.Bool("yes", false, "execute the change set without asking")
	noExecute := fs.Bool("no-execute", false, "create and print the change set, and leave it for review")
	allowReplacement := fs.Bool("allow-replacement", false, "consent to change sets that remove or replace resources")
	allowBroadening := fs.Bool("allow-broadening", false, "consent to change sets that widen access: IAM permissions, security-group rules")
	revertDrift := fs.Bool("revert-drift", false, "also put back what was changed outside CloudFormation (a drift-aware change set, REVERT_DRIFT)")
	protect := fs.Bool("termination-protection", false, "turn the stack's termination protection on once deployed")
	unprotect := fs.Bool("no-termination-protection", false, "turn the stack's termination protection off once deployed")
	failOnEmpty := fs.Bool("fail-on-empty-changeset", false, "exit 1 when there are no changes")
	recreate := fs.Bool("recreate", false, "delete a stack left in ROLLBACK_COMPLETE (or another state that cannot be updated) and create it again")
	timeout := fs.Duration("timeout", 0, "stop after `DURATION` (e.g. 30m), AWS calls and waits included, prompts not; CloudFormation goes on")
	updateAMI := fs.Bool("update-ami", false, updateAMIUsage)
	pf := addPlanFormat(fs)
	af := addAWSFlags(fs)
	if err := parse(e, fs, deployUsage, args); err != nil {
		return err
	}
	switch {
	case *yes && *noExecute:
		return &usageError{msg: "--yes and --no-execute do not go together", hint: "--no-execute only creates the change set; drop one of them"}
	case *allowReplacement && *noExecute:
		return &usageError{msg: "--allow-replacement and --no-execute do not go together", hint: "--no-execute never executes the change set"}
	case *recreate && *noExecute:
		return &usageError{msg: "--recreate and --no-execute do not go together", hint: "--no-execute changes nothing"}
	case *allowBroadening && *noExecute:
		return &usageError{msg: "--allow-broadening and --no-execute do not go together", hint: "--no-execute never executes the change set"}
	case *protect && *unprotect:
		return usageErrorf("--termination-protection and --no-termination-protection do not go together")
	case (*protect || *unprotect) && *noExecute:
		return &usageError{msg: "--no-execute and termination protection do not go together", hint: "--no-execute changes nothing"}
	}
	if err := checkTimeout(*timeout); err != nil {
		return err
	}
	if err := pf.check(*noExecute); err != nil {
		return err
	}
	if err := af.check(); err != nil {
		return err
	}
	in, err := sf.input()
	if err != nil {
		return err
	}
	in.Yes, in.NoExecute, in.AllowReplacement, in.AllowBroadening = *yes, *noExecute, *allowReplacement, *allowBroadening
	in.AllowDeleteRollbackComplete, in.Timeout, in.RevertDrift = *recreate, *timeout, *revertDrift
	if *protect || *unprotect {
		in.TerminationProtection = protect
	}

	c, err := e.connect(ctx, af, e.stderr)
	if err != nil {
		return err
	}
	if err := beforeDeploy(ctx, e, c, *sf.config, &in, *updateAMI); err != nil {
		return explain("deploy", args, af, c.region, err)
	}
	res, err := pf.deployer(c.deployer(e)).Deploy(ctx, in)
	c.report(e, af)
	if werr := pf.write(ctx, e, c, in, changeSetOf(res), err); werr != nil {
		return werr
	}
	hints := impactHints(changeSetOf(res))
	if err == nil && in.NoExecute {
		cs := res.ChangeSet
		hints = append(hints, "to execute it: "+rerunExecute(cs.Name, cs.StackName, args))
	}
	return withHints(e, explain("deploy", args, af, c.region, deployExit(err, *failOnEmpty)), hints)
}

// deployExit maps the outcomes of deploy to exit codes: no changes is a
// success unless failOnEmpty.
func deployExit(err error, failOnEmpty bool) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, deploy.ErrNoChanges):
		if failOnEmpty {
			return &exitError{code: 1, msg: "error: no changes to deploy (--fail-on-empty-changeset)"}
		}
		return nil
	}
	return err // the deployer has said how to go on
}

// report says, with -v, how many AWS calls were retried.
func (c *clients) report(e *env, af *awsFlags) {
	if af.verbose {
		fmt.Fprintf(e.stderr, "cfngen: %d AWS calls retried\n", c.retries.Load())
	}
}
