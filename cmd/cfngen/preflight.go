package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/ami"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/elblogs"
	"github.com/cfngen/cfngen/preflight"
	"github.com/cfngen/cfngen/stackset"
)

// problem is something AWS would refuse mid-way: what, and what to change.
type problem struct{ msg, hint string }

// preflightChecks checks, before any change, what AWS would refuse
// mid-way through the deploy of in with the config at cfgPath: the
// region's Availability Zones, the certificate, the access-log bucket and
// the instance type against the image; then, after reading the stack's
// resources (the first CloudFormation call), the Elastic IP and VPC
// headroom. It prints each problem with what to change and returns an
// exitError.
func preflightChecks(ctx context.Context, e *env, c *clients, cfg *config.Config, in deploy.Input) error {
	if c.ec2 == nil || c.acm == nil || c.ssm == nil || c.s3check == nil || c.sts == nil {
		return errors.New("pre-flight checks: missing an AWS client to check with")
	}
	var found []problem
	add := func(err error) error {
		if p, ok := describeProblem(err, cfg, c.region); ok {
			found = append(found, p)
			return nil
		}
		return err
	}
	checks := []func() error{
		func() error { return preflight.CheckZones(ctx, c.ec2, c.region, cfg.VPC.AZCount) },
		func() error {
			if arn := cfg.LoadBalancer.CertificateArn; arn != "" {
				return preflight.CheckCertificate(ctx, c.acm, arn, c.region)
			}
			return nil
		},
		func() error {
			if b := cfg.LoadBalancer.AccessLogsBucket; b != "" {
				return preflight.CheckAccessLogs(ctx, c.s3check, c.sts, preflight.AccessLogs{Bucket: b, Prefix: in.StackName, Region: c.region})
			}
			return nil
		},
		func() error {
			typ, image := effectiveImage(cfg, in.Parameters)
			return preflight.CheckArchitecture(ctx, c.ec2, c.ssm, c.region, typ, image)
		},
	}
	// The checks are independent calls: run them at once, and read their
	// results in order.
	results := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Go(func() { results[i] = check() })
	}
	wg.Wait()
	for _, err := range results {
		if err := add(err); err != nil {
			return err
		}
	}
	if len(found) == 0 {
		need, err := headroomNeed(ctx, c.cfn, in)
		if err != nil {
			return err
		}
		err = preflight.CheckHeadroom(ctx, c.ec2, c.quotas, c.region, need)
		var qe *preflight.QuotaError
		if errors.As(err, &qe) && !qe.Known {
			fmt.Fprintf(e.stderr, "cfngen: note: %v, if the quota is the default: cfngen could not read the account's quota from Service Quotas (%s), and goes on\n", qe, qe.Code)
			err = nil
		}
		if err := add(err); err != nil {
			return err
		}
	}
	return reportProblems(e, found)
}

// stacksetPreflight checks, before any call to StackSets, what the stack
// instances of in would fail on: a certificate or an access-log bucket
// serves one region (and a certificate one account), and in each region
// the instance type must run the image. (The stack set checks the
// Availability Zones of each region; quotas are the target accounts',
// which these credentials cannot read.)
func stacksetPreflight(ctx context.Context, e *env, c *clients, cfg *config.Config, in stackset.Input) error {
	var found []problem
	if arn := cfg.LoadBalancer.CertificateArn; arn != "" {
		parts := strings.Split(arn, ":") // checked by config.Validate
		region, account := parts[3], parts[4]
		for _, r := range in.Regions {
			if r != region {
				found = append(found, problem{fmt.Sprintf("certificate %s is in %s; the load balancer in %s uses only certificates of its own region", arn, region, r),
					fmt.Sprintf("deploy a stack set with loadBalancer.certificateArn to %s only, and one with another certificate to each other region", region)})
			}
		}
		for _, a := range in.Accounts {
			if a != account {
				found = append(found, problem{fmt.Sprintf("certificate %s belongs to account %s; the stack in account %s cannot use it", arn, account, a),
					"a certificate serves its own account: deploy with loadBalancer.certificateArn to that account only"})
			}
		}
	}
	if b := cfg.LoadBalancer.AccessLogsBucket; b != "" && len(in.Regions) > 1 {
		found = append(found, problem{fmt.Sprintf("access-log bucket %s: a load balancer writes only to a bucket in its own region, and the stack set deploys to %d regions", b, len(in.Regions)),
			"set loadBalancer.createAccessLogsBucket: true instead, so that each stack creates its own bucket, or deploy to the bucket's region only"})
	}
	if c.ec2 == nil || c.ssm == nil {
		return errors.New("pre-flight checks: missing an AWS client to check with")
	}
	for _, r := range in.Regions {
		err := preflight.CheckArchitecture(ctx, c.ec2, c.ssm, r, cfg.Instances.Type, cfg.ImageID())
		if p, ok := describeProblem(err, cfg, r); ok {
			found = append(found, p)
		} else if err != nil {
			return err
		}
	}
	return reportProblems(e, found)
}

