// Package golden compares test output with committed files, as the tests
// of gofmt do: byte for byte, with a unified diff on mismatch. Each test
// package with golden files defines its own -update flag and passes its
// value; make golden runs those packages with -update.
package golden

import (
	"bytes"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
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
		t.Errorf("%s differs from the output (want -, got +):\n%s\nif the change is intended, run: make golden",
			path, diff.Diff(path, want, "output", got))
	}
}
