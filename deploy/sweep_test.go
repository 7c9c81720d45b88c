package deploy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The sweep tests interrupt a run at every API call it makes, in each of
// three ways, and check what is left in the simulated account: either the
// operation the user consented to runs or is done, and the Log says which,
// or nothing that the run made is left; and nothing it did not make is
// gone. Then a second run, not interrupted, must converge.

// moment is where, around a call, the interrupt comes.
type moment string

const (
	before moment = "before" // before the call is sent: it never reaches CloudFormation
	during moment = "during" // CloudFormation does it, but the answer is lost
	after  moment = "after"  // the answer arrives, then the interrupt
)

// lostLag is how long CloudFormation takes to list what a call made when
// its answer was lost: the request was still being handled.
const lostLag = 3 * time.Second

// interrupter is an API in front of the sim that cancels the run's context
// at its call number at.
type interrupter struct {
	API
	s      *sim
	at     int
	when   moment
	cancel func()
	n      int
	fired  string // the call interrupted
}

func interrupt[T any](w *interrupter, ctx context.Context, op string, f func(context.Context) (T, error)) (T, error) {
	n := w.n
	w.n++
	if w.fired != "" || n != w.at {
		return f(ctx)
	}
	w.fired = fmt.Sprintf("%s %s %s", w.when, op, "#"+fmt.Sprint(n))
	var zero T
	switch w.when {
	case before:
		w.cancel()
		return f(ctx)
	case during:
		w.s.csLag = lostLag
		out, err := f(ctx)
		w.s.csLag = 0
		w.cancel()
		if ctx.Err() == nil {
			return out, err // a clean-up call, on a context the interrupt does not end
		}
		return zero, fmt.Errorf("operation error CloudFormation: %s, %w", op, ctx.Err())
	}
	out, err := f(ctx)
	w.cancel()
	return out, err
}

func (w *interrupter) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	return interrupt(w, ctx, "DescribeStacks", func(ctx context.Context) (*cloudformation.DescribeStacksOutput, error) {
		return w.API.DescribeStacks(ctx, in)
	})
}

func (w *interrupter) DescribeStackEvents(ctx context.Context, in *cloudformation.DescribeStackEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return interrupt(w, ctx, "DescribeStackEvents", func(ctx context.Context) (*cloudformation.DescribeStackEventsOutput, error) {
		return w.API.DescribeStackEvents(ctx, in)
	})
}

func (w *interrupter) ListStackResources(ctx context.Context, in *cloudformation.ListStackResourcesInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	return interrupt(w, ctx, "ListStackResources", func(ctx context.Context) (*cloudformation.ListStackResourcesOutput, error) {
		return w.API.ListStackResources(ctx, in)
	})
}

func (w *interrupter) CreateChangeSet(ctx context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	return interrupt(w, ctx, "CreateChangeSet", func(ctx context.Context) (*cloudformation.CreateChangeSetOutput, error) {
		return w.API.CreateChangeSet(ctx, in)
	})
}

func (w *interrupter) DescribeChangeSet(ctx context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	return interrupt(w, ctx, "DescribeChangeSet", func(ctx context.Context) (*cloudformation.DescribeChangeSetOutput, error) {
		return w.API.DescribeChangeSet(ctx, in)
	})
}

func (w *interrupter) ExecuteChangeSet(ctx context.Context, in *cloudformation.ExecuteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	return interrupt(w, ctx, "ExecuteChangeSet", func(ctx context.Context) (*cloudformation.ExecuteChangeSetOutput, error) {
		return w.API.ExecuteChangeSet(ctx, in)
	})
}

func (w *interrupter) DeleteChangeSet(ctx context.Context, in *cloudformation.DeleteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	return interrupt(w, ctx, "DeleteChangeSet", func(ctx context.Context) (*cloudformation.DeleteChangeSetOutput, error) {
		return w.API.DeleteChangeSet(ctx, in)
	})
}

func (w *interrupter) DeleteStack(ctx context.Context, in *cloudformation.DeleteStackInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	return interrupt(w, ctx, "DeleteStack", func(ctx context.Context) (*cloudformation.DeleteStackOutput, error) {
		return w.API.DeleteStack(ctx, in)
	})
}

func (w *interrupter) GetTemplate(ctx context.Context, in *cloudformation.GetTemplateInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	return interrupt(w, ctx, "GetTemplate", func(ctx context.Context) (*cloudformation.GetTemplateOutput, error) {
		return w.API.GetTemplate(ctx, in)
	})
}

