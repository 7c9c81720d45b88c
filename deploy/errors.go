package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Errors that a command line maps to exit codes and hints. Returned errors
// wrap them, or are types that match them: test with [errors.Is].
var (
	// ErrNoChanges: the template and parameters match the stack. The empty
	// change set has been deleted.
	ErrNoChanges = errors.New("no changes")
	// ErrDeclined: the user answered no at a prompt.
	ErrDeclined = errors.New("declined")
	// ErrNeedsConsent: consent was needed and there was no terminal to ask on.
	ErrNeedsConsent = errors.New("consent needed")
	// ErrReplacementRefused: the change set removes or may replace resources
	// and that was not allowed.
	ErrReplacementRefused = errors.New("replacement refused")
	// ErrBroadeningRefused: the change set widens access (IAM permissions,
	// security-group rules), or nobody can tell whether it does, and that
	// was not allowed.
	ErrBroadeningRefused = errors.New("broadening refused")
	// ErrFailed: CloudFormation could not create the change set, or the stack
	// operation failed (a rollback counts as a failure).
	ErrFailed = errors.New("deploy failed")
	// ErrTimeout: the Input's timeout, or a deadline of the caller's
	// context, ran out. CloudFormation goes on with what it was doing.
	ErrTimeout = errors.New("timed out")
	// ErrTemplateTooLarge: the template is over 51,200 bytes and no S3 bucket
	// was given.
	ErrTemplateTooLarge = errors.New("template too large")
	// ErrStackNotFound: the stack does not exist.
	ErrStackNotFound = errors.New("stack not found")
	// ErrChangeSetNotFound: the change set does not exist.
	ErrChangeSetNotFound = errors.New("change set not found")
	// ErrNotExecutable: the change set cannot be executed as it stands
	// (failed, or executed already).
	ErrNotExecutable = errors.New("change set cannot be executed")
	// ErrProtected: the stack's termination protection is on, so that it
	// cannot be deleted.
	ErrProtected = errors.New("termination protection on")
	// ErrStackState: the stack is in a state from which it cannot be updated
	// without a step outside this package, such as UPDATE_ROLLBACK_FAILED.
	ErrStackState = errors.New("stack cannot be updated")

	// ErrCredentials: an AWS call failed for want of credentials, or AWS
	// rejected them (invalid or expired).
	ErrCredentials = errors.New("no usable AWS credentials")
	// ErrAccessDenied: the credentials may not make a call; the
	// [CallError] names it.
	ErrAccessDenied = errors.New("access denied")
	// ErrUnknownHost: the endpoint's host name does not exist in DNS,
	// which for an AWS endpoint usually means an unknown region.
	ErrUnknownHost = errors.New("unknown host")
	// ErrUnreachable: no answer from the endpoint: a DNS failure, a
	// connection refused or reset, or no answer in time. ErrUnknownHost
	// errors match it too.
	ErrUnreachable = errors.New("endpoint unreachable")
	// ErrUnsupported: the endpoint does not implement the call, as a local
	// emulator of AWS may not (moto answers HTTP 500 without an AWS error
	// for drift detection, DescribeEvents and hooks). See [Unsupported].
	ErrUnsupported = errors.New("not supported by the endpoint")
)

// CallError is an AWS call that failed. Its message says in plain words
// what went wrong: the API's code and message, or what happened on the
// network. Err keeps the SDK's error with all its detail.
//
// It matches, with [errors.Is], [ErrCredentials], [ErrAccessDenied],
// [ErrUnknownHost] or [ErrUnreachable] by its cause, [ErrTimeout] when the
// call was cut short by a deadline, and [context.Canceled] when by an
// interrupt.
type CallError struct {
	Service  string        // "cloudformation" or "s3"
	Op       string        // the API operation, such as "CreateChangeSet"
	Waited   time.Duration // from the call to its failure, retries included
	Attempts int           // tries made, when the SDK gave up after several; else 0
	Err      error

	stopped error // the call's context had ended: context.Canceled or DeadlineExceeded
	notSent bool  // the context had ended before the call: nothing was sent
}

type cause int

const (
	causeOther cause = iota
	causeStopped
	causeCredentials
	causeDenied
	causeAPI
	causeHTTP
	causeNoHost
	causeDNS
	causeRefused
	causeReset
	causeNoAnswer
	causeUnsupported
)

// credentialCodes are the API error codes that reject the credentials
// themselves.
var credentialCodes = map[string]bool{
	"InvalidClientTokenId":        true,
	"UnrecognizedClientException": true,
	"SignatureDoesNotMatch":       true,
	"InvalidAccessKeyId":          true,
	"ExpiredToken":                true,
	"ExpiredTokenException":       true,
	"MissingAuthenticationToken":  true,
}

