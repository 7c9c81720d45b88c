package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/internal/testkit/faultproxy"
)

// TestPreflightOnMoto deploys, against moto through a proxy that logs
// every call, a config that asks for 3 AZs in us-west-1 (2 there), one
// with a certificate of another region, and one whose access-log bucket
// does not exist: each stops with what to change, before any
// CloudFormation call, and leaves no stack.
func TestPreflightOnMoto(t *testing.T) {
	p, cfn := proxyToMoto(t, faultproxy.Config{})
	dir := t.TempDir()
	write := func(name, text string) string {
		path := dir + "/" + name
		if err := writeFile(path, []byte(text)); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"zones", []string{"-c", write("az3.yaml", "vpc: {azCount: 3}\n"), "--region", "us-west-1"},
			"cfngen: hint: set vpc.azCount to 2 or less, or deploy to a region with 3 Availability Zones\n"},
		{"certificate", []string{"-c", write("cert.yaml", "loadBalancer: {certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'}\n")},
			"a load balancer in us-east-1 uses only certificates of us-east-1\n"},
		{"bucket", []string{"-c", "../../golden/access-logs.config.yaml"},
			"cfngen: error: access-log bucket my-alb-access-logs: no such bucket; create it in us-east-1"},
	}
	for _, tc := range cases {
		name := uniqueName("preflight-" + tc.name)
		code, _, stderr := runCLI(t, limit, append([]string{"deploy", "--yes", "--stack-name", name, "--endpoint-url", p.URL}, tc.args...)...)
		if code != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d, want 1 and %q:\n%s", tc.name, code, tc.want, stderr)
		}
		if s := stackStatus(t, cfn, name); s != "" {
			t.Errorf("%s: stack %s is %s", tc.name, name, s)
		}
	}
	// No call of the CloudFormation API that deploy uses went through.
	cfnCalls := map[string]bool{}
	api := reflect.TypeFor[deploy.API]()
	for i := range api.NumMethod() {
		cfnCalls[api.Method(i).Name] = true
	}
	p.Close()
	for _, e := range p.Log() {
		if cfnCalls[e.Action] {
			t.Errorf("a CloudFormation call: %s", e.Action)
		}
	}
}
