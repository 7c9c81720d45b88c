package deploy

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cfngen/cfngen/internal/progress"
)

func TestDeployInterruptWhileExecuting(t *testing.T) {
	for _, tc := range []struct {
		typ    string
		cancel string
	}{
		{"UPDATE", "  cancel it: aws cloudformation cancel-update-stack --stack-name web\n"},
		{"CREATE", "  cancel it: delete the stack: aws cloudformation delete-stack --stack-name web\n"},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			s := newSim(t)
			what := "creation"
			status := "CREATE_IN_PROGRESS"
			if tc.typ == "UPDATE" {
				existing(s, "UPDATE_COMPLETE")
				what, status = "update", "UPDATE_IN_PROGRESS"
			}
			s.changes = addChanges
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			s.onExecute = []tick{
				{after: 0, events: []ev{{"VPC", "AWS::EC2::VPC", "UPDATE_IN_PROGRESS", ""}}},
				{after: time.Second, do: cancel},
			}
			d, _, log := s.deployer()
			res, err := d.Deploy(ctx, testInput())
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Deploy: %v, want context.Canceled", err)
			}
			check(t, "error", err.Error(), "stopped waiting for stack web: context canceled")
			check(t, "executed", res.Executed, true)
			check(t, "mutations", s.mutations(), []string{"CreateChangeSet web " + tc.typ, "ExecuteChangeSet " + res.ChangeSet.Name})
			want := "interrupted: CloudFormation goes on with the " + what + " of stack web (" + status + ")\n" +
				"  follow it: aws cloudformation describe-stack-events --stack-name web\n" +
				tc.cancel
			if !strings.HasSuffix(log.String(), want) {
				t.Errorf("Log:\n%s\nwant suffix:\n%s", log, want)
			}
		})
	}
}

func TestDeployInterruptBeforeExecution(t *testing.T) {
	// Each case cancels the context at another point before execution; the
	// change set and the empty review stack must then be deleted anyway.
	for _, tc := range []struct {
		name  string
		setup func(s *sim, d *Deployer, cancel func())
		// refused: CloudFormation refuses to delete the change set while it
		// computes it; cfngen waits and deletes it again.
		refused bool
	}{
		{name: "while the change set is computed", refused: true, setup: func(s *sim, d *Deployer, cancel func()) {
			s.csPending = 10
			describe := s.api.DescribeChangeSetFunc
			s.api.DescribeChangeSetFunc = func(ctx context.Context, in *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error) {
				cancel()
				return describe(ctx, in)
			}
		}},
		{name: "during CreateChangeSet", setup: func(s *sim, d *Deployer, cancel func()) {
			// The request went through but its answer is lost.
			create := s.api.CreateChangeSetFunc
			s.api.CreateChangeSetFunc = func(ctx context.Context, in *cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error) {
				_, _ = create(ctx, in)
				cancel()
				return nil, context.Canceled
			}
		}},
		{name: "at the prompt", setup: func(s *sim, d *Deployer, cancel func()) {
			d.Prompt = &fakePrompter{ConfirmFunc: func(ctx context.Context, _ string) (bool, error) {
				cancel()
				return false, ctx.Err()
			}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			s.changes = addChanges
			d, _, log := s.deployer()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tc.setup(s, d, cancel)
			var cleanupCtxErr []error
			deleteCS := s.api.DeleteChangeSetFunc
			s.api.DeleteChangeSetFunc = func(ctx context.Context, in *cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error) {
				cleanupCtxErr = append(cleanupCtxErr, ctx.Err())
				return deleteCS(ctx, in)
			}
			in := testInput()
			in.Yes = d.Prompt == nil
			_, err := d.Deploy(ctx, in)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Deploy: %v, want context.Canceled", err)
			}
			name := *s.created[0].ChangeSetName
			want := []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + name, "DeleteStack web#1"}
			if tc.refused {
				want = slices.Insert(want, 1, "DeleteChangeSet "+name)
			}
			check(t, "mutations", s.mutations(), want)
			check(t, "cleanup context", cleanupCtxErr, make([]error, len(want)-2))
			check(t, "nothing left", s.changeSet(name) == nil && s.stacks[0].gone, true)
			if !strings.HasSuffix(log.String(), "deleted change set "+name+"\ndeleted empty stack web (REVIEW_IN_PROGRESS)\n") {
				t.Errorf("Log:\n%s", log)
			}
		})
	}
}

