package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/cfngen/cfngen/stackset"
)

// TestStacksetHostileFlags: every flag that names something refuses an
// empty or malformed value with one error naming the flag, exit 2, and no
// AWS call.
func TestStacksetHostileFlags(t *testing.T) {
	ou, acct := "ou-ab12-cdef3456", "111111111111"
	checkBadFlags(t, []badFlags{
		{[]string{"stackset"}, `stackset: name a command: deploy, status or destroy`},
		{[]string{"stackset", "apply"}, `stackset: unknown command "apply"`},
		{[]string{"stackset", "deploy", "--org-units", ou}, `--regions: name the regions to deploy to`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1"}, `name the targets: --org-units OU,... or --accounts ID,...`},
		{[]string{"stackset", "deploy", "--regions", "", "--org-units", ou}, `invalid value "" for flag -regions: "": an item of the list is empty`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1,,eu-west-1", "--org-units", ou}, `an item of the list is empty`},
		{[]string{"stackset", "deploy", "--regions", "mars-north-1a", "--org-units", ou}, `--regions: "mars-north-1a" is not an AWS region such as us-east-1`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1,us-east-1", "--org-units", ou}, `--regions: us-east-1 is given twice`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", "12345"}, `--accounts: "12345" is not an account ID (12 digits)`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", "1111111111111"}, `--accounts: "1111111111111" is not an account ID`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--org-units", "ou-x"}, `--org-units: "ou-x" is not an organizational unit ID`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--org-units", ou, "--accounts", acct}, `--org-units and --accounts do not go together`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--org-units", ou, "--permission-model", "self-managed"}, `--org-units: a self-managed stack set targets accounts`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--permission-model", "service-managed"}, `--accounts: a service-managed stack set targets organizational units`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--permission-model", "org"}, `--permission-model "org": want self-managed or service-managed`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--stack-set-name", ""}, `--stack-set-name is empty`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--stack-set-name", "web_1"}, `--stack-set-name: stack set name "web_1" must start with a letter and hold only letters, digits and hyphens`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--max-concurrent", "0"}, `--max-concurrent 0: want 1 or more, or 1% to 100%`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--max-concurrent", "150%"}, `--max-concurrent: 150%: want 1 or more, or 1% to 100%`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--max-concurrent", "many"}, `--max-concurrent: "many": want a whole number N or a percentage N%`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--failure-tolerance", "-1"}, `--failure-tolerance: "-1": want a whole number`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--failure-tolerance", ""}, `--failure-tolerance is empty`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--region-order", "eu-west-1"}, `--region-order: eu-west-1 is not one of the target regions (us-east-1)`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--region-order", "us-east-1", "--parallel-regions"}, `--region-order: regions deployed in parallel have no order`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--org-units", ou, "--admin-role-arn", "arn:aws:iam::111111111111:role/Admin"}, `--admin-role-arn: a service-managed stack set uses the roles Organizations manages`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--org-units", ou, "--execution-role-name", "Exec"}, `--execution-role-name: a service-managed stack set uses the roles Organizations manages`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--admin-role-arn", "arn:aws:s3:::bucket"}, `--admin-role-arn: "arn:aws:s3:::bucket" is not an IAM role ARN`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--admin-role-arn", ""}, `--admin-role-arn is empty`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--execution-role-name", "has space"}, `--execution-role-name: "has space" is not an IAM role name`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--call-as-admin"}, `--call-as-admin: only a service-managed stack set has a delegated administrator`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "--endpoint-url", "ftp://x"}, `--endpoint-url "ftp://x": want an http:// or https:// URL`},
		{[]string{"stackset", "deploy", "--regions", "us-east-1", "--accounts", acct, "extra"}, `stackset deploy: unexpected argument "extra"`},
		{[]string{"stackset", "status", "--format", "xml"}, `--format "xml": want text or json`},
		{[]string{"stackset", "status", "--stack-set-name", ""}, `--stack-set-name is empty`},
		{[]string{"stackset", "destroy", "--stack-set-name", "9web"}, `--stack-set-name: stack set name "9web" must start with a letter`},
		{[]string{"stackset", "destroy", "--stack-set-name", strings.Repeat("w", 129)}, `--stack-set-name: stack set name is 129 characters; the limit is 128`},
	})
}

