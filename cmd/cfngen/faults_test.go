package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/testkit/faultproxy"
	"github.com/cfngen/cfngen/template"
)

// The end-to-end tests of this file and interrupt_test.go run the real CLI
// as a subprocess (the cfngen that testscript.Main puts on PATH) against
// the moto server, through a faultproxy.Proxy that throttles, fails, delays
// or holds its AWS calls. The test's own checks go to moto directly.

// proxyToMoto starts a fault proxy in front of the moto server and sets the
// environment (test credentials, loopback endpoints only) that the
// subprocesses inherit. The returned client talks to moto directly.
func proxyToMoto(t *testing.T, cfg faultproxy.Config) (*faultproxy.Proxy, *cloudformation.Client) {
	t.Helper()
	awsCfg := useMoto(t)
	p, err := faultproxy.Start(motoServer.Endpoint(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Close()
		if t.Failed() {
			var b strings.Builder
			for _, e := range p.Log() {
				fmt.Fprintf(&b, "\n  %s: %s (%d)", e.Action, e.Outcome, e.Status)
				if e.ByRule {
					b.WriteString(", by a rule")
				}
			}
			t.Logf("requests through the proxy:%s", b.String())
		}
	})
	return p, cloudformation.NewFromConfig(awsCfg)
}

// cliProc is a cfngen subprocess.
type cliProc struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr *watchWriter
	done   chan struct{} // closed when the process has ended; then err is set
	err    error
}

// startCLI starts cfngen with args and the test's environment. It is
// killed after limit, a bound for a hung test, not a timing assertion.
// When watch is set, stderr.seen is closed once stderr contains it.
func startCLI(t *testing.T, limit time.Duration, watch string, args ...string) *cliProc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	c := &cliProc{stderr: &watchWriter{want: watch, seen: make(chan struct{})}, done: make(chan struct{})}
	c.cmd = exec.CommandContext(ctx, "cfngen", args...)
	c.cmd.Env = append(os.Environ(), "NO_COLOR=1")
	c.cmd.Stdout = &c.stdout
	c.cmd.Stderr = c.stderr
	if err := c.cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start cfngen: %v", err)
	}
	go func() {
		c.err = c.cmd.Wait()
		cancel()
		close(c.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-c.done
	})
	return c
}

// wait waits for the process and returns its exit code and output.
func (c *cliProc) wait(t *testing.T) (code int, stdout, stderr string) {
	t.Helper()
	<-c.done
	var ee *exec.ExitError
	switch {
	case c.err == nil:
	case errors.As(c.err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("cfngen: %v", c.err)
	}
	if code == -1 {
		t.Fatalf("cfngen was killed (%v), probably at the test's time limit\nstderr:\n%s", c.err, c.stderr.String())
	}
	return code, c.stdout.String(), c.stderr.String()
}

// waitFor waits until ch is closed. It fails the test when the process
// ends first or after limit.
func (c *cliProc) waitFor(t *testing.T, what string, limit time.Duration, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-c.done:
		t.Fatalf("cfngen ended (%v) before %s\nstderr:\n%s", c.err, what, c.stderr.String())
	case <-time.After(limit):
		t.Fatalf("no %s after %s\nstderr:\n%s", what, limit, c.stderr.String())
	}
}

// runCLI runs cfngen to the end.
func runCLI(t *testing.T, limit time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return startCLI(t, limit, "", args...).wait(t)
}

// watchWriter collects a stream and closes seen once it contains want.
type watchWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	want  string
	seen  chan struct{}
	fired bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.fired && w.want != "" && bytes.Contains(w.buf.Bytes(), []byte(w.want)) {
		w.fired = true
		close(w.seen)
	}
	return len(p), nil
}

func (w *watchWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// liveStacks returns the stacks named name that are not DELETE_COMPLETE.
func liveStacks(t *testing.T, cfn *cloudformation.Client, name string) []types.StackSummary {
	t.Helper()
	var out []types.StackSummary
	pages := cloudformation.NewListStacksPaginator(cfn, &cloudformation.ListStacksInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list stacks: %v", err)
		}
		for _, s := range page.StackSummaries {
			if aws.ToString(s.StackName) == name && s.StackStatus != types.StackStatusDeleteComplete {
				out = append(out, s)
			}
		}
	}
	return out
}