func reportProblems(e *env, found []problem) error {
	for _, p := range found {
		fmt.Fprintf(e.stderr, "cfngen: error: %s\n", p.msg)
		fmt.Fprintf(e.stderr, "cfngen: hint: %s\n", p.hint)
	}
	if len(found) > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// effectiveImage returns the instance type and the image a deploy gives
// the instances: the parameters' when given, else the config's.
func effectiveImage(cfg *config.Config, params map[string]string) (instanceType, image string) {
	instanceType, image = cfg.Instances.Type, cfg.ImageID()
	if v := params["InstanceType"]; v != "" {
		instanceType = v
	}
	if v := params[ami.ImageParameter]; v != "" {
		image = v
	}
	if v := params[ami.PinParameter]; v != "" {
		image = v
	}
	return instanceType, image
}

// headroomNeed counts the VPCs and Elastic IP addresses the template of
// in has beyond those the stack has now.
func headroomNeed(ctx context.Context, cfn deploy.API, in deploy.Input) (preflight.Need, error) {
	var need preflight.Need
	doc, err := cfnyaml.Parse(in.Template)
	if err != nil {
		return need, fmt.Errorf("read the template: %w", err)
	}
	res := cfnyaml.Get(doc, "Resources")
	for i := 0; res != nil && i+1 < len(res.Content); i += 2 {
		switch t := cfnyaml.Get(res.Content[i+1], "Type"); {
		case t == nil:
		case t.Value == "AWS::EC2::VPC":
			need.VPCs++
		case t.Value == "AWS::EC2::EIP":
			need.EIPs++
		}
	}
	p := cloudformation.NewListStackResourcesPaginator(cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(in.StackName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if stackMissing(err) {
			break
		}
		if err != nil {
			return need, fmt.Errorf("list the resources of stack %s: %w", in.StackName, err)
		}
		for _, r := range page.StackResourceSummaries {
			if r.ResourceStatus == cfntypes.ResourceStatusDeleteComplete {
				continue
			}
			switch aws.ToString(r.ResourceType) {
			case "AWS::EC2::VPC":
				need.VPCs--
			case "AWS::EC2::EIP":
				need.EIPs--
			}
		}
	}
	need.VPCs, need.EIPs = max(0, need.VPCs), max(0, need.EIPs)
	return need, nil
}

// describeProblem turns what a check found into the lines a user reads,
// with the config key or step to change; ok is false for other errors.
func describeProblem(err error, cfg *config.Config, region string) (p problem, ok bool) {
	var (
		ze *preflight.ZonesError
		qe *preflight.QuotaError
		ce *preflight.CertificateError
		ae *preflight.ArchitectureError
		ie *preflight.ImageError
		be *preflight.BucketError
	)
	switch {
	case err == nil:
		return p, false
	case errors.As(err, &ze):
		return problem{ze.Error(), fmt.Sprintf("set vpc.azCount to %d or less, or deploy to a region with %d Availability Zones", ze.Have, ze.Want)}, true
	case errors.As(err, &qe) && qe.What == "VPCs":
		return problem{qe.Error(), fmt.Sprintf("delete a VPC you do not use in %s, or ask for more in Service Quotas (Amazon VPC, %s, VPCs per Region)", qe.Region, qe.Code)}, true
	case errors.As(err, &qe):
		nat := ""
		if cfg.VPC.NATGateways > 1 {
			nat = ", set vpc.natGateways to 1 (one NAT gateway for every AZ)"
		}
		return problem{qe.Error() + " (one per NAT gateway)", fmt.Sprintf("release Elastic IP addresses you do not use in %s%s, or ask for more in Service Quotas (Amazon EC2, %s)", qe.Region, nat, qe.Code)}, true
	case errors.As(err, &ce) && strings.HasPrefix(ce.Problem, "it is in"):
		return problem{ce.Error(), fmt.Sprintf("request or import a certificate in %s (ACM certificates are regional) and set loadBalancer.certificateArn to it", ce.Region)}, true
	case errors.As(err, &ce) && strings.HasPrefix(ce.Problem, "its status"):
		return problem{ce.Error(), "finish its validation in ACM (the DNS records it asks for), or set loadBalancer.certificateArn to an issued certificate"}, true
	case errors.As(err, &ce):
		return problem{ce.Error(), fmt.Sprintf("set loadBalancer.certificateArn to a certificate of this account in %s", ce.Region)}, true
	case errors.As(err, &ae):
		return problem{ae.Error(), fmt.Sprintf("set instances.type to a type for %s (t3.micro for x86_64, t4g.micro for arm64), or instances.ami to an image for %s",
			ae.ImageArch, strings.Join(ae.TypeArchs, " or "))}, true
	case errors.As(err, &ie) && strings.HasPrefix(ie.What, "instance type"):
		return problem{ie.Error(), fmt.Sprintf("set instances.type to a type offered in %s", region)}, true
	case errors.As(err, &ie):
		return problem{ie.Error(), fmt.Sprintf("set instances.ami to an AMI ID or SSM parameter of %s that this account can use", region)}, true
	case errors.As(err, &be):
		return problem{be.Error(), fmt.Sprintf("the load balancer writes its logs there only if the bucket is in %s, encrypted with SSE-S3 (AES256), with this policy; then deploy again:\n%s", region, be.Policy)}, true
	}
	return p, false
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