// fakeSets answers like StackSets for a new stack set whose operation
// runs until the context ends. Methods it does not override are nil and
// must not be called.
type fakeSets struct {
	stackset.API
	polls  atomic.Int64
	onPoll func(n int64) error
}

func (f *fakeSets) DescribeStackSet(context.Context, *cloudformation.DescribeStackSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOutput, error) {
	return nil, &cfntypes.StackSetNotFoundException{Message: aws.String("StackSet not found")}
}

func (f *fakeSets) CreateStackSet(context.Context, *cloudformation.CreateStackSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateStackSetOutput, error) {
	return &cloudformation.CreateStackSetOutput{StackSetId: aws.String("web:1")}, nil
}

func (f *fakeSets) CreateStackInstances(context.Context, *cloudformation.CreateStackInstancesInput, ...func(*cloudformation.Options)) (*cloudformation.CreateStackInstancesOutput, error) {
	return &cloudformation.CreateStackInstancesOutput{OperationId: aws.String("op-1")}, nil
}

func (f *fakeSets) DescribeStackSetOperation(context.Context, *cloudformation.DescribeStackSetOperationInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOperationOutput, error) {
	if f.onPoll != nil {
		if err := f.onPoll(f.polls.Add(1)); err != nil {
			return nil, err
		}
	}
	return &cloudformation.DescribeStackSetOperationOutput{StackSetOperation: &cfntypes.StackSetOperation{
		OperationId: aws.String("op-1"), Action: cfntypes.StackSetOperationActionCreate, Status: cfntypes.StackSetOperationStatusRunning,
	}}, nil
}

func (f *fakeSets) ListStackSetOperationResults(context.Context, *cloudformation.ListStackSetOperationResultsInput, ...func(*cloudformation.Options)) (*cloudformation.ListStackSetOperationResultsOutput, error) {
	return &cloudformation.ListStackSetOperationResultsOutput{}, nil
}

// threeZones has 3 Availability Zones in every region but us-west-1.
type threeZones struct{}

func (threeZones) DescribeAvailabilityZones(_ context.Context, _ *ec2.DescribeAvailabilityZonesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error) {
	var o ec2.Options
	for _, f := range optFns {
		f(&o)
	}
	n := 3
	if o.Region == "us-west-1" {
		n = 2
	}
	out := &ec2.DescribeAvailabilityZonesOutput{}
	for i := range n {
		out.AvailabilityZones = append(out.AvailabilityZones, ec2types.AvailabilityZone{ZoneName: aws.String(o.Region + string(rune('a'+i)))})
	}
	return out, nil
}

// runSets runs cfngen in this process against fake StackSets.
func runSets(t *testing.T, ctx context.Context, sets stackset.API, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" },
		connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
			acct := &fakeAccount{}
			return &clients{sets: sets, zones: threeZones{}, ec2: acct, ssm: acct, region: "us-east-1", retries: new(atomic.Int64)}, nil
		},
	}
	err := safeRun(ctx, func() error { return e.run(ctx, args) })
	return exitCode(&errb, err), out.String(), errb.String()
}

// TestStacksetInterrupt: Ctrl-C while an operation runs stops waiting,
// exit 130, and says how to follow and how to stop the operation.
func TestStacksetInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sets := &fakeSets{}
	sets.onPoll = func(n int64) error {
		if n == 3 {
			cancel()
			return context.Canceled
		}
		return nil
	}
	code, stdout, stderr := runSets(t, ctx, sets, "stackset", "deploy", "--org-units", "ou-ab12-cdef3456", "--regions", "us-east-1", "--yes", "--call-as-admin")
	if code != 130 {
		t.Fatalf("exit %d, want 130\n%s", code, stderr)
	}
	wantLines(t, stderr,
		"interrupted: CloudFormation goes on with create operation op-1 on stack set cfngen-web (RUNNING)",
		"  follow it: cfngen stackset status --stack-set-name cfngen-web, or run cfngen stackset deploy again (it waits for the operation)",
		"  stop it: aws cloudformation stop-stack-set-operation --stack-set-name cfngen-web --operation-id op-1 --call-as DELEGATED_ADMIN",
		"cfngen: interrupted",
	)
	if !strings.Contains(stdout, "1 to add, 0 to update, 0 to remove") {
		t.Errorf("the plan is not on stdout:\n%s", stdout)
	}
}