// stackList lists stacks as STATUS:ID.
func stackList(st []types.StackSummary) string {
	var parts []string
	for _, s := range st {
		parts = append(parts, string(s.StackStatus)+":"+aws.ToString(s.StackId))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// summarize lists change sets as NAME:EXECUTION_STATUS.
func summarize(sets []types.ChangeSetSummary) string {
	var parts []string
	for _, cs := range sets {
		parts = append(parts, aws.ToString(cs.ChangeSetName)+":"+string(cs.ExecutionStatus))
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// changeSetsOf returns the change sets of stack name. moto's
// ListChangeSets ignores its StackName filter, so the summaries are
// filtered here.
func changeSetsOf(t *testing.T, cfn *cloudformation.Client, name string) []types.ChangeSetSummary {
	t.Helper()
	var out []types.ChangeSetSummary
	pages := cloudformation.NewListChangeSetsPaginator(cfn, &cloudformation.ListChangeSetsInput{StackName: aws.String(name)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list change sets: %v", err)
		}
		for _, s := range page.Summaries {
			if aws.ToString(s.StackName) == name {
				out = append(out, s)
			}
		}
	}
	return out
}

// stackStatus returns the status of stack name, or "" when DescribeStacks
// does not find it.
func stackStatus(t *testing.T, cfn *cloudformation.Client, name string) types.StackStatus {
	t.Helper()
	out, err := cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil {
		if strings.Contains(err.Error(), "does not exist") {
			return ""
		}
		t.Fatalf("describe stack %s: %v", name, err)
	}
	if len(out.Stacks) != 1 {
		t.Fatalf("describe stack %s: %d stacks", name, len(out.Stacks))
	}
	return out.Stacks[0].StackStatus
}

var (
	retryLine   = regexp.MustCompile(`(?m)^cfngen: retry (\d+) of (\w+) after: (.*)$`)
	retriedLine = regexp.MustCompile(`(?m)^cfngen: (\d+) AWS calls retried$`)
)

// faultSeed returns the first seed from 1 whose plan gives the first
// request of each action the outcome in want, so that the test always
// meets those faults.
func faultSeed(t *testing.T, cfg faultproxy.Config, want map[string]faultproxy.Outcome) uint64 {
	t.Helper()
	for seed := uint64(1); seed < 1_000_000; seed++ {
		cfg.Seed = seed
		ok := true
		for action, o := range want {
			if got, _ := faultproxy.Plan(cfg, action, 0); got != o {
				ok = false
				break
			}
		}
		if ok {
			return seed
		}
	}
	t.Fatalf("no seed gives %v", want)
	return 0
}

// TestFaultInjectedDeploy deploys the default stack through a proxy that
// throttles about 30% of the AWS calls, fails about 10% with 500 or 503 and
// delays the rest by up to 40 ms. The deploy must succeed, create the stack
// and its change set once, and report every retry.
//
// The proxy injects faults before forwarding, so a faulted call never
// reaches moto and every retry is safe. At most 3 faults come in a row for
// one action (MaxConsecutive), fewer than the CLI's 8 attempts, so each
// fault costs exactly one retry and the CLI's count must equal the proxy's.
// The SDK's retry quota (500 tokens; a throttling retry costs 5, another 14,
// refunded when the retry succeeds) cannot run out either: at most 2
// unrefunded retries (28 tokens) per call, and a deploy makes about 8 calls.
func TestFaultInjectedDeploy(t *testing.T) {
	plan := faultproxy.Config{
		Throttle:       0.30,
		Error500:       0.05,
		Error503:       0.05,
		MaxDelay:       40 * time.Millisecond,
		MaxConsecutive: 3,
	}
	// Both writes and the first read always meet a fault, and each kind of
	// fault comes at least once.
	plan.Seed = faultSeed(t, plan, map[string]faultproxy.Outcome{
		"DescribeStacks":   faultproxy.Throttled,
		"CreateChangeSet":  faultproxy.Error500,
		"ExecuteChangeSet": faultproxy.Error503,
	})
	t.Logf("fault plan seed %d", plan.Seed)
	p, cfn := proxyToMoto(t, plan)
	name := uniqueName("faults")

	code, stdout, stderr := runCLI(t, 2*time.Minute, "deploy", "--yes", "-v", "--stack-name", name, "--endpoint-url", p.URL)
	p.Close() // waits until the last request is logged
	log := p.Log()
	if code != 0 {
		t.Fatalf("deploy exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// Every fault was retried once, and reported.
	faults := p.Faults()
	m := retriedLine.FindAllStringSubmatch(stderr, -1)
	if len(m) != 1 {
		t.Fatalf("want one %q line in stderr:\n%s", "K AWS calls retried", stderr)
	}
	retried, _ := strconv.Atoi(m[0][1])
	if faults == 0 || retried != faults {
		t.Errorf("cfngen reports %d calls retried; the proxy injected %d faults", retried, faults)
	}
	perOp := map[string]int{}
	for _, l := range retryLine.FindAllStringSubmatch(stderr, -1) {
		perOp[l[2]]++
	}
	for _, e := range log {
		if e.Outcome.IsFault() {
			perOp[e.Action]--
		}
		if e.Outcome == faultproxy.Forwarded && e.Status >= 500 {
			t.Errorf("moto itself answered %s with %d: that retry is not an injected fault", e.Action, e.Status)
		}
	}
	for op, n := range perOp {
		if n != 0 {
			t.Errorf("%s: %+d retry lines compared with the faults injected", op, n)
		}
	}
	if p.Count("", faultproxy.Throttled) > 0 && !strings.Contains(stderr, "Throttling: Rate exceeded") {
		t.Errorf("the retry lines do not show the throttling error:\n%s", stderr)
	}
	if strings.Contains(stderr, "quota") || strings.Contains(stderr, "rate limit token") {
		t.Errorf("the SDK's retry quota ran out:\n%s", stderr)
	}

	// The proxy passed each write exactly once; every attempt of a write
	// carried the same idempotency token.
	for action, token := range map[string]string{"CreateChangeSet": "ClientToken", "ExecuteChangeSet": "ClientRequestToken"} {
		if n := p.Count(action, faultproxy.Forwarded); n != 1 {
			t.Errorf("%s reached moto %d times, want 1", action, n)
		}
		tokens := map[string]bool{}
		for _, e := range log {
			if e.Action == action {
				tokens[e.Params.Get(token)] = true
			}
		}
		if len(tokens) != 1 || tokens[""] {
			t.Errorf("%s attempts carried the %s values %v, want one token for all", action, token, tokens)
		}
	}

	// One stack, one change set, executed.
	if st := liveStacks(t, cfn, name); len(st) != 1 || st[0].StackStatus != types.StackStatusCreateComplete {
		t.Errorf("stacks named %s: %s, want one CREATE_COMPLETE", name, stackList(st))
	}
	if s := stackStatus(t, cfn, name); s != types.StackStatusCreateComplete {
		t.Errorf("stack %s is %q", name, s)
	}
	sets := changeSetsOf(t, cfn, name)
	if len(sets) != 1 {
		t.Fatalf("stack %s has %d change sets, want 1: %s", name, len(sets), summarize(sets))
	}
	if cs := sets[0]; cs.ExecutionStatus != types.ExecutionStatusExecuteComplete {
		t.Errorf("change set %s is %s, want EXECUTE_COMPLETE", aws.ToString(cs.ChangeSetName), cs.ExecutionStatus)
	}

	// Each resource of the template once.
	st, err := template.Build(config.Default())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	pages := cloudformation.NewListStackResourcesPaginator(cfn, &cloudformation.ListStackResourcesInput{StackName: aws.String(name)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.StackResourceSummaries {
			got = append(got, aws.ToString(r.LogicalResourceId))
		}
	}
	var want []string
	for id := range st.Template.Resources {
		want = append(want, id)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("stack resources (%d):\n%v\nwant the template's (%d):\n%v", len(got), got, len(want), want)
	}
}
