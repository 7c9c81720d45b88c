package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/preflight"
)

// bareBucket is an S3 bucket in us-east-1 without a bucket policy.
type bareBucket struct{}

func (bareBucket) GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	return &s3.GetBucketLocationOutput{}, nil
}
func (bareBucket) GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "ServerSideEncryptionConfigurationNotFoundError"}
}
func (bareBucket) GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "NoSuchBucketPolicy"}
}

type account struct{}

func (account) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String("111122223333")}, nil
}

// TestDeployChecksAccessLogBucket: a bucket without the policy stops the
// deploy before any CloudFormation call, with the policy to apply.
func TestDeployChecksAccessLogBucket(t *testing.T) {
	var out, errb bytes.Buffer
	cfn := &noAWS{}
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" },
		connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
			return fakeClients(cfn, &fakeAccount{}, bareBucket{}), nil
		},
	}
	err := e.run(context.Background(), []string{"deploy", "--yes", "-c", "../../golden/access-logs.config.yaml", "--stack-name", "logs-test"})
	if code := exitCode(&errb, err); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"cfngen: error: access-log bucket my-alb-access-logs: it has no bucket policy",
		`"AWS": "arn:aws:iam::127311923021:root"`,
		`"Resource": "arn:aws:s3:::my-alb-access-logs/logs-test/AWSLogs/111122223333/*"`,
	} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
	if n := cfn.calls.Load(); n != 0 {
		t.Errorf("%d CloudFormation calls before the bucket was fixed", n)
	}
}

// TestValidateNotes: validate prints the policy the region needs and what
// the interface endpoints cost.
func TestValidateNotes(t *testing.T) {
	for _, c := range []struct {
		config, region string
		want           []string
	}{
		{"access-logs", "eu-west-1", []string{"my-alb-access-logs must be in eu-west-1", `"AWS": "arn:aws:iam::156460612806:root"`, "my-alb-access-logs/web-logs/AWSLogs/ACCOUNT_ID/*"}},
		{"access-logs", "", []string{"set AWS_REGION to see that policy"}},
		{"no-nat", "", []string{"4 interface endpoints (cloudformation, ec2messages, ssm, ssmmessages) in 2 AZs: about $0.08 an hour"}},
	} {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
			if k == "AWS_REGION" {
				return c.region
			}
			return ""
		}}
		if err := e.run(context.Background(), []string{"validate", "-c", "../../golden/" + c.config + ".config.yaml"}); err != nil {
			t.Fatalf("%s: %v", c.config, err)
		}
		if !strings.HasPrefix(out.String(), "ok: ") {
			t.Errorf("%s: stdout %q", c.config, out.String())
		}
		for _, w := range c.want {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%s (AWS_REGION=%q): stderr lacks %q:\n%s", c.config, c.region, w, errb.String())
			}
		}
	}
}

// fakeAccount is an account in us-east-1 for the pre-flight checks: 2
// Availability Zones in us-west-1 and 6 elsewhere, room for 4 more Elastic
// IP addresses and 4 VPCs, one issued certificate, and Amazon Linux 2023
// for x86_64 (amiOld, or amiNew once the SSM parameter has moved on).
type fakeAccount struct {
	moved bool // the SSM parameter names amiNew
	calls atomic.Int64
}

const (
	amiOld   = "ami-0123456789abcdef0"
	amiNew   = "ami-0fedcba9876543210"
	certHere = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"
)

var (
	_ preflight.EC2API    = (*fakeAccount)(nil)
	_ preflight.ACMAPI    = (*fakeAccount)(nil)
	_ preflight.SSMAPI    = (*fakeAccount)(nil)
	_ preflight.QuotasAPI = (*fakeAccount)(nil)
)

