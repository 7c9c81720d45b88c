package cfnyaml_test

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	. "github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/pyyaml"
	"github.com/cfngen/cfngen/internal/testkit/yaml11"
)

func TestResolve11(t *testing.T) {
	for _, s := range pyyaml.Specials {
		if Resolve11(s) == "!!str" {
			t.Errorf("Resolve11(%q) = !!str; YAML 1.1 reads it as another type", s)
		}
	}
	for s, want := range map[string]string{
		"yes": "!!bool", "OFF": "!!bool", "null": "!!null", "0x1F": "!!int", "1:20": "!!int",
		"1.5": "!!float", ".inf": "!!float", "2001-12-14": "!!timestamp", "<<": "!!merge",
		"web": "!!str", "yess": "!!str", "t3.micro": "!!str", "10.0.0.0/16": "!!str", "ami-0abc": "!!str",
		"/": "!!str", "1:20:": "!!str", "2001-12-14x": "!!str", "0x": "!!str", "-": "!!str", "a1.medium": "!!str",
	} {
		if got := Resolve11(s); got != want {
			t.Errorf("Resolve11(%q) = %s, want %s", s, got, want)
		}
	}
}

// specialTree is a mapping whose keys and values are every special word,
// as strings, beside a number, a boolean and floats that YAML 1.2 and
// JSON write without a dot or a signed exponent.
func specialTree() (*yaml.Node, map[string]any) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	want := map[string]any{}
	for i, s := range pyyaml.Specials {
		m.Content = append(m.Content, Str(fmt.Sprintf("v%d", i)), Str(s))
		want[fmt.Sprintf("v%d", i)] = s
		m.Content = append(m.Content, Str(s+" "), Str("key")) // trailing space: not special
		if s != "" {
			m.Content = append(m.Content, Str(s), Str("as key"))
			want[s] = "as key"
		}
		want[s+" "] = "key"
	}
	for s, n := range map[string]*yaml.Node{
		"int":   {Kind: yaml.ScalarNode, Tag: "!!int", Value: "80"},
		"bool":  {Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"},
		"big":   {Kind: yaml.ScalarNode, Tag: "!!float", Value: "1e+21"},
		"exp":   {Kind: yaml.ScalarNode, Tag: "!!float", Value: "2E5"},
		"small": {Kind: yaml.ScalarNode, Tag: "!!float", Value: "1.5e-7"},
		"plain": {Kind: yaml.ScalarNode, Tag: "!!float", Value: "0.25"},
		"ref":   {Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{Str("Ref"), Str("yes")}},
	} {
		m.Content = append(m.Content, Str(s), n)
	}
	for k, v := range map[string]any{"int": yaml11.Number("80"), "bool": true, "big": yaml11.Number("1e+21"), "exp": yaml11.Number("200000"),
		"small": yaml11.Number("1.5e-07"), "plain": yaml11.Number("0.25"), "ref": map[string]any{"Ref": "yes"}} {
		want[k] = v
	}
	return m, want
}

// TestWriterAsYAML11: every special word, as a value and as a key, comes
// back as the same string through the Go YAML 1.1 reader and PyYAML; the
// JSON form is the same template.
func TestWriterAsYAML11(t *testing.T) {
	tree, want := specialTree()
	out, err := YAML(tree)
	if err != nil {
		t.Fatal(err)
	}
	readsAs(t, tree, out, want)
	if !strings.Contains(string(out), "big: 1.0e+21\n") || !strings.Contains(string(out), "plain: 0.25\n") {
		t.Errorf("floats not written as YAML 1.1 floats:\n%s", out)
	}
}

// readsAs checks that out, the YAML of tree, reads as want through the Go
// YAML 1.1 reader and PyYAML, and that the JSON of tree reads as want too.
func readsAs(t *testing.T, tree *yaml.Node, out []byte, want map[string]any) {
	t.Helper()
	got, err := yaml11.Read(out)
	if err != nil {
		t.Fatalf("yaml11.Read: %v\n%s", err, out)
	}
	if m := yaml11.Mismatch(got, want); m != "" {
		t.Errorf("Go YAML 1.1 reader: %s\n%s", m, out)
	}
	py, err := pyyaml.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if m := yaml11.Mismatch(py, want); m != "" {
		t.Errorf("PyYAML: %s\n%s", m, out)
	}
	js, err := JSON(tree)
	if err != nil {
		t.Fatal(err)
	}
	fromJSON, err := yaml11.ReadJSON(js)
	if err != nil {
		t.Fatal(err)
	}
	if m := yaml11.Mismatch(fromJSON, want); m != "" {
		t.Errorf("JSON: %s", m)
	}
}
