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

var (
	bucketName  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	regionName  = regexp.MustCompile(`^[a-z]{2,}(-[a-z]+)+-[0-9]{1,2}$`)
	profileName = regexp.MustCompile(`^[^\x00-\x20\x7f\[\]]([^\x00-\x1f\x7f\[\]]*[^\x00-\x20\x7f\[\]])?$`)
)

// nameFlags check, by flag name, the values of the flags that name
// something in AWS; parse runs the check of every such flag given. A new
// flag that names a stack set or a change set adds its check here.
var nameFlags = map[string]func(string) error{
	"stack-name": config.ValidStackName,
	"s3-bucket":  match(bucketName, "not an S3 bucket name", ".."),
	"region":     match(regionName, "not an AWS region such as us-east-1", ""),
	"profile":    match(profileName, "not a profile name", ""),
}

// match returns a check that a value matches re and does not hold bad.
func match(re *regexp.Regexp, reason, bad string) func(string) error {
	return func(s string) error {
		if !re.MatchString(s) || bad != "" && strings.Contains(s, bad) {
			return fmt.Errorf("%q is %s", s, reason)
		}
		return nil
	}
}

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
	config    *configFiles
	stackName string
	params    kvFlag
	tags      kvFlag
	s3Bucket  string
}

func addStackFlags(fs *flag.FlagSet) *stackFlags {
	f := &stackFlags{config: configFlag(fs), params: kvFlag{name: "param"}, tags: kvFlag{name: "tag"}}
	fs.StringVar(&f.stackName, "stack-name", "", "the stack `NAME` (default: the config's stackName)")
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
	if f.stackName != "" {
		// The stack deployed, and .StackName in the user data.
		cfg.StackName = f.stackName
	}
	st, body, sum, err := build(cfg, "yaml")
	if err != nil {
		return deploy.Input{}, err
	}
	for _, k := range slices.Sorted(maps.Keys(f.params.m)) {
		if _, ok := st.Template.Parameters[k]; !ok {
			known := slices.Sorted(maps.Keys(st.Template.Parameters))
			return deploy.Input{}, usageErrorf("--param %s: the template has no such parameter (it has %s)", k, strings.Join(known, ", "))
		}
		switch v := f.params.m[k]; {
		case v == "":
			return deploy.Input{}, usageErrorf("--param %s: the value is empty", k)
		case k == "InstanceType":
			if err := config.ValidInstanceType(v); err != nil {
				return deploy.Input{}, usageErrorf("--param InstanceType: %v", err)
			}
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
		case v == "" || len(v) > 256:
			return deploy.Input{}, usageErrorf("--tag %s: a value is 1 to 256 characters", k)
		}
	}
	if sum.NeedsS3() && f.s3Bucket == "" {
		return deploy.Input{}, &usageError{
			msg:  fmt.Sprintf("the template is %d bytes, over the %d that CloudFormation takes inline", sum.Bytes, template.MaxBody),
			hint: "pass --s3-bucket BUCKET to upload it first",
		}
	}
	return deploy.Input{
		StackName:  cfg.StackName,
		Template:   body,
		Parameters: f.params.m,
		Tags:       f.tags.m,
		S3Bucket:   f.s3Bucket,
	}, nil
}

// targetFlags name an existing stack, for the commands that only read or
// delete one.
type targetFlags struct {
	config *configFiles
	name   string
}

func addTargetFlags(fs *flag.FlagSet) *targetFlags {
	t := &targetFlags{config: configFlag(fs)}
	fs.StringVar(&t.name, "stack-name", "", "the stack `NAME` (default: the config's stackName)")
	return t
}

// stack returns the stack name: --stack-name, else the config's stackName.
// parse refused an empty --stack-name, so empty means not given.
func (t *targetFlags) stack() (string, error) {
	if t.name != "" {
		return t.name, nil
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
