// Command cfngen generates the CloudFormation template of a highly
// available web application and deploys it through change sets.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
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

// safeRun turns a panic in f into a *panicError, so that exitCode reports
// the bug, with its stack trace, after the deferred clean-ups of f ran.
func safeRun(ctx context.Context, f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	return f()
}

// bugReports is where to report a bug in cfngen.
const bugReports = "https://github.com/cfngen/cfngen/issues"

// panicError is a panic that safeRun caught: a bug in cfngen.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("internal error: %v", e.value) }

// report writes the error, the line that says it is a bug, and the trace.
func (e *panicError) report(stderr io.Writer) {
	fmt.Fprintf(stderr, "cfngen: error: %v\n", e)
	fmt.Fprintf(stderr, "cfngen: this is a bug in cfngen; please report it at %s with the stack trace below\n", bugReports)
	stderr.Write(e.stack)
}
