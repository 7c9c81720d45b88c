package template

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies: the template builds from goformation's service
// packages alone, without its root package (which compiles all ~250 of
// them) or the AWS SDK (which a synth never calls), so that a cold build
// of it stays small.
func TestDependencies(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/cfngen/cfngen/template").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		switch {
		case p == "github.com/awslabs/goformation/v7/cloudformation":
			t.Errorf("template imports goformation's root package; use github.com/cfngen/cfngen/template/cloudformation")
		case strings.HasPrefix(p, "github.com/aws/"):
			t.Errorf("template imports %s, of the AWS SDK", p)
		}
	}
}
