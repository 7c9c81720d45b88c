package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
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
			return &clients{cfn: cfn, s3check: bareBucket{}, sts: account{}, region: "us-east-1", retries: new(atomic.Int64)}, nil
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
