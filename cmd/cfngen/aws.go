package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"

	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/preflight"
	"github.com/cfngen/cfngen/stackset"
)

// maxAttempts is how often a throttled or failed AWS call is tried.
const maxAttempts = 8

// awsFlags are the flags every command that talks to AWS takes. The rest
// comes from the default chain: environment, shared config, SSO, ...
type awsFlags struct {
	profile, region, endpoint string
	verbose                   bool
}

func addAWSFlags(fs *flag.FlagSet) *awsFlags {
	f := &awsFlags{}
	fs.StringVar(&f.profile, "profile", "", "use the named `profile` of the shared AWS config")
	fs.StringVar(&f.region, "region", "", "AWS `region` (default: from AWS_REGION or the profile)")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "send AWS calls to `URL` (also AWS_ENDPOINT_URL), e.g. a moto server")
	fs.BoolVar(&f.verbose, "v", false, "verbose: report each retried AWS call on stderr")
	fs.BoolVar(&f.verbose, "verbose", false, "same as -v")
	return f
}

// check validates the flags without touching the network.
func (f *awsFlags) check() error {
	if f.endpoint != "" {
		u, err := url.Parse(f.endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageErrorf("--endpoint-url %q: want an http:// or https:// URL", f.endpoint)
		}
	}
	return nil
}

// clients are the AWS clients of one command, and the count of retried calls.
type clients struct {
	cfn     deploy.API
	s3      deploy.Uploader
	sets    stackset.API      // StackSets, on the same client as cfn
	zones   stackset.ZonesAPI // EC2, for the Availability Zones of each region
	region  string
	retries *atomic.Int64

	s3check preflight.S3API  // checks an access-log bucket
	sts     preflight.STSAPI // tells the account

	// The pre-flight checks': zones, quotas and images (EC2),
	// certificates, the VPC quota, and the image an SSM parameter names.
	ec2    preflight.EC2API
	acm    preflight.ACMAPI
	quotas preflight.QuotasAPI
	ssm    preflight.SSMAPI
}

// connectAWS loads the AWS configuration and builds the clients; it is
// env.connect outside tests. Throttling and transient errors are retried by
// the SDK's standard retryer, with more attempts than its default; with -v
// each retry is reported.
func connectAWS(ctx context.Context, f *awsFlags, log io.Writer) (*clients, error) {
	var opts []func(*config.LoadOptions) error
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	if f.endpoint != "" {
		opts = append(opts, config.WithBaseEndpoint(f.endpoint))
	}
	opts = append(opts, config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = maxAttempts })
	}))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		var pe config.SharedConfigProfileNotExistError
		if errors.As(err, &pe) {
			return nil, usageErrorf("--profile %q: no such profile in the AWS config files", f.profile)
		}
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, &usageError{msg: "no AWS region is set", hint: "pass --region, or set AWS_REGION or a region in the profile"}
	}
	c := &clients{region: cfg.Region, retries: new(atomic.Int64)}
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
		return countAttempts(st, c.retries, log, f.verbose)
	})
	cfn := cloudformation.NewFromConfig(cfg)
	ec2c := ec2.NewFromConfig(cfg)
	c.cfn, c.sets, c.zones, c.ec2 = cfn, cfn, ec2c, ec2c
	c.acm, c.quotas, c.ssm = acm.NewFromConfig(cfg), servicequotas.NewFromConfig(cfg), ssm.NewFromConfig(cfg)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// moto and other local endpoints serve buckets by path, not by host.
		o.UsePathStyle = f.endpoint != "" || cfg.BaseEndpoint != nil
	})
	c.s3, c.s3check, c.sts = s3c, s3c, sts.NewFromConfig(cfg)
	return c, nil
}

type attemptsKey struct{}

// attempts of one call: how many, and how the last one failed.
type attempts struct {
	n    int
	last error
}

// countAttempts adds two steps to a client's middleware: one before the
// retry loop that starts a count per call, one inside it that runs once per
// attempt. Every attempt after the first is a retry: it is counted and,
// when verbose, reported with the error that caused it.
func countAttempts(st *middleware.Stack, retries *atomic.Int64, log io.Writer, verbose bool) error {
	start := middleware.InitializeMiddlewareFunc("cfngenStartCount", func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
		return next.HandleInitialize(context.WithValue(ctx, attemptsKey{}, &attempts{}), in)
	})
	each := middleware.FinalizeMiddlewareFunc("cfngenCountAttempt", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
		if a, ok := ctx.Value(attemptsKey{}).(*attempts); ok {
			a.n++
			if a.n > 1 {
				retries.Add(1)
				if verbose {
					fmt.Fprintf(log, "cfngen: retry %d of %s after: %v\n", a.n-1, middleware.GetOperationName(ctx), a.last)
				}
			}
			out, md, err := next.HandleFinalize(ctx, in)
			a.last = err
			return out, md, err
		}
		return next.HandleFinalize(ctx, in)
	})
	if err := st.Initialize.Add(start, middleware.Before); err != nil {
		return err
	}
	return st.Finalize.Insert(each, "Retry", middleware.After)
}

// deployer returns a Deployer for the command's streams and terminal.
func (c *clients) deployer(e *env) *deploy.Deployer {
	d := &deploy.Deployer{
		CFN:      c.cfn,
		S3:       c.s3,
		Region:   c.region,
		Out:      e.stdout,
		Log:      e.stderr,
		Terminal: e.terminal,
		Color:    e.terminal && e.getenv("NO_COLOR") == "",
	}
	if e.terminal {
		d.Prompt = &prompter{in: e.stdin, out: e.stderr}
	}
	return d
}