func (f *fakeAccount) DescribeAvailabilityZones(_ context.Context, _ *ec2.DescribeAvailabilityZonesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error) {
	f.calls.Add(1)
	o := ec2.Options{Region: "us-east-1"}
	for _, fn := range opts {
		fn(&o)
	}
	n := 6
	if o.Region == "us-west-1" {
		n = 2
	}
	out := &ec2.DescribeAvailabilityZonesOutput{}
	for i := range n {
		out.AvailabilityZones = append(out.AvailabilityZones, ec2types.AvailabilityZone{ZoneName: aws.String(o.Region + string(rune('a'+i)))})
	}
	return out, nil
}

func (f *fakeAccount) DescribeAccountAttributes(context.Context, *ec2.DescribeAccountAttributesInput, ...func(*ec2.Options)) (*ec2.DescribeAccountAttributesOutput, error) {
	f.calls.Add(1)
	return &ec2.DescribeAccountAttributesOutput{AccountAttributes: []ec2types.AccountAttribute{{
		AttributeName: aws.String("vpc-max-elastic-ips"), AttributeValues: []ec2types.AccountAttributeValue{{AttributeValue: aws.String("5")}},
	}}}, nil
}

func (f *fakeAccount) DescribeAddresses(context.Context, *ec2.DescribeAddressesInput, ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	f.calls.Add(1)
	return &ec2.DescribeAddressesOutput{Addresses: make([]ec2types.Address, 1)}, nil
}

func (f *fakeAccount) DescribeVpcs(context.Context, *ec2.DescribeVpcsInput, ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	f.calls.Add(1)
	return &ec2.DescribeVpcsOutput{Vpcs: make([]ec2types.Vpc, 1)}, nil
}

func (f *fakeAccount) DescribeInstanceTypes(_ context.Context, in *ec2.DescribeInstanceTypesInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
	f.calls.Add(1)
	arch := ec2types.ArchitectureTypeX8664
	if strings.Contains(string(in.InstanceTypes[0]), "g.") {
		arch = ec2types.ArchitectureTypeArm64
	}
	return &ec2.DescribeInstanceTypesOutput{InstanceTypes: []ec2types.InstanceTypeInfo{{InstanceType: in.InstanceTypes[0],
		ProcessorInfo: &ec2types.ProcessorInfo{SupportedArchitectures: []ec2types.ArchitectureType{arch}}}}}, nil
}

func (f *fakeAccount) DescribeImages(_ context.Context, in *ec2.DescribeImagesInput, _ ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error) {
	f.calls.Add(1)
	return &ec2.DescribeImagesOutput{Images: []ec2types.Image{{ImageId: aws.String(in.ImageIds[0]), Architecture: ec2types.ArchitectureValuesX8664}}}, nil
}

func (f *fakeAccount) DescribeCertificate(_ context.Context, in *acm.DescribeCertificateInput, _ ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error) {
	f.calls.Add(1)
	if aws.ToString(in.CertificateArn) != certHere {
		return nil, &smithy.GenericAPIError{Code: "ResourceNotFoundException"}
	}
	return &acm.DescribeCertificateOutput{Certificate: &acmtypes.CertificateDetail{CertificateArn: in.CertificateArn, Status: acmtypes.CertificateStatusIssued}}, nil
}

func (f *fakeAccount) GetParameter(_ context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	f.calls.Add(1)
	if aws.ToString(in.Name) != config.AMIx86 {
		return nil, &smithy.GenericAPIError{Code: "ParameterNotFound"}
	}
	v := amiOld
	if f.moved {
		v = amiNew
	}
	return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Name: in.Name, Value: aws.String(v)}}, nil
}

func (f *fakeAccount) GetServiceQuota(context.Context, *servicequotas.GetServiceQuotaInput, ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error) {
	f.calls.Add(1)
	return &servicequotas.GetServiceQuotaOutput{Quota: &sqtypes.ServiceQuota{Value: aws.Float64(5)}}, nil
}

// fakeClients are the clients of a command against fakes, in us-east-1.
func fakeClients(cfn *noAWS, acct *fakeAccount, bucket preflight.S3API) *clients {
	return &clients{cfn: cfn, s3check: bucket, sts: account{}, ec2: acct, acm: acct, ssm: acct, quotas: acct, region: "us-east-1", retries: new(atomic.Int64)}
}

