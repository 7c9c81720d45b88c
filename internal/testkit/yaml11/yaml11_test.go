package yaml11_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/testkit/pyyaml"
	. "github.com/cfngen/cfngen/internal/testkit/yaml11"
)

// TestReadSeesWhatYAML12Hides: the Go reader is a YAML 1.1 reader, not
// yaml.v3's 1.2 one: no plain special word reads as a string, and where
// PyYAML reads a number, the Go reader reads the same number.
func TestReadSeesWhatYAML12Hides(t *testing.T) {
	var doc strings.Builder
	gos := map[string]any{}
	for i, s := range pyyaml.Specials {
		if s == "" || s == "<<" || s == "=" {
			continue // null by absence; merge and value have no value
		}
		line := fmt.Sprintf("v%d: %s\n", i, s)
		got, err := Read([]byte(line))
		if err != nil {
			// A float by the spec's pattern that is no number, such as
			// 10.0.0.0: a reader that follows the spec fails on it.
			continue
		}
		v := got.(map[string]any)[fmt.Sprintf("v%d", i)]
		if _, ok := v.(string); ok {
			t.Errorf("%q: read as a string", s)
		}
		gos[fmt.Sprintf("v%d", i)] = v
		doc.WriteString(line)
	}
	py, err := pyyaml.Load([]byte(doc.String()))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range gos {
		pv := py.(map[string]any)[k]
		_, pyNumber := pv.(Number)
		_, goNumber := v.(Number)
		switch _, pyString := pv.(string); {
		case pyString:
			// PyYAML reads a few forms as strings that the YAML 1.1 spec
			// or SnakeYAML do not (y, n, 1e3, 09, mixed case): quoted too.
		case pyNumber || goNumber:
			if Mismatch(v, pv) != "" {
				t.Errorf("%s: Go reads %#v, PyYAML %#v", k, v, pv)
			}
		}
	}
}
