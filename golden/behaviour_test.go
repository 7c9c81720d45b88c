package golden_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/golden"
	"github.com/cfngen/cfngen/template"
)

// This file checks, on the template built from each config in the same
// run, what the README promises beyond security (security_test.go) and
// serving (serving_test.go): the outputs of each mode, the page, where
// resource attributes sit, and which Availability Zone each subnet, NAT
// gateway and route is in. The goldens stay the drift check.

// outputs returns the outputs of a built template: name -> Value node, and
// the names in order.
func outputs(t *testing.T, doc *yaml.Node) (map[string]*yaml.Node, []string) {
	t.Helper()
	out := cfnyaml.Get(doc, "Outputs")
	vals, names := map[string]*yaml.Node{}, []string{}
	for i := 0; out != nil && i+1 < len(out.Content); i += 2 {
		name, o := out.Content[i].Value, out.Content[i+1]
		if value(path(o, "Description")) == "" {
			t.Errorf("output %s has no description", name)
		}
		vals[name], names = path(o, "Value"), append(names, name)
	}
	return vals, names
}

// TestOutputsPerMode: every stack outputs the load balancer's DNS name,
// its URL (https with a certificate or domain, the domain itself when
// set) and the VPC; fixed instances output one ID each, in order, and an
// Auto Scaling group outputs its name and no instance.
func TestOutputsPerMode(t *testing.T) {
	golden.Behaviour(t)
	modes := map[bool]int{}
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			cfg := loadConfig(t, s)
			doc, err := cfnyaml.Parse(built(t, s))
			if err != nil {
				t.Fatal(err)
			}
			vals, names := outputs(t, doc)
			if getAtt(vals["LoadBalancerDNS"]) != "LoadBalancer.DNSName" {
				t.Errorf("LoadBalancerDNS is not the load balancer's DNS name")
			}
			url := value(path(vals["URL"], "Fn::Sub"))
			switch {
			case cfg.LoadBalancer.DomainName != "":
				url = value(vals["URL"])
				if url != "https://"+cfg.LoadBalancer.DomainName {
					t.Errorf("URL %q, want https://%s", url, cfg.LoadBalancer.DomainName)
				}
			case cfg.HTTPS():
				if url != "https://${LoadBalancer.DNSName}" {
					t.Errorf("URL %q, want https on the load balancer's name", url)
				}
			default:
				if url != "http://${LoadBalancer.DNSName}" {
					t.Errorf("URL %q, want http on the load balancer's name", url)
				}
			}
			wantVPC := "VPC"
			if cfg.ExistingVPC() {
				wantVPC = "VpcId"
			}
			if got := ref(vals["VPCId"]); got != wantVPC {
				t.Errorf("VPCId refers to %q, want %s", got, wantVPC)
			}
			want := []string{"LoadBalancerDNS", "URL", "VPCId"}
			autoScaling := cfg.Instances.AutoScaling != nil
			modes[autoScaling]++
			if autoScaling {
				want = append(want, "AutoScalingGroupName")
				if ref(vals["AutoScalingGroupName"]) != "AutoScalingGroup" {
					t.Errorf("AutoScalingGroupName does not name the group")
				}
			} else {
				for i := 1; i <= cfg.Instances.Count; i++ {
					id := fmt.Sprintf("Instance%d", i)
					want = append(want, id+"Id")
					if ref(vals[id+"Id"]) != id {
						t.Errorf("%sId does not give %s's ID", id, id)
					}
				}
			}
			if !slices.Equal(names, want) {
				t.Errorf("outputs %v, want %v", names, want)
			}
		})
	}
	if modes[true] == 0 || modes[false] == 0 {
		t.Errorf("the goldens hold %d Auto Scaling and %d fixed-instance configs; want both modes", modes[true], modes[false])
	}
}