func TestDeployTimeout(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = addChanges
	s.csPending = 1
	s.onExecute = []tick{{after: time.Second, events: []ev{{"VPC", "AWS::EC2::VPC", "UPDATE_IN_PROGRESS", ""}}}}
	d, _, log := s.deployer()
	in := testInput()
	in.Timeout = 10 * time.Second
	start := s.clock.Now()
	res, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Deploy: %v, want ErrTimeout", err)
	}
	check(t, "error", err.Error(), "stack web still UPDATE_IN_PROGRESS: timed out")
	check(t, "waited", s.clock.Now().Sub(start), 10*time.Second)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web UPDATE", "ExecuteChangeSet " + res.ChangeSet.Name})
	want := "timed out after 10s: CloudFormation goes on with the update of stack web (UPDATE_IN_PROGRESS); the stack is left as it is\n" +
		"  follow it: aws cloudformation describe-stack-events --stack-name web\n" +
		"  cancel it: aws cloudformation cancel-update-stack --stack-name web\n"
	if !strings.HasSuffix(log.String(), want) {
		t.Errorf("Log:\n%s\nwant suffix:\n%s", log, want)
	}
}

func TestDeployTimeoutWhileComputingChangeSet(t *testing.T) {
	// CloudFormation computes the change set after the timeout: the
	// clean-up waits for it, as it cannot be deleted before, then deletes it
	// and the empty stack.
	s := newSim(t)
	s.csPending = 12 // polls: 7 in the 5s, the others after
	d, _, log := s.deployer()
	in := testInput()
	in.Timeout = 5 * time.Second
	_, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Deploy: %v, want ErrTimeout", err)
	}
	name := *s.created[0].ChangeSetName
	check(t, "error", err.Error(), "change set "+name+" not computed in time: timed out")
	// Refused while CloudFormation computes it, then deleted.
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + name, "DeleteChangeSet " + name, "DeleteStack web#1"})
	check(t, "nothing left", s.changeSet(name) == nil && s.stacks[0].gone, true)
	if !strings.HasSuffix(log.String(), "deleted change set "+name+"\ndeleted empty stack web (REVIEW_IN_PROGRESS)\n") {
		t.Errorf("Log:\n%s", log)
	}

	t.Run("never computed", func(t *testing.T) {
		s := newSim(t)
		s.csPending = 1000
		d, _, log := s.deployer()
		in := testInput()
		in.Timeout = 5 * time.Second
		if _, err := d.Deploy(context.Background(), in); !errors.Is(err, ErrTimeout) {
			t.Fatalf("Deploy: %v, want ErrTimeout", err)
		}
		name := *s.created[0].ChangeSetName
		// The stack, with the change set, can go; the change set alone cannot.
		check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + name, "DeleteStack web#1"})
		check(t, "nothing left", s.changeSet(name) == nil && s.stacks[0].gone, true)
		for _, want := range []string{
			"could not delete change set " + name + ": still CREATE_IN_PROGRESS after 20s\n",
			"change set " + name + " may be left on stack web\n",
			"  delete it:  aws cloudformation delete-change-set --stack-name web --change-set-name " + name + "\n",
			"deleted empty stack web (REVIEW_IN_PROGRESS)\n",
		} {
			if !strings.Contains(log.String(), want) {
				t.Errorf("Log lacks %q:\n%s", want, log)
			}
		}
	})
}

func TestDeployPromptTimeDoesNotCount(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = addChanges
	s.onExecute = updateDone()
	d, _, _ := s.deployer()
	d.Prompt = &fakePrompter{ConfirmFunc: func(context.Context, string) (bool, error) {
		s.clock.Advance(time.Hour) // a slow user
		return true, nil
	}}
	in := testInput()
	in.Yes, in.Timeout = false, 10*time.Second
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	check(t, "status", res.Status, "UPDATE_COMPLETE")
}

