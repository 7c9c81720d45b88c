package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template"
)

const usage = `cfngen generates the CloudFormation template of a highly available web
application (VPC, load balancer, EC2 instances) and deploys it.

Usage:
  cfngen [synth] [-c FILE] [--format yaml|json] [--check FILE] [-o FILE]
  cfngen validate [-c FILE] [--online [flags]]
  cfngen config [-c FILE]...
  cfngen deploy [-c FILE] [--stack-name NAME] [--yes] [--no-execute [--format json|svg]] [flags]
  cfngen diff [-c FILE] [--stack-name NAME] [--exit-code] [--format table|json|svg] [flags]
  cfngen diff [-c FILE] --against TEMPLATE [--param KEY=VALUE] [--exit-code]
  cfngen execute CHANGE_SET [--stack-name NAME] [--yes] [--allow-replacement] [--allow-broadening] [flags]
  cfngen changesets [-c FILE] [--stack-name NAME] [--format table|json] [flags]
  cfngen drift [-c FILE] [--stack-name NAME] [--format table|json] [--exit-code] [flags]
  cfngen outputs [-c FILE] [--stack-name NAME] [--format text|json] [flags]
  cfngen destroy [-c FILE] [--stack-name NAME] [--yes] [--timeout DURATION] [flags]
  cfngen graph [-c FILE] [--view architecture|references] [--format dot|svg|mermaid]
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
	outTerminal    bool // stdout is a terminal: long values in plans are shortened

	// connect builds the AWS clients: connectAWS, or a fake in tests.
	connect func(ctx context.Context, f *awsFlags, log io.Writer) (*clients, error)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{
		stdin: stdin, stdout: &pipeWriter{stdout}, stderr: stderr,
		getenv:   os.Getenv,
		terminal: isTerminal(stdin) && isTerminal(stderr), outTerminal: isTerminal(stdout),
		connect: connectAWS,
	}
	return e.run(ctx, args)
}

// run runs the command that args name.
func (e *env) run(ctx context.Context, args []string) error {
	commands := map[string]command{
		"synth":      synth,
		"validate":   validate,
		"config":     configCmd,
		"version":    version,
		"graph":      graph,
		"deploy":     deployCmd,
		"diff":       diffCmd,
		"outputs":    outputsCmd,
		"destroy":    destroyCmd,
		"execute":    executeCmd,
		"changesets": changesetsCmd,
		"drift":      driftCmd,
		"stackset":   stacksetCmd,
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
// A flag given an empty value, such as --stack-name "$UNSET", is an error:
// it never stands for the flag's default. A flag that names something in
// AWS is checked by its entry in nameFlags. Both happen here, before a
// command reads a file or makes a call.
func parse(e *env, fs *flag.FlagSet, text string, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, text)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(e.stdout, "\nFlags:")
			fs.SetOutput(e.stdout)
			fs.PrintDefaults()
		}
		return errHelp
	}
	if err != nil {
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		if err != nil {
			return
		}
		g, ok := f.Value.(flag.Getter)
		if !ok {
			return
		}
		s, ok := g.Get().(string)
		switch check := nameFlags[f.Name]; {
		case !ok:
		case s == "":
			err = &usageError{msg: dash(f.Name) + " is empty", hint: "give " + dash(f.Name) + " a value, or leave it out for its default"}
		case check != nil:
			if cerr := check(s); cerr != nil {
				err = usageErrorf("%s: %v", dash(f.Name), cerr)
			}
		}
	})
	return err
}

// dash returns a flag's name as the usage texts write it: -c, --stack-name.
func dash(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
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

// explained is an error with what a user needs to go on: the next
// commands to type, and the SDK's own words for -v.
type explained struct {
	err    error
	hints  []string
	detail string
}

func (e *explained) Error() string { return e.err.Error() }
func (e *explained) Unwrap() error { return e.err }

// stdoutClosed is a write to a stdout that nobody reads any more, as after
// `cfngen diff | head -1`.
type stdoutClosed struct{ err error }

func (e *stdoutClosed) Error() string { return "stdout closed: " + e.err.Error() }
func (e *stdoutClosed) Unwrap() error { return e.err }

// pipeWriter marks the errors of writes to a closed pipe. main lets such a
// write fail (EPIPE) instead of dying of SIGPIPE, so that a deploy or diff
// can remove what it made first.
type pipeWriter struct{ w io.Writer }

func (p *pipeWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		err = &stdoutClosed{err}
	}
	return n, err
}

// exitCode prints err and returns the process's exit code: 0 ok, 1
// failure, 2 bad input, 130 interrupted, 141 stdout closed (quietly, as a
// process that SIGPIPE ends).
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
	var closed *stdoutClosed
	if errors.As(err, &closed) {
		return 141
	}
	var bug *panicError
	if errors.As(err, &bug) {
		bug.report(stderr)
		return 1
	}
	var ex *explained
	errors.As(err, &ex)
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "cfngen: interrupted")
		ex.print(stderr)
		return 130
	}
	fmt.Fprintf(stderr, "cfngen: error: %v\n", err)
	ex.print(stderr)
	var ue *usageError
	var ce *config.Error
	var te *template.Error
	switch {
	case errors.As(err, &ue):
		if ue.hint != "" {
			fmt.Fprintf(stderr, "cfngen: hint: %s\n", ue.hint)
		}
		return 2
	case errors.As(err, &ce), errors.As(err, &te):
		return 2
	}
	return 1
}

// print writes the detail and the hints, if any.
func (e *explained) print(stderr io.Writer) {
	if e == nil {
		return
	}
	if e.detail != "" {
		fmt.Fprintf(stderr, "cfngen: detail: %s\n", e.detail)
	}
	for _, h := range e.hints {
		fmt.Fprintf(stderr, "cfngen: hint: %s\n", h)
	}
}

// loadConfig reads the config files in order, later ones over earlier
// ones, or returns the default when there are none.
func loadConfig(files configFiles) (*config.Config, error) {
	return config.LoadFiles(files...)
}

// configFlag binds -c and --config to the same list of files.
func configFlag(fs *flag.FlagSet) *configFiles {
	p := new(configFiles)
	fs.Var(p, "c", "read the stack's config from `FILE` (default: the built-in stack); repeat it to lay files over each other, later ones winning")
	fs.Var(p, "config", "same as -c `FILE`")
	return p
}
