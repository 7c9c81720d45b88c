package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLinksCfngensSDK: sdkinit links every AWS SDK package cfngen links.
func TestLinksCfngensSDK(t *testing.T) {
	deps := func(pkg string) map[string]bool {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Skipf("go list: %v", err)
		}
		m := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			if strings.HasPrefix(p, "github.com/aws/") {
				m[p] = true
			}
		}
		return m
	}
	ours := deps("github.com/cfngen/cfngen/bench/sdkinit")
	for p := range deps("github.com/cfngen/cfngen/cmd/cfngen") {
		if !ours[p] {
			t.Errorf("cfngen links %s and sdkinit does not; import it in main.go", p)
		}
	}
}
