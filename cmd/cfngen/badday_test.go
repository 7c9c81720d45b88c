package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/internal/testkit/faultproxy"
)

// The tests of this file run cfngen on a bad day against the moto server:
// an endpoint that never answers, interrupts at every request, a stdout
// closed under it, a change set someone left for review, a replacement
// that CloudFormation does not announce.

// stalledListener returns the URL of a listener that accepts connections
// and never answers.
func stalledListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

// TestStalledEndpoint: an endpoint that accepts and never answers ends a
// deploy with one error line that names it and how long cfngen waited,
// exit 1, bounded by --call-timeout or, before that, by --timeout (the
// first call included). The bounds are generous: several times the
// configured timeout.
func TestStalledEndpoint(t *testing.T) {
	useMoto(t) // credentials and region; the endpoint is the listener's
	url := stalledListener(t)
	for _, tc := range []struct {
		name  string
		flags []string
		error string // a regexp; NAME and URL stand for the stack and the endpoint
		bound time.Duration
	}{
		{"call timeout", []string{"--call-timeout", "1s"}, `[a-z][^:]*: no answer from URL in [0-9.]+m?s \(2 tries\)`, 30 * time.Second},
		// Under the default call timeout of 30s: --timeout bounds the call.
		{"timeout", []string{"--timeout", "2s"}, `[a-z][^:]*: no answer from URL in [0-9.]+m?s: timed out`, 20 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := uniqueName("stalled")
			start := time.Now()
			code, stdout, stderr := runCLI(t, 2*time.Minute, append([]string{"deploy", "--yes", "--stack-name", name, "--endpoint-url", url}, tc.flags...)...)
			took := time.Since(start)
			if code != 1 || stdout != "" {
				t.Fatalf("exit %d, stdout %q; want 1 and nothing\nstderr:\n%s", code, stdout, stderr)
			}
			want := strings.NewReplacer("NAME", regexp.QuoteMeta(name), "URL", regexp.QuoteMeta(url)).Replace(tc.error)
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if !regexp.MustCompile("^cfngen: error: " + want + "$").MatchString(lines[0]) {
				t.Errorf("error line %q does not match %q", lines[0], want)
			}
			for _, l := range lines[1:] {
				if !strings.HasPrefix(l, "cfngen: hint: ") {
					t.Errorf("more than one line, and not a hint: %q", l)
				}
			}
			if took > tc.bound {
				t.Errorf("cfngen took %s, over the bound %s", took.Round(time.Second), tc.bound)
			}
		})
	}
}

// TestInterruptSweep sends SIGINT to a real deploy at each of its requests
// in turn, through a proxy that delays every request a little: once while
// the request is held before CloudFormation sees it, once after
// CloudFormation acted on it but before cfngen has the answer. After each,
// either the deploy ran (the stack exists and cfngen said how it stands,
// as read from CloudFormation) or nothing is left; then a second deploy
// converges.
func TestInterruptSweep(t *testing.T) {
	warmMoto(t)
	for _, mode := range []struct {
		name   string
		answer bool
		lost   faultproxy.Outcome
	}{
		{"request held", false, faultproxy.Dropped},
		{"answer held", true, faultproxy.Lost},
	} {
		t.Run(mode.name, func(t *testing.T) {
			for k := 0; ; k++ {
				if !interruptAt(t, k, mode.answer, mode.lost) {
					// DescribeStacks, CreateChangeSet, DescribeChangeSet,
					// ExecuteChangeSet, DescribeStacks.
					if k < 5 {
						t.Fatalf("the deploy made only %d requests", k)
					}
					return
				}
			}
		})
	}
}

