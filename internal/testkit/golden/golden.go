// Package golden compares test output with committed files, as the tests
// of gofmt do: byte for byte, with a unified diff on mismatch. Each test
// package with golden files defines its own -update flag and passes its
// value; make golden runs those packages with -update.
//
// A golden is a drift check, not a test of behaviour: a package's tests of
// behaviour call [Behaviour], and [Report], from TestMain, lists after a
// mismatch which of them passed in the same run, so that a reviewer reads
// the diff with that in hand instead of rewriting the goldens blindly.
package golden

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
)

var (
	mu        sync.Mutex
	differ    []string        // goldens that differ in this run
	behaviour map[string]bool // test of behaviour -> passed
)

// Check compares got with the file at path, or writes the file when
// update is set.
func Check(t testing.TB, update bool, path string, got []byte) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; create it with: make golden", err)
	}
	if !bytes.Equal(got, want) {
		mu.Lock()
		differ = append(differ, path)
		mu.Unlock()
		t.Errorf("%s differs from the output built now (want -, got +):\n%s\n"+
			"review the diff: the golden is what was last reviewed, and this test only says that it changed;\n"+
			"the tests of behaviour check the built output on their own: see which of them passed in this run (package golden lists them after its tests);\n"+
			"only if every change above is intended, rewrite the goldens with: make golden",
			path, diff.Diff(path, want, "output", got))
	}
}

// Behaviour marks t as a test of behaviour for [Report].
func Behaviour(t testing.TB) {
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if behaviour == nil {
			behaviour = map[string]bool{}
		}
		behaviour[t.Name()] = !t.Failed()
	})
}

// Report writes, when a golden differed in this run, which tests of
// behaviour passed and which failed. TestMain calls it after m.Run.
func Report(w io.Writer) {
	mu.Lock()
	defer mu.Unlock()
	if len(differ) == 0 {
		return
	}
	var passed, failed []string
	for name, ok := range behaviour {
		if ok {
			passed = append(passed, name)
		} else {
			failed = append(failed, name)
		}
	}
	slices.Sort(passed)
	slices.Sort(failed)
	fmt.Fprintf(w, "\ngolden files that differ from the output built now: %s\n", strings.Join(differ, ", "))
	switch {
	case len(passed)+len(failed) == 0:
		fmt.Fprintf(w, "no test of behaviour ran: run the whole package (without -run) before judging the diff\n")
	default:
		fmt.Fprintf(w, "tests of behaviour on the built output that passed: %s\n", list(passed))
		fmt.Fprintf(w, "tests of behaviour that failed: %s\n", list(failed))
		if len(failed) > 0 {
			fmt.Fprintf(w, "fix those first: a rewritten golden would record the regression\n")
		} else {
			fmt.Fprintf(w, "review the diff for what they do not check; only if every change is intended, run: make golden\n")
		}
	}
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
