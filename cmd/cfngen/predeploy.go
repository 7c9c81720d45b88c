package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/cfngen/cfngen/deploy"
)

// beforeDeploy runs what deploy and diff do before their change set: the
// checks of a given network and domain, the pre-flight checks and the
// image pin. in.Timeout bounds them too, and
// their failures read in the same plain words as the deployer's.
func beforeDeploy(ctx context.Context, e *env, c *clients, files configFiles, in *deploy.Input, updateAMI bool) error {
	start := time.Now()
	if in.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, in.Timeout, deploy.ErrTimeout)
		defer cancel()
	}
	cfg, err := loadConfig(files)
	if err != nil {
		return err
	}
	err = checkGiven(ctx, e, c, cfg, in)
	if err == nil {
		err = preflightChecks(ctx, e, c, cfg, *in)
	}
	if err == nil {
		err = pinImage(ctx, e, c, cfg, in, updateAMI)
	}
	if err != nil {
		return plainAWS(ctx, err, time.Since(start))
	}
	return nil
}

// plainAWS rewrites the SDK's words in err, the failure of a call made
// outside the deployer, as a [deploy.CallError] says them, after the
// caller's own prefix ("describe the Availability Zones of us-east-1: ").
// A call the command's deadline cut short is a timeout. Other errors are
// returned as they are.
func plainAWS(ctx context.Context, err error, waited time.Duration) error {
	var oe *smithy.OperationError
	var done *deploy.CallError
	if errors.As(err, &done) || !errors.As(err, &oe) {
		return err
	}
	ce := &deploy.CallError{Service: strings.ToLower(oe.ServiceID), Op: oe.OperationName, Waited: waited, Err: oe.Err}
	var me *retry.MaxAttemptsError
	if errors.As(oe.Err, &me) {
		ce.Attempts = me.Attempt
	}
	prefix, _ := strings.CutSuffix(err.Error(), oe.Error())
	return &plainError{prefix: prefix, call: ce, timedOut: errors.Is(context.Cause(ctx), deploy.ErrTimeout)}
}

// plainError is a call's failure in plain words, after the caller's prefix.
type plainError struct {
	prefix   string
	call     *deploy.CallError
	timedOut bool
}

func (e *plainError) Error() string {
	if !e.timedOut {
		return e.prefix + e.call.Error()
	}
	where, waited := e.call.Endpoint(), e.call.Waited.Round(100*time.Millisecond)
	if where == "" {
		where = "the endpoint"
	}
	return fmt.Sprintf("%sno answer from %s in %s: %s", e.prefix, where, waited, deploy.ErrTimeout)
}

func (e *plainError) Unwrap() []error {
	if e.timedOut {
		return []error{e.call, deploy.ErrTimeout}
	}
	return []error{e.call}
}
