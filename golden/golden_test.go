// Package golden_test checks the committed templates in this directory:
// default.yaml is the built-in stack, and NAME.yaml is the template of
// NAME.config.yaml; NAME.ENV.config.yaml is an overlay on NAME.config.yaml
// (cfngen -c NAME.config.yaml -c NAME.ENV.config.yaml). Run make golden
// after an intended change.
package golden_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/golden"
	"github.com/cfngen/cfngen/template"
)

// update rewrites the golden templates: make golden.
var update = flag.Bool("update", false, "rewrite the golden templates with the current output")

// scenario is one golden: a config (nil for the default) and its template.
type scenario struct {
	name   string
	config string // path of the config file; "" for the built-in stack
}

func scenarios(t *testing.T) []scenario {
	t.Helper()
	list := []scenario{{name: "default"}}
	files, err := filepath.Glob("*.config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		list = append(list, scenario{name: strings.TrimSuffix(f, ".config.yaml"), config: f})
	}
	if len(list) < 6 {
		t.Fatalf("found %d scenarios, want the default and at least 5 configs", len(list))
	}
	return list
}

func build(t *testing.T, s scenario) *template.Stack {
	t.Helper()
	st, err := template.Build(loadConfig(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// builtYAML caches the template built in this run from each scenario's
// config: the behaviour tests read it, not the committed golden, so that
// a regression fails a test that names it before anyone runs make golden.
var builtYAML sync.Map // scenario name -> []byte

// built returns the template that the code builds now for s.
func built(t *testing.T, s scenario) []byte {
	t.Helper()
	if b, ok := builtYAML.Load(s.name); ok {
		return b.([]byte)
	}
	b := yamlOf(t, build(t, s))
	builtYAML.Store(s.name, b)
	return b
}

// named returns the scenario of the golden called name.
func named(t *testing.T, name string) scenario {
	t.Helper()
	for _, s := range scenarios(t) {
		if s.name == name {
			return s
		}
	}
	t.Fatalf("no golden scenario %s", name)
	return scenario{}
}

func yamlOf(t *testing.T, st *template.Stack) []byte {
	t.Helper()
	out, err := st.YAML()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGolden(t *testing.T) {
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			golden.Check(t, *update, s.name+".yaml", built(t, s))
		})
	}
}

// TestDeterministic builds each template twice, from fresh configs: Go's
// map order must never reach the output.
func TestDeterministic(t *testing.T) {
	golden.Behaviour(t)
	for _, s := range scenarios(t) {
		a, b := yamlOf(t, build(t, s)), yamlOf(t, build(t, s))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two builds differ", s.name)
		}
	}
}

// TestRoundTrip parses each golden, and each template built now, and
// writes it again: same bytes.
func TestRoundTrip(t *testing.T) {
	for _, s := range scenarios(t) {
		for what, want := range map[string][]byte{"the golden": readGolden(t, s), "the built template": built(t, s)} {
			got, err := cfnyaml.Format(want)
			if err != nil {
				t.Fatalf("%s: %s: %v", s.name, what, err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: formatting %s changed it", s.name, what)
			}
		}
	}
}

// TestJSONEquivalent checks that the JSON form holds the same template.
func TestJSONEquivalent(t *testing.T) {
	golden.Behaviour(t)
	for _, s := range scenarios(t) {
		st := build(t, s)
		js, err := st.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(js, []byte(`\u003c`)) || bytes.Contains(js, []byte(`\u0026`)) {
			t.Errorf("%s: JSON output escapes HTML characters", s.name)
		}
		fromJSON, err := cfnyaml.Parse(js)
		if err != nil {
			t.Fatalf("%s: JSON does not parse: %v", s.name, err)
		}
		fromYAML, err := cfnyaml.Parse(yamlOf(t, st))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(plain(fromJSON), plain(fromYAML)) {
			t.Errorf("%s: the JSON and YAML forms hold different templates", s.name)
		}
	}
}

// plain turns a tree into Go values, dropping positions and styles.
func plain(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		var kv [][2]any // ordered
		for i := 0; i+1 < len(n.Content); i += 2 {
			kv = append(kv, [2]any{n.Content[i].Value, plain(n.Content[i+1])})
		}
		return kv
	case yaml.SequenceNode:
		var s []any
		for _, c := range n.Content {
			s = append(s, plain(c))
		}
		return s
	}
	return n.Tag + ":" + n.Value
}

