package preflight

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// fakeS3 answers as S3 does for one bucket; an empty location is
// us-east-1, an empty policy is none.
type fakeS3 struct {
	missing    bool
	location   types.BucketLocationConstraint
	encryption types.ServerSideEncryption
	policy     string
}

func apiError(code string) error { return &smithy.GenericAPIError{Code: code, Message: code} }

func (f *fakeS3) GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error) {
	if f.missing {
		return nil, apiError("NoSuchBucket")
	}
	return &s3.GetBucketLocationOutput{LocationConstraint: f.location}, nil
}

func (f *fakeS3) GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error) {
	if f.encryption == "" {
		return nil, apiError("ServerSideEncryptionConfigurationNotFoundError")
	}
	return &s3.GetBucketEncryptionOutput{ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: f.encryption}}},
	}}, nil
}

func (f *fakeS3) GetBucketPolicy(context.Context, *s3.GetBucketPolicyInput, ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error) {
	if f.policy == "" {
		return nil, apiError("NoSuchBucketPolicy")
	}
	return &s3.GetBucketPolicyOutput{Policy: aws.String(f.policy)}, nil
}

type fakeSTS struct{ err error }

func (f fakeSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String("111122223333")}, f.err
}

const (
	elbUSEast1 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::127311923021:root"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/web/AWSLogs/111122223333/*"}]}`
	tlsOnly    = `{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::logs","arn:aws:s3:::logs/*"],"Condition":{"Bool":{"aws:SecureTransport":false}}}`
)

func TestCheckAccessLogs(t *testing.T) {
	cases := []struct {
		name   string
		s3     fakeS3
		region string
		want   string // "" for no problem
	}{
		{"ELB account of the region", fakeS3{policy: elbUSEast1}, "us-east-1", ""},
		{"bare account, wider resource, SSE-S3", fakeS3{encryption: "AES256", policy: `{"Statement":{"Effect":"Allow","Principal":{"AWS":["111111111111","127311923021"]},"Action":["s3:Put*"],"Resource":"arn:aws:s3:::logs/*"}}`}, "us-east-1", ""},
		{"TLS-only deny beside the grant", fakeS3{policy: strings.Replace(elbUSEast1, "}]}", "},"+tlsOnly+"]}", 1)}, "us-east-1", ""},
		{"service principal in a newer region", fakeS3{location: "eu-south-2", policy: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"logdelivery.elasticloadbalancing.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/web/AWSLogs/111122223333/*"}]}`}, "eu-south-2", ""},
		{"missing", fakeS3{missing: true}, "us-east-1", "no such bucket; create it in us-east-1"},
		{"other region", fakeS3{location: "EU", policy: elbUSEast1}, "us-east-1", "it is in eu-west-1; the load balancer writes only to a bucket in its own region, us-east-1"},
		{"KMS", fakeS3{encryption: "aws:kms", policy: elbUSEast1}, "us-east-1", "its default encryption is aws:kms; ALB access logs support only SSE-S3"},
		{"no policy", fakeS3{}, "us-east-1", "it has no bucket policy"},
		{"another region's account", fakeS3{location: "eu-west-1", policy: strings.ReplaceAll(elbUSEast1, "us-east-1", "eu-west-1")}, "eu-west-1", "does not let AWS arn:aws:iam::156460612806:root put objects"},
		{"another prefix", fakeS3{policy: strings.Replace(elbUSEast1, "/web/", "/other/", 1)}, "us-east-1", "put objects at arn:aws:s3:::logs/web/AWSLogs/111122223333/ELBAccessLogTestFile"},
		{"another account", fakeS3{policy: strings.Replace(elbUSEast1, "111122223333", "444455556666", 1)}, "us-east-1", "does not let"},
		{"only GetObject", fakeS3{policy: strings.Replace(elbUSEast1, "s3:PutObject", "s3:GetObject", 1)}, "us-east-1", "does not let"},
		{"conditional allow", fakeS3{policy: strings.Replace(elbUSEast1, `"Resource"`, `"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}},"Resource"`, 1)}, "us-east-1", "a statement with conditions does not count"},
		{"explicit deny", fakeS3{policy: strings.Replace(elbUSEast1, "}]}", `},{"Sid":"NoELB","Effect":"Deny","Principal":{"AWS":"127311923021"},"Action":"s3:*","Resource":"*"}]}`, 1)}, "us-east-1", `statement "NoELB" denies`},
		{"conditional deny", fakeS3{policy: strings.Replace(elbUSEast1, "}]}", `},{"Sid":"VPCOnly","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::logs/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}]}`, 1)}, "us-east-1", `cannot tell whether the conditions of its Deny statement "VPCOnly"`},
		{"not json", fakeS3{policy: "{"}, "us-east-1", "its policy does not parse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckAccessLogs(context.Background(), &tc.s3, fakeSTS{}, AccessLogs{Bucket: "logs", Prefix: "web", Region: tc.region})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no problem", err)
				}
				return
			}
			var be *BucketError
			if !errors.As(err, &be) {
				t.Fatalf("got %v, want a *BucketError", err)
			}
			if !strings.Contains(be.Problem, tc.want) {
				t.Errorf("problem %q does not say %q", be.Problem, tc.want)
			}
			if !strings.Contains(be.Policy, "AWSLogs/111122223333/*") {
				t.Errorf("the policy to apply does not name the account:\n%s", be.Policy)
			}
		})
	}
}

func TestCheckAccessLogsCannotAsk(t *testing.T) {
	err := CheckAccessLogs(context.Background(), &fakeS3{}, fakeSTS{err: errors.New("no credentials")}, AccessLogs{Bucket: "logs", Region: "us-east-1"})
	var be *BucketError
	if err == nil || errors.As(err, &be) || !strings.Contains(err.Error(), "no credentials") {
		t.Errorf("got %v, want the STS failure, not a bucket problem", err)
	}
}

// TestCheckAccessLogsNames: a bucket or region name AWS would refuse is an
// error before any call.
func TestCheckAccessLogsNames(t *testing.T) {
	for _, tc := range []struct {
		a    AccessLogs
		want string
	}{
		{AccessLogs{Bucket: "My_Logs", Region: "us-east-1"}, `access-log bucket: "My_Logs" is not an S3 bucket name`},
		{AccessLogs{Bucket: "logs", Region: "us east"}, `access-log bucket logs: "us east" is not an AWS region`},
	} {
		err := CheckAccessLogs(context.Background(), &fakeS3{}, fakeSTS{err: errors.New("called")}, tc.a)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q and no call", tc.a, err, tc.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		ok   bool
	}{
		{"*", "", true}, {"a*c", "abbbc", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true}, {"arn:aws:s3:::b/p/*", "arn:aws:s3:::b/q/x", false}, {"*x", "yyy", false},
	} {
		if glob(c.p, c.s) != c.ok {
			t.Errorf("glob(%q, %q) != %v", c.p, c.s, c.ok)
		}
	}
}
