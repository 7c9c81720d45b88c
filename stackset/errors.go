package stackset

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
)

// Outcomes that a command line maps to exit codes and hints. Returned
// errors wrap them: test with [errors.Is].
var (
	// ErrNoChanges: the stack set and its instances already match the input.
	ErrNoChanges = errors.New("no changes")
	// ErrDeclined: the user answered no at a prompt.
	ErrDeclined = errors.New("declined")
	// ErrNeedsConsent: consent was needed and there was no terminal to ask on.
	ErrNeedsConsent = errors.New("consent needed")
	// ErrRemovalRefused: the plan deletes stack instances, or removes
	// resources from the template, and that was not allowed.
	ErrRemovalRefused = errors.New("removal refused")
	// ErrFailed: an operation failed, or ended with stack instances in a
	// state other than the one asked for.
	ErrFailed = errors.New("stack set operation failed")
	// ErrStopped: someone stopped the operation before it was done.
	ErrStopped = errors.New("stack set operation stopped")
	// ErrNotFound: the stack set does not exist.
	ErrNotFound = errors.New("stack set not found")
	// ErrPermissionModel: the stack set exists with the other permission
	// model, which its instances cannot change.
	ErrPermissionModel = errors.New("permission model mismatch")
	// ErrRolesMissing: a self-managed stack set could not use its
	// administration role or the execution role of a target account.
	ErrRolesMissing = errors.New("stack set roles missing")
	// ErrTooFewZones: a target region has fewer Availability Zones than the
	// template spreads over.
	ErrTooFewZones = errors.New("too few availability zones")
	// ErrUnknownOrgUnit: the service did not say which organizational unit
	// a stack instance belongs to, so it cannot be deleted by OU.
	ErrUnknownOrgUnit = errors.New("organizational unit unknown")
	// ErrTemplateTooLarge: the template is over the inline limit.
	ErrTemplateTooLarge = errors.New("template too large")
)

// InputError is an Input field with a bad value.
type InputError struct {
	Field  string // the Input field, such as Regions
	Reason string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Reason }

// ZonesError names the region that has too few Availability Zones. It
// wraps ErrTooFewZones.
type ZonesError struct {
	Region string
	Have   int // available Availability Zones
	Want   int
	Zones  []string
}

func (e *ZonesError) Error() string {
	return fmt.Sprintf("region %s has %d Availability Zones (%s); the template needs %d",
		e.Region, e.Have, strings.Join(e.Zones, ", "), e.Want)
}

func (e *ZonesError) Unwrap() error { return ErrTooFewZones }

// OperationError is an operation that cfngen stopped following, or that
// did not end well. Err wraps context.Canceled after an interrupt, or
// ErrFailed or ErrStopped. CloudFormation goes on with a RUNNING
// operation whatever happens to the caller.
type OperationError struct {
	StackSet string
	ID       string     // operation ID
	Action   string     // CREATE, UPDATE or DELETE
	Status   string     // last seen
	Failures []Outcome  // the stack instances that failed
	Role     *RoleError // when a failure says a role is missing
	Err      error
}

func (e *OperationError) Error() string {
	msg := fmt.Sprintf("%s operation %s on stack set %s is %s", strings.ToLower(e.Action), e.ID, e.StackSet, e.Status)
	if len(e.Failures) > 0 {
		f := e.Failures[0]
		msg += fmt.Sprintf(": %s in %s: %s", f.Account, f.Region, orDash(f.Reason))
		if n := len(e.Failures) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
	}
	if interrupted(e.Err) {
		return "stopped waiting: " + msg
	}
	return msg
}

func (e *OperationError) Unwrap() []error {
	if e.Role != nil {
		return []error{e.Err, e.Role}
	}
	return []error{e.Err}
}

// RoleError says which role of a self-managed stack set is missing or not
// trusted. It wraps ErrRolesMissing and the error that showed it.
type RoleError struct {
	Role    string // the name of the administration or execution role
	Account string // the target account, for the execution role
	Message string // the service's words
}

func (e *RoleError) Error() string {
	return "stack set role missing or not trusted: " + e.Message
}

func (e *RoleError) Unwrap() error { return ErrRolesMissing }

// awsError names the call that failed and shows the API's own code and
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

// errorCode returns the API error code of err, or "".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// apiMessage returns the API error's message, or "".
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorMessage()
	}
	return ""
}

func isNotFound(err error) bool { return errorCode(err) == "StackSetNotFoundException" }

func isInProgress(err error) bool { return errorCode(err) == "OperationInProgressException" }

func interrupted(err error) bool { return errors.Is(err, context.Canceled) }

// roleProblem recognises the service's words for a missing or untrusted
// stack set role, such as "Account 111111111111 should have
// 'AWSCloudFormationStackSetExecutionRole' role with trust relationship to
// Role 'AWSCloudFormationStackSetAdministrationRole'."
func roleProblem(msg, adminRole, execRole string) *RoleError {
	low := strings.ToLower(msg)
	if !strings.Contains(low, "trust relationship") && !strings.Contains(low, "sts:assumerole") {
		return nil
	}
	e := &RoleError{Message: msg}
	switch {
	case strings.Contains(msg, "'"+execRole+"'") || strings.Contains(msg, "/"+execRole):
		e.Role = execRole
	case strings.Contains(msg, roleName(adminRole)):
		e.Role = roleName(adminRole)
	}
	if i := strings.Index(msg, "Account "); i >= 0 && len(msg) >= i+8+12 {
		if a := msg[i+8 : i+8+12]; ValidAccount(a) == nil {
			e.Account = a
		}
	}
	return e
}

// roleName returns the name part of a role ARN.
func roleName(arn string) string {
	if i := strings.LastIndex(arn, "/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
