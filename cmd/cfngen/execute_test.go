package main

import (
	"strings"
	"testing"
)

func TestValidChangeSetName(t *testing.T) {
	for s, want := range map[string]bool{
		"cfngen-20261201154754-cb22": true, "a": true, "A-1": true,
		"": false, "1a": false, "-a": false, "a_b": false, "a b": false, strings.Repeat("a", 129): false, strings.Repeat("a", 128): true,
	} {
		if got := validChangeSetName(s); got != want {
			t.Errorf("validChangeSetName(%q) = %v, want %v", s, got, want)
		}
	}
}