func (w *interrupter) ListChangeSets(ctx context.Context, in *cloudformation.ListChangeSetsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListChangeSetsOutput, error) {
	return interrupt(w, ctx, "ListChangeSets", func(ctx context.Context) (*cloudformation.ListChangeSetsOutput, error) {
		return w.API.ListChangeSets(ctx, in)
	})
}

func (w *interrupter) UpdateTerminationProtection(ctx context.Context, in *cloudformation.UpdateTerminationProtectionInput, _ ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	return interrupt(w, ctx, "UpdateTerminationProtection", func(ctx context.Context) (*cloudformation.UpdateTerminationProtectionOutput, error) {
		return w.API.UpdateTerminationProtection(ctx, in)
	})
}

func (w *interrupter) DescribeEvents(ctx context.Context, in *cloudformation.DescribeEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeEventsOutput, error) {
	return interrupt(w, ctx, "DescribeEvents", func(ctx context.Context) (*cloudformation.DescribeEventsOutput, error) {
		return w.API.DescribeEvents(ctx, in)
	})
}

func (w *interrupter) ListHookResults(ctx context.Context, in *cloudformation.ListHookResultsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListHookResultsOutput, error) {
	return interrupt(w, ctx, "ListHookResults", func(ctx context.Context) (*cloudformation.ListHookResultsOutput, error) {
		return w.API.ListHookResults(ctx, in)
	})
}

func (w *interrupter) GetHookResult(ctx context.Context, in *cloudformation.GetHookResultInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetHookResultOutput, error) {
	return interrupt(w, ctx, "GetHookResult", func(ctx context.Context) (*cloudformation.GetHookResultOutput, error) {
		return w.API.GetHookResult(ctx, in)
	})
}

func (w *interrupter) DetectStackDrift(ctx context.Context, in *cloudformation.DetectStackDriftInput, _ ...func(*cloudformation.Options)) (*cloudformation.DetectStackDriftOutput, error) {
	return interrupt(w, ctx, "DetectStackDrift", func(ctx context.Context) (*cloudformation.DetectStackDriftOutput, error) {
		return w.API.DetectStackDrift(ctx, in)
	})
}

func (w *interrupter) DescribeStackDriftDetectionStatus(ctx context.Context, in *cloudformation.DescribeStackDriftDetectionStatusInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
	return interrupt(w, ctx, "DescribeStackDriftDetectionStatus", func(ctx context.Context) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
		return w.API.DescribeStackDriftDetectionStatus(ctx, in)
	})
}

func (w *interrupter) DescribeStackResourceDrifts(ctx context.Context, in *cloudformation.DescribeStackResourceDriftsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
	return interrupt(w, ctx, "DescribeStackResourceDrifts", func(ctx context.Context) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
		return w.API.DescribeStackResourceDrifts(ctx, in)
	})
}

// holdings is what a test knows of the simulated account before a run.
type holdings struct {
	stacks     map[*simStack]types.StackStatus
	changeSets map[*simChangeSet]bool
}

func snapshot(s *sim) holdings {
	a := holdings{stacks: map[*simStack]types.StackStatus{}, changeSets: map[*simChangeSet]bool{}}
	for _, st := range s.stacks {
		a.stacks[st] = st.status
	}
	for _, cs := range s.changeSets {
		a.changeSets[cs] = true
	}
	return a
}

// scenario sets up a sim and runs one command on it.
type scenario struct {
	name  string
	setup func(s *sim)
	run   func(ctx context.Context, d *Deployer) error
	// consented lists the stacks, there before, that the run may delete.
	consented func(s *sim) []*simStack
	executes  bool // the run executes a change set
}

func deployYes(in func(*Input)) func(ctx context.Context, d *Deployer) error {
	return func(ctx context.Context, d *Deployer) error {
		i := testInput()
		if in != nil {
			in(&i)
		}
		_, err := d.Deploy(ctx, i)
		return err
	}
}

// theirs adds a change set that someone else left on st.
func theirs(s *sim, st *simStack) *simChangeSet {
	cs := &simChangeSet{name: "left-for-review", stack: st, typ: types.ChangeSetTypeCreate, changes: addChanges, status: types.ChangeSetStatusCreateComplete}
	cs.id = account + "changeSet/left-for-review/00000000-5e3d-11f0-8b7c-0a1b2c3d4e5f"
	s.changeSets[cs.id] = cs
	return cs
}

