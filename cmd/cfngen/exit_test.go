package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInputFailuresExit2: failures that the input causes exit 2 and name
// the key or flag, like bad values do.
func TestInputFailuresExit2(t *testing.T) {
	dir := t.TempDir()
	var big strings.Builder
	big.WriteString("instances:\n  count: 100\ntags:\n")
	for i := range 49 {
		fmt.Fprintf(&big, "  %s%03d: %s\n", strings.Repeat("k", 125), i, strings.Repeat("v", 256))
	}
	for name, content := range map[string]string{"big.yaml": big.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "-c", "big.yaml"}, "big.yaml:3: tags: the template would be "},
		{[]string{"-c", "big.yaml", "--format", "json"}, "big.yaml:3: tags: the template would be "},
		{[]string{"deploy", "--yes", "-c", "big.yaml", "--s3-bucket", "my-bucket"}, "big.yaml:3: tags: the template would be "},
		{[]string{"--check", "nope.yaml"}, "--check nope.yaml: no such file or directory"},
		{[]string{"-o", "nodir/stack.yaml"}, "-o nodir/stack.yaml: no such file or directory"},
		{[]string{"-o", "adir"}, "-o adir: is a directory"},
	} {
		code, stdout, stderr, connected, _ := runFake(t, tc.args...)
		if code != 2 || stdout != "" || connected {
			t.Errorf("%q: exit %d, stdout %d bytes, AWS reached %v; want exit 2, nothing on stdout, no AWS", tc.args, code, len(stdout), connected)
		}
		if !strings.HasPrefix(stderr, "cfngen: error: "+tc.want) {
			t.Errorf("%q: stderr %q does not start with %q", tc.args, stderr, tc.want)
		}
	}
	if strings.Contains(fmt.Sprint(os.ReadDir(dir)), ".stack.yaml") {
		t.Error("a temporary file was left behind")
	}
}

// TestOutputFileMode: -o keeps the mode of the file it replaces and makes
// a new file 0644 less the umask; it leaves no temporary file.
func TestOutputFileMode(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	for _, tc := range []struct {
		name       string
		before     os.FileMode // 0: no file yet
		wantMode   os.FileMode
		wantPrefix string
	}{
		{"new.yaml", 0, 0o640, "AWSTemplateFormatVersion"},
		{"private.yaml", 0o600, 0o600, "AWSTemplateFormatVersion"},
		{"open.yaml", 0o664, 0o664, "AWSTemplateFormatVersion"},
	} {
		if tc.before != 0 {
			if err := os.WriteFile(tc.name, []byte("old"), tc.before); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(tc.name, tc.before); err != nil {
				t.Fatal(err)
			}
		}
		if code, _, stderr, _, _ := runFake(t, "-o", tc.name); code != 0 {
			t.Fatalf("-o %s: exit %d: %s", tc.name, code, stderr)
		}
		st, err := os.Stat(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != tc.wantMode {
			t.Errorf("%s: mode %v, want %v", tc.name, st.Mode().Perm(), tc.wantMode)
		}
		if b, _ := os.ReadFile(tc.name); !strings.HasPrefix(string(b), tc.wantPrefix) {
			t.Errorf("%s: not the template: %.40q", tc.name, b)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("files left: %v", entries)
	}
}

// TestPanicReport: a panic is a bug. It exits 1 with the error, a line
// that says it is a bug and where to report it, and the stack trace down
// to the function that panicked.
func TestPanicReport(t *testing.T) {
	var stderr strings.Builder
	code := exitCode(&stderr, safeRun(context.Background(), func() error { return panickingCommand() }))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(stderr.String(), "\n")
	if len(lines) < 4 || lines[0] != "cfngen: error: internal error: runtime error: index out of range [3] with length 0" ||
		lines[1] != "cfngen: this is a bug in cfngen; please report it at "+bugReports+" with the stack trace below" ||
		!strings.HasPrefix(lines[2], "goroutine ") {
		t.Errorf("the report does not open with the error, the bug line and the trace:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "cmd/cfngen.panickingCommand(") {
		t.Errorf("the trace does not reach the function that panicked:\n%s", stderr.String())
	}
}

func panickingCommand() error {
	var s []int
	return fmt.Errorf("%d", s[3])
}
