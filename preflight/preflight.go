// Package preflight checks, before a deploy changes anything, what
// CloudFormation would otherwise find out by failing halfway:
//
//   - [CheckZones]: the region has the Availability Zones the stack
//     spreads over (!GetAZs picks them; us-west-1 has 2 for most accounts);
//   - [CheckHeadroom]: the account's quotas leave room for the Elastic IP
//     addresses of the NAT gateways and for the VPC;
//   - [CheckCertificate]: the load balancer's certificate is in its
//     region and issued;
//   - [CheckArchitecture]: the instance type is offered in the region and
//     runs the image's architecture (an SSM parameter resolved first);
//   - [CheckAccessLogs]: the S3 bucket a load balancer is to write its
//     access logs to exists in the stack's region, is encrypted with
//     SSE-S3 (the only encryption ALB access logs support) and has a
//     policy that lets Elastic Load Balancing deliver. AWS test-writes to
//     the bucket when logging is turned on and fails the load balancer
//     otherwise;
//   - [CheckNetwork]: the subnets of an existing VPC exist, are in it and
//     span two Availability Zones;
//   - [CheckDomain]: the hosted zone and certificate of a domain.
//
// Each check talks to AWS through a narrow interface ([EC2API], [ACMAPI],
// [SSMAPI], [QuotasAPI], [S3API], [STSAPI]) that the aws-sdk-go-v2 client
// satisfies, and returns a typed error for what it finds ([*ZonesError],
// [*QuotaError], ...) and a plain error when it cannot ask.
package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/internal/elblogs"
)

// S3API is the part of the S3 client the checks use.
type S3API interface {
	GetBucketLocation(ctx context.Context, in *s3.GetBucketLocationInput, opts ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
	GetBucketEncryption(ctx context.Context, in *s3.GetBucketEncryptionInput, opts ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	GetBucketPolicy(ctx context.Context, in *s3.GetBucketPolicyInput, opts ...func(*s3.Options)) (*s3.GetBucketPolicyOutput, error)
}

// STSAPI tells the account the stack goes to.
type STSAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, opts ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

var (
	_ S3API  = (*s3.Client)(nil)
	_ STSAPI = (*sts.Client)(nil)
)

// AccessLogs is where a load balancer will write its logs.
type AccessLogs struct {
	Bucket string
	Prefix string // the stack name
	Region string // the stack's region
}

// BucketError says why a bucket cannot take the logs, with the policy the
// region needs.
type BucketError struct {
	Bucket  string
	Problem string
	Policy  string // the bucket policy that lets the region's load balancers deliver
}

func (e *BucketError) Error() string {
	return fmt.Sprintf("access-log bucket %s: %s", e.Bucket, e.Problem)
}

// testObject is the object AWS writes when logging is turned on.
const testObject = "ELBAccessLogTestFile"

// CheckAccessLogs checks the bucket of a; problems with the bucket are
// [*BucketError]s, failures to ask are plain errors, and so is a bucket or
// region name AWS would refuse, before any call.
func CheckAccessLogs(ctx context.Context, s3c S3API, stsc STSAPI, a AccessLogs) error {
	if err := cfnrules.ValidBucketName(a.Bucket); err != nil {
		return fmt.Errorf("access-log bucket: %w", err)
	}
	if err := cfnrules.ValidRegion(a.Region); err != nil {
		return fmt.Errorf("access-log bucket %s: %w", a.Bucket, err)
	}
	id, err := stsc.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("access-log bucket %s: find the account: %w", a.Bucket, err)
	}
	account := aws.ToString(id.Account)
	problem := func(format string, args ...any) error {
		return &BucketError{Bucket: a.Bucket, Problem: fmt.Sprintf(format, args...), Policy: elblogs.Policy(a.Region, a.Bucket, a.Prefix, account)}
	}
	bucket := aws.String(a.Bucket)

	loc, err := s3c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: bucket})
	switch {
	case code(err) == "NoSuchBucket":
		return problem("no such bucket; create it in %s, encrypted with SSE-S3, with the policy below", a.Region)
	case err != nil:
		return fmt.Errorf("access-log bucket %s: %w", a.Bucket, err)
	}
	if r := bucketRegion(string(loc.LocationConstraint)); r != a.Region {
		return problem("it is in %s; the load balancer writes only to a bucket in its own region, %s", r, a.Region)
	}

	enc, err := s3c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket})
	switch {
	case code(err) == "ServerSideEncryptionConfigurationNotFoundError":
		// No default encryption set: S3 encrypts with SSE-S3.
	case err != nil:
		return fmt.Errorf("access-log bucket %s: %w", a.Bucket, err)
	case enc.ServerSideEncryptionConfiguration != nil:
		for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
			if d := r.ApplyServerSideEncryptionByDefault; d != nil && d.SSEAlgorithm != "AES256" {
				return problem("its default encryption is %s; ALB access logs support only SSE-S3 (AES256)", d.SSEAlgorithm)
			}
		}
	}

	pol, err := s3c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: bucket})
	switch {
	case code(err) == "NoSuchBucketPolicy":
		return problem("it has no bucket policy, so Elastic Load Balancing cannot write to it")
	case err != nil:
		return fmt.Errorf("access-log bucket %s: %w", a.Bucket, err)
	}
	object := strings.TrimSuffix(elblogs.ObjectARN(a.Region, a.Bucket, a.Prefix, account), "*") + testObject
	ok, why, err := grants(aws.ToString(pol.Policy), elblogs.Principal(a.Region), object)
	if err != nil {
		return problem("its policy does not parse: %v", err)
	}
	if !ok {
		return problem("%s", why)
	}
	return nil
}

