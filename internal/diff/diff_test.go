package diff

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestUnifiedEqual(t *testing.T) {
	if d := Unified("a", "b", []byte("x\ny\n"), []byte("x\ny\n")); d != nil {
		t.Fatalf("equal inputs gave a diff:\n%s", d)
	}
}

func TestUnifiedShape(t *testing.T) {
	old := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n"
	new := "1\n2\n3\n4\n5\nsix\n7\n8\n9\n10\n11\n12\n13\n15\n16\n"
	want := `--- old
+++ new
@@ -3,7 +3,7 @@
 3
 4
 5
-6
+six
 7
 8
 9
@@ -11,5 +11,5 @@
 11
 12
 13
-14
 15
+16
`
	if got := string(Unified("old", "new", []byte(old), []byte(new))); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestUnifiedAppliesWithPatch checks that patch(1) turns old into new with
// each diff, for edits at the start, the end, and without a final newline.
func TestUnifiedAppliesWithPatch(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Fatal("patch(1) is needed: apt-get install patch")
	}
	cases := [][2]string{
		{"a\nb\nc\n", "z\na\nb\nc\n"},
		{"a\nb\nc\n", "a\nb\n"},
		{"a\nb\nc", "a\nb\nc\n"},
		{"", "new\n"},
		{strings.Repeat("same\n", 50) + "x\n" + strings.Repeat("same\n", 50), strings.Repeat("same\n", 50) + "y\n" + strings.Repeat("same\n", 49)},
		{strings.Repeat("a\n", 3000), strings.Repeat("b\n", 3000)}, // past maxEdits
	}
	for i, c := range cases {
		dir := t.TempDir()
		f := dir + "/f"
		if err := os.WriteFile(f, []byte(c[0]), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(patch, "-s", f)
		cmd.Stdin = strings.NewReader(string(Unified("f", "f", []byte(c[0]), []byte(c[1]))))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("case %d: patch: %v\n%s", i, err, out)
		}
		got, _ := os.ReadFile(f)
		if string(got) != c[1] {
			t.Errorf("case %d: patched file is %q, want %q", i, got, c[1])
		}
	}
}
