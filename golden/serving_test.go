package golden_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/golden"
)

func loadConfig(t *testing.T, s scenario) *config.Config {
	t.Helper()
	if s.config == "" {
		return config.Default()
	}
	c, err := config.LoadFiles(golden.Layers(s.config)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func ref(n *yaml.Node) string { return value(path(n, "Ref")) }

func dependsOn(r resource) []string {
	var out []string
	for _, d := range items(cfnyaml.Get(r.node, "DependsOn")) {
		out = append(out, d.Value)
	}
	return out
}

func number(t *testing.T, r resource, keys ...string) int {
	t.Helper()
	n, err := strconv.Atoi(value(path(r.node, keys...)))
	if err != nil {
		t.Errorf("%s: %s is not a number: %v", r.id, strings.Join(keys, "."), err)
	}
	return n
}

// TestServesOnAWS reads the template built from every config as CloudFormation runs it, for what
// makes a stack report success only once every instance serves: each
// instance and group waits for its subnet's way out (route-table
// association, default route when there is a NAT gateway, VPC endpoints)
// and signals unless the config opts out; the group's rolling update keeps
// desired in service and waits for the signals; the load balancer waits
// for the internet gateway; the health check's timeout is below its
// interval and its path is one the built-in page serves; an S3 gateway
// endpoint covers every private route table. In a VPC the stack does not
// own (existing.go), the network is given: see checkGivenNetwork.
func TestServesOnAWS(t *testing.T) {
	golden.Behaviour(t)
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			cfg := loadConfig(t, s)
			signal := cfg.Instances.Signal
			rs := resources(t, s)
			given := !slices.ContainsFunc(rs, func(r resource) bool { return r.typ == "AWS::EC2::VPC" })
			if given {
				checkGivenNetwork(t, s, rs)
			}
			assoc, tableOf := map[string]string{}, map[string]string{}
			defaultRoute := map[string]string{} // route table -> its 0.0.0.0/0 route
			publicRoute := ""
			var endpoints []string
			var s3Tables []string
			for _, r := range rs {
				switch r.typ {
				case "AWS::EC2::SubnetRouteTableAssociation":
					subnet := ref(path(r.props, "SubnetId"))
					assoc[subnet], tableOf[subnet] = r.id, ref(path(r.props, "RouteTableId"))
				case "AWS::EC2::Route":
					if value(path(r.props, "DestinationCidrBlock")) == "0.0.0.0/0" {
						defaultRoute[ref(path(r.props, "RouteTableId"))] = r.id
						if ref(path(r.props, "GatewayId")) != "" {
							publicRoute = r.id
						}
					}
				case "AWS::EC2::VPCEndpoint":
					endpoints = append(endpoints, r.id)
					if value(path(r.props, "VpcEndpointType")) == "Gateway" && strings.HasSuffix(value(path(r.props, "ServiceName", "Fn::Sub")), ".s3") {
						for _, rt := range items(path(r.props, "RouteTableIds")) {
							s3Tables = append(s3Tables, ref(rt))
						}
					}
				}
			}
			// wayOut is what an instance in subnet must wait for.
			wayOut := func(subnet string) []string {
				w := []string{assoc[subnet]}
				if r, ok := defaultRoute[tableOf[subnet]]; ok {
					w = append(w, r)
				} else if signal && !slices.Contains(endpoints, "CloudformationEndpoint") {
					t.Errorf("%s has no default route and no CloudFormation endpoint: its instances cannot signal", subnet)
				}
				return append(w, endpoints...)
			}
			waits := func(r resource, subnets []string) {
				t.Helper()
				if given {
					return // checkGivenNetwork
				}
				deps := dependsOn(r)
				for _, sub := range subnets {
					if !slices.Contains(s3Tables, tableOf[sub]) {
						t.Errorf("%s: no S3 gateway endpoint on %s, the route table of %s", r.id, tableOf[sub], sub)
					}
					for _, w := range wayOut(sub) {
						if !slices.Contains(deps, w) {
							t.Errorf("%s does not wait for %s (DependsOn %v)", r.id, w, deps)
						}
					}
				}
			}
			signals := func(r resource, count int) {
				t.Helper()
				rs := path(r.node, "CreationPolicy", "ResourceSignal")
				switch {
				case !signal && rs != nil:
					t.Errorf("%s waits for a signal though instances.signal is false", r.id)
				case signal && (rs == nil || value(path(rs, "Timeout")) == ""):
					t.Errorf("%s does not wait for its instances to signal", r.id)
				case signal && value(path(rs, "Count")) != strconv.Itoa(count):
					t.Errorf("%s waits for %s signals, want %d", r.id, value(path(rs, "Count")), count)
				}
			}
			sawTargets, sawLB, sawTG := false, false, false
			for _, r := range rs {
				switch r.typ {
				case "AWS::EC2::Instance":
					sawTargets = true
					waits(r, []string{subnetName(path(r.props, "SubnetId"))})
					signals(r, 1)
				case "AWS::AutoScaling::AutoScalingGroup":
					sawTargets = true
					var subnets []string
					for _, sub := range items(path(r.props, "VPCZoneIdentifier")) {
						subnets = append(subnets, subnetName(sub))
					}
					waits(r, subnets)
					lo, hi := number(t, r, "Properties", "MinSize"), number(t, r, "Properties", "MaxSize")
					// Without DesiredCapacity the group starts at min.
					desired := lo
					if path(r.props, "DesiredCapacity") != nil {
						desired = number(t, r, "Properties", "DesiredCapacity")
					}
					if cfg.Instances.AutoScaling.Desired == 0 && path(r.props, "DesiredCapacity") != nil {
						t.Errorf("%s has a DesiredCapacity the config does not set: every update would set the group back to it", r.id)
					}
					signals(r, desired)
					ru := path(r.node, "UpdatePolicy", "AutoScalingRollingUpdate")
					inService, batch := number(t, r, "UpdatePolicy", "AutoScalingRollingUpdate", "MinInstancesInService"), number(t, r, "UpdatePolicy", "AutoScalingRollingUpdate", "MaxBatchSize")
					if lo >= hi || inService != desired || inService >= hi || batch < 1 || desired+batch > hi {
						t.Errorf("%s: min %d, max %d, desired %d, %d in service, batches of %d: the rolling update does not keep desired in service", r.id, lo, hi, desired, inService, batch)
					}
					if (value(path(ru, "WaitOnResourceSignals")) == "true") != signal || value(path(ru, "PauseTime")) == "" {
						t.Errorf("%s: the rolling update does not wait as it should (signals %v)", r.id, signal)
					}
				case "AWS::EC2::LaunchTemplate":
					md := path(r.props, "LaunchTemplateData", "MetadataOptions")
					if (value(path(md, "InstanceMetadataTags")) == "enabled") != signal {
						t.Errorf("%s: instance metadata tags %q with signals %v; the script reads its stack from them", r.id, value(path(md, "InstanceMetadataTags")), signal)
					}
					script := value(path(r.props, "LaunchTemplateData", "UserData", "Fn::Base64"))
					if cfg.Instances.UserData == "" && !strings.Contains(script, "health_path='"+cfg.LoadBalancer.HealthCheckPath+"'\n") {
						t.Errorf("%s: the built-in script does not check the load balancer's health-check path", r.id)
					}
				case "AWS::ElasticLoadBalancingV2::LoadBalancer":
					sawLB = true
					deps := dependsOn(r)
					if !given && (!slices.Contains(deps, "InternetGatewayAttachment") || publicRoute == "" || !slices.Contains(deps, publicRoute)) {
						t.Errorf("%s does not wait for the internet gateway's attachment and route (DependsOn %v)", r.id, deps)
					}
				case "AWS::ElasticLoadBalancingV2::TargetGroup":
					sawTG = true
					interval, timeout := number(t, r, "Properties", "HealthCheckIntervalSeconds"), number(t, r, "Properties", "HealthCheckTimeoutSeconds")
					if timeout >= interval {
						t.Errorf("%s: health-check timeout %d s is not below the interval %d s", r.id, timeout, interval)
					}
					p, _, _ := strings.Cut(value(path(r.props, "HealthCheckPath")), "?")
					if cfg.Instances.UserData == "" && !slices.Contains(config.PagePaths, p) {
						t.Errorf("%s checks %s, which the built-in page does not serve", r.id, p)
					}
				}
			}
			if !sawTargets || !sawLB || !sawTG || len(s3Tables) == 0 && !given {
				t.Errorf("no instances, load balancer, target group or S3 gateway endpoint to check")
			}
		})
	}
}