// goodBucket is an access-log bucket set up as the README says.
type goodBucket struct{ bareBucket }

func (goodBucket) GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	return &s3.GetBucketPolicyOutput{Policy: aws.String(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::127311923021:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::my-alb-access-logs/*"}]}`)}, nil
}

// TestPreflightRefusesBeforeCloudFormation: what AWS would refuse mid-way
// stops deploy, diff and validate --online before any CloudFormation
// call, with one line that says what to change.
func TestPreflightRefusesBeforeCloudFormation(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := dir + "/" + name
		if err := writeFile(p, []byte(text)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	otherCert := strings.Replace(certHere, "us-east-1", "eu-west-1", 1)
	cases := []struct {
		name, config, region string
		bucket               preflight.S3API
		want                 []string
	}{
		{"too few AZs", write("az3.yaml", "vpc: {azCount: 3}\n"), "us-west-1", goodBucket{}, []string{
			"cfngen: error: us-west-1 has 2 Availability Zones for this account (us-west-1a, us-west-1b); the stack spreads over 3",
			"cfngen: hint: set vpc.azCount to 2 or less, or deploy to a region with 3 Availability Zones"}},
		{"certificate in another region", write("cert.yaml", "loadBalancer: {certificateArn: '"+otherCert+"'}\n"), "us-east-1", goodBucket{}, []string{
			"cfngen: error: certificate " + otherCert + ": it is in eu-west-1; a load balancer in us-east-1 uses only certificates of us-east-1",
			"cfngen: hint: request or import a certificate in us-east-1 (ACM certificates are regional) and set loadBalancer.certificateArn to it"}},
		{"missing log bucket", "../../golden/access-logs.config.yaml", "us-east-1", missingBucket{}, []string{
			"cfngen: error: access-log bucket my-alb-access-logs: no such bucket; create it in us-east-1, encrypted with SSE-S3, with the policy below"}},
		{"architecture", write("arm.yaml", "instances: {type: t4g.small, ami: "+config.AMIx86+"}\n"), "us-east-1", goodBucket{}, []string{
			"cfngen: error: instance type t4g.small runs arm64, but the image " + amiOld + " (" + config.AMIx86 + ") is x86_64",
			"cfngen: hint: set instances.type to a type for x86_64 (t3.micro for x86_64, t4g.micro for arm64), or instances.ami to an image for arm64"}},
	}
	for _, tc := range cases {
		for _, args := range [][]string{{"deploy", "--yes"}, {"diff"}, {"validate", "--online"}} {
			var out, errb bytes.Buffer
			cfn := &noAWS{}
			e := &env{
				stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
				getenv: func(string) string { return "" },
				connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
					c := fakeClients(cfn, &fakeAccount{}, tc.bucket)
					c.region = tc.region
					return c, nil
				},
			}
			err := e.run(context.Background(), append(args, "-c", tc.config))
			if code := exitCode(&errb, err); code != 1 {
				t.Errorf("%s, %s: exit %d, want 1\n%s", tc.name, args[0], code, errb.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(errb.String(), w+"\n") {
					t.Errorf("%s, %s: stderr lacks %q:\n%s", tc.name, args[0], w, errb.String())
				}
			}
			if n := cfn.calls.Load(); n != 0 {
				t.Errorf("%s, %s: %d CloudFormation calls", tc.name, args[0], n)
			}
		}
	}
}

// missingBucket is an access-log bucket that does not exist.
type missingBucket struct{ bareBucket }

func (missingBucket) GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "NoSuchBucket"}
}

// TestValidateOnline: an account that has what the stack needs.
func TestValidateOnline(t *testing.T) {
	var out, errb bytes.Buffer
	acct := &fakeAccount{}
	cfn := &deployedStack{}
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
			c := fakeClients(&cfn.noAWS, acct, goodBucket{})
			c.cfn = cfn
			return c, nil
		}}
	cfg := t.TempDir() + "/https.yaml"
	if err := writeFile(cfg, []byte("stackName: web-https\nloadBalancer: {certificateArn: '"+certHere+"', accessLogsBucket: my-alb-access-logs}\n")); err != nil {
		t.Fatal(err)
	}
	if err := e.run(context.Background(), []string{"validate", "--online", "-c", cfg}); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.HasSuffix(out.String(), "ok: stack web-https in us-east-1: the account has what it needs\n") {
		t.Errorf("stdout %q", out.String())
	}
	if acct.calls.Load() == 0 {
		t.Error("no call to the account")
	}
	code, _, stderr, connected, _ := runFake(t, "validate", "--region", "eu-west-1")
	if code != 2 || connected || !strings.Contains(stderr, "--profile, --region and --endpoint-url apply only with --online") {
		t.Errorf("validate --region without --online: exit %d, connected %v, %s", code, connected, stderr)
	}
}

// deployedStack is a CloudFormation stack deployed with the default
// template on amiOld; it records the parameters of the change set a
// deploy creates, and then fails it.
type deployedStack struct {
	noAWS
	params []cfntypes.Parameter
	sent   map[string]string
}

var errStop = &smithy.GenericAPIError{Code: "Stop", Message: "the test stops here"}

func (f *deployedStack) DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	params := f.params
	if params == nil {
		params = []cfntypes.Parameter{
			{ParameterKey: aws.String("ImageId"), ParameterValue: aws.String(config.AMIx86), ResolvedValue: aws.String(amiOld)},
			{ParameterKey: aws.String("PinnedImageId"), ParameterValue: aws.String("")},
			{ParameterKey: aws.String("InstanceType"), ParameterValue: aws.String("t3.micro")},
		}
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []cfntypes.Stack{{
		StackName: aws.String("cfngen-web"), StackId: aws.String("arn:aws:cloudformation:us-east-1:111122223333:stack/cfngen-web/1"),
		StackStatus: cfntypes.StackStatusCreateComplete, Parameters: params,
	}}}, nil
}

func (f *deployedStack) ListStackResources(context.Context, *cloudformation.ListStackResourcesInput, ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	return &cloudformation.ListStackResourcesOutput{StackResourceSummaries: []cfntypes.StackResourceSummary{
		{LogicalResourceId: aws.String("VPC"), ResourceType: aws.String("AWS::EC2::VPC"), ResourceStatus: cfntypes.ResourceStatusCreateComplete},
		{LogicalResourceId: aws.String("NatGateway1EIP"), ResourceType: aws.String("AWS::EC2::EIP"), ResourceStatus: cfntypes.ResourceStatusCreateComplete},
	}}, nil
}

func (f *deployedStack) CreateChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	f.sent = map[string]string{}
	for _, p := range in.Parameters {
		f.sent[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	return nil, errStop
}

// TestDeployKeepsTheImage: with a newer image in SSM, a deploy sends the
// deployed image as the pin; --update-ami, a given pin or a new
// instances.ami send what they ask for, and the image's change is a line
// of its own.
func TestDeployKeepsTheImage(t *testing.T) {
	dir := t.TempDir()
	fixed := dir + "/fixed.yaml"
	if err := writeFile(fixed, []byte("instances: {ami: ami-0aaaaaaaaaaaaaaaa}\n")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		sent map[string]string
		line string
	}{
		{nil, map[string]string{"PinnedImageId": amiOld}, "AMI " + amiOld + " kept; the SSM parameter names " + amiNew + " now (--update-ami takes it)"},
		{[]string{"--update-ami"}, map[string]string{"PinnedImageId": amiNew}, "AMI " + amiOld + " -> " + amiNew + " (asked for the latest)"},
		{[]string{"--param", "PinnedImageId=ami-0bbbbbbbbbbbbbbbb"}, map[string]string{"PinnedImageId": "ami-0bbbbbbbbbbbbbbbb"}, "AMI " + amiOld + " -> ami-0bbbbbbbbbbbbbbbb (the given PinnedImageId)"},
		{[]string{"-c", fixed}, map[string]string{}, "AMI " + amiOld + " -> ami-0aaaaaaaaaaaaaaaa (the template's image)"},
	}
	for _, tc := range cases {
		for _, cmd := range []string{"deploy", "diff"} {
			var out, errb bytes.Buffer
			cfn := &deployedStack{}
			e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
				connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
					c := fakeClients(&cfn.noAWS, &fakeAccount{moved: true}, goodBucket{})
					c.cfn = cfn
					return c, nil
				}}
			args := append([]string{cmd, "--yes"}, tc.args...)
			if cmd == "diff" {
				args = append([]string{cmd}, tc.args...)
			}
			err := e.run(context.Background(), args)
			if code := exitCode(&errb, err); code != 1 || !strings.Contains(errb.String(), "the test stops here") {
				t.Errorf("%q: exit %d, want 1 at CreateChangeSet\n%s", args, code, errb.String())
				continue
			}
			delete(cfn.sent, "InstanceType")
			if !maps.Equal(cfn.sent, tc.sent) {
				t.Errorf("%q: sent %v, want %v", args, cfn.sent, tc.sent)
			}
			if !strings.Contains(errb.String(), tc.line+"\n") {
				t.Errorf("%q: stderr lacks %q:\n%s", args, tc.line, errb.String())
			}
		}
	}
}

// TestDeployRefusesUnknownImage: a deployed stack whose image cannot be
// read is not updated: the update could replace every instance.
func TestDeployRefusesUnknownImage(t *testing.T) {
	var out, errb bytes.Buffer
	cfn := &deployedStack{params: []cfntypes.Parameter{{ParameterKey: aws.String("Size"), ParameterValue: aws.String("2")}}}
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
			c := fakeClients(&cfn.noAWS, &fakeAccount{moved: true}, goodBucket{})
			c.cfn = cfn
			return c, nil
		}}
	err := e.run(context.Background(), []string{"deploy", "--yes"})
	if code := exitCode(&errb, err); code != 1 || cfn.sent != nil {
		t.Fatalf("exit %d, change set sent %v\n%s", code, cfn.sent, errb.String())
	}
	for _, w := range []string{
		"cfngen: error: stack cfngen-web: cannot tell which image the deployed stack's instances run: it has no parameter ImageId",
		"cfngen: hint: to choose the image, pass --update-ami for the one the SSM parameter names now, or --param PinnedImageId=ami-...",
	} {
		if !strings.Contains(errb.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errb.String())
		}
	}
}

// TestOnceSSM: the image check and the image pin read an SSM parameter
// once per region; a failed read is not kept.
func TestOnceSSM(t *testing.T) {
	f := &fakeAccount{}
	o := &onceSSM{api: f}
	in := func(region string) func(*ssm.Options) { return func(so *ssm.Options) { so.Region = region } }
	for _, tc := range []struct {
		name, region string
		calls        int64
	}{
		{config.AMIx86, "us-east-1", 1},
		{config.AMIx86, "us-east-1", 1},
		{config.AMIx86, "eu-west-1", 2},
		{"/no/such/parameter", "us-east-1", 3},
		{"/no/such/parameter", "us-east-1", 4},
	} {
		out, err := o.GetParameter(context.Background(), &ssm.GetParameterInput{Name: aws.String(tc.name)}, in(tc.region))
		if (err == nil) != (tc.name == config.AMIx86) || err == nil && aws.ToString(out.Parameter.Value) != amiOld {
			t.Errorf("%s in %s: %v, %v", tc.name, tc.region, out, err)
		}
		if n := f.calls.Load(); n != tc.calls {
			t.Errorf("%s in %s: %d calls, want %d", tc.name, tc.region, n, tc.calls)
		}
	}
}