var deniedCodes = map[string]bool{
	"AccessDenied":          true,
	"AccessDeniedException": true,
	"UnauthorizedOperation": true,
}

func (e *CallError) cause() cause {
	var ae smithy.APIError
	var dns *net.DNSError
	var te interface{ Timeout() bool }
	var re interface{ HTTPStatusCode() int }
	switch {
	case e.stopped != nil:
		return causeStopped
	case Unsupported(e.Err):
		return causeUnsupported
	// The words of the SDK's generated auth middleware when the credentials
	// provider fails: none found, an expired SSO token, ...
	case strings.Contains(e.Err.Error(), "get identity: "):
		return causeCredentials
	case errors.As(e.Err, &ae) && credentialCodes[ae.ErrorCode()]:
		return causeCredentials
	case errors.As(e.Err, &ae) && deniedCodes[ae.ErrorCode()]:
		return causeDenied
	case errors.As(e.Err, &ae):
		return causeAPI
	case errors.As(e.Err, &dns) && dns.IsNotFound:
		return causeNoHost
	case errors.As(e.Err, &dns):
		return causeDNS
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		return causeRefused
	case errors.Is(e.Err, syscall.ECONNRESET), errors.Is(e.Err, syscall.EPIPE):
		return causeReset
	case errors.As(e.Err, &te) && te.Timeout():
		return causeNoAnswer
	case errors.As(e.Err, &re) && re.HTTPStatusCode() > 0:
		return causeHTTP
	}
	return causeOther
}

// Is matches the sentinels of the cause; see [CallError].
func (e *CallError) Is(target error) bool {
	c := e.cause()
	switch target {
	case ErrCredentials:
		return c == causeCredentials
	case ErrAccessDenied:
		return c == causeDenied
	case ErrUnknownHost:
		return c == causeNoHost
	case ErrUnreachable:
		return c == causeNoHost || c == causeDNS || c == causeRefused || c == causeReset || c == causeNoAnswer
	case ErrUnsupported:
		return c == causeUnsupported
	case ErrTimeout:
		return errors.Is(e.stopped, context.DeadlineExceeded)
	case context.Canceled:
		return errors.Is(e.stopped, context.Canceled)
	}
	return false
}

func (e *CallError) Unwrap() error { return e.Err }

// Action names the call as IAM does, such as cloudformation:CreateChangeSet.
func (e *CallError) Action() string { return e.Service + ":" + e.Op }

