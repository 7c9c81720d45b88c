package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDefaultIsValid(t *testing.T) {
	c := Default()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.VPC.AZCount != 2 || c.Instances.Count != 2 || c.VPC.NATGateways != 1 || c.Instances.Type != "t3.micro" {
		t.Errorf("default is not the article's stack: %+v", c)
	}
}

func TestParseOverridesDefault(t *testing.T) {
	c, err := Parse([]byte(`
stackName: prod-web
vpc: {cidr: 10.1.0.0/16, azCount: 3, natGateways: 3}
instances: {count: 4, type: t4g.small}
tags: {team: web}
`), "/etc/cfngen")
	if err != nil {
		t.Fatal(err)
	}
	if c.StackName != "prod-web" || c.VPC.AZCount != 3 || c.VPC.NATGateways != 3 || c.Instances.Count != 4 {
		t.Errorf("values not read: %+v", c)
	}
	if c.VPC.SubnetMask != 24 || c.LoadBalancer.HealthCheckPath != "/" {
		t.Errorf("defaults lost: %+v", c)
	}
	if c.ImageID() != AMIArm64 {
		t.Errorf("t4g.small got AMI %s, want the arm64 parameter", c.ImageID())
	}
	if c.Tags["team"] != "web" || c.Dir != "/etc/cfngen" {
		t.Errorf("tags or dir not read: %+v %q", c.Tags, c.Dir)
	}
}

// TestUserDataRead: the config reads the user-data template it names,
// from its own directory.
func TestUserDataRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "web.sh.tmpl"), []byte("#!/bin/sh\necho {{.Title}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Parse([]byte("instances: {userData: web.sh.tmpl, signal: false}"), dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Instances.UserDataTemplate != "#!/bin/sh\necho {{.Title}}\n" {
		t.Errorf("user data template %q", c.Instances.UserDataTemplate)
	}
}