// interruptAt interrupts a deploy at its request number k. It reports
// false when the deploy ended before making it.
func interruptAt(t *testing.T, k int, answer bool, lost faultproxy.Outcome) bool {
	t.Helper()
	rule := &faultproxy.Rule{Action: "*", Skip: k, Times: 1, Hold: hold, HoldAnswer: answer}
	p, cfn := proxyToMoto(t, faultproxy.Config{MaxDelay: 20 * time.Millisecond, Rules: []*faultproxy.Rule{rule}})
	name := uniqueName("sweep")
	c := startCLI(t, limit, "", "deploy", "--yes", "--stack-name", name, "--endpoint-url", p.URL)
	select {
	case <-rule.Held():
	case <-c.done:
		if code, _, stderr := c.wait(t); code != 0 {
			t.Fatalf("the deploy that made fewer than %d requests exited %d:\n%s", k+1, code, stderr)
		}
		return false
	}
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := c.wait(t)
	p.Close()
	var at string
	for _, e := range p.Log() {
		if e.ByRule {
			at = e.Action
			if e.Outcome != lost {
				t.Fatalf("request %d (%s) was %s, want %s: the test did not do what it says", k, e.Action, e.Outcome, lost)
			}
		}
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("interrupted at request %d (%s): "+format+"\nstderr:\n%s", append(append([]any{k, at}, args...), stderr)...)
	}
	if code != 130 {
		fail("exit %d, want 130", code)
	}
	live, sets := liveStacks(t, cfn, name), changeSetsOf(t, cfn, name)
	switch {
	case len(live) == 0:
		for _, cs := range sets {
			if cs.ExecutionStatus == types.ExecutionStatusAvailable {
				fail("change set %s left AVAILABLE", aws.ToString(cs.ChangeSetName))
			}
		}
	case len(live) == 1 && live[0].StackStatus == types.StackStatusCreateComplete:
		// Executed: cfngen read how the stack stands.
		if !strings.Contains(stderr, "stack "+name+" is CREATE_COMPLETE") {
			fail("the stack is CREATE_COMPLETE and cfngen does not say so")
		}
		for _, cs := range sets {
			if cs.ExecutionStatus != types.ExecutionStatusExecuteComplete {
				fail("change set %s is %s", aws.ToString(cs.ChangeSetName), cs.ExecutionStatus)
			}
		}
	default:
		fail("stacks left: %s", stackList(live))
	}
	deployAgain(t, cfn, name)
	return true
}

// TestClosedStdout: stdout closed under a diff or a deploy (a reader that
// went away, as `| head -1` does) makes cfngen remove what it made, not
// die of SIGPIPE first; it exits 141 as a process that SIGPIPE ends.
func TestClosedStdout(t *testing.T) {
	cfn := cloudformation.NewFromConfig(useMoto(t))
	for _, args := range [][]string{{"diff"}, {"deploy", "--yes"}} {
		t.Run(args[0], func(t *testing.T) {
			name := uniqueName("epipe")
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close() // nobody reads: the first write fails
			var stderr bytes.Buffer
			cmd := exec.Command("cfngen", append(args, "--stack-name", name)...)
			cmd.Stdout, cmd.Stderr, cmd.Env = w, &stderr, os.Environ()
			err = cmd.Run()
			w.Close()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 141 {
				t.Fatalf("cfngen: %v, want exit 141\nstderr:\n%s", err, &stderr)
			}
			wantLines(t, stderr.String(), "deleted change set ", "deleted empty stack "+name+" (REVIEW_IN_PROGRESS)")
			if st := liveStacks(t, cfn, name); len(st) != 0 {
				t.Errorf("stacks left: %s", stackList(st))
			}
			noChangeSetAvailable(t, cfn, name)
		})
	}
	t.Run("diff | head -1", func(t *testing.T) {
		name := uniqueName("head")
		cmd := exec.Command("bash", "-c", `cfngen diff --stack-name "$1" | head -1; exit "${PIPESTATUS[0]}"`, "bash", name)
		cmd.Env = os.Environ()
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		// 141 when head was gone before cfngen wrote its last line, 0 when not.
		if code != 0 && code != 141 {
			t.Fatalf("cfngen diff exited %d\nstderr:\n%s", code, &stderr)
		}
		if stdout.String() != "parameters:\n" {
			t.Errorf("stdout %q, want the plan's first line", stdout.String())
		}
		if st := liveStacks(t, cfn, name); len(st) != 0 {
			t.Errorf("stacks left: %s", stackList(st))
		}
		noChangeSetAvailable(t, cfn, name)
	})
}