// Endpoint returns the scheme and host the call went to, when the error
// says.
func (e *CallError) Endpoint() string {
	var ue *url.Error
	if errors.As(e.Err, &ue) {
		if u, err := url.Parse(ue.URL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	var oe *net.OpError
	if errors.As(e.Err, &oe) && oe.Addr != nil {
		return oe.Addr.String()
	}
	var re *smithyhttp.ResponseError
	if errors.As(e.Err, &re) && re.Response != nil && re.Response.Response != nil && re.Response.Request != nil && re.Response.Request.URL != nil {
		return re.Response.Request.URL.Scheme + "://" + re.Response.Request.URL.Host
	}
	return ""
}

func (e *CallError) Error() string {
	var ae smithy.APIError
	var dns *net.DNSError
	var re interface{ HTTPStatusCode() int }
	where := e.Endpoint()
	if where == "" {
		where = "the endpoint"
	}
	switch e.cause() {
	case causeStopped:
		if errors.Is(e.stopped, context.Canceled) {
			return "interrupted"
		}
		if e.notSent {
			return ErrTimeout.Error()
		}
		return fmt.Sprintf("no answer from %s in %s: %s", where, e.waited(), ErrTimeout)
	case causeCredentials:
		if errors.As(e.Err, &ae) {
			return "AWS rejected the credentials: " + ae.ErrorCode() + ": " + ae.ErrorMessage()
		}
		if strings.Contains(e.Err.Error(), "IMDS") {
			// The default chain ran out: environment, config files, SSO,
			// containers and, last, the instance metadata service.
			return "no AWS credentials found (environment, AWS config files, SSO, EC2 instance metadata)"
		}
		msg := e.Err.Error()
		return "cannot get AWS credentials: " + msg[strings.LastIndex(msg, "get identity: ")+len("get identity: "):]
	case causeDenied:
		errors.As(e.Err, &ae)
		return fmt.Sprintf("access denied to %s: %s", e.Action(), ae.ErrorMessage())
	case causeAPI:
		errors.As(e.Err, &ae)
		if ae.ErrorMessage() == "" {
			return ae.ErrorCode()
		}
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	case causeNoHost:
		errors.As(e.Err, &dns)
		return "unknown host " + dns.Name
	case causeDNS:
		errors.As(e.Err, &dns)
		return "cannot look up " + dns.Name + ": " + dns.Err
	case causeRefused:
		return "connection refused by " + where + e.tries()
	case causeReset:
		return "connection to " + where + " broken" + e.tries()
	case causeNoAnswer:
		return fmt.Sprintf("no answer from %s in %s%s", where, e.waited(), e.tries())
	case causeUnsupported:
		var ae smithy.APIError
		if errors.As(e.Err, &ae) {
			return fmt.Sprintf("%s does not implement %s: %s", where, e.Action(), ae.ErrorCode())
		}
		errors.As(e.Err, &re)
		return fmt.Sprintf("HTTP %d from %s, with an answer that is not an AWS error: it may not implement %s", re.HTTPStatusCode(), where, e.Action())
	case causeHTTP:
		errors.As(e.Err, &re)
		return fmt.Sprintf("HTTP %d from %s%s, with an answer that could not be read", re.HTTPStatusCode(), where, e.tries())
	}
	var ue *url.Error
	if errors.As(e.Err, &ue) {
		return "request to " + where + " failed: " + ue.Err.Error()
	}
	return e.Err.Error()
}

func (e *CallError) waited() time.Duration {
	if e.Waited < time.Second {
		return e.Waited.Round(time.Millisecond)
	}
	return e.Waited.Round(100 * time.Millisecond)
}

func (e *CallError) tries() string {
	if e.Attempts > 1 {
		return fmt.Sprintf(" (%d tries)", e.Attempts)
	}
	return ""
}

// newCallError builds the CallError of a failed call.
func newCallError(service, op string, waited time.Duration, err, stopped error) *CallError {
	ce := &CallError{Service: service, Op: op, Waited: waited, Err: err, stopped: stopped}
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) {
		ce.Attempts = me.Attempt
	}
	return ce
}

// unsupportedCodes are the API error codes of an action the endpoint does
// not know.
var unsupportedCodes = map[string]bool{
	"InvalidAction":             true,
	"NotImplemented":            true,
	"UnknownOperationException": true,
}

// Unsupported reports whether err, from an AWS call, says that the
// endpoint does not implement the call: an error code for an unknown
// action, or HTTP 500 or 501 with an answer that is not an AWS error at
// all, as a local emulator gives for an action it lacks. Trying such a
// call again gets the same answer.
func Unsupported(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return unsupportedCodes[ae.ErrorCode()]
	}
	var re interface{ HTTPStatusCode() int }
	var de *smithy.DeserializationError
	return errors.As(err, &re) && (re.HTTPStatusCode() == 500 || re.HTTPStatusCode() == 501) && errors.As(err, &de)
}

// apiMessage returns the API error's message, or "" when err is not one.
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

// apiCode returns the API error's code, or "" when err is not one.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isStackMissing reports whether err says the stack does not exist.
// CloudFormation has no dedicated code: it is a ValidationError.
func isStackMissing(err error) bool {
	return apiCode(err) == "ValidationError" && strings.Contains(apiMessage(err), "does not exist")
}

// isClientFault reports whether the API rejected the request itself, so that
// nothing was started. Unmodelled errors such as ValidationError carry no
// fault, so the HTTP status decides.
func isClientFault(err error) bool {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorFault() == smithy.FaultClient {
		return true
	}
	var re interface{ HTTPStatusCode() int }
	return errors.As(err, &re) && re.HTTPStatusCode() >= 400 && re.HTTPStatusCode() < 500
}

// notSent reports whether err comes from a call that was never sent,
// because the context had already ended.
func notSent(err error) bool {
	var ce *CallError
	return errors.As(err, &ce) && ce.notSent
}

// interrupted reports whether err comes from a cancelled context.
func interrupted(err error) bool {
	return errors.Is(err, context.Canceled)
}

