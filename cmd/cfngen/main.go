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
	// With SIGPIPE caught, a write to a closed stdout fails with EPIPE
	// instead of killing cfngen, so that it can remove what it made first.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, cancel := context.WithCancel(context.Background())
	go interrupts(cancel)
	code := exitCode(os.Stderr, safeRun(ctx, func() error { return run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }))
	os.Exit(code)
}

// interrupts cancels the command on the first SIGINT or SIGTERM; it then
// cleans up on a bounded context of its own. A second one ends cfngen at
// once.
func interrupts(cancel func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	<-sigs
	cancel()
	<-sigs
	fmt.Fprintln(os.Stderr, "cfngen: interrupted again: stopped before the clean-up was done; what this run made may be left")
	os.Exit(130)
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
