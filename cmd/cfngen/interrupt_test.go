package main

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/internal/testkit/faultproxy"
)

// moto executes a change set synchronously, so a stack is never seen in
// progress. These tests make the window to interrupt in with the proxy: it
// holds a chosen call until the test has sent SIGINT (the CLI then drops
// the call), or shows the stack as still in progress. The holds are long
// (30 s; 10 s against a 1 s timeout): they only end early when the client
// goes away, and a hold that runs out makes the test fail on the outcome
// (the call goes through and the deploy completes), not on time.
const (
	hold  = 30 * time.Second
	limit = time.Minute // bound on each cfngen run
)

var warmOnce sync.Once

// warmMoto deploys a stack once, in process and straight to moto, so that
// later deploys on the server are fast.
func warmMoto(t *testing.T) {
	t.Helper()
	useMoto(t)
	warmOnce.Do(func() {
		if code, _, stderr := cli(t, "deploy", "--yes", "--stack-name", uniqueName("warm-up")); code != 0 {
			t.Fatalf("warm-up deploy exited %d:\n%s", code, stderr)
		}
	})
}

// wantLines fails the test for each of wants that text lacks.
func wantLines(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("stderr lacks %q:\n%s", w, text)
		}
	}
}

// noChangeSetAvailable fails the test when stack name has a change set
// that could still be executed.
func noChangeSetAvailable(t *testing.T, cfn *cloudformation.Client, name string) {
	t.Helper()
	for _, cs := range changeSetsOf(t, cfn, name) {
		if cs.ExecutionStatus == types.ExecutionStatusAvailable {
			t.Errorf("change set %s of stack %s left AVAILABLE", aws.ToString(cs.ChangeSetName), name)
		}
	}
}

// deployAgain runs a plain deploy of stack name against moto, without the
// proxy, and checks that it completes.
func deployAgain(t *testing.T, cfn *cloudformation.Client, name string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, limit, "deploy", "--yes", "--stack-name", name)
	if code != 0 {
		t.Fatalf("the second deploy exited %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "no changes") && !strings.Contains(stderr, "CREATE_COMPLETE") && !strings.Contains(stderr, "UPDATE_COMPLETE") {
		t.Errorf("the second deploy says neither no changes nor complete:\n%s", stderr)
	}
	if s := stackStatus(t, cfn, name); s != types.StackStatusCreateComplete && s != types.StackStatusUpdateComplete {
		t.Errorf("after the second deploy, stack %s is %q", name, s)
	}
	if st := liveStacks(t, cfn, name); len(st) != 1 {
		t.Errorf("after the second deploy, %d stacks are named %s: %s", len(st), name, stackList(st))
	}
	sets := changeSetsOf(t, cfn, name)
	if len(sets) != 1 || sets[0].ExecutionStatus != types.ExecutionStatusExecuteComplete {
		t.Errorf("after the second deploy, stack %s has change sets %s, want one EXECUTE_COMPLETE", name, summarize(sets))
	}
}

// deletedStacks counts the DELETE_COMPLETE summaries of stacks named name.
func deletedStacks(t *testing.T, cfn *cloudformation.Client, name string) int {
	t.Helper()
	n := 0
	pages := cloudformation.NewListStacksPaginator(cfn, &cloudformation.ListStacksInput{StackStatusFilter: []types.StackStatus{types.StackStatusDeleteComplete}})
	for pages.HasMorePages() {
		page, err := pages.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list stacks: %v", err)
		}
		for _, s := range page.StackSummaries {
			if aws.ToString(s.StackName) == name && s.StackStatus == types.StackStatusDeleteComplete {
				n++
			}
		}
	}
	return n
}

// inProgress shows a created stack as still CREATE_IN_PROGRESS, as AWS
// would for minutes; moto creates it at once.
func inProgress(b []byte) []byte {
	return []byte(strings.ReplaceAll(string(b), "<StackStatus>CREATE_COMPLETE<", "<StackStatus>CREATE_IN_PROGRESS<"))
}

