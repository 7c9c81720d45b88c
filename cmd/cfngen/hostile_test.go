package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// noAWS is a CloudFormation client that counts calls and serves none: each
// fails with err, or errNoAWS.
type noAWS struct {
	calls atomic.Int64
	err   error
}

var errNoAWS = errors.New("no AWS call is expected here")

func (f *noAWS) call() error {
	f.calls.Add(1)
	if f.err != nil {
		return f.err
	}
	return errNoAWS
}

func (f *noAWS) DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return nil, f.call()
}
func (f *noAWS) ListStackResources(context.Context, *cloudformation.ListStackResourcesInput, ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	return nil, f.call()
}
func (f *noAWS) CreateChangeSet(context.Context, *cloudformation.CreateChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	return nil, f.call()
}
func (f *noAWS) ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	return nil, f.call()
}
func (f *noAWS) GetTemplate(context.Context, *cloudformation.GetTemplateInput, ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	return nil, f.call()
}
func (f *noAWS) ListChangeSets(context.Context, *cloudformation.ListChangeSetsInput, ...func(*cloudformation.Options)) (*cloudformation.ListChangeSetsOutput, error) {
	return nil, f.call()
}
func (f *noAWS) UpdateTerminationProtection(context.Context, *cloudformation.UpdateTerminationProtectionInput, ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DescribeEvents(context.Context, *cloudformation.DescribeEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeEventsOutput, error) {
	return nil, f.call()
}
func (f *noAWS) ListHookResults(context.Context, *cloudformation.ListHookResultsInput, ...func(*cloudformation.Options)) (*cloudformation.ListHookResultsOutput, error) {
	return nil, f.call()
}
func (f *noAWS) GetHookResult(context.Context, *cloudformation.GetHookResultInput, ...func(*cloudformation.Options)) (*cloudformation.GetHookResultOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DetectStackDrift(context.Context, *cloudformation.DetectStackDriftInput, ...func(*cloudformation.Options)) (*cloudformation.DetectStackDriftOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DescribeStackDriftDetectionStatus(context.Context, *cloudformation.DescribeStackDriftDetectionStatusInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
	return nil, f.call()
}
func (f *noAWS) DescribeStackResourceDrifts(context.Context, *cloudformation.DescribeStackResourceDriftsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
	return nil, f.call()
}

// runFake runs cfngen in this process with a fake in place of AWS and
// reports the exit code, the output, and whether AWS was reached.
func runFake(t *testing.T, args ...string) (code int, stdout, stderr string, connected bool, calls int64) {
	t.Helper()
	var out, errb bytes.Buffer
	fake := &noAWS{}
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" },
		connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
			connected = true
			return &clients{cfn: fake, region: "us-east-1", retries: new(atomic.Int64)}, nil
		},
	}
	err := safeRun(context.Background(), func() error { return e.run(context.Background(), args) })
	code = exitCode(&errb, err)
	return code, out.String(), errb.String(), connected, fake.calls.Load()
}

// TestHostileConfigs: each malformed or hostile config gets one clear error
// that names the key and the reason, exit code 2, no panic or stack trace,
// and no AWS call.
func TestHostileConfigs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("loop.tmpl", `{{define "a"}}{{template "a"}}{{end}}{{template "a"}}`)
	write("readfile.tmpl", `{{readFile "/etc/passwd"}}`)
	write("undefined.tmpl", `#!/bin/bash
echo {{.Nope}}`)
	write("secret.tmpl", "#!/bin/bash\nexport AWS_SECRET_ACCESS_KEY=abc\naws_secret_access_key = wJalrXUtnFEMI\n")
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"

	cases := []struct {
		name, config string // config text; or a path when it starts with "@"
		want         string // a regexp the one error line must match
	}{
		{"unknown key", "stackname: web", `stackname: unknown key`},
		{"unknown nested key", "vpc:\n  cidrBlock: 10.0.0.0/16", `:2: vpc.cidrBlock: unknown key`},
		{"misspelt section", "instance:\n  count: 3", `instance: unknown key`},
		{"string for number", "instances:\n  count: many", `instances.count: want a whole number, got the string "many"`},
		{"number for string", "stackName: 42", `stackName: want a string, got the number 42`},
		{"list for mapping", "vpc: [a, b]", `vpc: want a mapping, got a list`},
		{"mapping for bool", "vpc:\n  flowLogs: {on: true}", `vpc.flowLogs: want true or false, got a mapping`},
		{"null value", "instances:\n  type:", `instances.type: want a string, got no value`},
		{"huge number", "instances:\n  count: 1000000000000000000000", `instances.count: 1000000000000000000000 is out of range`},
		{"huge int32", "vpc:\n  azCount: 4294967296", `vpc.azCount: 4294967296 is out of range`},
		{"negative count", "instances:\n  count: -3", `instances.count: -3 is outside 1 to 500`},
		{"zero instances", "instances:\n  count: 0", `instances.count: 0 is outside 1 to 500`},
		{"500 instances", "instances:\n  count: 500", `instances.count: the template would hold 529 resources, 29 over CloudFormation's limit of 500`},
		{"seven AZs", "vpc:\n  azCount: 7", `vpc.azCount: 7 is outside 2 to 6`},
		{"bad CIDR", "vpc:\n  cidr: 10.0.0.0/40", `vpc.cidr: "10.0.0.0/40" is not an IPv4 CIDR block`},
		{"subnets do not fit", "vpc:\n  cidr: 10.0.0.0/26\n  subnetMask: 28\n  azCount: 3", `vpc.subnetMask: 6 subnets of /28 do not fit in 10.0.0.0/26 \(room for 4\)`},
		{"overlapping subnets", "vpc:\n  publicSubnets: [10.0.0.0/24, 10.0.1.0/24]\n  privateSubnets: [10.0.1.0/25, 10.0.3.0/24]", `vpc.privateSubnets\[0\]: 10.0.1.0/25 overlaps vpc.publicSubnets\[1\]`},
		{"subnet outside VPC", "vpc:\n  publicSubnets: [192.168.0.0/24, 10.0.1.0/24]\n  privateSubnets: [10.0.2.0/24, 10.0.3.0/24]", `vpc.publicSubnets\[0\]: 192.168.0.0/24 does not fit in the VPC 10.0.0.0/16`},
		{"NAT count", "vpc:\n  azCount: 3\n  natGateways: 2", `vpc.natGateways: 2: want 0, 1 or one per AZ \(3\)`},
		{"not an ACM ARN", "loadBalancer:\n  certificateArn: arn:aws:s3:::bucket", `loadBalancer.certificateArn: "arn:aws:s3:::bucket" is not an ACM certificate ARN`},
		{"bad stack name", "stackName: -web", `stackName: stack name "-web" must start with a letter`},
		{"alias bomb", bomb, `YAML anchors and aliases are not allowed`},
		{"merge key", "base: &b {count: 2}\ninstances:\n  <<: *b", `YAML anchors and aliases are not allowed`},
		{"binary garbage", "\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe", `not a YAML file: it holds NUL bytes`},
		{"invalid UTF-8", "stackName: \xff\xfe\xfd", `not valid YAML`},
		{"tab indentation", "vpc:\n\tazCount: 3", `not valid YAML`},
		{"two documents", "stackName: a\n---\nstackName: b\n", `holds more than one YAML document`},
		{"10 MB file", "description: " + strings.Repeat("x", 10<<20), `larger than 1024 KiB`},
		{"user data loops", "instances:\n  userData: loop.tmpl", `instances.userData: loop.tmpl: .*(exceeded maximum template depth|renders to more than)`},
		{"user data reads files", "instances:\n  userData: readfile.tmpl", `instances.userData: readfile.tmpl does not parse: .*function "readFile" not defined`},
		{"user data undefined field", "instances:\n  userData: undefined.tmpl", `instances.userData: undefined.tmpl: .*can't evaluate field Nope`},
		{"user data secret", "instances:\n  userData: secret.tmpl", `instances.userData: secret.tmpl: line 2 of the rendered script looks like an AWS secret access key`},
		{"user data missing", "instances:\n  userData: gone.tmpl", `instances.userData: cannot read gone.tmpl: no such file or directory`},
		{"user data is a directory", "instances:\n  userData: adir", `instances.userData: adir is not a regular file`},
		{"config is a directory", "@" + filepath.Join(dir, "adir"), `adir: is a directory, not a config file`},
		{"config is missing", "@" + filepath.Join(dir, "nope.yaml"), `nope.yaml: no such file`},
		{"config is unreadable", "@/proc/self/mem", `/proc/self/mem: cannot read: input/output error`},
		{"tag with empty value", "tags:\n  team: ''", `tags.team: a tag value is 1 to 256 characters`},
		{"reserved tag", "tags:\n  'aws:owner': me", `tags.aws:owner: the aws: prefix is reserved for AWS`},
	}
	if len(cases) < 30 {
		t.Fatalf("%d cases; the table keeps at least 30", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := strings.TrimPrefix(tc.config, "@")
			if !strings.HasPrefix(tc.config, "@") {
				path = write(strings.ReplaceAll(tc.name, " ", "-")+".yaml", tc.config)
			}
			for _, args := range [][]string{{"deploy", "--yes", "-c", path}, {"validate", "-c", path}} {
				code, stdout, stderr, connected, calls := runFake(t, args...)
				if code != 2 {
					t.Errorf("%s: exit %d, want 2\n%s", args[0], code, stderr)
				}
				if connected || calls > 0 {
					t.Errorf("%s: AWS was reached (%d calls)", args[0], calls)
				}
				if stdout != "" {
					t.Errorf("%s: wrote to stdout: %q", args[0], stdout)
				}
				lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
				if len(lines) != 1 || !strings.HasPrefix(lines[0], "cfngen: error: ") {
					t.Errorf("%s: want one error line, got:\n%s", args[0], stderr)
				}
				if !regexp.MustCompile(tc.want).MatchString(stderr) {
					t.Errorf("%s: error %q does not match %q", args[0], strings.TrimSpace(stderr), tc.want)
				}
				if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") || strings.Contains(stderr, "internal error") {
					t.Errorf("%s: a panic reached the user:\n%s", args[0], stderr)
				}
			}
		})
	}
}

