package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/elblogs"
	"github.com/cfngen/cfngen/preflight"
)

// checkAccessLogs checks, before any change, the existing bucket that
// loadBalancer.accessLogsBucket names; on a problem it prints the bucket
// policy the region needs.
func checkAccessLogs(ctx context.Context, e *env, c *clients, files configFiles, stack string) error {
	cfg, err := loadConfig(files)
	if err != nil {
		return err
	}
	bucket := cfg.LoadBalancer.AccessLogsBucket
	if bucket == "" {
		return nil
	}
	if c.s3check == nil || c.sts == nil {
		return fmt.Errorf("access-log bucket %s: no S3 or STS client to check it with", bucket)
	}
	err = preflight.CheckAccessLogs(ctx, c.s3check, c.sts, preflight.AccessLogs{Bucket: bucket, Prefix: stack, Region: c.region})
	var be *preflight.BucketError
	if errors.As(err, &be) {
		fmt.Fprintf(e.stderr, "cfngen: error: %v\n", be)
		fmt.Fprintf(e.stderr, "cfngen: hint: the load balancer writes its logs there only if the bucket is in %s, encrypted with SSE-S3 (AES256), with this policy; then deploy again:\n%s\n", c.region, be.Policy)
		return &exitError{code: 1}
	}
	return err
}

// validateNotes says on stderr what validate cannot check offline: what
// the interface endpoints cost, and the policy an access-log bucket needs.
func validateNotes(e *env, cfg *config.Config) {
	givenNotes(e, cfg)
	if eps := cfg.InterfaceEndpoints(); len(eps) > 0 {
		n := len(eps) * cfg.VPC.AZCount
		fmt.Fprintf(e.stderr, "cfngen: note: %d interface endpoints (%s) in %d AZs: about $%.2f an hour ($%.2f per endpoint per AZ-hour in us-east-1), plus $0.01 per GB\n",
			len(eps), strings.Join(eps, ", "), cfg.VPC.AZCount, float64(n)*config.EndpointHourlyUSD, config.EndpointHourlyUSD)
	}
	bucket := cfg.LoadBalancer.AccessLogsBucket
	if bucket == "" {
		return
	}
	region := e.getenv("AWS_REGION")
	if region == "" {
		region = e.getenv("AWS_DEFAULT_REGION")
	}
	if region == "" {
		fmt.Fprintf(e.stderr, "cfngen: note: loadBalancer.accessLogsBucket: %s must be in the stack's region, encrypted with SSE-S3, with a policy that lets Elastic Load Balancing write under %s/AWSLogs/; set AWS_REGION to see that policy (cfngen deploy checks the bucket)\n",
			bucket, cfg.StackName)
		return
	}
	fmt.Fprintf(e.stderr, "cfngen: note: loadBalancer.accessLogsBucket: %s must be in %s, encrypted with SSE-S3, with this policy (put your account ID for ACCOUNT_ID; cfngen deploy checks the bucket):\n%s\n",
		bucket, region, elblogs.Policy(region, bucket, cfg.StackName, "ACCOUNT_ID"))
}
