package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cfngen/cfngen/config"
)

// TestConfigCommand: cfngen config prints the effective config of the
// files laid over each other, which reads back to the same config; errors
// name the file and line (exit 2).
func TestConfigCommand(t *testing.T) {
	base, prod := "../../golden/env.config.yaml", "../../golden/env.prod.config.yaml"
	code, out, errOut := cli(t, "config", "-c", base, "--config", prod)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "# cfngen's effective config: the built-in stack, then "+base+", "+prod+"\n") {
		t.Errorf("no header naming the files:\n%s", out)
	}
	for _, want := range []string{"stackName: web-prod\n", "  azCount: 3\n", "  endpoints:\n    - ssm\n", "    heading: Production\n", "  env: prod\n", "  team: web\n", "  healthCheckPath: /index.html\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the effective config lacks %q:\n%s", want, out)
		}
	}
	back, err := config.Parse([]byte(out), ".")
	if err != nil {
		t.Fatalf("the printed config does not read back: %v", err)
	}
	want, err := config.LoadFiles(base, prod)
	if err != nil {
		t.Fatal(err)
	}
	if back.StackName != want.StackName || back.Instances.Count != 6 || len(back.VPC.Endpoints) != 1 || back.Tags["team"] != "web" {
		t.Errorf("read back: %+v", back)
	}

	code, out, _ = cli(t, "config")
	if code != 0 || !strings.Contains(out, "stackName: cfngen-web\n") {
		t.Errorf("the built-in config: exit %d\n%s", code, out)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("instances:\n  count: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"config", "-c", base, "-c", bad}, 2, "cfngen: error: " + bad + ":2: instances.count: 0 is outside 1 to 500"},
		{[]string{"config", "-c", base, "-c", ""}, 2, "cfngen: error: -c is empty"},
		{[]string{"validate", "-c", base, "-c", bad}, 2, bad + ":2: instances.count"},
		{[]string{"synth", "-c", base, "-c", prod, "--check", base}, 1, "regenerate it with: cfngen -c " + base + " -c " + prod + " > " + base},
	} {
		code, _, errOut := cli(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("cfngen %s: exit %d, want %d and %q:\n%s", strings.Join(tc.args, " "), code, tc.code, tc.want, errOut)
		}
	}
	// Layered, validate and synth build the same template as the golden.
	code, out, errOut = cli(t, "synth", "-c", base, "-c", prod)
	golden, err := os.ReadFile("../../golden/env.prod.yaml")
	if code != 0 || err != nil || out != string(golden) {
		t.Errorf("synth of the layered config differs from golden/env.prod.yaml (exit %d, %v):\n%s", code, err, errOut)
	}
}

// TestGivenParamsBadInput: --param values for an existing VPC or a
// hosted zone are checked before any AWS call: exit 2.
func TestGivenParamsBadInput(t *testing.T) {
	for _, tc := range []struct {
		config string
		params []string
		want   string
	}{
		{"existing-vpc", []string{"VpcId=vpc-nope"}, `--param VpcId: "vpc-nope" is not a VPC ID`},
		{"existing-vpc", []string{"PublicSubnetIds=subnet-0a1b2c3d4e5f60001,subnet-bad"}, `--param PublicSubnetIds: "subnet-bad" is not a subnet ID`},
		{"existing-vpc", []string{"PrivateSubnetIds=subnet-0a1b2c3d4e5f60011,subnet-0a1b2c3d4e5f60012,subnet-0a1b2c3d4e5f60013"},
			"--param PrivateSubnetIds: 3 subnets; the template picks 2 by index, as many as vpc.privateSubnetIds lists"},
		{"existing-vpc", []string{"PrivateSubnetIds=subnet-0a1b2c3d4e5f60011,subnet-0a1b2c3d4e5f60001"}, "--param: subnet subnet-0a1b2c3d4e5f60001 is given twice"},
		{"domain", []string{"HostedZoneId=/hostedzone/Z123"}, "--param HostedZoneId: write the ID without /hostedzone/: Z123"},
	} {
		cfn := &noAWS{}
		var out, errb strings.Builder
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
			connect: func(context.Context, *awsFlags, io.Writer) (*clients, error) {
				return &clients{cfn: cfn, region: "us-east-1", retries: new(atomic.Int64)}, nil
			}}
		args := []string{"deploy", "--yes", "-c", "../../golden/" + tc.config + ".config.yaml"}
		for _, p := range tc.params {
			args = append(args, "--param", p)
		}
		code := exitCode(&errb, e.run(context.Background(), args))
		if code != 2 || !strings.Contains(errb.String(), tc.want) || cfn.calls.Load() != 0 {
			t.Errorf("%v: exit %d, %d calls, want 2, none and %q:\n%s", tc.params, code, cfn.calls.Load(), tc.want, errb.String())
		}
	}
}

// TestGivenNotes: validate says what deploy checks of a given network and
// how the zone's ID reaches a template that names the zone by name.
func TestGivenNotes(t *testing.T) {
	for config, want := range map[string]string{
		"existing-vpc":       "cfngen: note: vpc.id: the stack goes into vpc-0a1b2c3d4e5f60718 and creates no network",
		"domain-certificate": "pass --parameter-overrides HostedZoneId=ID",
	} {
		code, out, errOut := cli(t, "validate", "-c", "../../golden/"+config+".config.yaml")
		if code != 0 || !strings.HasPrefix(out, "ok: ") || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr lacks %q:\n%s", config, code, want, errOut)
		}
	}
	if _, _, errOut := cli(t, "validate", "-c", "../../golden/domain.config.yaml"); strings.Contains(errOut, "HostedZoneId") {
		t.Errorf("a zone given by ID needs no note:\n%s", errOut)
	}
}