// TestHostileFlags: bad flags get one named error, exit code 2, and no
// AWS call.
func TestHostileFlags(t *testing.T) {
	checkBadFlags(t, []badFlags{
		{[]string{"deploy", "--bogus"}, `flag provided but not defined: -bogus`},
		{[]string{"deploy", "--stack-name"}, `flag needs an argument: -stack-name`},
		{[]string{"deploy", "--param"}, `flag needs an argument: -param`},
		{[]string{"deploy", "--yes", "--no-execute"}, `--yes and --no-execute do not go together`},
		{[]string{"deploy", "--allow-replacement", "--no-execute"}, `--allow-replacement and --no-execute do not go together`},
		{[]string{"deploy", "--recreate", "--no-execute"}, `--recreate and --no-execute do not go together`},
		{[]string{"deploy", "--param", "InstanceType"}, `"InstanceType": want KEY=VALUE`},
		{[]string{"deploy", "--param", "=t3.small"}, `"=t3.small": want KEY=VALUE`},
		{[]string{"deploy", "--param", "Size=1"}, `--param Size: the template has no such parameter`},
		{[]string{"deploy", "--tag", "team"}, `"team": want KEY=VALUE`},
		{[]string{"deploy", "--tag", "aws:x=y"}, `--tag aws:x: the aws: prefix is reserved`},
		{[]string{"deploy", "--tag", strings.Repeat("k", 129) + "=v"}, `: a tag key is 1 to 128 characters`},
		{[]string{"deploy", "--stack-name", "web_1"}, `--stack-name: stack name "web_1" must start with a letter and hold only letters, digits and hyphens`},
		{[]string{"deploy", "--stack-name", "a" + strings.Repeat("b", 128)}, `--stack-name: stack name is 129 characters; the limit is 128`},
		{[]string{"deploy", "--timeout", "-1m"}, `--timeout -1m0s: want a positive duration`},
		{[]string{"diff", "--timeout", "-1m"}, `--timeout -1m0s: want a positive duration`},
		{[]string{"deploy", "--call-timeout", "0"}, `invalid value "0" for flag -call-timeout: want a positive duration`},
		{[]string{"outputs", "--call-timeout", "soon"}, `invalid value "soon" for flag -call-timeout: want a duration such as 30s or 2m`},
		{[]string{"deploy", "--endpoint-url", "ftp://x"}, `--endpoint-url "ftp://x": want an http:// or https:// URL`},
		{[]string{"deploy", "--s3-bucket", "UPPER"}, `--s3-bucket: "UPPER" is not an S3 bucket name`},
		{[]string{"deploy", "extra"}, `deploy: unexpected argument "extra"`},
		{[]string{"diff", "--stack-name", "9"}, `--stack-name: stack name "9" must start with a letter`},
		{[]string{"destroy", "--stack-name", "x y"}, `--stack-name: stack name "x y" must start with a letter`},
		{[]string{"outputs", "--format", "xml"}, `--format "xml": want text or json`},
		{[]string{"synth", "--format", "toml"}, `--format "toml": want yaml or json`},
		{[]string{"graph", "--format", "png"}, `--format "png": want dot, svg or mermaid`},
		{[]string{"nope"}, `unknown command "nope"`},
	})
}

// badFlags is a command line and part of the one error it gets.
type badFlags struct {
	args []string
	want string
}

// checkBadFlags runs each command line against a fake AWS: exit 2, no
// AWS call, nothing on stdout, and the error.
func checkBadFlags(t *testing.T, cases []badFlags) {
	t.Helper()
	for _, tc := range cases {
		code, stdout, stderr, connected, calls := runFake(t, tc.args...)
		if code != 2 || connected || calls > 0 || stdout != "" {
			t.Errorf("%q: exit %d, AWS reached %v (%d calls), stdout %q; want exit 2, no AWS, no stdout", tc.args, code, connected, calls, stdout)
		}
		if !strings.HasPrefix(stderr, "cfngen: error: ") || !strings.Contains(stderr, tc.want) {
			t.Errorf("%q: stderr %q does not say %q", tc.args, stderr, tc.want)
		}
	}
}
