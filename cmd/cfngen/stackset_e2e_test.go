package main

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// orgWithOU makes sure the moto server has an organization, and returns a
// new OU under its root holding two new accounts.
func orgWithOU(t *testing.T, cfg aws.Config) (ou string, accounts []string) {
	t.Helper()
	ctx := context.Background()
	org := organizations.NewFromConfig(cfg)
	_, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
	var already *orgtypes.AlreadyInOrganizationException
	if err != nil && !errors.As(err, &already) {
		t.Fatalf("create organization: %v", err)
	}
	roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 {
		t.Fatalf("list roots: %v %+v", err, roots)
	}
	root := aws.ToString(roots.Roots[0].Id)
	name := uniqueName("web")
	out, err := org.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(root), Name: aws.String(name)})
	if err != nil {
		t.Fatalf("create OU: %v", err)
	}
	ou = aws.ToString(out.OrganizationalUnit.Id)
	for _, n := range []string{"a", "b"} {
		acc, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(name + n), Email: aws.String(name + n + "@example.com")})
		if err != nil || acc.CreateAccountStatus.AccountId == nil {
			t.Fatalf("create account: %v %+v", err, acc)
		}
		id := aws.ToString(acc.CreateAccountStatus.AccountId)
		if _, err := org.MoveAccount(ctx, &organizations.MoveAccountInput{AccountId: aws.String(id), SourceParentId: aws.String(root), DestinationParentId: aws.String(ou)}); err != nil {
			t.Fatalf("move account %s: %v", id, err)
		}
		accounts = append(accounts, id)
	}
	return ou, accounts
}

// inAccount returns the configuration of a session in account, through
// STS AssumeRole, in region.
func inAccount(t *testing.T, cfg aws.Config, account, region string) aws.Config {
	t.Helper()
	out, err := sts.NewFromConfig(cfg).AssumeRole(context.Background(), &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/cfngen-e2e"), RoleSessionName: aws.String("cfngen-e2e"),
	})
	if err != nil {
		t.Fatalf("assume a role in %s: %v", account, err)
	}
	c := cfg.Copy()
	cr := out.Credentials
	c.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	c.Region = region
	return c
}

// checkWebStack checks, in one account and region, that the default stack
// is there: its VPC, the 2 instances in it and the load balancer.
func checkWebStack(t *testing.T, cfg aws.Config, account, region string) {
	t.Helper()
	ctx := context.Background()
	ec := ec2.NewFromConfig(cfg)
	vpcs, err := ec.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("cidr"), Values: []string{"10.0.0.0/16"}}}})
	if err != nil || len(vpcs.Vpcs) != 1 {
		t.Errorf("%s %s: %v, want one VPC 10.0.0.0/16: %+v", account, region, err, vpcs)
		return
	}
	vpc := aws.ToString(vpcs.Vpcs[0].VpcId)
	insts, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpc}}, {Name: aws.String("instance-state-name"), Values: []string{"running"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]bool{}
	n := 0
	for _, r := range insts.Reservations {
		for _, i := range r.Instances {
			n++
			zones[aws.ToString(i.Placement.AvailabilityZone)] = true
		}
	}
	if n != 2 || len(zones) != 2 {
		t.Errorf("%s %s: %d running instances in %d AZs, want 2 in 2", account, region, n, len(zones))
	}
	lbs, err := elbv2.NewFromConfig(cfg).DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, lb := range lbs.LoadBalancers {
		if aws.ToString(lb.VpcId) == vpc && lb.Scheme == "internet-facing" && aws.ToString(lb.DNSName) != "" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("%s %s: %d internet-facing load balancers in the VPC, want 1", account, region, found)
	}
}

