// Command cfngen generates the CloudFormation template of a highly
// available web application and deploys it through change sets.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := exitCode(os.Stderr, safeRun(ctx, func() error { return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }))
	stop()
	os.Exit(code)
}

// safeRun turns a panic in f into an error, so that a bug shows as one
// line instead of a stack trace.
func safeRun(ctx context.Context, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v (please report it)", r)
		}
	}()
	return f()
}
