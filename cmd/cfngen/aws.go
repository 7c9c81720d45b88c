package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/preflight"
	"github.com/cfngen/cfngen/stackset"
)

// How AWS calls are bounded and retried. A throttled call or a server
// error is tried up to maxAttempts times. A request without an answer (no
// connection, or no answer within the call timeout) is tried
// networkAttempts times: a dead endpoint fails in bounded time, and a
// connection a middlebox dropped gets a second chance.
const (
	maxAttempts        = 8
	networkAttempts    = 2
	defaultCallTimeout = 30 * time.Second
	maxConnectTimeout  = 10 * time.Second
)

// awsFlags are the flags every command that talks to AWS takes. The rest
// comes from the default chain: environment, shared config, SSO, ...
type awsFlags struct {
	profile, region, endpoint string
	verbose                   bool
	callTimeout               time.Duration
}

func addAWSFlags(fs *flag.FlagSet) *awsFlags {
	f := &awsFlags{callTimeout: defaultCallTimeout}
	fs.StringVar(&f.profile, "profile", "", "use the named `profile` of the shared AWS config")
	fs.StringVar(&f.region, "region", "", "AWS `region` (default: from AWS_REGION or the profile)")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "send AWS calls to `URL` (also AWS_ENDPOINT_URL), e.g. a moto server")
	fs.Var((*positiveDuration)(&f.callTimeout), "call-timeout", "wait at most `DURATION` for the answer to each AWS request, and for a connection at most 10s of it; a request left without one is tried twice")
	fs.BoolVar(&f.verbose, "v", false, "verbose: report each retried AWS call, and the SDK's own words for an error, on stderr")
	fs.BoolVar(&f.verbose, "verbose", false, "same as -v")
	return f
}

// positiveDuration is a flag value that refuses zero and negative
// durations.
type positiveDuration time.Duration

func (d *positiveDuration) String() string { return time.Duration(*d).String() }

func (d *positiveDuration) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 30s or 2m")
	}
	if v <= 0 {
		return errors.New("want a positive duration")
	}
	*d = positiveDuration(v)
	return nil
}

// checkTimeout refuses a negative --timeout; 0 is no bound.
func checkTimeout(d time.Duration) error {
	if d < 0 {
		return usageErrorf("--timeout %s: want a positive duration", d)
	}
	return nil
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
	console deploy.Console    // EC2, for the console of an instance that signalled failure
	sets    stackset.API      // StackSets, on the same client as cfn
	zones   stackset.ZonesAPI // EC2, for the Availability Zones of each region
	region  string
	retries *atomic.Int64

	s3check preflight.S3API  // checks an access-log bucket
	sts     preflight.STSAPI // tells the account

	// The pre-flight checks': zones, quotas and images (EC2),
	// certificates, the VPC quota, and the image an SSM parameter names.
	ec2     preflight.EC2API
	acm     preflight.ACMAPI
	quotas  preflight.QuotasAPI
	ssm     preflight.SSMAPI
	subnets preflight.SubnetsAPI      // EC2: an existing VPC's subnets
	dns     preflight.ZonesAPI        // Route 53: a domain's hosted zone
	certs   preflight.CertificatesAPI // ACM: a domain's given certificate
}