// TestStacksetHints: outcomes that need the user get the next command.
func TestStacksetHints(t *testing.T) {
	base := []string{"stackset", "deploy", "--org-units", "ou-ab12-cdef3456"}
	code, _, stderr := runSets(t, context.Background(), &fakeSets{}, append(base, "--regions", "us-east-1")...)
	if code != 1 {
		t.Errorf("without --yes or a terminal: exit %d, want 1", code)
	}
	wantLines(t, stderr, "cfngen: error: consent needed: deploy stack set cfngen-web (1 to add, 0 to update, 0 to remove)",
		"cfngen: hint: re-run with --yes to deploy without asking, or on a terminal to be asked")

	dir := t.TempDir()
	cfg := dir + "/three.yaml"
	if err := writeFile(cfg, []byte("vpc:\n  azCount: 3\n")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runSets(t, context.Background(), &fakeSets{}, append(base, "-c", cfg, "--regions", "eu-west-1,us-west-1", "--yes")...)
	if code != 1 || stdout != "" {
		t.Errorf("too few AZs: exit %d, stdout %q", code, stdout)
	}
	wantLines(t, stderr, "cfngen: error: region us-west-1 has 2 Availability Zones (us-west-1a, us-west-1b); the template needs 3",
		"cfngen: hint: leave us-west-1 out of --regions, or lower vpc.azCount in the config")
}

// watchedSets counts the calls to StackSets.
type watchedSets struct {
	fakeSets
	calls atomic.Int64
}

func (f *watchedSets) DescribeStackSet(ctx context.Context, in *cloudformation.DescribeStackSetInput, o ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOutput, error) {
	f.calls.Add(1)
	return f.fakeSets.DescribeStackSet(ctx, in, o...)
}

// TestStacksetPreflight: a certificate or an access-log bucket serves one
// region, and a certificate one account; the stack set deploy stops
// before any StackSets call, saying what to change.
func TestStacksetPreflight(t *testing.T) {
	dir := t.TempDir()
	cert := dir + "/cert.yaml"
	if err := writeFile(cert, []byte("loadBalancer: {certificateArn: '"+certHere+"'}\n")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"-c", cert, "--regions", "us-east-1,eu-west-1", "--accounts", "111122223333"}, []string{
			"cfngen: error: certificate " + certHere + " is in us-east-1; the load balancer in eu-west-1 uses only certificates of its own region",
			"cfngen: hint: deploy a stack set with loadBalancer.certificateArn to us-east-1 only, and one with another certificate to each other region"}},
		{[]string{"-c", cert, "--regions", "us-east-1", "--accounts", "111122223333,444455556666"}, []string{
			"cfngen: error: certificate " + certHere + " belongs to account 111122223333; the stack in account 444455556666 cannot use it"}},
		{[]string{"-c", "../../golden/access-logs.config.yaml", "--regions", "us-east-1,eu-west-1", "--org-units", "ou-ab12-cdef3456"}, []string{
			"cfngen: error: access-log bucket my-alb-access-logs: a load balancer writes only to a bucket in its own region, and the stack set deploys to 2 regions",
			"cfngen: hint: set loadBalancer.createAccessLogsBucket: true instead, so that each stack creates its own bucket, or deploy to the bucket's region only"}},
	}
	for _, tc := range cases {
		sets := &watchedSets{}
		code, stdout, stderr := runSets(t, context.Background(), sets, append([]string{"stackset", "deploy", "--yes"}, tc.args...)...)
		if code != 1 || stdout != "" || sets.calls.Load() != 0 {
			t.Errorf("%q: exit %d, stdout %q, %d StackSets calls; want 1, nothing, none\n%s", tc.args, code, stdout, sets.calls.Load(), stderr)
		}
		wantLines(t, stderr, tc.want...)
	}
}
