package golden

import (
	"slices"
	"testing"
)

func TestLayers(t *testing.T) {
	for path, want := range map[string][]string{
		"../golden/default.config.yaml": {"../golden/default.config.yaml"},
		"env.prod.config.yaml":          {"env.config.yaml", "env.prod.config.yaml"},
		"g/env.prod.eu.config.yaml":     {"g/env.config.yaml", "g/env.prod.config.yaml", "g/env.prod.eu.config.yaml"},
		"3az-nat-per-az.config.yaml":    {"3az-nat-per-az.config.yaml"},
		"not-a-config.yaml":             {"not-a-config.yaml"},
	} {
		if got := Layers(path); !slices.Equal(got, want) {
			t.Errorf("Layers(%s) = %v, want %v", path, got, want)
		}
	}
}
