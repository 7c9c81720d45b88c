package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/cfngen/cfngen/stackset"
)

const stacksetUsage = `usage: cfngen stackset deploy|status|destroy [flags]

Stackset deploys the stack to many accounts and regions through
CloudFormation StackSets: one stack set holds the template, and a stack
instance in each account and region runs it.

  deploy   create or update the stack set and its stack instances
  status   print the stack instances and the last operations
  destroy  delete the stack instances, then the stack set

Run 'cfngen stackset COMMAND -h' for the flags of a command.

Example:
  cfngen stackset deploy --org-units ou-ab12-cdef3456 --regions us-east-1,eu-west-1
  cfngen stackset status
`

func stacksetCmd(ctx context.Context, e *env, args []string) error {
	sub := map[string]command{
		"deploy":  stacksetDeploy,
		"status":  stacksetStatus,
		"destroy": stacksetDestroy,
	}
	if len(args) == 0 {
		return &usageError{msg: "stackset: name a command: deploy, status or destroy", hint: "run 'cfngen stackset -h' for help"}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, stacksetUsage)
		return nil
	}
	cmd, ok := sub[args[0]]
	if !ok {
		return usageErrorf("stackset: unknown command %q (want deploy, status or destroy)", args[0])
	}
	return cmd(ctx, e, args[1:])
}

// listFlag collects a comma-separated list; the flag may be repeated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, it := range strings.Split(s, ",") {
		if it = strings.TrimSpace(it); it == "" {
			return fmt.Errorf("%q: an item of the list is empty", s)
		}
		*l = append(*l, it)
	}
	return nil
}

// setFlags are the flags of every stackset command: which stack set, and
// as whom.
type setFlags struct {
	config  *configFiles
	name    string
	asAdmin bool
}

func addSetFlags(fs *flag.FlagSet) *setFlags {
	f := &setFlags{config: configFlag(fs)}
	fs.StringVar(&f.name, "stack-set-name", "", "the stack set `NAME` (default: the config's stackName)")
	fs.BoolVar(&f.asAdmin, "call-as-admin", false, "service-managed: act as a delegated administrator of the organization")
	return f
}

// stackSet returns the stack set name: --stack-set-name, else the
// config's stackName.
func (f *setFlags) stackSet() (string, error) { return nameOrConfig(f.name, *f.config) }

// flagOf names the flag of each Input field, for errors about them.
var flagOf = map[string]string{
	"Name":              "--stack-set-name",
	"Regions":           "--regions",
	"Accounts":          "--accounts",
	"OrgUnits":          "--org-units",
	"Model":             "--permission-model",
	"AdminRoleARN":      "--admin-role-arn",
	"ExecutionRoleName": "--execution-role-name",
	"DelegatedAdmin":    "--call-as-admin",
	"MaxConcurrent":     "--max-concurrent",
	"FailureTolerance":  "--failure-tolerance",
	"RegionOrder":       "--region-order",
}

// asUsage turns an error about an Input field into a usage error that
// names the flag.
func asUsage(err error) error {
	var ie *stackset.InputError
	if errors.As(err, &ie) {
		if f, ok := flagOf[ie.Field]; ok {
			return usageErrorf("%s: %s", f, ie.Reason)
		}
	}
	return err
}

// stackSets returns a Manager for the command's streams and terminal.
func (c *clients) stackSets(e *env) *stackset.Manager {
	return &stackset.Manager{
		CFN:      c.sets,
		EC2:      c.zones,
		Out:      e.stdout,
		Log:      e.stderr,
		Terminal: e.terminal,
		Color:    e.color(),
		Prompt:   e.prompter(),
	}
}

// stacksetExit turns the outcomes of the stackset commands into exit codes
// and the next command to type: no changes is a success; an interrupt
// says how to follow or stop the operation that goes on.
func stacksetExit(e *env, cmd string, asAdmin bool, err error) error {
	if err == nil || errors.Is(err, stackset.ErrNoChanges) {
		return nil
	}
	var oe *stackset.OperationError
	var ze *stackset.ZonesError
	var re *stackset.RoleError
	callAs := ""
	if asAdmin {
		callAs = " --call-as DELEGATED_ADMIN"
	}
	hint := ""
	switch {
	case errors.As(err, &oe) && errors.Is(err, context.Canceled):
		fmt.Fprintf(e.stderr, "  follow it: cfngen stackset status --stack-set-name %s, or run cfngen stackset %s again (it waits for the operation)\n", oe.StackSet, cmd)
		fmt.Fprintf(e.stderr, "  stop it: aws cloudformation stop-stack-set-operation --stack-set-name %s --operation-id %s%s\n", oe.StackSet, oe.ID, callAs)
		return err
	case errors.Is(err, context.Canceled):
		return err
	case errors.As(err, &re):
		hint = "a self-managed stack set needs the role " + stackset.DefaultAdminRoleName + " in this account, and in each target account the role " +
			stackset.DefaultExecutionRole + " trusted by it (see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-prereqs-self-managed.html); --admin-role-arn and --execution-role-name name others"
	case errors.As(err, &oe):
		hint = fmt.Sprintf("see each stack instance with: cfngen stackset status --stack-set-name %s; fix the cause, then run cfngen stackset %s again", oe.StackSet, cmd)
	case errors.As(err, &ze):
		hint = fmt.Sprintf("leave %s out of --regions, or lower vpc.azCount in the config", ze.Region)
	case errors.Is(err, stackset.ErrNeedsConsent):
		hint = fmt.Sprintf("re-run with --yes to %s without asking, or on a terminal to be asked", cmd)
	case errors.Is(err, stackset.ErrRemovalRefused):
		hint = "re-run with --allow-removal to delete them, or on a terminal to type the stack set name"
	case errors.Is(err, stackset.ErrPermissionModel):
		hint = "a stack set keeps its permission model: name --accounts for a SELF_MANAGED one and --org-units for a SERVICE_MANAGED one, or choose another --stack-set-name"
	case errors.Is(err, stackset.ErrUnknownOrgUnit):
		hint = "delete them by their OU: aws cloudformation delete-stack-instances --stack-set-name NAME --deployment-targets OrganizationalUnitIds=OU --regions REGION --no-retain-stacks" + callAs
	case errors.Is(err, stackset.ErrNotFound):
		hint = "list the stack sets: aws cloudformation list-stack-sets --status ACTIVE" + callAs
	}
	if hint == "" {
		return err
	}
	return &exitError{code: 1, msg: fmt.Sprintf("error: %v\ncfngen: hint: %s", err, hint)}
}
