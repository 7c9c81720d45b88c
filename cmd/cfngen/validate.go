package main

import (
	"context"
	"fmt"

	"github.com/cfngen/cfngen/template"
)

const validateUsage = `usage: cfngen validate [-c FILE]

Validate builds the template and runs the offline checks (config values,
user data, CloudFormation's limits on size, resources, parameters, outputs
and description) without writing it, then prints a one-line summary.

Example:
  cfngen validate -c prod.yaml
`

func validate(ctx context.Context, e *env, args []string) error {
	fs := newFlags("validate")
	cfgPath := configFlag(fs)
	if err := parse(e, fs, validateUsage, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	_, _, sum, err := build(cfg, "yaml")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "ok: %s\n", sum)
	if sum.NeedsS3() {
		fmt.Fprintf(e.stderr, "cfngen: note: over %d bytes: deploying needs an S3 bucket (--s3-bucket)\n", template.MaxBody)
	}
	validateNotes(e, cfg)
	return nil
}
