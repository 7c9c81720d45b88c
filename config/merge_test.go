package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// files writes name: content pairs into a new directory and returns the
// paths, in order.
func files(t *testing.T, pairs ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i := 0; i+1 < len(pairs); i += 2 {
		p := filepath.Join(dir, pairs[i])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(pairs[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestMergeRules: later files win, mappings merge key by key, lists are
// replaced whole, and keys no later file sets stay.
func TestMergeRules(t *testing.T) {
	paths := files(t,
		"base.yaml", `stackName: web-staging
vpc:
  azCount: 3
  natGateways: 0
  endpoints: [ssm, ssmmessages, ec2messages, cloudformation]
instances:
  count: 2
  page: {title: Base, heading: From base}
tags: {team: web, env: staging}
`,
		"prod.yaml", `stackName: web-prod
vpc:
  natGateways: 3
  endpoints: [ssm]
instances:
  page: {title: Prod}
tags: {env: prod}
`,
		"last.yaml", "instances: {count: 6}\n")
	c, err := LoadFiles(paths...)
	if err != nil {
		t.Fatal(err)
	}
	if c.StackName != "web-prod" {
		t.Errorf("stackName %q: the later file does not win", c.StackName)
	}
	if c.VPC.AZCount != 3 || c.VPC.NATGateways != 3 {
		t.Errorf("vpc: azCount %d (from base), natGateways %d (from prod): mappings do not merge key by key", c.VPC.AZCount, c.VPC.NATGateways)
	}
	if !slices.Equal(c.VPC.Endpoints, []string{"ssm"}) {
		t.Errorf("endpoints %v: a list is not replaced whole", c.VPC.Endpoints)
	}
	if c.Instances.Page.Title != "Prod" || c.Instances.Page.Heading != "From base" {
		t.Errorf("page %+v: nested mappings do not merge", c.Instances.Page)
	}
	if !reflect.DeepEqual(c.Tags, map[string]string{"team": "web", "env": "prod"}) {
		t.Errorf("tags %v: a map of names does not merge key by key", c.Tags)
	}
	if c.Instances.Count != 6 || c.Instances.Type != "t3.micro" {
		t.Errorf("count %d, type %s: the third file or the default is lost", c.Instances.Count, c.Instances.Type)
	}
	if !slices.Equal(c.Files(), paths) {
		t.Errorf("Files() = %v", c.Files())
	}
	// In the other order, base wins.
	c, err = LoadFiles(paths[1], paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.StackName != "web-staging" || c.VPC.NATGateways != 0 || len(c.VPC.Endpoints) != 4 || c.Tags["env"] != "staging" {
		t.Errorf("reversed order: %+v", c)
	}
}

// TestMergeReplacesAMappingWithAScalar: a value of another kind replaces
// the mapping, and the error names the file that did.
func TestMergeReplacesAMappingWithAScalar(t *testing.T) {
	paths := files(t, "base.yaml", "vpc: {azCount: 3, natGateways: 3}\n", "over.yaml", "stackName: web\nvpc: 3\n")
	_, err := LoadFiles(paths...)
	if err == nil || !strings.HasPrefix(err.Error(), paths[1]+":2: vpc: want a mapping") {
		t.Errorf("got %v, want over.yaml:2: vpc: want a mapping", err)
	}
}

// TestMergeErrorsNameTheFile: every error names the file and the line that
// set the value, whichever of the files it is.
func TestMergeErrorsNameTheFile(t *testing.T) {
	for _, tc := range []struct {
		name       string
		base, over string
		file       int // index of the file named; -1 for all
		want       string
	}{
		{"unknown key in overlay", "stackName: web\n", "stackName: web\nvpc:\n  cdr: 10.0.0.0/16\n", 1, ":3: vpc.cdr: unknown key"},
		{"wrong type in base", "stackName: web\ninstances:\n  count: many\n", "instances: {count: 4}\n", 0, ":3: instances.count: want a whole number"},
		{"repeated key in overlay", "stackName: web\n", "stackName: a\nstackName: b\n", 1, ":2: stackName: repeated key"},
		{"bad value in overlay", "vpc: {azCount: 3}\n", "\nvpc:\n  azCount: 7\n", 1, ":3: vpc.azCount: 7 is outside 2 to 6"},
		{"bad value in base, overlay elsewhere", "stackName: 1web\n", "instances: {count: 3}\n", 0, ":1: stackName:"},
		{"overlay fixes base", "stackName: 1web\n", "stackName: web\n", -2, ""},
		{"combination: the key's file", "loadBalancer:\n  healthCheckTimeoutSeconds: 10\n", "loadBalancer:\n  healthCheckIntervalSeconds: 10\n", 0,
			":2: loadBalancer.healthCheckTimeoutSeconds: 10 is not less than healthCheckIntervalSeconds (10)"},
		{"nearest enclosing key", "stackName: web\n", "vpc:\n  cidr: 10.0.0.0/22\n  azCount: 3\n", 1, ":1: vpc.subnetMask: 6 subnets of /24 do not fit"},
		{"a default no file sets", "stackName: web\n", "loadBalancer: {healthCheckIntervalSeconds: 5}\n", 1, ":1: loadBalancer.healthCheckTimeoutSeconds: 5 is not less than"},
		{"existing vpc over a built one", "vpc:\n  cidr: 10.1.0.0/16\n", existing("") + "\n", 0, ":2: vpc.cidr: does not apply to an existing VPC"},
		{"not yaml in overlay", "stackName: web\n", "stackName: [\n", 1, ": not valid YAML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := files(t, "base.yaml", tc.base, "env/over.yaml", tc.over)
			_, err := LoadFiles(paths...)
			if tc.file == -2 {
				if err != nil {
					t.Errorf("got %v, want no error", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *config.Error", err)
			}
			if want := paths[tc.file] + tc.want; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got  %v\nwant %s...", err, want)
			}
		})
	}
	// A value no file sets names every file.
	paths := files(t, "a.yaml", "instances: {count: 600}\n", "b.yaml", "instances: {autoScaling: {min: 2, max: 2000}}\n")
	_, err := LoadFiles(paths...)
	if err == nil || !strings.HasPrefix(err.Error(), paths[1]+":1: instances.autoScaling.max: 2000 is outside") {
		t.Errorf("got %v", err)
	}
	paths = files(t, "a.yaml", "instances: {autoScaling: {min: 2, max: 6, targetCpuPercent: 50}}\n", "b.yaml", "instances: {autoScaling: {targetRequestsPerTarget: 100}}\n")
	_, err = LoadFiles(paths...)
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("got %v", err)
	}
}

// TestMergeDefaultKeyNamesEveryFile: an error about a key that no file
// sets, nor any key around it, names every file, without a line.
func TestMergeDefaultKeyNamesEveryFile(t *testing.T) {
	c := Default()
	c.src = &sources{paths: []string{"a.yaml", "b.yaml"}, of: nil}
	e := &Error{Key: "instances.count", Reason: "x"}
	c.Place(e)
	if e.Error() != "a.yaml, b.yaml: instances.count: x" {
		t.Errorf("got %q", e.Error())
	}
}

// TestMergeUserDataDir: a relative path is read from the directory of the
// file that names it, not of the last file.
func TestMergeUserDataDir(t *testing.T) {
	paths := files(t, "base/app.yaml", "instances: {userData: web.sh.tmpl}\n", "base/web.sh.tmpl", "#!/bin/sh\n", "prod/prod.yaml", "stackName: web-prod\n")
	c, err := LoadFiles(paths[0], paths[2])
	if err != nil {
		t.Fatal(err)
	}
	if got := c.path(c.Instances.UserData); got != paths[1] {
		t.Errorf("user data at %s, want %s", got, paths[1])
	}
	paths = files(t, "a.yaml", "instances: {userData: web.sh.tmpl}\n", "env/b.yaml", "stackName: web\n")
	if _, err := LoadFiles(paths...); err == nil || !strings.HasPrefix(err.Error(), paths[0]+":1: instances.userData: cannot read web.sh.tmpl") {
		t.Errorf("got %v", err)
	}
}

func TestMergeEmptyFiles(t *testing.T) {
	paths := files(t, "a.yaml", "", "b.yaml", "# nothing\n", "c.yaml", "stackName: web\n")
	c, err := LoadFiles(paths...)
	if err != nil || c.StackName != "web" {
		t.Fatalf("got %v, %v", c, err)
	}
	c, err = LoadFiles(paths[:2]...)
	if err != nil || c.StackName != Default().StackName {
		t.Fatalf("only empty files: %v, %v", c, err)
	}
	if _, err := LoadFiles(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.Contains(err.Error(), "none.yaml: no such file") {
		t.Errorf("missing file: %v", err)
	}
}

// TestPrintRoundTrip: the printed config reads back to the same config,
// for every example config and for every key set (the README's example
// sets them all).
func TestPrintRoundTrip(t *testing.T) {
	paths, err := filepath.Glob("../golden/*.config.yaml")
	if err != nil || len(paths) < 5 {
		t.Fatalf("golden configs: %v %v", paths, err)
	}
	for _, p := range paths {
		c, err := LoadFiles(p)
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.YAML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(out, ".")
		if err != nil {
			t.Errorf("%s: the printed config does not read back: %v\n%s", p, err, out)
			continue
		}
		if !sameConfig(c, back) {
			t.Errorf("%s: the printed config reads back to another config:\n%s\n got %+v\nwant %+v", p, out, back, c)
		}
	}
}

// TestPrintOmits: an existing VPC prints none of the keys of a built
// network; unset lists and empty strings are left out, an empty list is
// kept (vpc.endpoints: [] means none).
func TestPrintOmits(t *testing.T) {
	c, err := Parse([]byte(existing("")), ".")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := c.YAML()
	for _, k := range []string{"cidr", "azCount", "natGateways", "subnetMask", "endpoints", "flowLogs", "description", "certificateArn", "accessLogsDays"} {
		if strings.Contains(string(out), k+":") {
			t.Errorf("prints %s:\n%s", k, out)
		}
	}
	if !strings.Contains(string(out), "  id: "+vpcA+"\n  publicSubnetIds:\n    - "+pubA) {
		t.Errorf("the VPC is not printed:\n%s", out)
	}
	c, err = Parse([]byte("vpc: {endpoints: []}\ntags: {cost: '12'}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	out, _ = c.YAML()
	if !strings.Contains(string(out), "endpoints: []\n") || !strings.Contains(string(out), `cost: "12"`) {
		t.Errorf("an empty list or a number-like string is lost:\n%s", out)
	}
}

// sameConfig compares two configs, leaving out where they were read from.
func sameConfig(a, b *Config) bool {
	x, y := *a, *b
	x.node, y.node, x.src, y.src, x.Dir, y.Dir, x.File, y.File = nil, nil, nil, nil, "", "", "", ""
	x.Instances.UserData, y.Instances.UserData = a.path(a.Instances.UserData), b.path(b.Instances.UserData)
	if a.Instances.UserData == "" {
		x.Instances.UserData, y.Instances.UserData = "", b.Instances.UserData
	}
	return reflect.DeepEqual(x, y)
}

// ExampleLoadFiles lays a production overlay over a base config.
func ExampleLoadFiles() {
	c, err := LoadFiles("../golden/env.config.yaml", "../golden/env.prod.config.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.StackName, c.VPC.AZCount, c.VPC.Endpoints, c.Tags)
	// Output: web-prod 3 [ssm] map[env:prod team:web]
}