func TestEmptyFileIsDefault(t *testing.T) {
	c, err := Parse([]byte("# nothing here\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if c.StackName != Default().StackName {
		t.Errorf("stack name %q", c.StackName)
	}
}

// TestBadConfigs: each bad config gives one error that names the key and
// says why.
func TestBadConfigs(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"empty.tmpl": 0, "large.tmpl": MaxUserDataBytes + 1} {
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkErrors(t, dir, []errorCase{
		{"unknown top key", "stackname: x", "stackname", "unknown key"},
		{"unknown nested key", "vpc: {cidrs: 10.0.0.0/16}", "vpc.cidrs", "unknown key"},
		{"repeated key", "stackName: a\nstackName: b", "stackName", "repeated key"},
		{"wrong type string", "stackName: 12", "stackName", "want a string, got the number 12"},
		{"wrong type int", "vpc: {azCount: two}", "vpc.azCount", `want a whole number, got the string "two"`},
		{"float count", "instances: {count: 2.5}", "instances.count", "want a whole number"},
		{"huge number", "instances: {count: 99999999999999999999}", "instances.count", ""},
		{"negative count", "instances: {count: -1}", "instances.count", "outside 1 to 500"},
		{"zero count", "instances: {count: 0}", "instances.count", "outside 1 to 500"},
		{"not a mapping", "vpc: 3", "vpc", "want a mapping"},
		{"list at top", "- a\n- b", "", "want a mapping"},
		{"bad stack name", "stackName: 1web", "stackName", "must start with a letter"},
		{"long stack name", "stackName: a" + strings.Repeat("b", 128), "stackName", "129 characters"},
		{"long description", "description: " + strings.Repeat("d", 1025), "description", "1025 bytes"},
		{"bad cidr", "vpc: {cidr: 10.0.0.0/33}", "vpc.cidr", "not an IPv4 CIDR"},
		{"ipv6 cidr", "vpc: {cidr: 'fd00::/56'}", "vpc.cidr", "not an IPv4 CIDR"},
		{"host bits", "vpc: {cidr: 10.0.0.1/16}", "vpc.cidr", "did you mean 10.0.0.0/16"},
		{"vpc too big", "vpc: {cidr: 10.0.0.0/8}", "vpc.cidr", "/16 to /28"},
		{"seven azs", "vpc: {azCount: 7}", "vpc.azCount", "outside 2 to 6"},
		{"one az", "vpc: {azCount: 1}", "vpc.azCount", "outside 2 to 6"},
		{"nat count", "vpc: {azCount: 3, natGateways: 2}", "vpc.natGateways", "want 0, 1 or one per AZ (3)"},
		{"subnets do not fit", "vpc: {cidr: 10.0.0.0/24, subnetMask: 26, azCount: 3}", "vpc.subnetMask", "6 subnets of /26 do not fit"},
		{"subnet larger than vpc", "vpc: {cidr: 10.0.0.0/20, subnetMask: 18}", "vpc.subnetMask", "larger than the /20 VPC"},
		{"subnet mask range", "vpc: {subnetMask: 29}", "vpc.subnetMask", "/16 to /28"},
		{"one list only", "vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/24]}", "vpc.privateSubnets", "set both lists"},
		{"subnet outside vpc", "vpc: {publicSubnets: [10.0.0.0/24, 10.1.0.0/24], privateSubnets: [10.0.2.0/24, 10.0.3.0/24]}", "vpc.publicSubnets[1]", "does not fit in the VPC"},
		{"overlapping subnets", "vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/24], privateSubnets: [10.0.2.0/24, 10.0.0.128/25]}", "vpc.privateSubnets[1]", "overlaps vpc.publicSubnets[0]"},
		{"flow log days", "vpc: {flowLogs: true, flowLogsDays: 2}", "vpc.flowLogsDays", "not a CloudWatch Logs retention"},
		{"flow logs not bool", "vpc: {flowLogs: yes please}", "vpc.flowLogs", "want true or false"},
		{"bad instance type", "instances: {type: 'big one'}", "instances.type", "not an instance type"},
		{"bad ami", "instances: {ami: ami-xyz}", "instances.ami", "neither an AMI ID"},
		{"small root volume", "instances: {rootVolumeGiB: 4}", "instances.rootVolumeGiB", "outside 8 to 16384"},
		{"missing user data", "instances: {userData: nope.tmpl}", "instances.userData", "cannot read nope.tmpl: no such file"},
		{"user data is a dir", "instances: {userData: adir}", "instances.userData", "not a regular file"},
		{"user data is a fifo", "instances: {userData: fifo}", "instances.userData", "fifo is not a regular file"},
		{"empty user data", "instances: {userData: empty.tmpl}", "instances.userData", "empty.tmpl is empty"},
		{"large user data", "instances: {userData: large.tmpl}", "instances.userData", "large.tmpl is larger than 65536 bytes"},
		{"bad var name", "instances: {vars: {my-var: x}}", "instances.vars.my-var", "letters, digits and _"},
		{"page title newline", "instances: {page: {title: \"a\\nb\"}}", "instances.page.title", "one line"},
		{"asg min zero", "instances: {autoScaling: {min: 0, max: 2}}", "instances.autoScaling.min", "outside 1 to 1000"},
		{"asg max below min", "instances: {autoScaling: {min: 3, max: 2}}", "instances.autoScaling.max", "outside min (3)"},
		{"asg two targets", "instances: {autoScaling: {min: 1, max: 2, targetCpuPercent: 50, targetRequestsPerTarget: 100}}", "instances.autoScaling", "not both"},
		{"health path", "loadBalancer: {healthCheckPath: health}", "loadBalancer.healthCheckPath", "starts with /"},
		{"health interval", "loadBalancer: {healthCheckIntervalSeconds: 3}", "loadBalancer.healthCheckIntervalSeconds", "outside 5 to 300"},
		{"not acm arn", "loadBalancer: {certificateArn: 'arn:aws:iam::111122223333:server-certificate/x'}", "loadBalancer.certificateArn", "not an ACM certificate ARN"},
		{"bad bucket", "loadBalancer: {accessLogsBucket: My_Bucket}", "loadBalancer.accessLogsBucket", "not an S3 bucket name"},
		{"tag value number", "tags: {cost: 12}", "tags.cost", "quote numbers"},
		{"empty tag value", "tags: {team: ''}", "tags.team", "1 to 256"},
		{"aws tag", "tags: {'aws:x': y}", "tags.aws:x", "reserved"},
		{"name tag", "tags: {Name: x}", "tags.Name", "cfngen sets the Name tag"},
		{"alias", "a: &x 1\nstackName: *x", "", "anchors and aliases are not allowed"},
		{"two documents", "stackName: a\n---\nstackName: b", "", "more than one YAML document"},
		{"not yaml", "stackName: [unclosed", "", "not valid YAML"},
		{"binary", "\x00\x01\x02", "", "NUL bytes"},
	})
}

// errorCase is a config and the error it gives: the key, and part of the
// reason.
type errorCase struct{ name, yaml, key, reason string }

// checkErrors parses each case's config, with dir for its files, and
// checks the error.
func checkErrors(t *testing.T, dir string, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), dir)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v (%T), want a *config.Error", err, err)
			}
			if ce.Key != tc.key {
				t.Errorf("key %q, want %q (error: %v)", ce.Key, tc.key, err)
			}
			if !strings.Contains(ce.Reason, tc.reason) {
				t.Errorf("reason %q does not say %q", ce.Reason, tc.reason)
			}
		})
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("description: "+strings.Repeat("x", MaxFileBytes)), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("stackName: web\nvpc:\n  azCount: nine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "missing.yaml: no such file"},
		{dir, ": is a directory"},
		{big, "big.yaml: larger than 1024 KiB"},
		{bad, `bad.yaml:3: vpc.azCount: want a whole number, got the string "nine"`},
	} {
		_, err := Load(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s) = %v, want it to say %q", tc.path, err, tc.want)
		}
	}
}

