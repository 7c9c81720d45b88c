package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// serverError is an HTTP 500 answer, as the SDK returns it after its
// retries.
type serverError struct{ error }

func (e *serverError) Unwrap() error       { return e.error }
func (e *serverError) HTTPStatusCode() int { return 500 }

func internalFailure() error {
	return &serverError{apiError("InternalFailure", "We encountered an internal error. Please try again.")}
}

func wantLog(t *testing.T, log string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(log, l) {
			t.Errorf("Log lacks %q:\n%s", l, log)
		}
	}
}

// TestExecuteFailsBeforeStarting: ExecuteChangeSet fails with a server error
// and CloudFormation did not start the change set. cfngen asks, says so,
// and removes the change set and the empty stack it made.
func TestExecuteFailsBeforeStarting(t *testing.T) {
	s := newSim(t)
	s.changes = addChanges
	s.execErr = internalFailure()
	d, _, log := s.deployer()
	res, err := d.Deploy(context.Background(), testInput())
	name := res.ChangeSet.Name
	check(t, "error", err.Error(), "execute change set "+name+": InternalFailure: We encountered an internal error. Please try again.")
	check(t, "executed", res.Executed, false)
	check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "ExecuteChangeSet " + name, "DeleteChangeSet " + name, "DeleteStack web#1"})
	check(t, "nothing left", s.changeSet(name) == nil && s.stacks[0].gone, true)
	wantLog(t, log.String(),
		"CloudFormation did not start change set "+name+" (AVAILABLE)\n",
		"deleted change set "+name+"\ndeleted empty stack web (REVIEW_IN_PROGRESS)\n")
}

// TestExecuteFailsAfterStarting: the answer to ExecuteChangeSet is a server
// error, but CloudFormation started the change set: cfngen follows it.
func TestExecuteFailsAfterStarting(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = []types.Change{change("Modify", "Subnet", "AWS::EC2::Subnet", "False", "Tags")}
	s.onExecute = updateDone()
	execute := s.api.ExecuteChangeSetFunc
	s.api.ExecuteChangeSetFunc = func(ctx context.Context, in *cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error) {
		if _, err := execute(ctx, in); err != nil {
			t.Fatal(err)
		}
		return nil, internalFailure()
	}
	d, _, log := s.deployer()
	res, err := d.Deploy(context.Background(), testInput())
	if err != nil {
		t.Fatalf("Deploy: %v\nlog:\n%s", err, log)
	}
	check(t, "status", res.Status, "UPDATE_COMPLETE")
	check(t, "executed", res.Executed, true)
	wantLog(t, log.String(), "CloudFormation started change set "+res.ChangeSet.Name+" all the same (execute change set "+res.ChangeSet.Name+
		": InternalFailure: We encountered an internal error. Please try again.); following it\n")
}

// TestCleanupFails: when the change set cannot be deleted, cfngen says that
// it is left, and gives the commands to execute or delete it.
func TestCleanupFails(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	s.changes = addChanges
	unreachable := newCallError("cloudformation", "DeleteChangeSet", 0, sendError("DeleteChangeSet", &netTimeout{}), nil)
	s.api.DeleteChangeSetFunc = func(context.Context, *cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error) {
		return nil, unreachable.Err
	}
	d, _, log := s.deployer()
	in := testInput()
	in.Yes = false
	res, err := d.Deploy(context.Background(), in)
	if !errors.Is(err, ErrNeedsConsent) {
		t.Fatalf("Deploy: %v, want ErrNeedsConsent", err)
	}
	name := res.ChangeSet.Name
	check(t, "change set left", s.changeSet(name) != nil, true)
	wantLog(t, log.String(),
		"could not delete change set "+name+": no answer from https://cloudformation.eu-west-1.amazonaws.com in 0s\n",
		"change set "+name+" is left AVAILABLE on stack web\n",
		"  execute it: aws cloudformation execute-change-set --stack-name web --change-set-name "+name+"\n",
		"  delete it:  aws cloudformation delete-change-set --stack-name web --change-set-name "+name+"\n")
}

// TestReviewStackIsNotOurs: a stack left in REVIEW_IN_PROGRESS with a
// change set for review (deploy --no-execute) survives a diff and a
// declined deploy: a CREATE change set reuses the stack, as CloudFormation
// does, and only that change set is deleted.
func TestReviewStackIsNotOurs(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func(d *Deployer) (*ChangeSet, error)
		want error
	}{
		{"diff", func(d *Deployer) (*ChangeSet, error) { return d.Diff(context.Background(), testInput()) }, nil},
		{"declined deploy", func(d *Deployer) (*ChangeSet, error) {
			d.Prompt = answer(false)
			in := testInput()
			in.Yes = false
			res, err := d.Deploy(context.Background(), in)
			return res.ChangeSet, err
		}, ErrDeclined},
		{"deploy without a terminal", func(d *Deployer) (*ChangeSet, error) {
			in := testInput()
			in.Yes = false
			res, err := d.Deploy(context.Background(), in)
			return res.ChangeSet, err
		}, ErrNeedsConsent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t)
			st := s.addStack("web", types.StackStatusReviewInProgress)
			left := theirs(s, st)
			s.changes = addChanges
			d, _, log := s.deployer()
			cs, err := tc.run(d)
			if tc.want == nil && err != nil || !errors.Is(err, tc.want) {
				t.Fatalf("%s: %v, want %v", tc.name, err, tc.want)
			}
			check(t, "type", cs.Type, "CREATE")
			check(t, "reused stack", cs.StackID, st.id)
			check(t, "mutations", s.mutations(), []string{"CreateChangeSet web CREATE", "DeleteChangeSet " + cs.Name})
			check(t, "their change set", left.deleted, false)
			check(t, "their stack", st.gone || st.status != types.StackStatusReviewInProgress, false)
			if strings.Contains(log.String(), "deleted empty stack") {
				t.Errorf("Log:\n%s", log)
			}
		})
	}
}

// TestDestroyFailsAfterStarting: DeleteStack answers with a server error,
// but CloudFormation is deleting the stack: cfngen follows the deletion.
func TestDestroyFailsAfterStarting(t *testing.T) {
	s := newSim(t)
	deployed(s)
	s.onDelete = []tick{{after: 0, status: "DELETE_COMPLETE", events: []ev{{"", "", "DELETE_COMPLETE", ""}}}}
	del := s.api.DeleteStackFunc
	s.api.DeleteStackFunc = func(ctx context.Context, in *cloudformation.DeleteStackInput) (*cloudformation.DeleteStackOutput, error) {
		if _, err := del(ctx, in); err != nil {
			t.Fatal(err)
		}
		return nil, internalFailure()
	}
	d, _, log := s.deployer()
	if err := d.Destroy(context.Background(), DestroyInput{StackName: "web", Yes: true}); err != nil {
		t.Fatalf("Destroy: %v\nlog:\n%s", err, log)
	}
	wantLog(t, log.String(), "CloudFormation is deleting stack web all the same", "deleted stack web\n")
}
