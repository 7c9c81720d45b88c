package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/template"
)

// maxStackTags is CloudFormation's limit on stack tags.
const maxStackTags = 50

var bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// kvFlag collects repeated KEY=VALUE flags.
type kvFlag struct {
	name string
	m    map[string]string
}

func (f *kvFlag) String() string { return "" }

func (f *kvFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q: want KEY=VALUE", s)
	}
	if _, dup := f.m[k]; dup {
		return fmt.Errorf("%s given twice", k)
	}
	if f.m == nil {
		f.m = map[string]string{}
	}
	f.m[k] = v
	return nil
}

// stackFlags are the flags of the commands that build a change set.
type stackFlags struct {
	config    *string
	stackName string
	params    kvFlag
	tags      kvFlag
	s3Bucket  string
}

func addStackFlags(fs *flag.FlagSet) *stackFlags {
	f := &stackFlags{config: configFlag(fs), params: kvFlag{name: "param"}, tags: kvFlag{name: "tag"}}
	fs.StringVar(&f.stackName, "stack-name", "", "deploy as stack `NAME` (default: the config's stackName)")
	fs.Var(&f.params, "param", "override a template parameter, as `KEY=VALUE` (repeatable)")
	fs.Var(&f.tags, "tag", "add a stack tag, as `KEY=VALUE` (repeatable)")
	fs.StringVar(&f.s3Bucket, "s3-bucket", "", "upload a template over 51,200 bytes to `BUCKET`")
	return f
}

// input builds the template and the deploy input, and checks everything
// that can be checked without AWS.
func (f *stackFlags) input() (deploy.Input, error) {
	cfg, err := loadConfig(*f.config)
	if err != nil {
		return deploy.Input{}, err
	}
	name, err := stackName(f.stackName, cfg)
	if err != nil {
		return deploy.Input{}, err
	}
	st, body, sum, err := build(cfg, *f.config, "yaml")
	if err != nil {
		return deploy.Input{}, err
	}
	for _, k := range slices.Sorted(maps.Keys(f.params.m)) {
		if _, ok := st.Template.Parameters[k]; !ok {
			known := slices.Sorted(maps.Keys(st.Template.Parameters))
			return deploy.Input{}, usageErrorf("--param %s: the template has no such parameter (it has %s)", k, strings.Join(known, ", "))
		}
	}
	if len(f.tags.m) > maxStackTags {
		return deploy.Input{}, usageErrorf("--tag: %d tags; CloudFormation takes at most %d", len(f.tags.m), maxStackTags)
	}
	for _, k := range slices.Sorted(maps.Keys(f.tags.m)) {
		switch v := f.tags.m[k]; {
		case len(k) > 128:
			return deploy.Input{}, usageErrorf("--tag %s: a key is at most 128 characters", k)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return deploy.Input{}, usageErrorf("--tag %s: the aws: prefix is reserved for AWS", k)
		case len(v) > 256:
			return deploy.Input{}, usageErrorf("--tag %s: a value is at most 256 characters", k)
		}
	}
	if f.s3Bucket != "" && !bucketName.MatchString(f.s3Bucket) {
		return deploy.Input{}, usageErrorf("--s3-bucket %q: not an S3 bucket name", f.s3Bucket)
	}
	if sum.NeedsS3() && f.s3Bucket == "" {
		return deploy.Input{}, &usageError{
			msg:  fmt.Sprintf("the template is %d bytes, over the %d that CloudFormation takes inline", sum.Bytes, template.MaxBody),
			hint: "pass --s3-bucket BUCKET to upload it first",
		}
	}
	return deploy.Input{
		StackName:  name,
		Template:   body,
		Parameters: f.params.m,
		Tags:       f.tags.m,
		S3Bucket:   f.s3Bucket,
	}, nil
}

// targetFlags name an existing stack, for the commands that only read or
// delete one.
type targetFlags struct {
	config *string
	name   string
}

func addTargetFlags(fs *flag.FlagSet) *targetFlags {
	t := &targetFlags{config: configFlag(fs)}
	fs.StringVar(&t.name, "stack-name", "", "the stack `NAME` (default: the config's stackName)")
	return t
}

// stack returns the stack name: --stack-name, else the config's stackName.
func (t *targetFlags) stack() (string, error) {
	if t.name != "" {
		return stackName(t.name, nil)
	}
	cfg, err := loadConfig(*t.config)
	if err != nil {
		return "", err
	}
	return cfg.StackName, nil
}

// connect checks the AWS flags, resolves the stack name and builds the
// clients, in that order, so that bad input never reaches AWS.
func (t *targetFlags) connect(ctx context.Context, e *env, af *awsFlags) (string, *clients, error) {
	if err := af.check(); err != nil {
		return "", nil, err
	}
	stack, err := t.stack()
	if err != nil {
		return "", nil, err
	}
	c, err := e.connect(ctx, af, e.stderr)
	return stack, c, err
}

// stackName picks the stack: the flag, else the config's stackName.
func stackName(flagValue string, cfg *config.Config) (string, error) {
	if flagValue != "" {
		if err := config.ValidStackName(flagValue); err != nil {
			return "", usageErrorf("--stack-name: %v", err)
		}
		return flagValue, nil
	}
	return cfg.StackName, nil // checked by config.Validate
}
