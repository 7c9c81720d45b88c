package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/cfngen/cfngen/deploy"
)

// TestReviewThenExecute: deploy --no-execute leaves the change set and
// names the command that runs it; changesets lists it; execute runs that
// change set, and no other.
func TestReviewThenExecute(t *testing.T) {
	useMoto(t)
	name := uniqueName("review")
	code, stdout, stderr := cli(t, "deploy", "--no-execute", "--format", "json", "--stack-name", name)
	if code != 0 {
		t.Fatalf("deploy --no-execute exited %d:\n%s", code, stderr)
	}
	var plan struct {
		ChangeSet struct {
			Name            string
			ExecutionStatus string
			Deleted         bool
		}
		Counts struct{ Add int }
	}
	if err := json.Unmarshal([]byte(stdout), &plan); err != nil || plan.Counts.Add != 31 || plan.ChangeSet.Deleted || plan.ChangeSet.ExecutionStatus != "AVAILABLE" {
		t.Errorf("the JSON plan of deploy --no-execute: %v, %+v\n%s", err, plan, stdout)
	}
	_, after, ok := strings.Cut(stderr, "cfngen: hint: to execute it: cfngen execute ")
	cs, _, _ := strings.Cut(after, " ")
	if !ok || cs != plan.ChangeSet.Name || !strings.Contains(stderr, "cfngen execute "+cs+" --stack-name "+name+"\n") {
		t.Fatalf("no execute hint:\n%s", stderr)
	}

	code, stdout, stderr = cli(t, "changesets", "--stack-name", name, "--format", "json")
	if code != 0 {
		t.Fatalf("changesets exited %d:\n%s", code, stderr)
	}
	var sets []deploy.ChangeSetSummary
	if err := json.Unmarshal([]byte(stdout), &sets); err != nil {
		t.Fatalf("changesets --format json: %v\n%s", err, stdout)
	}
	if len(sets) != 1 || sets[0].Name != cs || sets[0].ExecutionStatus != "AVAILABLE" || !sets[0].Counted || sets[0].Add != 31 {
		t.Errorf("changesets: %+v", sets)
	}
	code, stdout, _ = cli(t, "changesets", "--stack-name", name)
	if code != 0 || !strings.HasPrefix(stdout, "NAME ") || !strings.Contains(stdout, cs+"  CREATE_COMPLETE  AVAILABLE  ") {
		t.Errorf("changesets: exit %d\n%s", code, stdout)
	}

	code, stdout, stderr = cli(t, "execute", cs, "--stack-name", name, "--yes")
	if code != 0 {
		t.Fatalf("execute exited %d:\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "31 to add") || !strings.Contains(stderr, "executing change set "+cs+" on stack "+name+"\n") ||
		!strings.Contains(stderr, ": CREATE_COMPLETE in ") {
		t.Errorf("execute:\nstdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	code, _, stderr = cli(t, "execute", cs, "--stack-name", name, "--yes")
	if code != 1 || !strings.Contains(stderr, "cfngen: error: change set cannot be executed: change set "+cs+" of stack "+name+" is CREATE_COMPLETE and EXECUTE_COMPLETE") {
		t.Errorf("execute again: exit %d\n%s", code, stderr)
	}
}

// TestJSONPlanOfARealDiff: the JSON plan of an update on moto, which says
// nothing of replacements: the prediction does.
func TestJSONPlanOfARealDiff(t *testing.T) {
	cfg := useMoto(t)
	name := uniqueName("json")
	if code, _, stderr := cli(t, "deploy", "--yes", "--stack-name", name); code != 0 {
		t.Fatalf("deploy exited %d:\n%s", code, stderr)
	}
	config := filepath.Join(t.TempDir(), "cidr.yaml")
	if err := os.WriteFile(config, []byte("vpc:\n  cidr: 10.1.0.0/16\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "diff", "--stack-name", name, "-c", config, "--format", "json")
	if code != 0 {
		t.Fatalf("diff --format json exited %d:\n%s", code, stderr)
	}
	var plan struct {
		Version   int
		Stack     struct{ Name string }
		ChangeSet struct {
			Name    string
			Type    string
			Deleted bool
		}
		Counts  map[string]int
		Changes []struct {
			Action, LogicalID, Replacement, PredictedReplacement, Risk string
			PredictedProperties                                        []string
		}
		Security struct {
			Known      bool
			Broadening bool
		}
	}
	if err := json.Unmarshal([]byte(stdout), &plan); err != nil {
		t.Fatalf("%v:\n%s", err, stdout)
	}
	if plan.Version != 1 || plan.Stack.Name != name || plan.ChangeSet.Type != "UPDATE" || !plan.ChangeSet.Deleted {
		t.Errorf("plan: %+v", plan)
	}
	found := false
	for _, c := range plan.Changes {
		if c.LogicalID == "VPC" {
			found = true
			if c.Action != "Modify" || c.Replacement != "" || c.PredictedReplacement != "True" || c.Risk != "replaced: CidrBlock is create-only and changes (predicted)" ||
				strings.Join(c.PredictedProperties, ",") != "CidrBlock" {
				t.Errorf("VPC: %+v", c)
			}
		}
	}
	if !found || plan.Counts["replace"] < 5 || !plan.Security.Known || plan.Security.Broadening {
		t.Errorf("plan: %+v\n%s", plan, stdout)
	}
	noChangeSetAvailable(t, cloudformation.NewFromConfig(cfg), name)
	// No changes is a plan too.
	code, stdout, _ = cli(t, "diff", "--stack-name", name, "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"version": 1`) || !strings.Contains(stdout, `"changes": []`) {
		t.Errorf("diff --format json of no changes: exit %d\n%s", code, stdout)
	}
}

// TestUnsupportedOnMoto: moto answers drift detection, termination
// protection and DescribeEvents with HTTP 500 and no AWS error: one plain
// line, exit 1, and no retry.
func TestUnsupportedOnMoto(t *testing.T) {
	useMoto(t)
	name := uniqueName("unsupported")
	if code, _, stderr := cli(t, "deploy", "--yes", "--stack-name", name); code != 0 {
		t.Fatalf("deploy exited %d:\n%s", code, stderr)
	}
	code, stdout, stderr := cli(t, "drift", "--stack-name", name, "-v")
	if code != 1 || stdout != "" || !strings.HasSuffix(stderr, "cfngen: 0 AWS calls retried\ncfngen: error: this endpoint does not support drift detection\n") {
		t.Errorf("drift: exit %d, stdout %q\nstderr:\n%s", code, stdout, stderr)
	}
	code, _, stderr = cli(t, "deploy", "--yes", "--stack-name", name, "--termination-protection")
	if code != 1 || !strings.Contains(stderr, "no changes: stack "+name+" is up to date\n") ||
		!strings.HasSuffix(stderr, "\ncfngen: error: this endpoint does not support termination protection\n") {
		t.Errorf("deploy --termination-protection: exit %d\n%s", code, stderr)
	}

	// DescribeEvents, which a failure report asks first: not retried,
	// and it reads as not supported.
	c, err := connectAWS(context.Background(), &awsFlags{callTimeout: defaultCallTimeout}, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.cfn.DescribeEvents(context.Background(), &cloudformation.DescribeEventsInput{StackName: aws.String(name)})
	if !deploy.Unsupported(err) || c.retries.Load() != 0 {
		t.Errorf("DescribeEvents: %v, %d retries; want not supported, and no retry", err, c.retries.Load())
	}
}
