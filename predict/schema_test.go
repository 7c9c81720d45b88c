package predict_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/predict"
)

// TestSnapshotCoversGoldens checks that the snapshot knows every resource
// type of every golden template, so that no prediction of cfngen's stacks
// falls back to "may be replaced" for want of a schema.
func TestSnapshotCoversGoldens(t *testing.T) {
	files, err := filepath.Glob("../golden/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, ".config.yaml") {
			continue
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := cfnyaml.Parse(body)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		res := cfnyaml.Get(doc, "Resources")
		for i := 1; i < len(res.Content); i += 2 {
			types[cfnyaml.Get(res.Content[i], "Type").Value] = true
		}
	}
	if len(types) < 20 {
		t.Fatalf("found %d resource types in %d goldens; want the whole stack", len(types), len(files))
	}
	snap := predict.Schemas()
	for typ := range types {
		if _, ok := snap.Types[typ]; !ok {
			t.Errorf("%s: not in schemas.json; add it to gen_schemas.py and run go generate ./predict/", typ)
		}
	}
	// And the types the next issues add.
	for _, typ := range []string{
		"AWS::EC2::VPCEndpoint", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::CertificateManager::Certificate",
		"AWS::Route53::RecordSet", "AWS::Logs::LogGroup", "AWS::EC2::FlowLog", "AWS::AutoScaling::LaunchConfiguration",
		"AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::IAM::Policy",
	} {
		if _, ok := snap.Types[typ]; !ok {
			t.Errorf("%s: not in schemas.json", typ)
		}
	}
	if got := snap.Types["AWS::EC2::Subnet"].CreateOnly; !strings.Contains(strings.Join(got, " "), "CidrBlock") {
		t.Errorf("AWS::EC2::Subnet create-only %v: want CidrBlock", got)
	}
}

// TestSnapshotIsFresh reruns the generator with the installed cfn-lint
// (the version that make test uses) and compares its output with the
// committed snapshot.
func TestSnapshotIsFresh(t *testing.T) {
	script, err := os.ReadFile("gen_schemas.py")
	if err != nil {
		t.Fatal(err)
	}
	pin := regexp.MustCompile(`(?m)^CFN_LINT = "([^"]+)"`).FindSubmatch(script)
	if pin == nil {
		t.Fatal("gen_schemas.py pins no cfn-lint version")
	}
	if got := predict.Schemas().CfnLint; got != string(pin[1]) {
		t.Fatalf("schemas.json comes from cfn-lint %s, gen_schemas.py pins %s: run go generate ./predict/", got, pin[1])
	}
	abs, err := filepath.Abs("gen_schemas.py")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("python3", abs)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3 gen_schemas.py: %v\n%s\n(install cfn-lint with: pip install cfn-lint==%s)", err, out, pin[1])
	}
	got, err := os.ReadFile(filepath.Join(dir, "schemas.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("schemas.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("schemas.json is not what gen_schemas.py writes; run go generate ./predict/ and review the diff")
	}
}