// connectAWS loads the AWS configuration and builds the clients; it is
// env.connect outside tests. Every request is bounded: a connect timeout
// and the call timeout for its answer. Throttling and transient errors are
// retried by the SDK's standard retryer, with more attempts than its
// default, and requests without an answer twice; with -v each retry is
// reported. The SDK's own log lines (such as its IMDS fallback warning)
// show only with -v.
func connectAWS(ctx context.Context, f *awsFlags, log io.Writer) (*clients, error) {
	hc := awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = min(maxConnectTimeout, f.callTimeout) }).
		WithTimeout(f.callTimeout)
	opts := []func(*config.LoadOptions) error{config.WithHTTPClient(hc)}
	if !f.verbose {
		opts = append(opts, config.WithLogger(logging.Nop{}))
	}
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
		return boundedRetryer{retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts = maxAttempts })}
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
	if err := cfnrules.ValidRegion(cfg.Region); err != nil {
		from := "the profile's region"
		for _, v := range []string{"AWS_DEFAULT_REGION", "AWS_REGION"} {
			if os.Getenv(v) == cfg.Region {
				from = v
			}
		}
		return nil, &usageError{msg: fmt.Sprintf("%s: %v", from, err), hint: "pass --region, or set AWS_REGION or a region in the profile"}
	}
	c := &clients{region: cfg.Region, retries: new(atomic.Int64)}
	cfg.APIOptions = append(cfg.APIOptions, func(st *middleware.Stack) error {
		if err := countAttempts(st, c.retries, log, f.verbose); err != nil {
			return err
		}
		return st.Finalize.Insert(nameEndpoint, "Retry", middleware.After)
	})
	cfn := cloudformation.NewFromConfig(cfg)
	ec2c := ec2.NewFromConfig(cfg)
	c.cfn, c.sets, c.zones, c.ec2 = cfn, cfn, ec2c, ec2c
	c.acm, c.quotas, c.ssm = acm.NewFromConfig(cfg), servicequotas.NewFromConfig(cfg), &onceSSM{api: ssm.NewFromConfig(cfg)}
	c.console = ec2c
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// moto and other local endpoints serve buckets by path, not by host.
		o.UsePathStyle = f.endpoint != "" || cfg.BaseEndpoint != nil
	})
	c.s3, c.s3check, c.sts = s3c, s3c, sts.NewFromConfig(cfg)
	c.subnets, c.dns, c.certs = ec2.NewFromConfig(cfg), route53.NewFromConfig(cfg), acm.NewFromConfig(cfg)
	return c, nil
}

// boundedRetryer stops retrying a request that got no answer after
// networkAttempts tries, and never retries a call the endpoint does not
// implement: it would answer the same.
type boundedRetryer struct{ aws.RetryerV2 }

func (r boundedRetryer) IsErrorRetryable(err error) bool {
	return !deploy.Unsupported(err) && r.RetryerV2.IsErrorRetryable(err)
}

func (r boundedRetryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	var se *smithyhttp.RequestSendError
	if attempt >= networkAttempts && errors.As(err, &se) {
		return 0, &retry.MaxAttemptsError{Attempt: attempt, Err: err}
	}
	return r.RetryerV2.RetryDelay(attempt, err)
}

// nameEndpoint adds the request's URL to the error of an attempt cut short
// by the context (--timeout, an interrupt): the SDK's error then names no
// endpoint, and "no answer from URL" should.
var nameEndpoint = middleware.FinalizeMiddlewareFunc("cfngenNameEndpoint", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleFinalize(ctx, in)
	var canceled interface{ CanceledError() bool }
	var ue *url.Error
	if req, ok := in.Request.(*smithyhttp.Request); ok && errors.As(err, &canceled) && !errors.As(err, &ue) {
		err = &url.Error{Op: req.Method, URL: req.URL.String(), Err: err}
	}
	return out, md, err
})

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

// valueWidth is how many characters of a property value the plan shows on
// a terminal; elsewhere values are whole.
const valueWidth = 60

// deployer returns a Deployer for the command's streams and terminal.
func (c *clients) deployer(e *env) *deploy.Deployer {
	d := &deploy.Deployer{
		CFN:      c.cfn,
		S3:       c.s3,
		EC2:      c.console,
		Region:   c.region,
		Out:      e.stdout,
		Log:      e.stderr,
		Terminal: e.terminal,
		Color:    e.color(),
		Prompt:   e.prompter(),
	}
	if e.outTerminal {
		d.Width = valueWidth
	}
	return d
}

// onceSSM reads each SSM parameter once per region and command: the image
// check and the image pin ask for the same one.
type onceSSM struct {
	api preflight.SSMAPI
	mu  sync.Mutex
	got map[string]*ssm.GetParameterOutput
}

func (o *onceSSM) GetParameter(ctx context.Context, in *ssm.GetParameterInput, opts ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	var so ssm.Options
	for _, f := range opts {
		f(&so)
	}
	key := so.Region + " " + aws.ToString(in.Name) + " " + strconv.FormatBool(aws.ToBool(in.WithDecryption))
	o.mu.Lock()
	defer o.mu.Unlock()
	if out, ok := o.got[key]; ok {
		return out, nil
	}
	out, err := o.api.GetParameter(ctx, in, opts...)
	if err == nil {
		if o.got == nil {
			o.got = map[string]*ssm.GetParameterOutput{}
		}
		o.got[key] = out
	}
	return out, err
}