func TestHeartbeatWithoutTerminal(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{
		change("Modify", "VPC", "AWS::EC2::VPC", "False", "Tags"),
		change("Modify", "Subnet", "AWS::EC2::Subnet", "False", "Tags"),
	}
	s.onExecute = []tick{
		{after: 40 * time.Second, events: []ev{{"VPC", "AWS::EC2::VPC", "UPDATE_COMPLETE", ""}}},
		{after: 100 * time.Second, status: "UPDATE_COMPLETE", events: []ev{
			{"Subnet", "AWS::EC2::Subnet", "UPDATE_COMPLETE", ""},
			{"", "", "UPDATE_COMPLETE", ""},
		}},
	}
	d, _, log := s.deployer()
	if _, err := d.Deploy(context.Background(), testInput()); err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(log.String(), "on stack web\n")
	checkText(t, "Log", after, `04:04:05  0/2  web     AWS::CloudFormation::Stack  UPDATE_IN_PROGRESS  User Initiated
still UPDATE_IN_PROGRESS (0/2 resources done), 30s elapsed
04:04:45  1/2  VPC     AWS::EC2::VPC               UPDATE_COMPLETE
still UPDATE_IN_PROGRESS (1/2 resources done), 1m10s elapsed
04:05:45  2/2  Subnet  AWS::EC2::Subnet            UPDATE_COMPLETE
04:05:45  2/2  web     AWS::CloudFormation::Stack  UPDATE_COMPLETE
stack web: UPDATE_COMPLETE in 1m40s
`)
}

func TestLiveLineOnTerminal(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "VPC", "AWS::EC2::VPC", "False", "Tags")}
	s.onExecute = []tick{
		{after: 300 * time.Millisecond, events: []ev{{"VPC", "AWS::EC2::VPC", "UPDATE_FAILED", "denied"}}},
		{after: time.Second, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}}},
	}
	d, _, log := s.deployer()
	d.Terminal, d.Color = true, true
	if _, err := d.Deploy(context.Background(), testInput()); err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(log.String(), "on stack web\n")
	const (
		clear  = "\r\x1b[K"
		yellow = "\x1b[33m"
		green  = "\x1b[32m"
		red    = "\x1b[31m"
		reset  = "\x1b[0m"
	)
	checkText(t, "Log", after,
		"04:04:05  0/1  web  AWS::CloudFormation::Stack  "+yellow+"UPDATE_IN_PROGRESS"+reset+"  User Initiated\n"+
			clear+yellow+"UPDATE_IN_PROGRESS"+reset+" (0/1 resources done), 0s elapsed"+
			clear+yellow+"UPDATE_IN_PROGRESS"+reset+" (0/1 resources done), 0s elapsed"+
			clear+"04:04:05  1/1  VPC  AWS::EC2::VPC               "+red+"UPDATE_FAILED"+reset+"  denied\n"+
			clear+yellow+"UPDATE_IN_PROGRESS"+reset+" (1/1 resources done), 1s elapsed"+
			clear+yellow+"UPDATE_IN_PROGRESS"+reset+" (1/1 resources done), 1s elapsed"+
			clear+"04:04:06  1/1  web  AWS::CloudFormation::Stack  "+green+"UPDATE_COMPLETE"+reset+"\n"+
			"stack web: "+green+"UPDATE_COMPLETE"+reset+" in 2s\n")
}

func TestDescribeOperation(t *testing.T) {
	for status, want := range map[types.StackStatus][2]string{
		"CREATE_IN_PROGRESS":                  {"creation", "delete the stack: aws cloudformation delete-stack --stack-name web"},
		"UPDATE_IN_PROGRESS":                  {"update", "aws cloudformation cancel-update-stack --stack-name web"},
		"UPDATE_COMPLETE_CLEANUP_IN_PROGRESS": {"update", "the update is cleaning up and cannot be cancelled; wait for it to end"},
		"UPDATE_ROLLBACK_IN_PROGRESS":         {"rollback of the update", "a rollback cannot be cancelled; wait for it to end"},
		"ROLLBACK_IN_PROGRESS":                {"rollback of the creation", "a rollback cannot be cancelled; wait for it to end"},
		"DELETE_IN_PROGRESS":                  {"deletion", "a deletion cannot be cancelled; wait for it to end"},
		"IMPORT_IN_PROGRESS":                  {"import", "an import cannot be cancelled; wait for it to end"},
		"REVIEW_IN_PROGRESS":                  {"operation", "see aws cloudformation describe-stacks --stack-name web"},
	} {
		what, cancel := describeOperation(&operation{stackName: "web", status: status})
		check(t, string(status), [2]string{what, cancel}, want)
	}
}

// expiring is a context whose deadline passes when expire is called, on
// the sim's fake clock rather than the real one.
type expiring struct {
	context.Context
	done chan struct{}
}

func newExpiring() *expiring {
	return &expiring{Context: context.Background(), done: make(chan struct{})}
}

