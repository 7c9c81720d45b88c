package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/cfngen/cfngen/internal/testkit/moto"
)

// cli runs cfngen in this process and returns its exit code and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	code = exitCode(&errb, err)
	return code, out.String(), errb.String()
}

// useMoto points this test's AWS settings at the moto server only.
func useMoto(t *testing.T) aws.Config {
	t.Helper()
	endpoint := motoServer.Endpoint(t)
	for k, v := range moto.Env(endpoint) {
		t.Setenv(k, v)
	}
	for _, k := range moto.Unset {
		if old, ok := os.LookupEnv(k); ok {
			os.Unsetenv(k)
			t.Cleanup(func() { os.Setenv(k, old) })
		}
	}
	cfg := motoServer.Config(t)
	// An account of the test's own: the pre-flight checks count the VPCs
	// and Elastic IP addresses of the account, which moto shares between
	// all the tests that use the default one.
	cfg, _, err := moto.NewAccount(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", creds.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", creds.SessionToken)
	return cfg
}

func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
}

// TestDeployEndToEnd deploys the default stack to the moto server and
// checks, through the EC2, ELBv2 and IAM APIs, that the article's stack
// exists. Only what moto really does is asserted (see the moto notes).
func TestDeployEndToEnd(t *testing.T) {
	cfg := useMoto(t)
	ctx := context.Background()
	name := uniqueName("e2e")

	code, out, errOut := cli(t, "deploy", "--yes", "--stack-name", name)
	if code != 0 {
		t.Fatalf("deploy exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "31 to add, 0 to modify, 0 to remove, 0 replacements") {
		t.Errorf("change-set table lacks the count line:\n%s", out)
	}
	if !strings.Contains(errOut, "CREATE_COMPLETE") {
		t.Errorf("progress does not show CREATE_COMPLETE:\n%s", errOut)
	}

	cfn := cloudformation.NewFromConfig(cfg)
	st, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if s := st.Stacks[0].StackStatus; s != "CREATE_COMPLETE" {
		t.Fatalf("stack status %s", s)
	}
	res, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	phys := map[string]string{}
	for _, r := range res.StackResources {
		phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
	}

	ec := ec2.NewFromConfig(cfg)
	vpcs, err := ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{phys["VPC"]}})
	if err != nil || len(vpcs.Vpcs) != 1 || aws.ToString(vpcs.Vpcs[0].CidrBlock) != "10.0.0.0/16" {
		t.Fatalf("VPC %s: %v %+v", phys["VPC"], err, vpcs)
	}
	subnetIDs := []string{phys["PublicSubnet1"], phys["PublicSubnet2"], phys["PrivateSubnet1"], phys["PrivateSubnet2"]}
	subs, err := ec.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: subnetIDs})
	if err != nil || len(subs.Subnets) != 4 {
		t.Fatalf("subnets: %v, %d found", err, len(subs.Subnets))
	}
	azOf := map[string]string{}
	for _, s := range subs.Subnets {
		if aws.ToString(s.VpcId) != phys["VPC"] {
			t.Errorf("subnet %s is not in the stack's VPC", aws.ToString(s.SubnetId))
		}
		azOf[aws.ToString(s.SubnetId)] = aws.ToString(s.AvailabilityZone)
	}
	if azOf[phys["PublicSubnet1"]] == azOf[phys["PublicSubnet2"]] || azOf[phys["PrivateSubnet1"]] == azOf[phys["PrivateSubnet2"]] {
		t.Errorf("subnets are not spread over 2 AZs: %v", azOf)
	}

	nats, err := ec.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{phys["NatGateway1"]}})
	if err != nil || len(nats.NatGateways) != 1 || aws.ToString(nats.NatGateways[0].SubnetId) != phys["PublicSubnet1"] {
		t.Fatalf("NAT gateway: %v %+v", err, nats)
	}

	insts, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{phys["Instance1"], phys["Instance2"]}})
	if err != nil {
		t.Fatal(err)
	}
	var zones []string
	for _, r := range insts.Reservations {
		for _, in := range r.Instances {
			sub := aws.ToString(in.SubnetId)
			if sub != phys["PrivateSubnet1"] && sub != phys["PrivateSubnet2"] {
				t.Errorf("instance %s is in subnet %s, not a private one", aws.ToString(in.InstanceId), sub)
			}
			if in.PublicIpAddress != nil {
				t.Errorf("instance %s has a public IP", aws.ToString(in.InstanceId))
			}
			zones = append(zones, aws.ToString(in.Placement.AvailabilityZone))
		}
	}
	if len(zones) != 2 || zones[0] == zones[1] {
		t.Errorf("instances in AZs %v, want 2 different AZs", zones)
	}

	lb := elbv2.NewFromConfig(cfg)
	lbs, err := lb.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{phys["LoadBalancer"]}})
	if err != nil || len(lbs.LoadBalancers) != 1 {
		t.Fatalf("load balancer: %v", err)
	}
	if l := lbs.LoadBalancers[0]; l.Scheme != "internet-facing" || len(l.AvailabilityZones) != 2 {
		t.Errorf("load balancer: scheme %s, %d AZs", l.Scheme, len(l.AvailabilityZones))
	}
	ls, err := lb.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(phys["LoadBalancer"])})
	if err != nil || len(ls.Listeners) != 1 {
		t.Fatalf("listeners: %v %+v", err, ls)
	}
	if l := ls.Listeners[0]; aws.ToInt32(l.Port) != 80 || l.Protocol != "HTTP" || aws.ToString(l.DefaultActions[0].TargetGroupArn) != phys["TargetGroup"] {
		t.Errorf("listener: port %d %s -> %s", aws.ToInt32(l.Port), l.Protocol, aws.ToString(l.DefaultActions[0].TargetGroupArn))
	}

	role, err := iam.NewFromConfig(cfg).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(phys["InstanceRole"])})
	if err != nil || !strings.Contains(aws.ToString(role.Role.AssumeRolePolicyDocument), "ec2.amazonaws.com") {
		t.Errorf("instance role: %v", err)
	}

	// Nothing changed: success, "no changes", and the change set is gone.
	code, _, errOut = cli(t, "deploy", "--yes", "--stack-name", name)
	if code != 0 || !strings.Contains(errOut, "no changes") {
		t.Errorf("second deploy exited %d:\n%s", code, errOut)
	}
	if code, _, _ := cli(t, "deploy", "--yes", "--fail-on-empty-changeset", "--stack-name", name); code != 1 {
		t.Errorf("--fail-on-empty-changeset with no changes exited %d, want 1", code)
	}
	if code, _, errOut := cli(t, "diff", "--exit-code", "--stack-name", name); code != 0 {
		t.Errorf("diff --exit-code of an unchanged stack exited %d:\n%s", code, errOut)
	}
}