// TestStackSetEndToEnd deploys the default stack as a service-managed
// stack set to an OU of two accounts in two regions on moto, looks inside
// each account, deploys again (no changes) and reads the status. Only what
// moto does is asserted: its operations are done when the call returns,
// and it lists service-managed instances without their OU (see destroy).
func TestStackSetEndToEnd(t *testing.T) {
	cfg := useMoto(t)
	ou, accounts := orgWithOU(t, cfg)
	name := uniqueName("e2e-set")

	code, stdout, stderr := cli(t, "stackset", "deploy", "--stack-set-name", name, "--org-units", ou, "--regions", "us-east-1,eu-west-1", "--yes")
	if code != 0 {
		t.Fatalf("deploy exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	wantLines(t, stdout,
		"create stack set "+name+" (SERVICE_MANAGED) with the template (",
		"add     (each account)  "+ou+"  us-east-1",
		"add     (each account)  "+ou+"  eu-west-1",
		"2 to add, 0 to update, 0 to remove",
		"4 stack instances, 4 CURRENT",
	)
	wantLines(t, stderr, "created stack set "+name+" (SERVICE_MANAGED)", "adding stack instances: "+ou+" in us-east-1, eu-west-1", "create operation ", "SUCCEEDED")
	for _, a := range accounts {
		if !strings.Contains(stdout, a+"  us-east-1  -         CURRENT  SUCCEEDED") || !strings.Contains(stdout, a+"  eu-west-1  -         CURRENT  SUCCEEDED") {
			t.Errorf("the result table lacks account %s in both regions:\n%s", a, stdout)
		}
		for _, r := range []string{"us-east-1", "eu-west-1"} {
			checkWebStack(t, inAccount(t, cfg, a, r), a, r)
		}
	}

	// The same again: no operation, "no changes", exit 0.
	code, stdout, stderr = cli(t, "stackset", "deploy", "--stack-set-name", name, "--org-units", ou, "--regions", "us-east-1,eu-west-1", "--yes")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "no changes: stack set "+name+" is up to date (4 stack instances)") {
		t.Errorf("second deploy: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	ops, err := cloudformation.NewFromConfig(cfg).ListStackSetOperations(context.Background(), &cloudformation.ListStackSetOperationsInput{StackSetName: aws.String(name)})
	if err != nil || len(ops.Summaries) != 1 {
		t.Errorf("after two deploys: %v, %d operations, want 1", err, len(ops.Summaries))
	}

	code, stdout, stderr = cli(t, "stackset", "status", "--stack-set-name", name)
	if code != 0 {
		t.Fatalf("status exited %d: %s", code, stderr)
	}
	wantLines(t, stdout, "stack set "+name+" (SERVICE_MANAGED, ACTIVE)", "4 stack instances, 4 CURRENT", "CREATE  SUCCEEDED")
	code, stdout, stderr = cli(t, "stackset", "status", "--stack-set-name", name, "--format", "json")
	var st struct {
		Instances []struct{ Account, Region, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &st); code != 0 || err != nil || len(st.Instances) != 4 {
		t.Errorf("status --format json: exit %d, %v, %d instances\n%s%s", code, err, len(st.Instances), stdout, stderr)
	}

	// moto lists service-managed instances without their OU, and its
	// DeleteStackInstances ignores DeploymentTargets, the only way AWS
	// takes to name them: destroy refuses before deleting anything.
	code, _, stderr = cli(t, "stackset", "destroy", "--stack-set-name", name, "--yes")
	if code != 1 {
		t.Errorf("destroy exited %d, want 1\n%s", code, stderr)
	}
	wantLines(t, stderr, "organizational unit unknown: the service did not say which organizational unit these stack instances belong to",
		"cfngen: hint: delete them by their OU: aws cloudformation delete-stack-instances")
	if code, stdout, _ := cli(t, "stackset", "status", "--stack-set-name", name); code != 0 || !strings.Contains(stdout, "4 stack instances") {
		t.Errorf("after the refused destroy: exit %d\n%s", code, stdout)
	}
}

// TestStackSetDestroyEndToEnd: destroy of a self-managed stack set on
// moto deletes its instances in every account and region, then the set.
// The set is made here with a small template: moto names self-managed
// instance stacks StackSet:NAME, which the default template's load
// balancer cannot take.
func TestStackSetDestroyEndToEnd(t *testing.T) {
	cfg := useMoto(t)
	_, accounts := orgWithOU(t, cfg)
	ctx := context.Background()
	cfn := cloudformation.NewFromConfig(cfg)
	name := uniqueName("e2e-destroy")
	if _, err := cfn.CreateStackSet(ctx, &cloudformation.CreateStackSetInput{
		StackSetName: aws.String(name), PermissionModel: cfntypes.PermissionModelsSelfManaged,
		TemplateBody: aws.String("Resources:\n  VPC:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.9.0.0/16\n"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cfn.CreateStackInstances(ctx, &cloudformation.CreateStackInstancesInput{
		StackSetName: aws.String(name), Accounts: accounts, Regions: []string{"us-east-1", "eu-west-1"},
	}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "stackset", "destroy", "--stack-set-name", name, "--yes")
	if code != 0 {
		t.Fatalf("destroy exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	wantLines(t, stdout, "4 stack instances, 4 CURRENT", "delete stack set "+name+" and its 4 stack instances")
	wantLines(t, stderr, "delete operation ", "SUCCEEDED", "deleted stack set "+name)
	_, err := cfn.DescribeStackSet(ctx, &cloudformation.DescribeStackSetInput{StackSetName: aws.String(name)})
	var nf *cfntypes.StackSetNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("after destroy, describe-stack-set: %v, want StackSetNotFoundException", err)
	}
	for _, a := range accounts {
		vpcs, err := ec2.NewFromConfig(inAccount(t, cfg, a, "eu-west-1")).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{
			Filters: []ec2types.Filter{{Name: aws.String("cidr"), Values: []string{"10.9.0.0/16"}}}})
		if err != nil || len(vpcs.Vpcs) != 0 {
			t.Errorf("account %s eu-west-1: %v, %d VPCs of the deleted instances left", a, err, len(vpcs.Vpcs))
		}
	}
	if code, _, stderr := cli(t, "stackset", "status", "--stack-set-name", name); code != 1 || !strings.Contains(stderr, "stack set not found") {
		t.Errorf("status of the deleted set: exit %d\n%s", code, stderr)
	}
}

// TestStackSetTooFewZones: moto's us-west-1 has 2 Availability Zones; a
// 3-AZ stack is refused there, naming the region, before the stack set
// is made.
func TestStackSetTooFewZones(t *testing.T) {
	cfg := useMoto(t)
	name := uniqueName("e2e-azs")
	code, stdout, stderr := cli(t, "stackset", "deploy", "-c", "../../golden/3az-nat-per-az.config.yaml", "--stack-set-name", name,
		"--org-units", "ou-ab12-cdef3456", "--regions", "eu-west-1,us-west-1", "--yes")
	if code != 1 || stdout != "" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	wantLines(t, stderr, "region us-west-1 has 2 Availability Zones (us-west-1a, us-west-1b); the template needs 3")
	_, err := cloudformation.NewFromConfig(cfg).DescribeStackSet(context.Background(), &cloudformation.DescribeStackSetInput{StackSetName: aws.String(name)})
	var nf *cfntypes.StackSetNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("the stack set was made: %v", err)
	}
}