// TestChangeSetLeftForReview: a change set left for review with
// --no-execute, on its REVIEW_IN_PROGRESS stack, survives a later diff, a
// declined deploy and a deploy without consent. (moto makes a second stack
// of the same name for each CREATE change set, where AWS reuses the first;
// cfngen deletes only the one it made, by ID.)
func TestChangeSetLeftForReview(t *testing.T) {
	cfn := cloudformation.NewFromConfig(useMoto(t))
	name := uniqueName("review")
	if code, _, stderr := cli(t, "deploy", "--no-execute", "--stack-name", name); code != 0 {
		t.Fatalf("deploy --no-execute exited %d:\n%s", code, stderr)
	}
	sets, live := changeSetsOf(t, cfn, name), liveStacks(t, cfn, name)
	if len(sets) != 1 || sets[0].ExecutionStatus != types.ExecutionStatusAvailable || len(live) != 1 {
		t.Fatalf("after --no-execute: change sets %s, stacks %s", summarize(sets), stackList(live))
	}
	kept, review := aws.ToString(sets[0].ChangeSetName), aws.ToString(live[0].StackId)
	survives := func(after string) {
		t.Helper()
		if st := liveStacks(t, cfn, name); len(st) != 1 || aws.ToString(st[0].StackId) != review || st[0].StackStatus != types.StackStatusReviewInProgress {
			t.Errorf("after %s, stacks %s, want only %s REVIEW_IN_PROGRESS", after, stackList(st), review)
		}
		found := false
		for _, cs := range changeSetsOf(t, cfn, name) {
			if aws.ToString(cs.ChangeSetName) == kept {
				found = cs.ExecutionStatus == types.ExecutionStatusAvailable
			} else if cs.ExecutionStatus == types.ExecutionStatusAvailable {
				t.Errorf("after %s, change set %s is left AVAILABLE", after, aws.ToString(cs.ChangeSetName))
			}
		}
		if !found {
			t.Errorf("after %s, change set %s left for review is gone", after, kept)
		}
	}

	if code, _, stderr := cli(t, "diff", "--stack-name", name); code != 0 {
		t.Fatalf("diff exited %d:\n%s", code, stderr)
	}
	survives("diff")

	// Declined at the prompt of a terminal.
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader("n\n"), stdout: &out, stderr: &errb, getenv: os.Getenv, terminal: true, connect: connectAWS}
	if code := exitCode(&errb, e.run(context.Background(), []string{"deploy", "--stack-name", name})); code != 1 || !strings.Contains(errb.String(), "[y/N]") {
		t.Fatalf("declined deploy exited %d:\n%s", code, &errb)
	}
	survives("a declined deploy")

	code, _, stderr := cli(t, "deploy", "--stack-name", name)
	if code != 1 {
		t.Fatalf("deploy without a terminal exited %d:\n%s", code, stderr)
	}
	wantLines(t, stderr, "cfngen: hint: to execute it: cfngen deploy --stack-name "+name+" --yes\n")
	survives("a deploy without consent")
}