// pageLines are the lines of the built-in page; the instance fills in the
// values (template/userdata_run_test.go runs the script).
var pageLines = []string{
	`<head><meta charset="utf-8"><title>$title</title></head>`, "<h1>$heading</h1>",
	"<p><b>Instance ID:</b> $instance_id</p>",
	"<p><b>Availability Zone:</b> $zone</p>",
	"<p><b>Private hostname:</b> $hostname</p>",
	"<p><b>Private IPv4:</b> $ipv4</p>",
}

// TestUserDataAndPage: the launch template carries the script rendered
// from the config, and the built-in script writes every line of the page
// with the config's title and heading.
func TestUserDataAndPage(t *testing.T) {
	golden.Behaviour(t)
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			cfg := loadConfig(t, s)
			want, err := template.RenderUserData(cfg)
			if err != nil {
				t.Fatal(err)
			}
			var script string
			for _, r := range resources(t, s) {
				if r.typ == "AWS::EC2::LaunchTemplate" {
					script = value(path(r.props, "LaunchTemplateData", "UserData", "Fn::Base64"))
				}
			}
			if script != want {
				t.Fatalf("the launch template's user data is not the script rendered from the config")
			}
			if cfg.Instances.UserData != "" {
				return // the user's own script
			}
			for _, line := range pageLines {
				if !strings.Contains(script, "\n"+line+"\n") {
					t.Errorf("the page lacks the line %s", line)
				}
			}
			for name, text := range map[string]string{"title": cfg.Instances.Page.Title, "heading": cfg.Instances.Page.Heading} {
				if strings.ContainsAny(text, `'&<>"\`) {
					continue // escaped and quoted: template/userdata_test.go
				}
				if !strings.Contains(script, "\n"+name+"='"+text+"'\n") {
					t.Errorf("the page's %s is not %q", name, text)
				}
			}
		})
	}
}

// TestResourceAttributes: Metadata, DependsOn, Condition, DeletionPolicy
// and the policies sit beside Type and Properties, in the writer's order,
// never inside Properties; a resource holds nothing else.
func TestResourceAttributes(t *testing.T) {
	golden.Behaviour(t)
	order := []string{"Type", "Condition", "DependsOn", "CreationPolicy", "UpdatePolicy",
		"UpdateReplacePolicy", "DeletionPolicy", "Metadata", "Properties"}
	seen := map[string]bool{}
	for _, s := range scenarios(t) {
		for _, r := range resources(t, s) {
			last := -1
			for i := 0; i+1 < len(r.node.Content); i += 2 {
				k := r.node.Content[i].Value
				at := slices.Index(order, k)
				switch {
				case at < 0:
					t.Errorf("%s: %s: %s is not a resource attribute", s.name, r.id, k)
				case at <= last:
					t.Errorf("%s: %s: %s is out of place (want the order %v)", s.name, r.id, k, order)
				}
				last, seen[k] = at, true
			}
			for _, k := range order[2 : len(order)-1] {
				if cfnyaml.Get(r.props, k) != nil {
					t.Errorf("%s: %s: %s inside Properties, where CloudFormation and the scanners do not read it", s.name, r.id, k)
				}
			}
		}
	}
	for _, k := range []string{"Metadata", "DependsOn", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy"} {
		if !seen[k] {
			t.Errorf("no golden config builds a resource with %s: the check above never ran on it", k)
		}
	}
}

// TestAvailabilityZones builds 2 to 6 AZs with no, one and a NAT gateway
// per AZ: public and private subnet i are in AZ i (!Select [i-1, !GetAZs
// ”]), NAT gateway i is in public subnet i, private subnet i uses private
// route table i, whose default route goes to NAT gateway i (the only one
// when there is one), and instances and the load balancer span every AZ.
func TestAvailabilityZones(t *testing.T) {
	golden.Behaviour(t)
	for az := 2; az <= 6; az++ {
		for _, nat := range []int{0, 1, az} {
			t.Run(fmt.Sprintf("%daz-%dnat", az, nat), func(t *testing.T) {
				c := config.Default()
				c.VPC.AZCount, c.VPC.NATGateways, c.Instances.Count = az, nat, az+1
				if err := c.Validate(); err != nil {
					t.Fatal(err)
				}
				st, err := template.Build(c)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := cfnyaml.Parse(yamlOf(t, st))
				if err != nil {
					t.Fatal(err)
				}
				res := cfnyaml.Get(doc, "Resources")
				get := func(id string) *yaml.Node {
					r := cfnyaml.Get(res, id)
					if r == nil {
						t.Fatalf("no resource %s", id)
					}
					return path(r, "Properties")
				}
				count := map[string]int{}
				for i := 0; i+1 < len(res.Content); i += 2 {
					count[value(path(res.Content[i+1], "Type"))]++
				}
				if count["AWS::EC2::Subnet"] != 2*az || count["AWS::EC2::NatGateway"] != nat || count["AWS::EC2::RouteTable"] != az+1 {
					t.Errorf("%d subnets, %d NAT gateways, %d route tables; want %d, %d, %d",
						count["AWS::EC2::Subnet"], count["AWS::EC2::NatGateway"], count["AWS::EC2::RouteTable"], 2*az, nat, az+1)
				}
				var lbSubnets []string
				for _, sub := range items(path(get("LoadBalancer"), "Subnets")) {
					lbSubnets = append(lbSubnets, ref(sub))
				}
				for i := 1; i <= az; i++ {
					for _, kind := range []string{"Public", "Private"} {
						id := fmt.Sprintf("%sSubnet%d", kind, i)
						sel := items(path(get(id), "AvailabilityZone", "Fn::Select"))
						if len(sel) != 2 || value(sel[0]) != fmt.Sprint(i-1) || path(sel[1], "Fn::GetAZs") == nil || value(path(sel[1], "Fn::GetAZs")) != "" {
							t.Errorf("%s is not in AZ %d: want !Select [%d, !GetAZs '']", id, i, i-1)
						}
						table := "PublicRouteTable"
						if kind == "Private" {
							table = fmt.Sprintf("PrivateRouteTable%d", i)
						}
						a := get(id + "RouteTableAssociation")
						if ref(path(a, "SubnetId")) != id || ref(path(a, "RouteTableId")) != table {
							t.Errorf("%s is associated with %s, want %s", id, ref(path(a, "RouteTableId")), table)
						}
					}
					if !slices.Contains(lbSubnets, fmt.Sprintf("PublicSubnet%d", i)) {
						t.Errorf("the load balancer is not in PublicSubnet%d (it is in %v)", i, lbSubnets)
					}
					if i <= nat && ref(path(get(fmt.Sprintf("NatGateway%d", i)), "SubnetId")) != fmt.Sprintf("PublicSubnet%d", i) {
						t.Errorf("NatGateway%d is not in PublicSubnet%d", i, i)
					}
					route := cfnyaml.Get(res, fmt.Sprintf("PrivateDefaultRoute%d", i))
					if nat == 0 {
						if route != nil {
							t.Errorf("PrivateDefaultRoute%d exists without a NAT gateway", i)
						}
						continue
					}
					want := fmt.Sprintf("NatGateway%d", (i-1)%nat+1)
					rp := path(route, "Properties")
					if ref(path(rp, "RouteTableId")) != fmt.Sprintf("PrivateRouteTable%d", i) || value(path(rp, "DestinationCidrBlock")) != "0.0.0.0/0" || ref(path(rp, "NatGatewayId")) != want {
						t.Errorf("PrivateDefaultRoute%d: table %s, %s to %s; want PrivateRouteTable%d, 0.0.0.0/0 to %s",
							i, ref(path(rp, "RouteTableId")), value(path(rp, "DestinationCidrBlock")), ref(path(rp, "NatGatewayId")), i, want)
					}
				}
				for i := 1; i <= az+1; i++ {
					want := fmt.Sprintf("PrivateSubnet%d", (i-1)%az+1)
					if got := ref(path(get(fmt.Sprintf("Instance%d", i)), "SubnetId")); got != want {
						t.Errorf("Instance%d is in %s, want %s", i, got, want)
					}
				}
			})
		}
	}
}
