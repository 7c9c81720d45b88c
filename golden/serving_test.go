package golden_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/cfnyaml"
)

func loadConfig(t *testing.T, s scenario) *config.Config {
	t.Helper()
	if s.config == "" {
		c := config.Default()
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c, err := config.Load(s.config)
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

// TestServesOnAWS reads every golden as CloudFormation runs it, for what
// makes a stack report success only once every instance serves: each
// instance and group waits for its subnet's way out (route-table
// association, default route when there is a NAT gateway, VPC endpoints)
// and signals unless the config opts out; the group's rolling update keeps
// desired in service and waits for the signals; the load balancer waits
// for the internet gateway; the health check's timeout is below its
// interval and its path is one the built-in page serves; an S3 gateway
// endpoint covers every private route table.
func TestServesOnAWS(t *testing.T) {
	for _, s := range scenarios(t) {
		t.Run(s.name, func(t *testing.T) {
			cfg := loadConfig(t, s)
			signal := cfg.Instances.Signal
			rs := resources(t, s)
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
					waits(r, []string{ref(path(r.props, "SubnetId"))})
					signals(r, 1)
				case "AWS::AutoScaling::AutoScalingGroup":
					sawTargets = true
					var subnets []string
					for _, sub := range items(path(r.props, "VPCZoneIdentifier")) {
						subnets = append(subnets, ref(sub))
					}
					waits(r, subnets)
					lo, hi, desired := number(t, r, "Properties", "MinSize"), number(t, r, "Properties", "MaxSize"), number(t, r, "Properties", "DesiredCapacity")
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
					if !slices.Contains(deps, "InternetGatewayAttachment") || publicRoute == "" || !slices.Contains(deps, publicRoute) {
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
			if !sawTargets || !sawLB || !sawTG || len(s3Tables) == 0 {
				t.Errorf("no instances, load balancer, target group or S3 gateway endpoint to check")
			}
		})
	}
}