func (e *expiring) expire()               { close(e.done) }
func (e *expiring) Done() <-chan struct{} { return e.done }
func (e *expiring) Err() error {
	select {
	case <-e.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestDestroyTimeout(t *testing.T) {
	s := newSim(t)
	deployed(s)
	s.onDelete = []tick{{after: time.Hour, status: "DELETE_COMPLETE"}}
	d, _, log := s.deployer()
	start := s.clock.Now()
	err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true, Timeout: 10 * time.Second})
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Destroy: %v, want ErrTimeout", err)
	}
	check(t, "error", err.Error(), "stack web still DELETE_IN_PROGRESS: timed out")
	check(t, "waited", s.clock.Now().Sub(start), 10*time.Second)
	check(t, "mutations", s.mutations(), []string{"DeleteStack web#1"})
	want := "timed out after 10s: CloudFormation goes on with the deletion of stack web (DELETE_IN_PROGRESS); the stack is left as it is\n" +
		"  follow it: aws cloudformation describe-stack-events --stack-name web\n"
	if !strings.Contains(log.String(), want) {
		t.Errorf("Log:\n%s\nwant:\n%s", log, want)
	}
}

func TestCallerDeadlineCountsAsTimeout(t *testing.T) {
	s := newSim(t)
	deployed(s)
	ctx := newExpiring()
	s.onDelete = []tick{{after: time.Second, do: ctx.expire}, {after: time.Minute, status: "DELETE_COMPLETE"}}
	d, _, log := s.deployer()
	err := d.Destroy(ctx, DestroyInput{StackName: "web", Yes: true})
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Destroy: %v, want ErrTimeout and context.DeadlineExceeded", err)
	}
	check(t, "error", err.Error(), "stack web still DELETE_IN_PROGRESS: timed out")
	if !strings.Contains(log.String(), "timed out: CloudFormation goes on with the deletion of stack web (DELETE_IN_PROGRESS); the stack is left as it is\n") {
		t.Errorf("Log:\n%s", log)
	}
}

func TestDeployerWithoutClient(t *testing.T) {
	var d Deployer
	_, err := d.Deploy(context.Background(), testInput())
	check(t, "Deploy", err.Error(), "deploy: Deployer has no CloudFormation client")
	check(t, "Destroy", d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true}).Error(), "deploy: Deployer has no CloudFormation client")
	_, err = d.Outputs(context.Background(), "web")
	check(t, "Outputs", err != nil, true)
}

// TestExitLag measures, on the simulator's clock, how soon after the
// operation's last event Deploy returns, for operations that end at every
// 100 ms from 0.1 s to 30 s, then every 3.7 s to 30 min; the poll
// schedule bounds it by progress.MaxDelay. Run with -v for the figures.
func TestExitLag(t *testing.T) {
	var lags []time.Duration
	for end := 100 * time.Millisecond; end <= 30*time.Minute; end += step(end) {
		s := newSim(t)
		existing(s, "UPDATE_COMPLETE")
		s.changes = []types.Change{change("Modify", "VPC", "AWS::EC2::VPC", "False", "Tags")}
		var last time.Time
		s.onExecute = []tick{{after: end, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}},
			do: func() { last = s.clock.Now() }}}
		d, _, _ := s.deployer()
		if _, err := d.Deploy(context.Background(), testInput()); err != nil {
			t.Fatal(err)
		}
		if last.IsZero() {
			t.Fatalf("end %s: the last event never came", end)
		}
		// The sim plays a tick at the first look at or after its time.
		lag := s.clock.Now().Sub(s.executedAt.Add(end))
		if lag < 0 || lag > progress.MaxDelay {
			t.Errorf("end %s: Deploy returned %s after the last event, want at most %s", end, lag, progress.MaxDelay)
		}
		lags = append(lags, lag)
	}
	var sum time.Duration
	for _, l := range lags {
		sum += l
	}
	slices.Sort(lags)
	t.Logf("%d operations ending 0.1 s to 30 min after ExecuteChangeSet: Deploy returns after the last event within a median of %s, a mean of %s, at most %s",
		len(lags), lags[len(lags)/2], (sum / time.Duration(len(lags))).Round(time.Millisecond), lags[len(lags)-1])
}

func step(end time.Duration) time.Duration {
	if end < 30*time.Second {
		return 100 * time.Millisecond
	}
	return 3700 * time.Millisecond
}
