package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTB records what Check and Behaviour do with a test.
type fakeTB struct {
	testing.TB
	name     string
	failed   bool
	errors   []string
	cleanups []func()
}

func (f *fakeTB) Helper()           {}
func (f *fakeTB) Name() string      { return f.name }
func (f *fakeTB) Failed() bool      { return f.failed }
func (f *fakeTB) Cleanup(fn func()) { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeTB) Fatal(a ...any) { f.errors = append(f.errors, fmt.Sprint(a...)) }

// TestMismatchAsksForReview: a golden that differs asks for a review of
// the diff, and the report lists the tests of behaviour by outcome.
func TestMismatchAsksForReview(t *testing.T) {
	mu.Lock()
	differ, behaviour = nil, nil
	mu.Unlock()
	file := filepath.Join(t.TempDir(), "x.yaml")
	if err := os.WriteFile(file, []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var report strings.Builder
	Report(&report)
	if report.Len() != 0 {
		t.Errorf("a report without a mismatch: %q", report.String())
	}
	for _, b := range []*fakeTB{{name: "TestSecurity"}, {name: "TestOutputs", failed: true}} {
		Behaviour(b)
		for _, fn := range b.cleanups {
			fn()
		}
	}
	g := &fakeTB{name: "TestGolden"}
	Check(g, false, file, []byte("a: 2\n"))
	if len(g.errors) != 1 || !strings.Contains(g.errors[0], "-a: 1") || !strings.Contains(g.errors[0], "review the diff") ||
		!strings.Contains(g.errors[0], "tests of behaviour") {
		t.Errorf("mismatch message: %q", g.errors)
	}
	Report(&report)
	for _, want := range []string{"differ from the output built now: " + file, "that passed: TestSecurity\n", "that failed: TestOutputs\n", "fix those first"} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, report.String())
		}
	}
	mu.Lock()
	differ, behaviour = nil, nil
	mu.Unlock()
}