// TestValueErrorsHaveLines: an error about a value names the line of its
// key, or of the nearest enclosing key the file sets.
func TestValueErrorsHaveLines(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		yaml, want string
	}{
		{"stackName: web\nvpc:\n  azCount: 7\n", ":3: vpc.azCount: 7 is outside 2 to 6"},
		{"vpc:\n  cidr: 10.0.0.0/22\n  azCount: 3\n", ":1: vpc.subnetMask: 6 subnets of /24 do not fit"},
		{"vpc:\n  publicSubnets:\n    - 10.0.0.0/24\n    - 10.1.0.0/24\n  privateSubnets: [10.0.2.0/24, 10.0.3.0/24]\n", ":4: vpc.publicSubnets[1]: 10.1.0.0/24 does not fit"},
		{"tags:\n  a: x\n  a.b: ''\n", ":3: tags.a.b: a tag value is 1 to 256 characters"},
		{"\n\ninstances:\n  type: t3.micro\n  autoScaling:\n    min: 3\n    max: 2\n", ":7: instances.autoScaling.max: 2 is outside min (3)"},
		{"instances: {userData: gone.tmpl}\n", ":1: instances.userData: cannot read gone.tmpl"},
		{"loadBalancer:\n  healthCheckPath: health\n", ":2: loadBalancer.healthCheckPath:"},
	} {
		path := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(path, []byte(tc.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+tc.want) {
			t.Errorf("%q: got %v, want %s%s", tc.yaml, err, path, tc.want)
		}
	}
}

func TestLine(t *testing.T) {
	c, err := Parse([]byte("stackName: web\ntags:\n  a: x\n  a.b: y\nvpc:\n  privateSubnets:\n  - 10.0.2.0/24\n  - 10.0.3.0/24\n  publicSubnets: [10.0.0.0/24, 10.0.1.0/24]\n"), ".")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{
		"stackName": 1, "tags": 2, "tags.a": 3, "tags.a.b": 4, "tags.c": 2, "vpc.privateSubnets[1]": 8,
		"vpc.privateSubnets[7]": 6, "vpc.publicSubnets[0]": 9, "vpc.cidr": 5, "instances.count": 0, "": 0,
	} {
		if got := c.Line(key); got != want {
			t.Errorf("Line(%q) = %d, want %d", key, got, want)
		}
	}
	if Default().Line("stackName") != 0 {
		t.Error("the built-in config has lines")
	}
}

// TestImageArchitecture: Graviton types, a1 (Graviton 1) included, get the
// arm64 image; the others the x86_64 one.
func TestImageArchitecture(t *testing.T) {
	for typ, want := range map[string]string{
		"a1.medium": AMIArm64, "a1.metal": AMIArm64, "t4g.micro": AMIArm64, "m7g.large": AMIArm64,
		"c7gn.xlarge": AMIArm64, "x2gd.large": AMIArm64, "im4gn.large": AMIArm64, "g5g.xlarge": AMIArm64, "r8g.large": AMIArm64,
		"t3.micro": AMIx86, "m7i.large": AMIx86, "c7a.large": AMIx86, "m5.large": AMIx86, "t2.nano": AMIx86, "inf2.xlarge": AMIx86,
	} {
		c := Default()
		c.Instances.Type = typ
		if got := c.ImageID(); got != want {
			t.Errorf("%s: image %s, want %s", typ, got, want)
		}
	}
}
