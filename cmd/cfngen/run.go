package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cfngen/cfngen/config"
)

const usage = `cfngen generates the CloudFormation template of a highly available web
application (VPC, load balancer, EC2 instances) and deploys it.

Usage:
  cfngen [synth] [-c FILE] [--format yaml|json] [--check FILE] [-o FILE]
  cfngen validate [-c FILE] [--online [flags]]
  cfngen deploy [-c FILE] [--yes] [--no-execute] [flags]
  cfngen diff [-c FILE] [--exit-code]
  cfngen outputs [--stack-name NAME] [--format text|json]
  cfngen destroy [--stack-name NAME] [--yes]
  cfngen graph [-c FILE] [--format dot|mermaid]
  cfngen stackset deploy|status|destroy [flags]
  cfngen version

Run 'cfngen COMMAND -h' for the flags of a command.

Example:
  cfngen > stack.yaml
  aws cloudformation deploy --template-file stack.yaml --stack-name web --capabilities CAPABILITY_IAM
`

// command is one subcommand: it parses its own flags from args.
type command func(ctx context.Context, env *env, args []string) error

// env is what a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	terminal       bool // stdin and stderr are terminals: prompts and live progress

	// connect builds the AWS clients: connectAWS, or a fake in tests.
	connect func(ctx context.Context, f *awsFlags, log io.Writer) (*clients, error)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{
		stdin: stdin, stdout: stdout, stderr: stderr,
		getenv:   os.Getenv,
		terminal: isTerminal(stdin) && isTerminal(stderr),
		connect:  connectAWS,
	}
	return e.run(ctx, args)
}

// run runs the command that args name.
func (e *env) run(ctx context.Context, args []string) error {
	commands := map[string]command{
		"synth":    synth,
		"validate": validate,
		"version":  version,
		"graph":    graph,
		"deploy":   deployCmd,
		"diff":     diffCmd,
		"outputs":  outputsCmd,
		"destroy":  destroyCmd,
		"stackset": stacksetCmd,
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") && args[0] != "-h" && args[0] != "-help" && args[0] != "--help" {
		return synth(ctx, e, args)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return usageErrorf("unknown command %q (run 'cfngen -h' for the list)", args[0])
	}
	return cmd(ctx, e, args[1:])
}

// newFlags returns a flag set that reports errors instead of printing
// them and exiting; see parse.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses args and turns -h and flag errors into the right errors.
func parse(e *env, fs *flag.FlagSet, text string, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, text)
		fmt.Fprintln(e.stdout, "\nFlags:")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		return errHelp
	}
	if err != nil {
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// errHelp ends a command that printed its usage; the exit code is 0.
var errHelp = errors.New("help printed")

// usageError is bad input on the command line: exit code 2.
type usageError struct{ msg, hint string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitError ends a command with a code and, when msg is set, a message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// exitCode prints err and returns the process's exit code: 0 ok, 1
// failure, 2 bad input, 130 interrupted.
func exitCode(stderr io.Writer, err error) int {
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintf(stderr, "cfngen: %s\n", ee.msg)
		}
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "cfngen: interrupted")
		return 130
	}
	fmt.Fprintf(stderr, "cfngen: error: %v\n", err)
	var ue *usageError
	var ce *config.Error
	switch {
	case errors.As(err, &ue):
		if ue.hint != "" {
			fmt.Fprintf(stderr, "cfngen: hint: %s\n", ue.hint)
		}
		return 2
	case errors.As(err, &ce):
		return 2
	}
	return 1
}

// loadConfig reads the config file, or returns the default when path is empty.
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		c := config.Default()
		return c, c.Validate()
	}
	return config.Load(path)
}

// configFlag binds -c and --config to the same value.
func configFlag(fs *flag.FlagSet) *string {
	p := new(string)
	fs.StringVar(p, "c", "", "read the stack's config from `FILE` (default: the built-in stack)")
	fs.StringVar(p, "config", "", "same as -c")
	return p
}
