package template

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/yaml11"
)

// FuzzConfig feeds arbitrary bytes to the config parser and, when they
// parse, builds and writes the template. Bad input must come back as a
// *config.Error (which the CLI turns into a named error and exit 2), never
// a panic; good input must give a template that formats to itself and
// whose YAML form, read as YAML 1.1 (as CloudFormation reads it), is the
// same template as its JSON form.
//
//	go test ./template -run '^$' -fuzz FuzzConfig -fuzztime 5m
func FuzzConfig(f *testing.F) {
	seeds, err := filepath.Glob("../golden/*.config.yaml")
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed configs: %v", err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "stackName: x", "vpc: {azCount: 6, natGateways: 6, cidr: 10.0.0.0/20, subnetMask: 28}",
		"instances: {count: 197}", "instances: {autoScaling: {min: 1, max: 1}}", "a: &a [*a]",
		"tags: {k: v, 'a b': 'c:d'}", "loadBalancer: {healthCheckPath: '/ok?x=1'}",
		"description: 'no'\ntags: {backup: 'no', 'on': 'Off', y: '1:20', t: '2001-12-14 21:59:43.10 -5', o: '0777', i: '.inf'}",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "web.sh.tmpl"), []byte("#!/bin/sh\necho {{.Title}} {{.Vars}}\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse(data, dir)
		var ce *config.Error
		if err != nil {
			if !errors.As(err, &ce) || ce.Reason == "" {
				t.Fatalf("Parse error %v (%T) is not a *config.Error with a reason", err, err)
			}
			return
		}
		st, err := Build(c)
		var te *Error
		if err != nil {
			if !errors.As(err, &te) || te.Reason == "" {
				t.Fatalf("Build error %v (%T) is not a *template.Error with a reason", err, err)
			}
			return
		}
		out, err := st.YAML()
		if err != nil {
			t.Fatal(err)
		}
		again, err := cfnyaml.Format(out)
		if err != nil {
			t.Fatalf("the template does not parse back: %v", err)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("the template does not format to itself")
		}
		js, err := st.JSON()
		if err != nil {
			t.Fatal(err)
		}
		as11, err := yaml11.Read(out)
		if err != nil {
			t.Fatalf("a YAML 1.1 reader cannot read the template: %v", err)
		}
		fromJSON, err := yaml11.ReadJSON(js)
		if err != nil {
			t.Fatal(err)
		}
		if m := yaml11.Mismatch(as11, fromJSON); m != "" {
			t.Fatalf("read as YAML 1.1, the YAML form differs from the JSON form at %s", m)
		}
	})
}