// subnetName names the subnet n gives: the resource it refers to, or
// PARAMETER[i] for !Select [i, !Ref PARAMETER].
func subnetName(n *yaml.Node) string {
	if sel := items(path(n, "Fn::Select")); len(sel) == 2 && ref(sel[1]) != "" {
		return ref(sel[1]) + "[" + value(sel[0]) + "]"
	}
	return ref(n)
}

// networkTypes are the resources of a network; a stack in a VPC it does
// not own creates none of them, nor changes the network's routes, name
// resolution or logging.
var networkTypes = []string{
	"AWS::EC2::VPC", "AWS::EC2::Subnet", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment",
	"AWS::EC2::RouteTable", "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::NatGateway",
	"AWS::EC2::EIP", "AWS::EC2::VPCEndpoint", "AWS::EC2::FlowLog", "AWS::EC2::NetworkAcl", "AWS::EC2::VPCDHCPOptionsAssociation",
}

// checkGivenNetwork checks a template for a VPC it does not own: it takes
// the VPC and the subnets as parameters of their AWS types, with the
// config's IDs as defaults; it creates no part of the network; the load
// balancer uses every public subnet and the instances every private one,
// picked by an index within the list; and nothing in the VPC waits for a
// resource of the network.
func checkGivenNetwork(t *testing.T, s scenario, rs []resource) {
	t.Helper()
	cfg := loadConfig(t, s)
	doc, err := cfnyaml.Parse(built(t, s))
	if err != nil {
		t.Fatal(err)
	}
	params := cfnyaml.Get(doc, "Parameters")
	want := map[string]struct {
		typ string
		ids []string
	}{
		"VpcId":            {"AWS::EC2::VPC::Id", []string{cfg.VPC.ID}},
		"PublicSubnetIds":  {"List<AWS::EC2::Subnet::Id>", cfg.VPC.PublicSubnetIDs},
		"PrivateSubnetIds": {"List<AWS::EC2::Subnet::Id>", cfg.VPC.PrivateSubnetIDs},
	}
	for name, w := range want {
		p := cfnyaml.Get(params, name)
		if value(path(p, "Type")) != w.typ || value(path(p, "Default")) != strings.Join(w.ids, ",") {
			t.Errorf("parameter %s: type %q, default %q; want %s with the config's %v", name, value(path(p, "Type")), value(path(p, "Default")), w.typ, w.ids)
		}
	}
	used := map[string][]string{}
	for _, r := range rs {
		if slices.Contains(networkTypes, r.typ) {
			t.Errorf("%s: the stack creates a %s in a network it does not own", r.id, r.typ)
		}
		for _, d := range dependsOn(r) {
			if !slices.ContainsFunc(rs, func(x resource) bool { return x.id == d }) {
				t.Errorf("%s waits for %s, which the template does not hold", r.id, d)
			}
		}
		var subnets []*yaml.Node
		switch r.typ {
		case "AWS::EC2::Instance":
			subnets = []*yaml.Node{path(r.props, "SubnetId")}
		case "AWS::AutoScaling::AutoScalingGroup":
			subnets = items(path(r.props, "VPCZoneIdentifier"))
		case "AWS::ElasticLoadBalancingV2::LoadBalancer":
			subnets = items(path(r.props, "Subnets"))
		}
		for _, sub := range subnets {
			name := subnetName(sub)
			list, idx, ok := strings.Cut(strings.TrimSuffix(name, "]"), "[")
			if !ok || (r.typ == "AWS::ElasticLoadBalancingV2::LoadBalancer") != (list == "PublicSubnetIds") || list != "PublicSubnetIds" && list != "PrivateSubnetIds" {
				t.Errorf("%s is in %s, not picked from its subnet list", r.id, name)
				continue
			}
			used[list] = append(used[list], idx)
		}
	}
	for _, list := range []string{"PublicSubnetIds", "PrivateSubnetIds"} {
		var all []string
		for i := range want[list].ids {
			all = append(all, strconv.Itoa(i))
		}
		if got := slices.Compact(slices.Sorted(slices.Values(used[list]))); !slices.Equal(got, all) {
			t.Errorf("%s: the template picks the subnets %v, want each of %v", list, got, all)
		}
	}
}