// TestReplacementNeedsConsent: a VPC CIDR change, of which moto does not
// say whether it replaces the VPC, is a known replacement, predicted from
// the deployed template and the new one; it is refused with --yes alone,
// and the hint, run as written, executes it.
func TestReplacementNeedsConsent(t *testing.T) {
	cfn := cloudformation.NewFromConfig(useMoto(t))
	name := uniqueName("cidr")
	if code, _, stderr := cli(t, "deploy", "--yes", "--stack-name", name); code != 0 {
		t.Fatalf("first deploy exited %d:\n%s", code, stderr)
	}
	config := filepath.Join(t.TempDir(), "cidr.yaml")
	if err := os.WriteFile(config, []byte("vpc:\n  cidr: 10.1.0.0/16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "deploy", "--yes", "--stack-name", name, "-c", config)
	if code != 1 {
		t.Fatalf("deploy --yes of a CIDR change exited %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "Modify  VPC             AWS::EC2::VPC     True (predicted)  CidrBlock (predicted)\n") {
		t.Errorf("the table does not show the VPC's predicted replacement:\n%s", stdout)
	}
	hint := "cfngen deploy --stack-name " + name + " -c " + config + " --yes --allow-replacement"
	wantLines(t, stderr,
		"  VPC (AWS::EC2::VPC): replaced: CidrBlock is create-only and changes (predicted)\n",
		"cfngen: error: replacement refused: ",
		"cfngen: hint: to execute it all the same: "+hint+"\n",
	)
	if s := stackStatus(t, cfn, name); s != types.StackStatusCreateComplete {
		t.Errorf("after the refusal the stack is %s", s)
	}
	noChangeSetAvailable(t, cfn, name)

	// The hint, as written.
	cmd := exec.Command("sh", "-c", hint)
	cmd.Env = os.Environ()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", hint, err, out)
	}
	if s := stackStatus(t, cfn, name); s != types.StackStatusUpdateComplete {
		t.Errorf("after the hint the stack is %s, want UPDATE_COMPLETE", s)
	}
}

// TestRemovalNeedsConsent: a change set that only removes a resource (one
// added to the stack outside cfngen) is refused under --yes alone, leaves
// the stack and the resource as they were, and runs with
// --allow-replacement.
func TestRemovalNeedsConsent(t *testing.T) {
	cfg := useMoto(t)
	cfn := cloudformation.NewFromConfig(cfg)
	ctx := context.Background()
	name := uniqueName("remove")
	if code, _, stderr := cli(t, "deploy", "--yes", "--stack-name", name); code != 0 {
		t.Fatalf("first deploy exited %d:\n%s", code, stderr)
	}
	// Someone adds a queue to the stack by hand.
	tpl, err := cfn.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Replace(aws.ToString(tpl.TemplateBody), "\nResources:\n", "\nResources:\n  Extra:\n    Type: AWS::SQS::Queue\n", 1)
	// The parameters keep their defaults, as cfngen deploys them.
	if _, err := cfn.UpdateStack(ctx, &cloudformation.UpdateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body),
		Capabilities: []types.Capability{types.CapabilityCapabilityIam}}); err != nil {
		t.Fatal(err)
	}
	if _, ok := stackResources(t, cfg, name)["Extra"]; !ok {
		t.Fatalf("the queue was not added to the stack")
	}

	code, stdout, stderr := cli(t, "deploy", "--yes", "--stack-name", name)
	if code != 1 {
		t.Fatalf("deploy --yes of a removal exited %d:\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "0 to add, 0 to modify, 1 to remove") {
		t.Errorf("the change set does not only remove:\n%s", stdout)
	}
	wantLines(t, stderr,
		"  Extra (AWS::SQS::Queue): removed\n",
		"cfngen: error: ",
		"cfngen: hint: to execute it all the same: cfngen deploy --stack-name "+name+" --yes --allow-replacement\n",
	)
	if s := stackStatus(t, cfn, name); s != types.StackStatusUpdateComplete {
		t.Errorf("after the refusal the stack is %s", s)
	}
	if _, ok := stackResources(t, cfg, name)["Extra"]; !ok {
		t.Errorf("the queue is gone though its removal was refused")
	}
	noChangeSetAvailable(t, cfn, name)

	if code, _, stderr := cli(t, "deploy", "--yes", "--allow-replacement", "--stack-name", name); code != 0 {
		t.Fatalf("deploy --yes --allow-replacement exited %d:\n%s", code, stderr)
	}
	if _, ok := stackResources(t, cfg, name)["Extra"]; ok {
		t.Errorf("the queue is still in the stack after the consented removal")
	}
}

// TestNothingToDoOrShow: destroy of a missing stack is a success with a
// note, as for aws cloudformation delete-stack; outputs of a stack without
// outputs (moto keeps none after a change set) says so.
func TestNothingToDoOrShow(t *testing.T) {
	useMoto(t)
	name := uniqueName("missing")
	for _, args := range [][]string{{"destroy", "--yes", "--stack-name", name}, {"destroy", "--stack-name", name}} {
		code, stdout, stderr := cli(t, args...)
		if code != 0 || stdout != "" || stderr != "no stack "+name+": nothing to delete\n" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := cli(t, "deploy", "--yes", "--stack-name", name); code != 0 {
		t.Fatalf("deploy exited %d:\n%s", code, stderr)
	}
	for format, want := range map[string]string{"text": "", "json": "[]\n"} {
		code, stdout, stderr := cli(t, "outputs", "--stack-name", name, "--format", format)
		if code != 0 || stdout != want || stderr != "stack "+name+" has no outputs\n" {
			t.Errorf("outputs --format %s: exit %d, stdout %q, stderr %q", format, code, stdout, stderr)
		}
	}
}

// TestSecondInterrupt: a second SIGINT during the clean-up after the first
// ends cfngen at once and says that what this run made may be left.
func TestSecondInterrupt(t *testing.T) {
	describe := &faultproxy.Rule{Action: "DescribeChangeSet", Times: 1, Hold: hold}
	cleanup := &faultproxy.Rule{Action: "DeleteChangeSet", Times: 1, Hold: hold}
	p, _ := proxyToMoto(t, faultproxy.Config{Rules: []*faultproxy.Rule{describe, cleanup}})
	c := startCLI(t, limit, "", "deploy", "--yes", "--stack-name", uniqueName("twice"), "--endpoint-url", p.URL)
	c.waitFor(t, "a DescribeChangeSet call", limit, describe.Held())
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	c.waitFor(t, "the clean-up's DeleteChangeSet call", limit, cleanup.Held())
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := c.wait(t)
	if code != 130 {
		t.Fatalf("exit %d, want 130\nstderr:\n%s", code, stderr)
	}
	wantLines(t, stderr, "cfngen: interrupted again: stopped before the clean-up was done; what this run made may be left\n")
	p.Close()
	if n := p.Count("DeleteChangeSet", faultproxy.Forwarded); n != 0 {
		t.Errorf("DeleteChangeSet reached moto %d times after the second interrupt", n)
	}
}
