package deploy

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// Errors that a command line maps to exit codes. Returned errors wrap them:
// test with [errors.Is].
var (
	// ErrNoChanges: the template and parameters match the stack. The empty
	// change set has been deleted.
	ErrNoChanges = errors.New("no changes")
	// ErrDeclined: the user answered no at a prompt.
	ErrDeclined = errors.New("declined")
	// ErrNeedsConsent: consent was needed and there was no terminal to ask on.
	ErrNeedsConsent = errors.New("consent needed")
	// ErrReplacementRefused: the change set removes or replaces resources and
	// that was not allowed.
	ErrReplacementRefused = errors.New("replacement refused")
	// ErrFailed: CloudFormation could not create the change set, or the stack
	// operation failed (a rollback counts as a failure).
	ErrFailed = errors.New("deploy failed")
	// ErrTimeout: the wait ran out of time; CloudFormation goes on.
	ErrTimeout = errors.New("timed out")
	// ErrTemplateTooLarge: the template is over 51,200 bytes and no S3 bucket
	// was given.
	ErrTemplateTooLarge = errors.New("template too large")
	// ErrStackNotFound: the stack does not exist.
	ErrStackNotFound = errors.New("stack not found")
	// ErrStackState: the stack is in a state from which it cannot be updated
	// without a step outside cfngen, such as UPDATE_ROLLBACK_FAILED.
	ErrStackState = errors.New("stack cannot be updated")
)

// awsError names the operation that failed and shows the API's own code and
// message rather than the SDK's long wrapper text.
type awsError struct {
	op  string
	err error
}

func (e *awsError) Error() string {
	var ae smithy.APIError
	if errors.As(e.err, &ae) && ae.ErrorMessage() != "" {
		return e.op + ": " + ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return e.op + ": " + e.err.Error()
}

func (e *awsError) Unwrap() error { return e.err }

func wrapAWS(op string, err error) error {
	if err == nil {
		return nil
	}
	return &awsError{op: op, err: err}
}

// apiMessage returns the API error's message, or "" when err is not one.
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

// isStackMissing reports whether err says the stack does not exist.
// CloudFormation has no dedicated code: it is a ValidationError.
func isStackMissing(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" &&
		strings.Contains(ae.ErrorMessage(), "does not exist")
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

// interrupted reports whether err comes from a cancelled context.
func interrupted(err error) bool {
	return errors.Is(err, context.Canceled)
}

// timedOut reports whether err comes from the Input's timeout or from a
// deadline on the caller's context.
func timedOut(err error) bool {
	return errors.Is(err, ErrTimeout) || errors.Is(err, context.DeadlineExceeded)
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
