// Package golden compares test output with committed files, as the tests
// of gofmt do: byte for byte, with a unified diff on mismatch. Run
// `go test ./... -update` to rewrite the files.
//
// Every test package imports it, so that the -update flag is defined in
// each test binary that `go test ./... -update` starts.
package golden

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/cfngen/cfngen/internal/diff"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

// Check compares got with the file at path, or writes it with -update.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; create it with: go test ./... -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (want -, got +):\n%s\nif the change is intended, run: go test ./... -update",
			path, diff.Unified(path, "output", want, got))
	}
}