// TestInterruptWhileExecuting sends SIGINT while cfngen waits for the stack
// after ExecuteChangeSet: exit 130 and how the stack stands, read from
// CloudFormation after the interrupt: still in progress (then how to follow
// and how to cancel it), or done. Nothing is left that blocks the next
// deploy, which completes.
func TestInterruptWhileExecuting(t *testing.T) {
	for _, tc := range []struct {
		name     string
		rewrite  func([]byte) []byte
		messages func(name string) []string
	}{
		{"stack done", nil, func(name string) []string {
			return []string{"interrupted: CloudFormation has ended the creation: stack " + name + " is CREATE_COMPLETE"}
		}},
		{"stack in progress", inProgress, func(name string) []string {
			return []string{
				"interrupted: CloudFormation goes on with the creation of stack " + name + " (CREATE_IN_PROGRESS)",
				"follow it: aws cloudformation describe-stack-events --stack-name " + name,
				"cancel it: delete the stack: aws cloudformation delete-stack --stack-name " + name,
				"cfngen: hint: to wait for it, then deploy what is left to change: cfngen deploy --yes --stack-name " + name,
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { interruptWhileExecuting(t, tc.rewrite, tc.messages) })
	}
}

func interruptWhileExecuting(t *testing.T, rewrite func([]byte) []byte, messages func(string) []string) {
	// The first poll after ExecuteChangeSet is held, whichever call comes
	// first.
	stacks := &faultproxy.Rule{Action: "DescribeStacks", After: "ExecuteChangeSet", Times: 1, Hold: hold}
	events := &faultproxy.Rule{Action: "DescribeStackEvents", After: "ExecuteChangeSet", Times: 1, Hold: hold}
	rules := []*faultproxy.Rule{stacks, events}
	if rewrite != nil {
		rules = append(rules, &faultproxy.Rule{Action: "DescribeStacks", After: "ExecuteChangeSet", Rewrite: rewrite})
	}
	p, cfn := proxyToMoto(t, faultproxy.Config{Rules: rules})
	name := uniqueName("sigint-exec")

	c := startCLI(t, limit, "executing change set", "deploy", "--yes", "--stack-name", name, "--endpoint-url", p.URL)
	c.waitFor(t, `"executing change set" on stderr`, limit, c.stderr.seen)
	// The line comes before the ExecuteChangeSet call; the held poll comes
	// after it has been answered.
	polled := make(chan struct{})
	go func() {
		select {
		case <-stacks.Held():
		case <-events.Held():
		}
		close(polled)
	}()
	c.waitFor(t, "a poll after ExecuteChangeSet", limit, polled)
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := c.wait(t)
	if code != 130 {
		t.Fatalf("exit code %d, want 130\nstderr:\n%s", code, stderr)
	}
	wantLines(t, stderr, append(messages(name), "cfngen: interrupted")...)
	p.Close() // waits for the held call
	if n := p.Count("", faultproxy.Dropped); n != 1 {
		t.Errorf("%d held calls dropped, want 1: the interrupt did not cut the wait", n)
	}
	if n := p.Count("ExecuteChangeSet", faultproxy.Forwarded); n != 1 {
		t.Errorf("ExecuteChangeSet reached moto %d times, want 1", n)
	}
	if n := p.Count("DeleteStack") + p.Count("DeleteChangeSet"); n != 0 {
		t.Errorf("cfngen deleted something (%d calls) after executing", n)
	}
	noChangeSetAvailable(t, cfn, name)
	if s := stackStatus(t, cfn, name); s != types.StackStatusCreateComplete {
		t.Errorf("stack %s is %q, want CREATE_COMPLETE (moto executes synchronously)", name, s)
	}
	deployAgain(t, cfn, name)
}

// TestInterruptWhileCreatingChangeSet sends SIGINT while cfngen waits for
// CloudFormation to compute the change set: exit 130, the change set and
// the empty REVIEW_IN_PROGRESS stack deleted, and the next deploy completes.
func TestInterruptWhileCreatingChangeSet(t *testing.T) {
	describe := &faultproxy.Rule{Action: "DescribeChangeSet", Hold: hold}
	p, cfn := proxyToMoto(t, faultproxy.Config{Rules: []*faultproxy.Rule{describe}})
	name := uniqueName("sigint-cs")

	c := startCLI(t, limit, "created change set", "deploy", "--yes", "--stack-name", name, "--endpoint-url", p.URL)
	c.waitFor(t, `"created change set" on stderr`, limit, c.stderr.seen)
	c.waitFor(t, "a DescribeChangeSet call", limit, describe.Held())
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := c.wait(t)
	if code != 130 {
		t.Fatalf("exit code %d, want 130\nstderr:\n%s", code, stderr)
	}
	wantLines(t, stderr, "deleted change set ", "deleted empty stack "+name+" (REVIEW_IN_PROGRESS)", "cfngen: interrupted")
	if strings.Contains(stderr, "goes on") {
		t.Errorf("cfngen says CloudFormation goes on, but nothing was executed:\n%s", stderr)
	}
	p.Close()
	if p.Count("ExecuteChangeSet") != 0 {
		t.Error("cfngen called ExecuteChangeSet after the interrupt")
	}
	for _, action := range []string{"DeleteChangeSet", "DeleteStack"} {
		if n := p.Count(action, faultproxy.Forwarded); n != 1 {
			t.Errorf("%s reached moto %d times, want 1", action, n)
		}
	}
	for _, e := range p.Log() {
		if e.Action == "DeleteStack" && e.Params.Get("ClientRequestToken") == "" {
			t.Error("DeleteStack without a ClientRequestToken: a retry of it is not idempotent")
		}
	}
	noChangeSetAvailable(t, cfn, name)
	if s := stackStatus(t, cfn, name); s != "" {
		t.Errorf("the empty stack %s is still there: %s", name, s)
	}
	if st := liveStacks(t, cfn, name); len(st) != 0 {
		t.Errorf("ListStacks still shows %s: %s", name, stackList(st))
	}
	// What is left is what AWS keeps too: the deleted stack's summary.
	if n := deletedStacks(t, cfn, name); n != 1 {
		t.Errorf("ListStacks shows %d DELETE_COMPLETE stacks named %s, want the 1 deleted", n, name)
	}
	deployAgain(t, cfn, name)
}

// TestTimeoutWhileExecuting runs deploy --timeout 5s while the stack stays
// in progress after ExecuteChangeSet: exit 1, a message that says the wait
// timed out, that CloudFormation goes on and that the stack was left as it
// is; the stack is not deleted.
//
// The timeout counts from the start of the deploy, so the steps before
// execution (pre-flight checks, change set) must fit in it, even on a busy
// machine: 5 s, where they take well under one. A first deploy on a new moto
// server takes longer (its EC2 and SSM data load lazily), hence a warm-up
// deploy first.
func TestTimeoutWhileExecuting(t *testing.T) {
	warmMoto(t)
	for _, tc := range []struct {
		name string
		rule *faultproxy.Rule
	}{
		// CloudFormation is slow: every DescribeStacks after ExecuteChangeSet
		// shows the stack still CREATE_IN_PROGRESS.
		{"stack in progress", &faultproxy.Rule{Action: "DescribeStacks", After: "ExecuteChangeSet", Rewrite: inProgress}},
		// The API is slow: the first DescribeStacks after ExecuteChangeSet
		// hangs ten times the timeout. --timeout bounds the whole wait, so
		// cfngen must give up on the call; were the call let through after
		// the hold, cfngen would see CREATE_COMPLETE and exit 0.
		// After the timeout cfngen reads the stack again: moto has long
		// created it, and cfngen says so.
		{"call hangs", &faultproxy.Rule{Action: "DescribeStacks", After: "ExecuteChangeSet", Times: 1, Hold: 50 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, cfn := proxyToMoto(t, faultproxy.Config{Rules: []*faultproxy.Rule{tc.rule}})
			name := uniqueName("timeout")
			code, _, stderr := runCLI(t, limit, "deploy", "--yes", "--timeout", "5s", "--stack-name", name, "--endpoint-url", p.URL)
			if code != 1 {
				t.Fatalf("exit code %d, want 1\nstderr:\n%s", code, stderr)
			}
			if tc.name == "call hangs" {
				wantLines(t, stderr,
					"timed out after 5s: CloudFormation has ended the creation: stack "+name+" is CREATE_COMPLETE",
					"cfngen: error: stack "+name+" is CREATE_COMPLETE, but the wait timed out",
				)
			} else {
				wantLines(t, stderr,
					"timed out after 5s: CloudFormation goes on with the creation of stack "+name+" (CREATE_IN_PROGRESS); the stack is left as it is",
					"follow it: ", "cancel it: ",
					"cfngen: error: stack "+name+" still CREATE_IN_PROGRESS: timed out",
				)
			}
			p.Close()
			for _, action := range []string{"DeleteStack", "DeleteChangeSet", "CancelUpdateStack"} {
				if n := p.Count(action); n != 0 {
					t.Errorf("cfngen called %s %d times after the timeout", action, n)
				}
			}
			if s := stackStatus(t, cfn, name); s != types.StackStatusCreateComplete {
				t.Errorf("stack %s is %q after the timeout, want it untouched (CREATE_COMPLETE on moto)", name, s)
			}
			for _, cs := range changeSetsOf(t, cfn, name) {
				if cs.ExecutionStatus != types.ExecutionStatusExecuteComplete {
					t.Errorf("change set %s is %s", aws.ToString(cs.ChangeSetName), cs.ExecutionStatus)
				}
			}
		})
	}
}

// TestInterruptDuringExecuteCall sends SIGINT while the ExecuteChangeSet
// request is in flight and has not reached CloudFormation (the proxy holds
// it, then drops it when cfngen goes away). Nothing was executed, so this
// is an interrupt before execution: cfngen must not say that CloudFormation
// goes on, and must leave no AVAILABLE change set and no empty
// REVIEW_IN_PROGRESS stack behind. It can tell by asking DescribeChangeSet
// whether the change set is still AVAILABLE.
func TestInterruptDuringExecuteCall(t *testing.T) {
	execute := &faultproxy.Rule{Action: "ExecuteChangeSet", Times: 1, Hold: hold}
	p, cfn := proxyToMoto(t, faultproxy.Config{Rules: []*faultproxy.Rule{execute}})
	name := uniqueName("sigint-call")

	c := startCLI(t, limit, "", "deploy", "--yes", "--stack-name", name, "--endpoint-url", p.URL)
	c.waitFor(t, "an ExecuteChangeSet call", limit, execute.Held())
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := c.wait(t)
	if code != 130 {
		t.Fatalf("exit code %d, want 130\nstderr:\n%s", code, stderr)
	}
	p.Close()
	if p.Count("ExecuteChangeSet", faultproxy.Dropped) != 1 || p.Count("ExecuteChangeSet", faultproxy.Forwarded) != 0 {
		t.Fatal("the ExecuteChangeSet call was not dropped by the proxy: the test did not do what it says")
	}
	if strings.Contains(stderr, "goes on with") {
		t.Errorf("cfngen says CloudFormation goes on, but ExecuteChangeSet never reached it:\n%s", stderr)
	}
	noChangeSetAvailable(t, cfn, name)
	if s := stackStatus(t, cfn, name); s != "" {
		t.Errorf("stack %s is left %s", name, s)
	}
	deployAgain(t, cfn, name)
}
