package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// stackResources maps the logical IDs of a stack's resources to their
// physical IDs.
func stackResources(t *testing.T, cfg aws.Config, name string) map[string]string {
	t.Helper()
	phys := map[string]string{}
	p := cloudformation.NewListStackResourcesPaginator(cloudformation.NewFromConfig(cfg), &cloudformation.ListStackResourcesInput{StackName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.StackResourceSummaries {
			phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
		}
	}
	return phys
}

// TestAutoScalingEndToEnd deploys the Auto Scaling config to moto and
// checks the group through the Auto Scaling API. moto runs the group's
// instances but creates no scaling policy and does not spread instances
// over AZs, so neither is asserted.
func TestAutoScalingEndToEnd(t *testing.T) {
	cfg := useMoto(t)
	ctx := context.Background()
	name := uniqueName("e2e-asg")
	code, out, errOut := cli(t, "deploy", "--yes", "--stack-name", name, "-c", "../../golden/autoscaling.config.yaml")
	if code != 0 {
		t.Fatalf("deploy exited %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "Add     AutoScalingGroup") || strings.Contains(out, "Instance1 ") {
		t.Errorf("change set does not swap instances for a group:\n%s", out)
	}
	phys := stackResources(t, cfg, name)
	groups, err := autoscaling.NewFromConfig(cfg).DescribeAutoScalingGroups(ctx, &autoscaling.DescribeAutoScalingGroupsInput{
		AutoScalingGroupNames: []string{phys["AutoScalingGroup"]},
	})
	if err != nil || len(groups.AutoScalingGroups) != 1 {
		t.Fatalf("group %q: %v", phys["AutoScalingGroup"], err)
	}
	g := groups.AutoScalingGroups[0]
	if aws.ToInt32(g.MinSize) != 2 || aws.ToInt32(g.MaxSize) != 6 || aws.ToInt32(g.DesiredCapacity) != 2 {
		t.Errorf("group size min %d max %d desired %d, want 2/6/2", aws.ToInt32(g.MinSize), aws.ToInt32(g.MaxSize), aws.ToInt32(g.DesiredCapacity))
	}
	if aws.ToString(g.HealthCheckType) != "ELB" || aws.ToInt32(g.HealthCheckGracePeriod) != 300 {
		t.Errorf("health check %s, grace %d", aws.ToString(g.HealthCheckType), aws.ToInt32(g.HealthCheckGracePeriod))
	}
	private := map[string]bool{phys["PrivateSubnet1"]: true, phys["PrivateSubnet2"]: true}
	for _, s := range strings.Split(aws.ToString(g.VPCZoneIdentifier), ",") {
		if !private[s] {
			t.Errorf("group subnet %s is not a private subnet", s)
		}
	}
	if len(g.TargetGroupARNs) != 1 || g.TargetGroupARNs[0] != phys["TargetGroup"] {
		t.Errorf("group target groups %v, want %s", g.TargetGroupARNs, phys["TargetGroup"])
	}
	var ids []string
	for _, in := range g.Instances {
		ids = append(ids, aws.ToString(in.InstanceId))
	}
	if len(ids) != 2 {
		t.Fatalf("group runs %d instances, want 2", len(ids))
	}
	insts, err := ec2.NewFromConfig(cfg).DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range insts.Reservations {
		for _, in := range r.Instances {
			if !private[aws.ToString(in.SubnetId)] {
				t.Errorf("group instance %s in subnet %s, not a private one", aws.ToString(in.InstanceId), aws.ToString(in.SubnetId))
			}
		}
	}
}

// TestLargeTemplateThroughS3 deploys 200 instances across 4 AZs with a NAT
// gateway each: the template is over 51,200 bytes, so it goes through an S3
// bucket, once; the second deploy finds it there and uploads nothing.
// (moto's Fn::GetAZs lists 4 zones, so 6 AZs cannot deploy on it.)
func TestLargeTemplateThroughS3(t *testing.T) {
	cfg := useMoto(t)
	ctx := context.Background()
	dir := t.TempDir()
	config := filepath.Join(dir, "large.yaml")
	if err := os.WriteFile(config, []byte("vpc:\n  azCount: 4\n  natGateways: 4\ninstances:\n  count: 200\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	name := uniqueName("e2e-large")
	if code, _, errOut := cli(t, "deploy", "--yes", "--stack-name", name, "-c", config); code != 2 || !strings.Contains(errOut, "pass --s3-bucket BUCKET") {
		t.Fatalf("deploy without a bucket exited %d, want 2 and a hint:\n%s", code, errOut)
	}
	bucket := strings.ToLower(uniqueName("templates"))
	if _, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := cli(t, "deploy", "--yes", "--stack-name", name, "-c", config, "--s3-bucket", bucket)
	if code != 0 {
		t.Fatalf("deploy exited %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "uploaded template to") {
		t.Errorf("no upload reported:\n%s", errOut)
	}
	resources := strings.Count(out, "\nAdd ")
	phys := stackResources(t, cfg, name)
	if len(phys) != resources || phys["Instance200"] == "" || phys["PrivateSubnet4"] == "" {
		t.Errorf("stack has %d resources, the change set added %d", len(phys), resources)
	}
	objects, err := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil || len(objects.Contents) != 1 {
		t.Fatalf("bucket holds %d objects (%v), want the one template", len(objects.Contents), err)
	}

	code, _, errOut = cli(t, "deploy", "--yes", "--stack-name", name, "-c", config, "--s3-bucket", bucket)
	if code != 0 || strings.Contains(errOut, "uploaded template") || !strings.Contains(errOut, "template already in") {
		t.Errorf("redeploy exited %d and did not reuse the upload:\n%s", code, errOut)
	}
}