// TestNoGoformationTraps looks in the template built from each config for
// the marks of goformation's intrinsic evaluation: a placeholder account,
// a resolved region or partition, null.
func TestNoGoformationTraps(t *testing.T) {
	golden.Behaviour(t)
	for _, s := range scenarios(t) {
		out := string(built(t, s))
		var cfgText string
		if s.config != "" {
			for _, f := range golden.Layers(s.config) {
				b, _ := os.ReadFile(f)
				cfgText += string(b)
			}
		}
		for _, bad := range []string{"123456789012", "us-east-1", "arn:aws:", "amazonaws.com/", "AWS::NoValue"} {
			if strings.Contains(out, bad) && !strings.Contains(cfgText, bad) {
				t.Errorf("%s: template contains %q", s.name, bad)
			}
		}
		if m := regexp.MustCompile(`(?m)(: |- )null$`).FindString(out); m != "" {
			t.Errorf("%s: template holds a null value", s.name)
		}
		switch creates := strings.Contains(out, "Type: AWS::EC2::Subnet\n"); {
		case creates && (strings.Contains(out, "Fn::GetAZs") || !strings.Contains(out, "!GetAZs ''")):
			t.Errorf("%s: Availability Zones are not picked with !Select [i, !GetAZs '']", s.name)
		case !creates && strings.Contains(out, "AvailabilityZone"):
			t.Errorf("%s: names an Availability Zone, though the subnets given decide them", s.name)
		}
	}
}

// TestCfnLint lints the template built from each config, in one run of
// cfn-lint: no errors, no warnings. (TestGolden holds the goldens to the
// same bytes.)
func TestCfnLint(t *testing.T) {
	golden.Behaviour(t)
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatal("cfn-lint not found on PATH: install it with `pip install cfn-lint==1.51.0`")
	}
	dir := t.TempDir()
	var files []string
	for _, s := range scenarios(t) {
		f := filepath.Join(dir, s.name+".yaml")
		if err := os.WriteFile(f, built(t, s), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable", "--"}, files...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Fatalf("cfn-lint: %v\n%s", err, out)
	}
}

func readGolden(t *testing.T, s scenario) []byte {
	t.Helper()
	b, err := os.ReadFile(s.name + ".yaml")
	if err != nil {
		t.Fatalf("%v; create it with: make golden", err)
	}
	return b
}

// TestDefaultIsTheArticlesStack lists, resource by resource, what the
// article builds, and checks the default template holds exactly that.
func TestDefaultIsTheArticlesStack(t *testing.T) {
	golden.Behaviour(t)
	want := map[string]string{
		"VPC": "AWS::EC2::VPC", "InternetGateway": "AWS::EC2::InternetGateway",
		"InternetGatewayAttachment": "AWS::EC2::VPCGatewayAttachment",
		"PublicSubnet1":             "AWS::EC2::Subnet", "PublicSubnet2": "AWS::EC2::Subnet",
		"PrivateSubnet1": "AWS::EC2::Subnet", "PrivateSubnet2": "AWS::EC2::Subnet",
		"PublicRouteTable": "AWS::EC2::RouteTable", "PublicDefaultRoute": "AWS::EC2::Route",
		"PublicSubnet1RouteTableAssociation":  "AWS::EC2::SubnetRouteTableAssociation",
		"PublicSubnet2RouteTableAssociation":  "AWS::EC2::SubnetRouteTableAssociation",
		"NatGateway1EIP":                      "AWS::EC2::EIP",
		"NatGateway1":                         "AWS::EC2::NatGateway",
		"PrivateRouteTable1":                  "AWS::EC2::RouteTable",
		"PrivateRouteTable2":                  "AWS::EC2::RouteTable",
		"PrivateDefaultRoute1":                "AWS::EC2::Route",
		"PrivateDefaultRoute2":                "AWS::EC2::Route",
		"PrivateSubnet1RouteTableAssociation": "AWS::EC2::SubnetRouteTableAssociation",
		"PrivateSubnet2RouteTableAssociation": "AWS::EC2::SubnetRouteTableAssociation",
		"LoadBalancerSecurityGroup":           "AWS::EC2::SecurityGroup",
		"InstanceSecurityGroup":               "AWS::EC2::SecurityGroup",
		"InstanceIngressFromLoadBalancer":     "AWS::EC2::SecurityGroupIngress",
		"InstanceRole":                        "AWS::IAM::Role",
		"InstanceProfile":                     "AWS::IAM::InstanceProfile",
		"LaunchTemplate":                      "AWS::EC2::LaunchTemplate",
		"Instance1":                           "AWS::EC2::Instance", "Instance2": "AWS::EC2::Instance",
		"LoadBalancer":      "AWS::ElasticLoadBalancingV2::LoadBalancer",
		"TargetGroup":       "AWS::ElasticLoadBalancingV2::TargetGroup",
		"HTTPListener":      "AWS::ElasticLoadBalancingV2::Listener",
		"S3GatewayEndpoint": "AWS::EC2::VPCEndpoint",
	}
	doc, err := cfnyaml.Parse(built(t, scenario{name: "default"}))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	res := cfnyaml.Get(doc, "Resources")
	for i := 0; i+1 < len(res.Content); i += 2 {
		got[res.Content[i].Value] = cfnyaml.Get(res.Content[i+1], "Type").Value
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("default resources:\n got %v\nwant %v", got, want)
	}
	var outputs []string
	out := cfnyaml.Get(doc, "Outputs")
	for i := 0; i < len(out.Content); i += 2 {
		outputs = append(outputs, out.Content[i].Value)
	}
	if strings.Join(outputs, " ") != "LoadBalancerDNS URL VPCId Instance1Id Instance2Id" {
		t.Errorf("outputs: %v", outputs)
	}
}
