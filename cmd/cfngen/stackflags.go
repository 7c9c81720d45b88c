package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/deploy"
)

// nameFlags check, by flag name, the values of the flags that name
// something in AWS; parse runs the check of every such flag given. A new
// flag that names a stack set or a change set adds its check here.
var nameFlags = map[string]func(string) error{
	"stack-name":     cfnrules.ValidStackName,
	"stack-set-name": cfnrules.ValidStackSetName,
	"s3-bucket":      cfnrules.ValidBucketName,
	"region":         cfnrules.ValidRegion,
	"profile":        validProfile,
}

var profileName = regexp.MustCompile(`^[^\x00-\x20\x7f\[\]]([^\x00-\x1f\x7f\[\]]*[^\x00-\x20\x7f\[\]])?$`)

// validProfile reports why s cannot name a profile of the shared AWS
// config files.
func validProfile(s string) error {
	if !profileName.MatchString(s) {
		return fmt.Errorf("%q is not a profile name", s)
	}
	return nil
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
	if len(f.tags.m) > cfnrules.MaxTags {
		return deploy.Input{}, usageErrorf("--tag: %d tags; CloudFormation takes at most %d", len(f.tags.m), cfnrules.MaxTags)
	}
	for _, k := range slices.Sorted(maps.Keys(f.tags.m)) {
		if err := cfnrules.ValidTag(k, f.tags.m[k]); err != nil {
			return deploy.Input{}, usageErrorf("--tag %s: %v", k, err)
		}
	}
	if sum.NeedsS3() && f.s3Bucket == "" {
		return deploy.Input{}, &usageError{
			msg:  fmt.Sprintf("the template is %d bytes, over the %d that CloudFormation takes inline", sum.Bytes, cfnrules.MaxTemplateBody),
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
func (t *targetFlags) stack() (string, error) { return nameOrConfig(t.name, *t.config) }

// nameOrConfig returns name, the value of a flag that parse checked, or,
// when the flag was not given (parse refuses an empty value), the
// stackName of the config the files make.
func nameOrConfig(name string, files configFiles) (string, error) {
	if name != "" {
		return name, nil
	}
	cfg, err := loadConfig(files)
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
