package golden_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/testkit/golden"
	"github.com/cfngen/cfngen/internal/testkit/pyyaml"
	"github.com/cfngen/cfngen/internal/testkit/yaml11"
	"github.com/cfngen/cfngen/template"
)

// readBoth reads the YAML forms of templates with PyYAML, a YAML 1.1
// reader as CloudFormation's is, in one run, and checks each against the
// JSON form of the same template: no value may change meaning.
func readBoth(t *testing.T, names []string, yamls, jsons [][]byte) []any {
	t.Helper()
	docs, err := pyyaml.LoadAll(bytes.Join(yamls, []byte("---\n")))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(yamls) {
		t.Fatalf("PyYAML read %d documents, want %d", len(docs), len(yamls))
	}
	for i, doc := range docs {
		fromJSON, err := yaml11.ReadJSON(jsons[i])
		if err != nil {
			t.Fatal(err)
		}
		if m := yaml11.Mismatch(doc, fromJSON); m != "" {
			t.Errorf("%s: the YAML form, read as YAML 1.1, differs from the JSON form at %s", names[i], m)
		}
	}
	return docs
}

func forms(t *testing.T, st *template.Stack) (yml, js []byte) {
	t.Helper()
	yml, err := st.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if js, err = st.JSON(); err != nil {
		t.Fatal(err)
	}
	return yml, js
}

// TestGoldensAsYAML11: every golden means to PyYAML what its JSON form
// means.
func TestGoldensAsYAML11(t *testing.T) {
	golden.Behaviour(t)
	var names []string
	var yamls, jsons [][]byte
	for _, s := range scenarios(t) {
		yml, js := forms(t, build(t, s))
		names, yamls, jsons = append(names, s.name), append(yamls, yml), append(jsons, js)
	}
	readBoth(t, names, yamls, jsons)
}

// TestSpecialWordsAsYAML11 puts each word that YAML 1.1 reads as another
// type (yes, no, on, off, y, n in any case, 1:20, 0777, .inf, timestamps,
// ...) in the description, the tags (as key and value), the page text and
// the vars of a config, and checks that PyYAML reads each back as the same
// string, and that cfn-lint accepts the templates.
func TestSpecialWordsAsYAML11(t *testing.T) {
	golden.Behaviour(t)
	const tmpl = "#!/bin/sh\necho {{shell .Title}} {{shell .Heading}}\necho {{shell .Vars.v}}\n"
	var names, words []string
	var yamls, jsons [][]byte
	var stacks []*template.Stack
	tagged := 0
	for _, w := range pyyaml.Specials {
		if w == "" {
			continue // an empty description is generated; empty page text is allowed but says nothing
		}
		c := config.Default()
		c.Description, c.Instances.Page.Title, c.Instances.Page.Heading = w, w, w
		c.Instances.UserData, c.Instances.UserDataTemplate, c.Instances.Vars = "vars.sh.tmpl", tmpl, map[string]string{"v": w}
		c.Instances.Signal = false // the script above does not signal
		c.Tags = map[string]string{w: w, "backup": w}
		var ce *config.Error
		if err := c.Validate(); errors.As(err, &ce) && strings.HasPrefix(ce.Key, "tags") {
			c.Tags = nil // not a valid tag (such as ~ or <<): the rest still applies
		} else if err != nil {
			t.Fatalf("%q: %v", w, err)
		} else {
			tagged++
		}
		st, err := template.Build(c)
		if err != nil {
			t.Fatalf("%q: %v", w, err)
		}
		yml, js := forms(t, st)
		names, yamls, jsons = append(names, fmt.Sprintf("%q", w)), append(yamls, yml), append(jsons, js)
		words, stacks = append(words, w), append(stacks, st)
	}
	if tagged < 40 {
		t.Errorf("only %d special words were valid tags; the table lost its tags", tagged)
	}
	docs := readBoth(t, names, yamls, jsons)
	for i, doc := range docs {
		w, st := words[i], stacks[i]
		top := doc.(map[string]any)
		want := st.Template.Description
		if got := top["Description"]; got != want {
			t.Errorf("%s: PyYAML reads the description as %#v, want %q", names[i], got, want)
		}
		lt := top["Resources"].(map[string]any)["LaunchTemplate"].(map[string]any)["Properties"].(map[string]any)["LaunchTemplateData"].(map[string]any)
		if ud := lt["UserData"].(map[string]any)["Fn::Base64"]; ud != st.UserData {
			t.Errorf("%s: PyYAML reads the user data as %#v, want %q", names[i], ud, st.UserData)
		}
		vpcTags := top["Resources"].(map[string]any)["VPC"].(map[string]any)["Properties"].(map[string]any)["Tags"].([]any)
		for _, tag := range vpcTags {
			kv := tag.(map[string]any)
			if k, v := kv["Key"], kv["Value"]; k != "Name" && (k != "backup" && k != w || v != w) {
				t.Errorf("%s: PyYAML reads the tag %#v: %#v", names[i], k, v)
			}
		}
	}

	// cfn-lint (E1004 and others) on a few of the templates.
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint not found on PATH: install it with `pip install cfn-lint==1.51.0`")
	}
	dir := t.TempDir()
	var files []string
	for i, w := range words {
		switch w {
		case "no", "ON", "1:20", "2001-12-14 21:59:43.10 -5", ".inf":
			f := filepath.Join(dir, fmt.Sprintf("t%d.yaml", i))
			if err := os.WriteFile(f, yamls[i], 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	if len(files) != 5 {
		t.Fatalf("%d templates to lint, want 5", len(files))
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable", "--"}, files...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("cfn-lint: %v\n%s", err, out)
	}
}