var scenarios = []scenario{
	{
		name: "deploy a new stack",
		setup: func(s *sim) {
			s.changes = addChanges
			s.onExecute = createScript(s)
		},
		run:      deployYes(nil),
		executes: true,
	},
	{
		name: "deploy an update",
		setup: func(s *sim) {
			existing(s, "UPDATE_COMPLETE")
			s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "False", "Tags")}
			s.onExecute = []tick{
				{after: time.Second, events: []ev{{"Subnet", "AWS::EC2::Subnet", "UPDATE_COMPLETE", ""}}},
				{after: 2 * time.Second, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}}},
			}
		},
		run:      deployYes(nil),
		executes: true,
	},
	{
		name: "deploy over a change set left for review",
		setup: func(s *sim) {
			st := s.addStack("web", types.StackStatusReviewInProgress)
			theirs(s, st)
			s.changes = addChanges
			s.onExecute = createScript(s)
		},
		run:      deployYes(nil),
		executes: true,
	},
	{
		name: "deploy with --recreate",
		setup: func(s *sim) {
			existing(s, "ROLLBACK_COMPLETE")
			s.changes = addChanges
			s.onDelete = []tick{{after: time.Second, status: "DELETE_COMPLETE", events: []ev{{"", "", "DELETE_COMPLETE", ""}}}}
			s.onExecute = createScript(s)
		},
		run:       deployYes(func(in *Input) { in.AllowDeleteRollbackComplete = true }),
		consented: func(s *sim) []*simStack { return s.stacks[:1] },
		executes:  true,
	},
	{
		name: "deploy after an update in progress",
		setup: func(s *sim) {
			st := existing(s, "UPDATE_IN_PROGRESS")
			st.script, st.start = []tick{{after: 2 * time.Second, status: "UPDATE_COMPLETE", events: []ev{{"", "", "UPDATE_COMPLETE", ""}}}}, s.clock.Now()
			s.changes = []types.Change{change("Modify", "Role", "AWS::IAM::Role", "False", "Description")}
			s.onExecute = updateDone()
		},
		run:      deployYes(nil),
		executes: true,
	},
	{
		name: "deploy with a slow change set",
		setup: func(s *sim) {
			s.changes = addChanges
			s.csPending = 3
			s.onExecute = createScript(s)
		},
		run:      deployYes(nil),
		executes: true,
	},
	{
		name: "diff of a new stack",
		setup: func(s *sim) {
			s.changes = addChanges
		},
		run: func(ctx context.Context, d *Deployer) error {
			_, err := d.Diff(ctx, testInput())
			return err
		},
	},
	{
		name: "diff of a change set left for review",
		setup: func(s *sim) {
			st := s.addStack("web", types.StackStatusReviewInProgress)
			theirs(s, st)
			s.changes = addChanges
		},
		run: func(ctx context.Context, d *Deployer) error {
			_, err := d.Diff(ctx, testInput())
			return err
		},
	},
	{
		name: "destroy",
		setup: func(s *sim) {
			deployed(s)
			s.onDelete = []tick{
				{after: time.Second, events: []ev{{"VPC", "AWS::EC2::VPC", "DELETE_COMPLETE", ""}}},
				{after: 2 * time.Second, status: "DELETE_COMPLETE", events: []ev{{"", "", "DELETE_COMPLETE", ""}}},
			}
		},
		run: func(ctx context.Context, d *Deployer) error {
			return d.Destroy(ctx, DestroyInput{StackName: "web", Yes: true})
		},
		consented: func(s *sim) []*simStack { return s.stacks[:1] },
	},
}

func TestInterruptAtEveryCall(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			// The calls of an uninterrupted run.
			s := newSim(t)
			sc.setup(s)
			d, _, log := s.deployer()
			if err := sc.run(context.Background(), d); err != nil {
				t.Fatalf("uninterrupted run: %v\nlog:\n%s", err, log)
			}
			calls := len(s.api.Calls)
			for at := range calls {
				for _, when := range []moment{before, during, after} {
					sweepOne(t, sc, at, when)
				}
			}
		})
	}
}

