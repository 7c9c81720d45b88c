package main

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// TestPlanSVG: against a deployed six-instance stack, diff --format svg
// with the default config draws the plan instead of the table: the
// instances it removes, where they are, marked. deploy --no-execute
// --format svg draws the same; an unchanged stack draws no changes.
func TestPlanSVG(t *testing.T) {
	useMoto(t)
	name := uniqueName("e2e-plan")
	six := "../../golden/six-instances.config.yaml"
	if code, _, errOut := cli(t, "deploy", "--yes", "--stack-name", name, "-c", six); code != 0 {
		t.Fatalf("deploy: %d\n%s", code, errOut)
	}
	code, out, errOut := cli(t, "diff", "--format", "svg", "--stack-name", name)
	if code != 0 {
		t.Fatalf("diff --format svg exited %d:\n%s", code, errOut)
	}
	checkXML(t, out)
	if dir := os.Getenv("CFNGEN_KEEP_PNG"); dir != "" {
		os.WriteFile(dir+"/e2e-plan.svg", []byte(out), 0o644)
	}
	if strings.Contains(out, "ACTION") || strings.Contains(out, ">Removed</text>") || strings.Contains(errOut, "note:") {
		t.Errorf("stdout holds the table, or the stack's template was not read:\nstderr:\n%s", errOut)
	}
	for _, want := range []string{
		"<title>" + name + ": Plan: ",
		"Instance6 (AWS::EC2::Instance) - remove", // drawn where it is, from the stack's template
		">- remove</text>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}

	code, out, errOut = cli(t, "deploy", "--no-execute", "--format", "svg", "--stack-name", name)
	if code != 0 || !strings.Contains(out, "Instance6 (AWS::EC2::Instance) - remove") || !strings.Contains(errOut, "left for review") {
		t.Errorf("deploy --no-execute --format svg exited %d:\n%s\nstderr:\n%s", code, out, errOut)
	}
	checkXML(t, out)

	code, out, errOut = cli(t, "diff", "--format", "svg", "--stack-name", name, "-c", six)
	if code != 0 || !strings.Contains(out, "Plan: no changes") {
		t.Errorf("diff of an unchanged stack exited %d:\n%s\nstderr:\n%s", code, out, errOut)
	}
	checkXML(t, out)
}

func checkXML(t *testing.T, doc string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
	}
}
