package graph_test

import (
	"os"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/graph"
	"github.com/cfngen/cfngen/internal/testkit/golden"
	"github.com/cfngen/cfngen/template"
)

// planScenario is a change from the six-instances golden to four
// instances with HTTPS, a NAT gateway per zone and a bigger root volume,
// with the change set CloudFormation computes for it.
func planScenario(t *testing.T) (body []byte, plan *graph.Plan) {
	t.Helper()
	c, err := config.Load("../golden/six-instances.config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c.Instances.Count = 4
	c.Instances.RootVolumeGiB = 30
	c.VPC.NATGateways = 2
	c.LoadBalancer.CertificateArn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
	st, err := template.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	if body, err = st.YAML(); err != nil {
		t.Fatal(err)
	}
	prev, err := os.ReadFile("../golden/six-instances.yaml")
	if err != nil {
		t.Fatal(err)
	}
	change := func(action, id, typ, replacement string) graph.Change {
		return graph.Change{Action: action, LogicalID: id, Type: typ, Replacement: replacement}
	}
	return body, &graph.Plan{Previous: prev, Changes: []graph.Change{
		change("Add", "HTTPSListener", "AWS::ElasticLoadBalancingV2::Listener", ""),
		change("Add", "NatGateway2EIP", "AWS::EC2::EIP", ""),
		change("Add", "NatGateway2", "AWS::EC2::NatGateway", ""),
		change("Modify", "HTTPListener", "AWS::ElasticLoadBalancingV2::Listener", "False"),
		change("Modify", "LoadBalancerSecurityGroup", "AWS::EC2::SecurityGroup", "False"),
		change("Modify", "LaunchTemplate", "AWS::EC2::LaunchTemplate", "False"),
		change("Modify", "PrivateDefaultRoute2", "AWS::EC2::Route", "False"),
		change("Modify", "Instance1", "AWS::EC2::Instance", "Conditional"),
		change("Modify", "Instance2", "AWS::EC2::Instance", "Conditional"),
		change("Modify", "Instance3", "AWS::EC2::Instance", "True"),
		change("Modify", "Instance4", "AWS::EC2::Instance", "Conditional"),
		change("Remove", "Instance5", "AWS::EC2::Instance", ""),
		change("Remove", "Instance6", "AWS::EC2::Instance", ""),
	}}
}

// TestGoldenPlanSVG draws the plan on the picture: each change marked by
// its action in colour and in text, plumbing counted on what it serves,
// removed instances where they are now, and a legend with the counts.
func TestGoldenPlanSVG(t *testing.T) {
	body, plan := planScenario(t)
	svg := drawSVG(t, body, graph.Options{Title: "web-six", Plan: plan})
	doc := parseSVG(t, svg)
	for _, want := range []string{
		"Plan: 3 to add, 4 to modify, 4 to replace, 2 to remove",
		"+ HTTPS 443 → forward", "~ HTTP 80 → redirect to 443", // listeners, on the load balancer
		"~ 1 security group modified", "+ 1 Elastic IP added", "~ 1 route modified",
		"+ add", "~ modify", "-/+ replace", "-/+ may replace", "- remove",
	} {
		if !strings.Contains(doc.text, want) {
			t.Errorf("the plan does not say %q", want)
		}
	}
	if strings.Contains(doc.text, "Removed") {
		t.Error("removed instances are listed apart, though the previous template places them")
	}
	// Each removed instance is in its box, marked.
	for _, id := range []string{"Instance5", "Instance6"} {
		if !strings.Contains(doc.text, id) || !contains(doc.titles, id+" (AWS::EC2::Instance) - remove") {
			t.Errorf("%s is not drawn as removed: %q", id, doc.titles)
		}
	}
	checkAccounted(t, body, doc)
	golden.Check(t, *update, "testdata/plan.svg", svg)

	// Without the previous template, removed resources are listed apart.
	plan.Previous = nil
	doc = parseSVG(t, drawSVG(t, body, graph.Options{Title: "web-six", Plan: plan}))
	for _, want := range []string{"Removed", "- Instance5 (EC2::Instance)", "- Instance6 (EC2::Instance)"} {
		if !strings.Contains(doc.text, want) {
			t.Errorf("without the previous template, the plan does not say %q", want)
		}
	}
}

// TestPlanCounts: folded changes of one kind are counted together on what
// they serve, and an empty plan says so.
func TestPlanCounts(t *testing.T) {
	body, err := os.ReadFile("../golden/https.yaml")
	if err != nil {
		t.Fatal(err)
	}
	plan := &graph.Plan{Changes: []graph.Change{
		{Action: "Modify", LogicalID: "HTTPListener", Type: "AWS::ElasticLoadBalancingV2::Listener", Replacement: "False"},
		{Action: "Modify", LogicalID: "HTTPSListener", Type: "AWS::ElasticLoadBalancingV2::Listener", Replacement: "False"},
		{Action: "Modify", LogicalID: "PublicDefaultRoute", Type: "AWS::EC2::Route", Replacement: "False"},
		{Action: "Modify", LogicalID: "InstanceRole", Type: "AWS::IAM::Role", Replacement: "True"},
	}}
	doc := parseSVG(t, drawSVG(t, body, graph.Options{Plan: plan}))
	for _, want := range []string{
		"~ 2 listeners modified",  // on the load balancer
		"~ 1 route modified",      // on each public subnet, whose route table it is in
		"-/+ 1 IAM role replaced", // on the launch template, through the instance profile
		"~ modify\n3\n",           // the legend
		"-/+ replace\n1\n",
	} {
		if !strings.Contains(doc.text, want) {
			t.Errorf("the plan does not say %q:\n%s", want, doc.text)
		}
	}
	if n := strings.Count(doc.text, "~ 1 route modified"); n != 2 {
		t.Errorf("the route shows on %d subnets, want both public ones", n)
	}
	doc = parseSVG(t, drawSVG(t, body, graph.Options{Title: "web", Plan: &graph.Plan{}}))
	if !strings.Contains(doc.text, "Plan: no changes") {
		t.Errorf("an empty plan does not say no changes:\n%s", doc.text)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// TestPlanRemovesZone: from three zones to two, the third zone's subnets,
// NAT gateway and instance are drawn where they are, marked removed, with
// the plumbing removed with them counted on them.
func TestPlanRemovesZone(t *testing.T) {
	prev, err := os.ReadFile("../golden/3az-nat-per-az.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.Load("../golden/3az-nat-per-az.config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c.VPC.AZCount, c.VPC.NATGateways, c.Instances.Count = 2, 2, 2
	st, err := template.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	body, err := st.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var changes []graph.Change
	for id, typ := range map[string]string{
		"PublicSubnet3": "AWS::EC2::Subnet", "PrivateSubnet3": "AWS::EC2::Subnet",
		"PublicSubnet3RouteTableAssociation": "AWS::EC2::SubnetRouteTableAssociation", "PrivateSubnet3RouteTableAssociation": "AWS::EC2::SubnetRouteTableAssociation",
		"PrivateRouteTable3": "AWS::EC2::RouteTable", "PrivateDefaultRoute3": "AWS::EC2::Route",
		"NatGateway3": "AWS::EC2::NatGateway", "NatGateway3EIP": "AWS::EC2::EIP", "Instance3": "AWS::EC2::Instance",
	} {
		changes = append(changes, graph.Change{Action: "Remove", LogicalID: id, Type: typ})
	}
	doc := parseSVG(t, drawSVG(t, body, graph.Options{Title: "web-3az", Plan: &graph.Plan{Changes: changes, Previous: prev}}))
	for _, want := range []string{
		"Availability Zone 3", "Plan: 0 to add, 0 to modify, 0 to replace, 9 to remove",
		"- 1 route removed", "- 1 route table removed", "- 1 Elastic IP", // wrapped: "removed" on the next line
	} {
		if !strings.Contains(doc.text, want) {
			t.Errorf("the plan does not say %q", want)
		}
	}
	for _, id := range []string{"PublicSubnet3 (AWS::EC2::Subnet) - remove", "NatGateway3 (AWS::EC2::NatGateway) - remove", "Instance3 (AWS::EC2::Instance) - remove"} {
		if !contains(doc.titles, id) {
			t.Errorf("no box for %q", id)
		}
	}
	if strings.Contains(doc.text, "Removed") {
		t.Error("removed resources listed apart, though the previous template places them")
	}
}