// timedOut reports whether err comes from the Input's timeout or from a
// deadline on the caller's context, and not from a network timeout.
func timedOut(err error) bool {
	if errors.Is(err, ErrTimeout) {
		return true
	}
	var ce *CallError
	if errors.As(err, &ce) {
		return false // an HTTP timeout also matches DeadlineExceeded
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// asTimeout turns a deadline error into msg wrapping ErrTimeout and err.
func asTimeout(err error, msg string) error {
	return &timeoutError{msg: msg, cause: err}
}

// timeoutError reads "msg: timed out": the SDK's text for a call cut short
// ("operation error ... context deadline exceeded") says nothing more.
type timeoutError struct {
	msg   string
	cause error
}

func (e *timeoutError) Error() string   { return e.msg + ": " + ErrTimeout.Error() }
func (e *timeoutError) Unwrap() []error { return []error{ErrTimeout, e.cause} }

// Consent names what a [ConsentError] was about.
type Consent int

const (
	// ToExecute: execute a change set.
	ToExecute Consent = iota
	// ToReplace: execute a change set that removes resources or may replace
	// them, which needs [Input].AllowReplacement or a typed confirmation.
	ToReplace
	// ToBroaden: execute a change set that widens access, which needs
	// [Input].AllowBroadening or a typed confirmation.
	ToBroaden
	// ToRecreate: delete a stack that cannot be updated, to create it again
	// ([Input].AllowDeleteRollbackComplete).
	ToRecreate
	// ToDestroy: delete a stack.
	ToDestroy
)

// ConsentError is an operation that was not done for want of consent. It
// matches [ErrNeedsConsent] when there was no terminal to ask on,
// [ErrDeclined] when the user said no, [ErrReplacementRefused] when
// changes in Risky were refused and [ErrBroadeningRefused] when Broadening
// was.
type ConsentError struct {
	Needed    Consent // ToReplace when Risky is set, even with Broadening
	Declined  bool    // asked, and the user did not consent
	StackName string
	ChangeSet string   // the change set not executed; "" for a deletion
	Status    string   // with ToRecreate: the stack's status
	Risky     []Change // the removals and replacements that needed consent
	// Broadening says how the change set widens access, when that needed
	// consent.
	Broadening []string
}

func (e *ConsentError) Is(target error) bool {
	switch target {
	case ErrNeedsConsent:
		return !e.Declined
	case ErrDeclined:
		return e.Declined && e.Needed != ToReplace && e.Needed != ToBroaden
	case ErrReplacementRefused:
		return len(e.Risky) > 0 || e.Needed == ToReplace && len(e.Broadening) == 0
	case ErrBroadeningRefused:
		return len(e.Broadening) > 0
	}
	return false
}

func (e *ConsentError) Error() string {
	switch e.Needed {
	case ToReplace:
		s := fmt.Sprintf("%s: change set %s removes or may replace resources of stack %s", ErrReplacementRefused, e.ChangeSet, e.StackName)
		if len(e.Broadening) > 0 {
			s += " and widens access"
		}
		return s
	case ToBroaden:
		return fmt.Sprintf("%s: change set %s widens access to stack %s", ErrBroadeningRefused, e.ChangeSet, e.StackName)
	case ToRecreate:
		if e.Declined {
			return fmt.Sprintf("%s: stack %s (%s) not deleted", ErrDeclined, e.StackName, e.Status)
		}
		return fmt.Sprintf("%s: delete stack %s (%s) before creating it again", ErrNeedsConsent, e.StackName, e.Status)
	case ToDestroy:
		if e.Declined {
			return fmt.Sprintf("%s: stack %s not deleted", ErrDeclined, e.StackName)
		}
		return fmt.Sprintf("%s: delete stack %s", ErrNeedsConsent, e.StackName)
	}
	if e.Declined {
		return fmt.Sprintf("%s: change set %s not executed", ErrDeclined, e.ChangeSet)
	}
	return fmt.Sprintf("%s: execute change set %s on stack %s", ErrNeedsConsent, e.ChangeSet, e.StackName)
}

// StackStateError is a stack that cannot be updated as it is. It matches
// [ErrStackState].
type StackStateError struct {
	StackName string
	Status    string
	// Deletable: the stack can be deleted and created again
	// (ROLLBACK_COMPLETE and the like); else it needs a step such as
	// continue-update-rollback.
	Deletable bool
}

func (e *StackStateError) Is(target error) bool { return target == ErrStackState }

func (e *StackStateError) Error() string {
	if e.Deletable {
		return fmt.Sprintf("%s: stack %s is %s: it can only be deleted and created again", ErrStackState, e.StackName, e.Status)
	}
	return fmt.Sprintf("%s: stack %s is %s: fix the cause, run aws cloudformation continue-update-rollback --stack-name %s, then deploy again",
		ErrStackState, e.StackName, e.Status, e.StackName)
}

// StoppedError says that the Deployer stopped following a stack operation,
// on an interrupt, a timeout or a failed call, while CloudFormation goes on
// with it. Status was read from CloudFormation after stopping. It unwraps
// to the cause: [context.Canceled], [ErrTimeout] or a [CallError].
type StoppedError struct {
	StackName string
	Status    string // "" when it could not be read
	Done      bool   // the operation had ended by then
	Err       error
}

func (e *StoppedError) Unwrap() error { return e.Err }

func (e *StoppedError) Error() string {
	switch {
	case interrupted(e.Err):
		return fmt.Sprintf("stopped waiting for stack %s: %v", e.StackName, context.Canceled)
	case timedOut(e.Err) && e.Status != "" && !e.Done:
		return fmt.Sprintf("stack %s still %s: %s", e.StackName, e.Status, ErrTimeout)
	case timedOut(e.Err) && e.Status != "":
		return fmt.Sprintf("stack %s is %s, but the wait %s", e.StackName, e.Status, ErrTimeout)
	}
	return fmt.Sprintf("stopped following stack %s: %v", e.StackName, e.Err)
}
