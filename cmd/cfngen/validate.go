package main

import (
	"context"
	"fmt"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/deploy"
)

const validateUsage = `usage: cfngen validate [-c FILE] [--online [flags]]

Validate builds the template and runs the offline checks (config values,
subnet sizes, user data, CloudFormation's limits on size, resources,
parameters, outputs and description) without writing it, then prints a
one-line summary.

With --online it also runs the pre-flight checks of deploy against the
account and region: Availability Zones, Elastic IP and VPC quotas, the
certificate, the access-log bucket, the instance type against the image.
It changes nothing.

Example:
  cfngen validate -c prod.yaml
  cfngen validate -c prod.yaml --online --region eu-west-1
`

func validate(ctx context.Context, e *env, args []string) error {
	fs := newFlags("validate")
	cfgPath := configFlag(fs)
	online := fs.Bool("online", false, "also check the account and region, as deploy does before any change")
	af := addAWSFlags(fs)
	if err := parse(e, fs, validateUsage, args); err != nil {
		return err
	}
	if err := af.check(); err != nil {
		return err
	}
	if !*online && (af.profile != "" || af.region != "" || af.endpoint != "") {
		return &usageError{msg: "--profile, --region and --endpoint-url apply only with --online", hint: "add --online to check the account and region"}
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	_, body, sum, err := build(cfg, "yaml")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s\n", sum)
	if sum.NeedsS3() {
		fmt.Fprintf(e.stderr, "cfngen: note: over %d bytes: deploying needs an S3 bucket (--s3-bucket)\n", cfnrules.MaxTemplateBody)
	}
	validateNotes(e, cfg)
	if !*online {
		return nil
	}
	c, err := e.connect(ctx, af, e.stderr)
	if err != nil {
		return err
	}
	if err := preflightChecks(ctx, e, c, cfg, deploy.Input{StackName: cfg.StackName, Template: body}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: stack %s in %s: the account has what it needs\n", cfg.StackName, c.region)
	return nil
}