// bucketRegion reads GetBucketLocation's answer.
func bucketRegion(constraint string) string {
	switch constraint {
	case "":
		return "us-east-1"
	case "EU":
		return "eu-west-1"
	}
	return constraint
}

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// policy is the part of an IAM policy document the check reads.
type policy struct {
	Statement list[statement]
}

type statement struct {
	Sid          string
	Effect       string
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
	Action       list[string]
	NotAction    list[string]
	Resource     list[string]
	NotResource  list[string]
	Condition    map[string]map[string]json.RawMessage
}

// list reads a JSON value that is one item or a list of them.
type list[T any] []T

func (l *list[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]T)(l))
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*l = list[T]{one}
	return nil
}

// grants reports whether doc lets principal put object, and if not, why.
// It counts an Allow only when it understands it fully (no Not* elements,
// no conditions), and refuses when a Deny might apply, except the common
// one of plain-HTTP requests: delivery uses HTTPS.
func grants(doc string, principal map[string]string, object string) (bool, string, error) {
	var p policy
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return false, "", err
	}
	who := principalText(principal)
	allowed := false
	for _, s := range p.Statement {
		if s.NotPrincipal != nil || s.NotAction != nil || s.NotResource != nil {
			if s.Effect == "Deny" {
				return false, fmt.Sprintf("cfngen cannot tell whether its Deny statement %q blocks %s from writing %s", s.Sid, who, object), nil
			}
			continue
		}
		if !names(s.Principal, principal) || !anyMatch(s.Action, "s3:PutObject", true) || !anyMatch(s.Resource, object, false) {
			continue
		}
		switch {
		case s.Effect == "Deny" && len(s.Condition) == 0:
			return false, fmt.Sprintf("its statement %q denies %s writing %s", s.Sid, who, object), nil
		case s.Effect == "Deny" && !onlyPlainHTTP(s.Condition):
			return false, fmt.Sprintf("cfngen cannot tell whether the conditions of its Deny statement %q block %s from writing %s", s.Sid, who, object), nil
		case s.Effect == "Allow" && len(s.Condition) == 0:
			allowed = true
		}
	}
	if !allowed {
		return false, fmt.Sprintf("its policy does not let %s put objects at %s (a statement with conditions does not count)", who, object), nil
	}
	return true, "", nil
}

func principalText(p map[string]string) string {
	for k, v := range p {
		return k + " " + v
	}
	return ""
}

// names reports whether a statement's Principal element names want, an
// account root ARN or a service.
func names(raw json.RawMessage, want map[string]string) bool {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return star == "*"
	}
	var m map[string]list[string]
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	for kind, id := range want {
		account := ""
		if parts := strings.Split(id, ":"); kind == "AWS" && len(parts) == 6 {
			account = parts[4] // arn:PARTITION:iam::ACCOUNT:root
		}
		for _, v := range m[kind] {
			if v == "*" || v == id || account != "" && v == account {
				return true
			}
		}
	}
	return false
}

// onlyPlainHTTP reports whether a condition block matches only requests
// made without TLS.
func onlyPlainHTTP(c map[string]map[string]json.RawMessage) bool {
	b, ok := c["Bool"]
	if len(c) != 1 || !ok || len(b) != 1 {
		return false
	}
	switch strings.ReplaceAll(string(b["aws:SecureTransport"]), " ", "") {
	case `"false"`, `false`, `["false"]`, `[false]`:
		return true
	}
	return false
}

func anyMatch(patterns []string, s string, foldCase bool) bool {
	for _, p := range patterns {
		if foldCase {
			p, s = strings.ToLower(p), strings.ToLower(s)
		}
		if glob(p, s) {
			return true
		}
	}
	return false
}

// glob matches s against an IAM pattern: * any run, ? one character.
func glob(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if glob(p[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
		}
		p, s = p[1:], s[1:]
	}
	return s == ""
}