func sweepOne(t *testing.T, sc scenario, at int, when moment) {
	t.Helper()
	s := newSim(t)
	sc.setup(s)
	was := snapshot(s)
	d, _, log := s.deployer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &interrupter{API: s.api, s: s, at: at, when: when, cancel: cancel}
	d.CFN = w
	err := sc.run(ctx, d)
	if w.fired == "" {
		t.Fatalf("call #%d never came", at)
	}
	name := w.fired
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("interrupted %s: %s\ncalls: %q\nlog:\n%s", name, fmt.Sprintf(format, args...), s.api.Calls, log)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fail("error %v, want context.Canceled", err)
	}

	// Nothing that was there before is gone, but what the user consented
	// to delete (and the change sets of a stack CloudFormation executed).
	consented := map[*simStack]bool{}
	if sc.consented != nil {
		for _, st := range sc.consented(s) {
			consented[st] = true
		}
	}
	var executed *simChangeSet
	for cs := range s.changeSets {
		if s.changeSets[cs].executed {
			executed = s.changeSets[cs]
		}
	}
	for st, status := range was.stacks {
		if st.gone && !consented[st] {
			fail("stack %s (%s before) is gone", st.id, status)
		}
	}
	for cs := range was.changeSets {
		if cs.deleted && (executed == nil || executed.stack != cs.stack) {
			fail("change set %s, there before, is gone", cs.name)
		}
	}

	// Either the consented operation runs or is done, and the Log says so,
	// or nothing the run made is left.
	switch {
	case executed != nil:
		text := log.String()
		if !strings.Contains(text, "goes on with") && !strings.Contains(text, "stack web is CREATE_COMPLETE") && !strings.Contains(text, "stack web is UPDATE_COMPLETE") &&
			!strings.Contains(text, "stack web: CREATE_COMPLETE") && !strings.Contains(text, "stack web: UPDATE_COMPLETE") {
			fail("CloudFormation executed change set %s, but the Log says neither that it goes on nor how it ended", executed.name)
		}
	case sc.executes || sc.consented == nil:
		for _, cs := range s.changeSets {
			if !was.changeSets[cs] && !cs.deleted {
				fail("change set %s (%s) is left", cs.name, cs.execStatus())
			}
		}
		for _, st := range s.stacks {
			if _, existed := was.stacks[st]; !existed && !st.gone {
				fail("stack %s (%s), made by the run, is left", st.id, st.status)
			}
		}
		for _, cs := range s.changeSets {
			if !was.changeSets[cs] && cs.stack.status == types.StackStatusReviewInProgress && !strings.Contains(log.String(), "deleted change set "+cs.name) &&
				!strings.Contains(log.String(), "deleted empty stack") {
				fail("the Log does not say that change set %s was deleted", cs.name)
			}
		}
	default: // destroy
		st := s.stacks[0]
		deleting := st.gone || st.status == types.StackStatusDeleteInProgress
		if deleting && !strings.Contains(log.String(), "deletion of stack web") && !strings.Contains(log.String(), "DELETE_COMPLETE") {
			fail("the stack is %s and the Log does not say so", st.status)
		}
		if !deleting && st.status != was.stacks[st] {
			fail("the stack is %s", st.status)
		}
	}

	// Done means a second run converges.
	s.clock.Advance(time.Minute)
	d2, _, log2 := s.deployer()
	if err := sc.run(context.Background(), d2); err != nil && !(errors.Is(err, ErrStackNotFound) && sc.consented != nil) {
		t.Errorf("interrupted %s: the second run: %v\nlog:\n%s\nsecond log:\n%s", name, err, log, log2)
	}
}

// TestInterruptWhileUploading: an interrupt during the upload of a large
// template makes nothing in CloudFormation.
func TestInterruptWhileUploading(t *testing.T) {
	s := newSim(t)
	up, _ := memoryBucket()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	put := up.PutObjectFunc
	up.PutObjectFunc = func(ctx context.Context, in *s3.PutObjectInput) (*s3.PutObjectOutput, error) {
		cancel()
		return put(ctx, in)
	}
	d, _, _ := s.deployer()
	d.S3 = up
	in := testInput()
	in.Template, in.S3Bucket = bigTemplate(), "b"
	if _, err := d.Deploy(ctx, in); !errors.Is(err, context.Canceled) {
		t.Fatalf("Deploy: %v, want context.Canceled", err)
	}
	check(t, "mutations", s.mutations(), []string(nil))
}
