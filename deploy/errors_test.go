package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

func TestCallErrorShowsTheAPIMessage(t *testing.T) {
	// The SDK's own text is long; the API's code and message are what help.
	sdk := fmt.Errorf("operation error CloudFormation: DeleteStack, https response error StatusCode: 400, RequestID: 1, api error: %w",
		apiError("DependencyViolation", "The vpc vpc-1 has dependencies and cannot be deleted."))
	err := fmt.Errorf("delete stack web: %w", newCallError("cloudformation", "DeleteStack", time.Second, sdk, nil))
	check(t, "message", err.Error(), "delete stack web: DependencyViolation: The vpc vpc-1 has dependencies and cannot be deleted.")
	var ae smithy.APIError
	check(t, "still an APIError", errors.As(err, &ae), true)
}

// sendError is what the SDK returns when a request gets no answer.
func sendError(op string, err error) error {
	return fmt.Errorf("operation error CloudFormation: %s, https response error StatusCode: 0, RequestID: , request send failed, %w",
		op, &url.Error{Op: "Post", URL: "https://cloudformation.eu-west-1.amazonaws.com/", Err: err})
}

type netTimeout struct{}

func (netTimeout) Error() string   { return "net/http: timeout awaiting response headers" }
func (netTimeout) Timeout() bool   { return true }
func (netTimeout) Is(e error) bool { return e == context.DeadlineExceeded } // as net/http's does

func TestCallErrorInPlainWords(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &net.OpError{Err: syscall.ECONNREFUSED}}
	for _, tc := range []struct {
		name    string
		err     error
		stopped error
		want    string
		is      []error
		isNot   []error
	}{
		{
			name: "no credentials",
			err: errors.New("operation error CloudFormation: DescribeStacks, get identity: get credentials: failed to refresh cached credentials, " +
				"no EC2 IMDS role found, operation error ec2imds: GetMetadata, access disabled to EC2 IMDS via client option"),
			want: "no AWS credentials found (environment, AWS config files, SSO, EC2 instance metadata)",
			is:   []error{ErrCredentials},
		},
		{
			name: "expired SSO token",
			err:  errors.New("operation error CloudFormation: DescribeStacks, get identity: get credentials: failed to refresh cached credentials, the SSO session has expired"),
			want: "cannot get AWS credentials: get credentials: failed to refresh cached credentials, the SSO session has expired",
			is:   []error{ErrCredentials},
		},
		{
			name: "rejected key",
			err:  apiError("InvalidClientTokenId", "The security token included in the request is invalid."),
			want: "AWS rejected the credentials: InvalidClientTokenId: The security token included in the request is invalid.",
			is:   []error{ErrCredentials},
		},
		{
			name:  "access denied",
			err:   apiError("AccessDenied", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:CreateChangeSet"),
			want:  "access denied to cloudformation:DescribeStacks: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: cloudformation:CreateChangeSet",
			is:    []error{ErrAccessDenied},
			isNot: []error{ErrCredentials, ErrUnreachable},
		},
		{
			name: "unknown region",
			err:  sendError("DescribeStacks", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "cloudformation.xx-nowhere-1.amazonaws.com", IsNotFound: true}}),
			want: "unknown host cloudformation.xx-nowhere-1.amazonaws.com",
			is:   []error{ErrUnknownHost, ErrUnreachable},
		},
		{
			name:  "DNS failure",
			err:   sendError("DescribeStacks", &net.DNSError{Err: "server misbehaving", Name: "cloudformation.eu-west-1.amazonaws.com", IsTemporary: true}),
			want:  "cannot look up cloudformation.eu-west-1.amazonaws.com: server misbehaving",
			is:    []error{ErrUnreachable},
			isNot: []error{ErrUnknownHost},
		},
		{
			name: "refused",
			err:  &retry.MaxAttemptsError{Attempt: 2, Err: sendError("DescribeStacks", refused)},
			want: "connection refused by https://cloudformation.eu-west-1.amazonaws.com (2 tries)",
			is:   []error{ErrUnreachable},
		},
		{
			name:  "stalled",
			err:   &retry.MaxAttemptsError{Attempt: 2, Err: sendError("DescribeStacks", netTimeout{})},
			want:  "no answer from https://cloudformation.eu-west-1.amazonaws.com in 1.5s (2 tries)",
			is:    []error{ErrUnreachable},
			isNot: []error{ErrTimeout, context.Canceled},
		},
		{
			name:    "cut short by the timeout",
			err:     sendError("DescribeStacks", context.DeadlineExceeded),
			stopped: context.DeadlineExceeded,
			want:    "no answer from https://cloudformation.eu-west-1.amazonaws.com in 1.5s: timed out",
			is:      []error{ErrTimeout},
			isNot:   []error{ErrUnreachable, context.Canceled},
		},
		{
			name:    "interrupted",
			err:     sendError("DescribeStacks", context.Canceled),
			stopped: context.Canceled,
			want:    "interrupted",
			is:      []error{context.Canceled},
			isNot:   []error{ErrTimeout, ErrUnreachable},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := newCallError("cloudformation", "DescribeStacks", 1500*time.Millisecond, tc.err, tc.stopped)
			check(t, "message", err.Error(), tc.want)
			for _, target := range tc.is {
				if !errors.Is(err, target) {
					t.Errorf("not %v", target)
				}
			}
			for _, target := range tc.isNot {
				if errors.Is(err, target) {
					t.Errorf("is %v", target)
				}
			}
			check(t, "timedOut", timedOut(err), tc.stopped == context.DeadlineExceeded)
		})
	}
}

func TestIsStackMissing(t *testing.T) {
	check(t, "missing", isStackMissing(apiError("ValidationError", "Stack with id web does not exist")), true)
	check(t, "other validation", isStackMissing(apiError("ValidationError", "Template format error")), false)
	check(t, "other code", isStackMissing(apiError("Throttling", "Rate exceeded")), false)
}

func TestUnsupported(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{unsupported(), true},
		{apiError("InvalidAction", "The action DescribeEvents is not valid for this web service."), true},
		{&httpError{status: 500, err: apiError("InternalFailure", "try again")}, false},
		{&httpError{status: 503, err: &smithy.DeserializationError{Err: errors.New("not XML")}}, false},
		{errors.New("connection reset"), false},
	} {
		check(t, fmt.Sprint(tc.err), Unsupported(tc.err), tc.want)
	}
	ce := newCallError("cloudformation", "DescribeEvents", 0, unsupported(), nil)
	check(t, "Is", errors.Is(ce, ErrUnsupported), true)
	check(t, "message", ce.Error(), "HTTP 500 from the endpoint, with an answer that is not an AWS error: it may not implement cloudformation:DescribeEvents")
	ce = newCallError("cloudformation", "DescribeEvents", 0, apiError("InvalidAction", "not valid"), nil)
	check(t, "message", ce.Error(), "the endpoint does not implement cloudformation:DescribeEvents: InvalidAction")
}
