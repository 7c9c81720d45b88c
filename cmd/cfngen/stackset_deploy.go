package main

import (
	"context"
	"strings"

	"github.com/cfngen/cfngen/stackset"
	"github.com/cfngen/cfngen/template"
)

const stacksetDeployUsage = `usage: cfngen stackset deploy [-c FILE] [--stack-set-name NAME] --regions R1,R2,...
       (--org-units OU,... | --accounts ID,...) [--yes] [flags]

Stackset deploy creates the stack set (or updates it) with the template and
CAPABILITY_IAM, then adds the missing stack instances and removes those no
longer targeted. With --org-units the stack set is service-managed:
Organizations provides the roles and each account of the OUs gets the
stack. With --accounts it is self-managed: the administration role in this
account and the execution role in each target account must exist.

It prints the plan on stdout (targets to add, update and remove, and the
template's diff against the stack set's), asks before acting (--yes does
not ask), checks that each region has the Availability Zones the template
uses, follows each operation on stderr and prints the stack instances on
stdout at the end. Deleting stack instances, or resources from every
instance, also needs --allow-removal, or the stack set name typed on a
terminal. Nothing to change is a success ("no changes").

By default one region at a time, one account at a time, and no failure
tolerated: the first failure stops the operation (exit 1).

Example:
  cfngen stackset deploy --org-units ou-ab12-cdef3456 --regions us-east-1,eu-west-1
  cfngen stackset deploy --accounts 111111111111,222222222222 --regions eu-west-1 \
    --max-concurrent 2 --failure-tolerance 1 --yes
`

func stacksetDeploy(ctx context.Context, e *env, args []string) error {
	fs := newFlags("stackset deploy")
	sf := addSetFlags(fs)
	var regions, orgUnits, accounts, order listFlag
	fs.Var(&regions, "regions", "deploy to `REGIONS`, comma-separated (required)")
	fs.Var(&orgUnits, "org-units", "service-managed: deploy to each account of the organizational units `OU,...` (ou-... or the root r-...)")
	fs.Var(&accounts, "accounts", "self-managed: deploy to the accounts `ID,...`")
	model := fs.String("permission-model", "", "`self-managed` or service-managed (default: from --accounts or --org-units)")
	adminRole := fs.String("admin-role-arn", "", "self-managed: the administration role `ARN` (default: "+stackset.DefaultAdminRoleName+" in this account)")
	execRole := fs.String("execution-role-name", "", "self-managed: the execution role `NAME` in each target account (default: "+stackset.DefaultExecutionRole+")")
	maxConcurrent := fs.String("max-concurrent", "1", "deploy to at most `N` accounts (or N%) at a time in a region")
	tolerance := fs.String("failure-tolerance", "0", "stop a region after more than `N` (or N%) accounts failed")
	fs.Var(&order, "region-order", "deploy to the regions in this `ORDER` (default: the order of --regions)")
	parallel := fs.Bool("parallel-regions", false, "deploy to every region at once instead of one after another")
	yes := fs.Bool("yes", false, "deploy without asking")
	allowRemoval := fs.Bool("allow-removal", false, "consent to delete stack instances no longer targeted, and resources the template no longer has")
	af := addAWSFlags(fs)
	if err := parse(e, fs, stacksetDeployUsage, args); err != nil {
		return err
	}
	name, err := sf.check(fs)
	if err != nil {
		return err
	}
	if err := af.check(); err != nil {
		return err
	}
	in := stackset.Input{
		Name:              name,
		Regions:           regions,
		Accounts:          accounts,
		OrgUnits:          orgUnits,
		AdminRoleARN:      *adminRole,
		ExecutionRoleName: *execRole,
		DelegatedAdmin:    sf.asAdmin,
		Yes:               *yes,
		AllowRemoval:      *allowRemoval,
	}
	if in.Model, err = permissionModel(*model, orgUnits, accounts); err != nil {
		return err
	}
	if len(regions) == 0 {
		return &usageError{msg: "--regions: name the regions to deploy to", hint: "e.g. --regions us-east-1,eu-west-1"}
	}
	if in.Preferences.MaxConcurrent, err = stackset.ParseAmount(*maxConcurrent); err != nil {
		return usageErrorf("--max-concurrent: %v", err)
	}
	if in.Preferences.MaxConcurrent.N == 0 {
		return usageErrorf("--max-concurrent %s: want 1 or more, or 1%% to 100%%", *maxConcurrent)
	}
	if in.Preferences.FailureTolerance, err = stackset.ParseAmount(*tolerance); err != nil {
		return usageErrorf("--failure-tolerance: %v", err)
	}
	in.Preferences.RegionOrder, in.Preferences.ParallelRegions = order, *parallel
	if err := in.Check(); err != nil {
		return asUsage(err)
	}

	cfg, err := loadConfig(*sf.config)
	if err != nil {
		return err
	}
	_, body, sum, err := build(cfg, "yaml")
	if err != nil {
		return err
	}
	if sum.NeedsS3() {
		return usageErrorf("the template is %d bytes, over the %d that a stack set takes inline (cfngen stackset does not upload templates to S3)", sum.Bytes, template.MaxBody)
	}
	in.Template, in.MinZones = body, cfg.VPC.AZCount

	c, err := e.connect(ctx, af, e.stderr)
	if err != nil {
		return err
	}
	_, err = c.stackSets(e).Deploy(ctx, in)
	c.report(e, af)
	return stacksetExit(e, "deploy", sf.asAdmin, err)
}

// permissionModel reads --permission-model, or infers it from the targets,
// and refuses targets that do not fit it.
func permissionModel(flagValue string, orgUnits, accounts []string) (stackset.PermissionModel, error) {
	var m stackset.PermissionModel
	switch strings.ToLower(strings.ReplaceAll(flagValue, "_", "-")) {
	case "":
	case "self-managed":
		m = stackset.SelfManaged
	case "service-managed":
		m = stackset.ServiceManaged
	default:
		return "", usageErrorf("--permission-model %q: want self-managed or service-managed", flagValue)
	}
	switch {
	case len(orgUnits) > 0 && len(accounts) > 0:
		return "", &usageError{msg: "--org-units and --accounts do not go together",
			hint: "--org-units deploys a service-managed stack set, --accounts a self-managed one"}
	case len(orgUnits) == 0 && len(accounts) == 0:
		return "", &usageError{msg: "name the targets: --org-units OU,... or --accounts ID,...",
			hint: "--org-units deploys to each account of the organizational units (service-managed); --accounts to the accounts named (self-managed)"}
	case m == stackset.SelfManaged && len(orgUnits) > 0:
		return "", usageErrorf("--org-units: a self-managed stack set targets accounts: name them with --accounts")
	case m == stackset.ServiceManaged && len(accounts) > 0:
		return "", usageErrorf("--accounts: a service-managed stack set targets organizational units: name them with --org-units")
	case len(orgUnits) > 0:
		return stackset.ServiceManaged, nil
	}
	return stackset.SelfManaged, nil
}