// TestGoldenDeploysWithAWSCLI deploys the committed default template with
// `aws cloudformation deploy` on the same server: no bootstrap, no assets.
func TestGoldenDeploysWithAWSCLI(t *testing.T) {
	useMoto(t)
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		t.Fatal("aws CLI not found on PATH: install it with `pip install awscli==1.45.11`")
	}
	cmd := exec.Command(awsCLI, "cloudformation", "deploy", "--template-file", "../../golden/default.yaml",
		"--stack-name", uniqueName("golden-cli"), "--capabilities", "CAPABILITY_IAM")
	cmd.Env = os.Environ()
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("Successfully created/updated stack")) {
		t.Fatalf("aws cloudformation deploy: %v\n%s", err, out)
	}
}

// TestDiffShowsChanges: against a deployed stack, a config change shows as
// a change set and diff --exit-code exits 1; nothing is left behind.
func TestDiffShowsChanges(t *testing.T) {
	cfg := useMoto(t)
	name := uniqueName("e2e-diff")
	if code, _, errOut := cli(t, "deploy", "--yes", "--stack-name", name); code != 0 {
		t.Fatalf("deploy: %d\n%s", code, errOut)
	}
	code, out, errOut := cli(t, "diff", "--exit-code", "--stack-name", name, "-c", "../../golden/six-instances.config.yaml")
	if code != 1 {
		t.Fatalf("diff --exit-code exited %d, want 1:\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"Add     Instance3", "Add     Instance6"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	sets, err := cloudformation.NewFromConfig(cfg).ListChangeSets(context.Background(), &cloudformation.ListChangeSetsInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sets.Summaries {
		if aws.ToString(s.StackName) == name && s.ExecutionStatus == "AVAILABLE" {
			t.Errorf("diff left change set %s behind", aws.ToString(s.ChangeSetName))
		}
	}
}
