package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmptyAndMalformedNames: on every command that talks to AWS, a flag
// given an empty value (an unset variable) or a name AWS would refuse is
// an error naming the flag, exit 2, before any AWS call. An empty
// --stack-name never falls back to the config's stack.
func TestEmptyAndMalformedNames(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "web.yaml")
	if err := os.WriteFile(cfg, []byte("stackName: web-prod\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	common := []struct {
		args []string
		want string
	}{
		{[]string{"--stack-name", ""}, `--stack-name is empty`},
		{[]string{"--stack-name="}, `--stack-name is empty`},
		{[]string{"--stack-name", "web prod"}, `--stack-name: stack name "web prod" must start with a letter`},
		{[]string{"--region", "us east"}, `--region: "us east" is not an AWS region such as us-east-1`},
		{[]string{"--region", "US-EAST-1"}, `--region: "US-EAST-1" is not an AWS region`},
		{[]string{"--region", ""}, `--region is empty`},
		{[]string{"--profile", ""}, `--profile is empty`},
		{[]string{"--profile", " prod"}, `--profile: " prod" is not a profile name`},
		{[]string{"--profile", "a]b"}, `--profile: "a]b" is not a profile name`},
		{[]string{"--endpoint-url", ""}, `--endpoint-url is empty`},
		{[]string{"-c", ""}, `-c is empty`},
		{[]string{"--config", ""}, `--config is empty`},
	}
	changeSets := []struct {
		args []string
		want string
	}{
		{[]string{"--s3-bucket", ""}, `--s3-bucket is empty`},
		{[]string{"--s3-bucket", "a..b"}, `--s3-bucket: "a..b" is not an S3 bucket name`},
		{[]string{"--tag", "team="}, `--tag team: a tag value is 1 to 256 characters`},
		{[]string{"--param", "InstanceType="}, `--param InstanceType: the value is empty`},
		{[]string{"--param", "InstanceType=t3 small"}, `--param InstanceType: "t3 small" is not an instance type such as t3.micro`},
	}
	commands := map[string][]string{
		"deploy":  {"--yes"},
		"diff":    nil,
		"outputs": nil,
		"destroy": {"--yes"},
	}
	for cmd, base := range commands {
		cases := common
		if cmd == "deploy" || cmd == "diff" {
			cases = append(cases, changeSets...)
		}
		for _, tc := range cases {
			args := append(append([]string{cmd, "-c", cfg}, base...), tc.args...)
			if tc.args[0] == "-c" || tc.args[0] == "--config" {
				args = append(append([]string{cmd}, base...), tc.args...)
			}
			code, stdout, stderr, connected, calls := runFake(t, args...)
			if code != 2 || connected || calls > 0 || stdout != "" {
				t.Errorf("%q: exit %d, AWS reached %v (%d calls), stdout %q; want exit 2, no AWS, no stdout", args, code, connected, calls, stdout)
			}
			if !strings.HasPrefix(stderr, "cfngen: error: "+tc.want) {
				t.Errorf("%q: stderr %q does not start with %q", args, stderr, "cfngen: error: "+tc.want)
			}
			if strings.Contains(stderr, "web-prod") {
				t.Errorf("%q: the config's stack came into play:\n%s", args, stderr)
			}
		}
	}
}

// TestEmptyFileFlags: the commands that work offline refuse empty file
// names too, rather than fall back to the built-in stack or stdout.
func TestEmptyFileFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-c", ""}, {"synth", "--config="}, {"synth", "-o", ""}, {"synth", "--check", ""}, {"synth", "--format", ""},
		{"validate", "-c", ""}, {"graph", "-c", ""}, {"graph", "--format="},
	} {
		code, stdout, stderr, _, _ := runFake(t, args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, " is empty\ncfngen: hint: give ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and an error naming the empty flag", args, code, stdout, stderr)
		}
	}
}

// TestStackNameReachesUserData: with --stack-name, .StackName in the user
// data is the name of the stack deployed, not the config's.
func TestStackNameReachesUserData(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ud.tmpl"), []byte("#!/bin/sh\necho stack={{.StackName}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "web.yaml")
	if err := os.WriteFile(cfg, []byte("stackName: web-prod\ninstances:\n  userData: ud.tmpl\n  signal: false\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "web-prod"},
		{[]string{"--stack-name", "web-test"}, "web-test"},
	} {
		fs := newFlags("deploy")
		sf := addStackFlags(fs)
		if err := parse(&env{}, fs, "", append([]string{"-c", cfg}, tc.args...)); err != nil {
			t.Fatal(err)
		}
		in, err := sf.input()
		if err != nil {
			t.Fatal(err)
		}
		if in.StackName != tc.want || !strings.Contains(string(in.Template), "echo stack="+tc.want+"\n") {
			t.Errorf("%q: stack %q, user data:\n%s", tc.args, in.StackName, in.Template)
		}
	}
}

// TestNameFlagsCoverTheirFlags: every flag that nameFlags checks exists in
// some command, so that a renamed flag cannot silently lose its check.
func TestNameFlagsCoverTheirFlags(t *testing.T) {
	seen := map[string]bool{}
	for _, add := range []func(*flag.FlagSet){
		func(fs *flag.FlagSet) { addStackFlags(fs) },
		func(fs *flag.FlagSet) { addTargetFlags(fs) },
		func(fs *flag.FlagSet) { addSetFlags(fs) },
		func(fs *flag.FlagSet) { addAWSFlags(fs) },
	} {
		fs := newFlags("x")
		add(fs)
		fs.VisitAll(func(f *flag.Flag) { seen[f.Name] = true })
	}
	for name := range nameFlags {
		if !seen[name] {
			t.Errorf("nameFlags checks --%s, which no command has", name)
		}
	}
}

// TestMalformedRegionFromEnvironment: a region that AWS_REGION or the
// profile gives is checked as --region is: exit 2, naming where it came
// from, before any AWS call (the endpoint is a closed port).
func TestMalformedRegionFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "config")
	if err := os.WriteFile(cfgFile, []byte("[profile odd]\nregion = US-EAST-1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_CONFIG_FILE", cfgFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	for _, tc := range []struct {
		region, profile, want string
	}{
		{"us east", "", `AWS_REGION: "us east" is not an AWS region such as us-east-1`},
		{"", "odd", `the profile's region: "US-EAST-1" is not an AWS region such as us-east-1`},
	} {
		t.Setenv("AWS_REGION", tc.region)
		f := &awsFlags{profile: tc.profile, endpoint: "http://127.0.0.1:1", callTimeout: defaultCallTimeout}
		_, err := connectAWS(t.Context(), f, io.Discard)
		var ue *usageError
		if !errors.As(err, &ue) || ue.msg != tc.want {
			t.Errorf("AWS_REGION %q, profile %q: %v; want the usage error %q", tc.region, tc.profile, err, tc.want)
		}
	}
}
