package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cfngen/cfngen/deploy"
)

// explain adds to err of command cmd, run with args, the commands that
// take the user on: the flags that give the missing consent, how to give
// credentials, and so on. Every hint is a command that works as written.
// With -v it adds the SDK's own words.
func explain(cmd string, args []string, af *awsFlags, region string, err error) error {
	if err == nil {
		return nil
	}
	ex := &explained{err: err}
	var ce *deploy.ConsentError
	var se *deploy.StackStateError
	var stop *deploy.StoppedError
	var call *deploy.CallError
	var pe *deploy.ProtectedError
	if errors.Is(err, deploy.ErrUnsupported) && errors.As(err, &call) {
		return &exitError{code: 1, msg: "error: this endpoint does not support " + feature(call.Op)}
	}
	switch {
	case errors.As(err, &pe):
		ex.hints = []string{
			"to turn it off: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name " + shellQuote(pe.StackName),
			"or with the next deploy: cfngen deploy --stack-name " + shellQuote(pe.StackName) + " --no-termination-protection",
		}
	case errors.As(err, &ce):
		ex.hints = consentHints(cmd, args, ce)
	case errors.As(err, &se) && se.Deletable:
		ex.hints = []string{"to delete it and create it again: " + rerun("deploy", args, []string{"exit-code"}, "--recreate", "--yes")}
	case errors.As(err, &stop) && !stop.Done && cmd == "deploy":
		ex.hints = []string{"to wait for it, then deploy what is left to change: " + rerun(cmd, args, nil)}
	case errors.Is(err, deploy.ErrCredentials):
		ex.hints = []string{
			"to store credentials for cfngen and the aws CLI: aws configure",
			"or sign in to a profile and name it: aws sso login --profile NAME, then add --profile NAME",
			"or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) in the environment",
		}
	case errors.Is(err, deploy.ErrUnknownHost) && af.endpoint == "" && errors.As(err, &call) && strings.Contains(call.Error(), "."+region+".amazonaws.com"):
		ex.hints = []string{fmt.Sprintf("%q may not be an AWS region; list them: aws ec2 describe-regions --region us-east-1 --query 'Regions[].RegionName' --output text", region)}
	case errors.Is(err, deploy.ErrUnreachable) && errors.As(err, &call) && strings.HasPrefix(call.Error(), "no answer from"):
		ex.hints = []string{"to wait longer for each answer: " + rerun(cmd, args, []string{"call-timeout"}, "--call-timeout", "2m")}
	}
	if af.verbose && errors.As(err, &call) {
		ex.detail = call.Err.Error()
	}
	if ex.hints == nil && ex.detail == "" {
		return err
	}
	return ex
}

// feature names what an API call is for, in a user's words.
func feature(op string) string {
	switch op {
	case "DetectStackDrift", "DescribeStackDriftDetectionStatus", "DescribeStackResourceDrifts":
		return "drift detection"
	case "UpdateTerminationProtection":
		return "termination protection"
	case "DescribeEvents":
		return "operation events (DescribeEvents)"
	case "ListHookResults", "GetHookResult":
		return "hook results"
	}
	return "cloudformation:" + op
}

func consentHints(cmd string, args []string, ce *deploy.ConsentError) []string {
	switch {
	case ce.Needed == deploy.ToReplace || ce.Needed == deploy.ToBroaden:
		add := []string{"--yes"}
		if len(ce.Risky) > 0 || ce.Needed == deploy.ToReplace && len(ce.Broadening) == 0 {
			add = append(add, "--allow-replacement")
		}
		if len(ce.Broadening) > 0 {
			add = append(add, "--allow-broadening")
		}
		return []string{"to execute it all the same: " + rerun(cmd, args, []string{"no-execute"}, add...)}
	case ce.Declined:
		return nil
	case ce.Needed == deploy.ToExecute:
		return []string{
			"to execute it: " + rerun(cmd, args, nil, "--yes"),
			"to keep it for review: " + rerun(cmd, args, []string{"allow-replacement", "recreate"}, "--no-execute"),
		}
	case ce.Needed == deploy.ToRecreate:
		return []string{"to delete it and create it again: " + rerun(cmd, args, nil, "--recreate", "--yes")}
	case ce.Needed == deploy.ToDestroy:
		return []string{"to delete it: " + rerun(cmd, args, nil, "--yes")}
	}
	return nil
}

// rerun returns the command line "cfngen CMD ARGS ADD...", without the
// flags named in drop and without those of add already in args, quoted
// for a POSIX shell.
func rerun(cmd string, args, drop []string, add ...string) string {
	skip := map[string]bool{}
	for _, d := range drop {
		skip[d] = true
	}
	for _, a := range add {
		if strings.HasPrefix(a, "-") {
			skip[strings.TrimLeft(a, "-")] = true
		}
	}
	words := []string{"cfngen", cmd}
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if strings.HasPrefix(args[i], "-") && skip[name] {
			if !hasValue && valued[name] && i+1 < len(args) {
				i++ // its value
			}
			continue
		}
		words = append(words, shellQuote(args[i]))
	}
	return strings.Join(append(words, add...), " ")
}

// valued lists the flags of drop and add that take a value as the next
// argument.
var valued = map[string]bool{"call-timeout": true}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,@%+-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// withHints adds hints to the command's outcome: to err, when there is one,
// or printed on stderr now.
func withHints(e *env, err error, hints []string) error {
	if len(hints) == 0 {
		return err
	}
	if err == nil {
		for _, h := range hints {
			fmt.Fprintf(e.stderr, "cfngen: hint: %s\n", h)
		}
		return nil
	}
	var ex *explained
	if errors.As(err, &ex) {
		ex.hints = append(ex.hints, hints...)
		return err
	}
	return &explained{err: err, hints: hints}
}

// rerunExecute returns the command that executes change set name of stack,
// with the AWS flags of args.
func rerunExecute(name, stack string, args []string) string {
	words := []string{"cfngen", "execute", shellQuote(name), "--stack-name", shellQuote(stack)}
	return strings.Join(append(words, awsArgs(args)...), " ")
}

// awsArgs returns the flags of args that say where AWS is: profile, region
// and endpoint, quoted for a POSIX shell.
func awsArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") {
			continue
		}
		switch name {
		case "profile", "region", "endpoint-url":
			out = append(out, shellQuote(args[i]))
			if !hasValue && i+1 < len(args) {
				i++
				out = append(out, shellQuote(args[i]))
			}
		}
	}
	return out
}
