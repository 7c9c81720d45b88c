package config

import (
	"slices"
	"testing"
)

// TestServingErrors: values AWS would refuse at create time, or that
// would leave a stack that never serves, are errors naming the key.
func TestServingErrors(t *testing.T) {
	checkErrors(t, t.TempDir(), []errorCase{
		{"timeout not below interval", "loadBalancer: {healthCheckIntervalSeconds: 5}", "loadBalancer.healthCheckTimeoutSeconds", "not less than healthCheckIntervalSeconds (5)"},
		{"timeout equals interval", "loadBalancer: {healthCheckIntervalSeconds: 10, healthCheckTimeoutSeconds: 10}", "loadBalancer.healthCheckTimeoutSeconds", "below the interval"},
		{"timeout range", "loadBalancer: {healthCheckTimeoutSeconds: 1}", "loadBalancer.healthCheckTimeoutSeconds", "outside 2 to 120"},
		{"healthy threshold", "loadBalancer: {healthyThreshold: 1}", "loadBalancer.healthyThreshold", "outside 2 to 10"},
		{"unhealthy threshold", "loadBalancer: {unhealthyThreshold: 11}", "loadBalancer.unhealthyThreshold", "outside 2 to 10"},
		{"deregistration delay", "loadBalancer: {deregistrationDelaySeconds: 3601}", "loadBalancer.deregistrationDelaySeconds", "outside 0 to 3600"},
		{"path not served", "loadBalancer: {healthCheckPath: /health.html}", "loadBalancer.healthCheckPath", "the built-in page serves only / and /index.html"},
		{"min equals max", "instances: {autoScaling: {min: 3, max: 3}}", "instances.autoScaling.max", "set max to at least 4"},
		{"one instance group", "instances: {autoScaling: {min: 1, max: 1}}", "instances.autoScaling.max", "equals min"},
		{"desired equals max", "instances: {autoScaling: {min: 2, max: 4, desired: 4}}", "instances.autoScaling.desired", "set desired below max (4)"},
		{"pause too long", "instances: {signal: false, autoScaling: {min: 1, max: 2, gracePeriodSeconds: 3600}}", "instances.autoScaling.gracePeriodSeconds", "3630 s here"},
		{"signal timeout zero", "instances: {signalTimeoutMinutes: 0}", "instances.signalTimeoutMinutes", "outside 1 to 60"},
		{"signal timeout long", "instances: {signalTimeoutMinutes: 61}", "instances.signalTimeoutMinutes", "outside 1 to 60"},
		{"signal not bool", "instances: {signal: maybe}", "instances.signal", "want true or false"},
		{"s3 interface endpoint", "vpc: {endpoints: [ssm, s3]}", "vpc.endpoints[1]", "always has an S3 gateway endpoint"},
		{"unknown endpoint", "vpc: {endpoints: [sms]}", "vpc.endpoints[0]", "want one of cloudformation"},
		{"endpoint twice", "vpc: {endpoints: [ssm, ssm]}", "vpc.endpoints[1]", "listed twice"},
		{"no nat without cloudformation", "vpc: {natGateways: 0, endpoints: [ssm]}", "vpc.endpoints", "add cloudformation (about $0.01 per AZ-hour)"},
		{"endpoints not a list", "vpc: {endpoints: ssm}", "vpc.endpoints", "want a list of strings"},
		{"two access-log buckets", "loadBalancer: {accessLogsBucket: my-logs, createAccessLogsBucket: true}", "loadBalancer.createAccessLogsBucket", "not both"},
		{"days without bucket", "loadBalancer: {accessLogsDays: 30}", "loadBalancer.accessLogsDays", "only to the bucket the stack creates"},
		{"days range", "loadBalancer: {createAccessLogsBucket: true, accessLogsDays: 3651}", "loadBalancer.accessLogsDays", "outside 1 to 3650"},
		{"small public subnets", "vpc: {subnetMask: 28}", "vpc.subnetMask", "/28 is too small for the load balancer"},
		{"small explicit public subnet", "vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/28], privateSubnets: [10.0.2.0/24, 10.0.3.0/24]}", "vpc.publicSubnets[1]", "/27 or larger"},
		{"grace period zero", "instances: {autoScaling: {min: 2, max: 4, gracePeriodSeconds: 0}}", "instances.autoScaling.gracePeriodSeconds", "0 is outside 120 to 7200: ELB health checks would count against instances still booting"},
		{"grace period short", "instances: {autoScaling: {min: 2, max: 4, gracePeriodSeconds: 119}}", "instances.autoScaling.gracePeriodSeconds", "outside 120 to 7200"},
		{"private subnet too small", "vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/24], privateSubnets: [10.0.2.0/28, 10.0.3.0/24]}\ninstances: {count: 24}", "vpc.privateSubnets[0]",
			"10.0.2.0/28 holds 11 addresses (AWS keeps 5 of every subnet) but needs 12: 12 instances, its share of instances.count (24 round-robin over 2 AZs), and 0 for interface endpoints"},
		{"carved subnets too small", "vpc: {subnetMask: 27, natGateways: 0}\ninstances: {count: 47}", "vpc.subnetMask", "needs 28: 24 instances"},
		{"group too large for its subnets", "vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/24], privateSubnets: [10.0.2.0/24, 10.0.3.0/28]}\ninstances: {autoScaling: {min: 2, max: 20}}", "vpc.privateSubnets[1]",
			"needs 12: 12 instances, its share of instances.autoScaling.max (20 over 2 AZs) and 10% for rebalancing"},
		{"lower-case name tag", "tags: {name: x}", "tags.name", "compared without case"},
		{"upper-case name tag", "tags: {NAME: x}", "tags.NAME", "cfngen sets the Name tag"},
		{"keys equal without case", "tags: {team: a, Team: b}", "tags.team", "the same key as tags.Team"},
		{"space in key while signalling", "tags: {'cost center': x}", "tags.cost center", "no spaces or /"},
		{"slash in key while signalling", "tags: {'team/app': x}", "tags.team/app", "set instances.signal: false"},
		{"index key while signalling", "tags: {_index: x}", "tags._index", "instance metadata"},
	})
}

// TestServingAccepted: the neighbours of the refused values pass.
func TestServingAccepted(t *testing.T) {
	for _, y := range []string{
		"instances: {autoScaling: {min: 3, max: 4}}",
		"instances: {autoScaling: {min: 1, max: 2, desired: 1, gracePeriodSeconds: 3570}, signal: false}",
		"loadBalancer: {healthCheckIntervalSeconds: 6, healthCheckTimeoutSeconds: 5, healthyThreshold: 10, unhealthyThreshold: 2, deregistrationDelaySeconds: 0}",
		"loadBalancer: {healthCheckPath: '/index.html?probe=alb'}",
		"loadBalancer: {createAccessLogsBucket: true, accessLogsDays: 3650}",
		"vpc: {subnetMask: 27, cidr: 10.0.0.0/24}",
		"vpc: {subnetMask: 27, natGateways: 0}\ninstances: {count: 46}",
		"vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/24], privateSubnets: [10.0.2.0/28, 10.0.3.0/28]}\ninstances: {count: 22}",
		"vpc: {publicSubnets: [10.0.0.0/24, 10.0.1.0/24], privateSubnets: [10.0.2.0/28, 10.0.3.0/28]}\ninstances: {autoScaling: {min: 2, max: 18, gracePeriodSeconds: 120}}",
		"vpc: {natGateways: 0, endpoints: [cloudformation]}",
		"vpc: {natGateways: 0, endpoints: []}\ninstances: {signal: false}",
		"tags: {'cost center': x, 'team/app': y}\ninstances: {signal: false}",
		"tags: {cost-center: x, 'app:tier': web, a@b: c}",
	} {
		if _, err := Parse([]byte(y), "."); err != nil {
			t.Errorf("%s: %v", y, err)
		}
	}
}

// TestDesiredLeftUnset: without desired the group has none, so that an
// update keeps the size it scaled to; it starts, and rolls, at min.
func TestDesiredLeftUnset(t *testing.T) {
	c, err := Parse([]byte("instances: {autoScaling: {min: 3, max: 6}}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if as := c.Instances.AutoScaling; as.Desired != 0 || as.InService() != 3 {
		t.Errorf("desired %d, in service %d; want 0 and min (3)", as.Desired, as.InService())
	}
	c, err = Parse([]byte("instances: {autoScaling: {min: 3, max: 6, desired: 4}}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if as := c.Instances.AutoScaling; as.Desired != 4 || as.InService() != 4 {
		t.Errorf("desired %d, in service %d; want 4 and 4", as.Desired, as.InService())
	}
}

func TestInterfaceEndpoints(t *testing.T) {
	c := Default()
	if got := c.InterfaceEndpoints(); len(got) != 0 {
		t.Errorf("with a NAT gateway: %v, want none", got)
	}
	c.VPC.NATGateways = 0
	if got := c.InterfaceEndpoints(); !slices.Equal(got, []string{"cloudformation", "ec2messages", "ssm", "ssmmessages"}) {
		t.Errorf("without a NAT gateway: %v", got)
	}
	c.Instances.Signal = false
	if got := c.InterfaceEndpoints(); slices.Contains(got, "cloudformation") {
		t.Errorf("without signals: %v still holds cloudformation", got)
	}
	c.VPC.Endpoints = []string{"ssm", "logs"}
	if got := c.InterfaceEndpoints(); !slices.Equal(got, []string{"logs", "ssm"}) {
		t.Errorf("explicit: %v", got)
	}
	c.VPC.Endpoints = []string{}
	if got := c.InterfaceEndpoints(); len(got) != 0 {
		t.Errorf("explicitly none: %v", got)
	}
}

func TestUpdatePause(t *testing.T) {
	c, err := Parse([]byte("instances: {autoScaling: {min: 2, max: 4, gracePeriodSeconds: 120}}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.UpdatePauseSeconds(); got != 15*60 {
		t.Errorf("with signals: %d s, want the signal timeout, 900 s", got)
	}
	c.Instances.Signal = false
	if got := c.UpdatePauseSeconds(); got != 120+2*15 {
		t.Errorf("without signals: %d s, want grace 120 + 2 checks of 15 s", got)
	}
}

func TestAccessLogsDaysDefault(t *testing.T) {
	c, err := Parse([]byte("loadBalancer: {createAccessLogsBucket: true}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if c.LoadBalancer.AccessLogsDays != 90 {
		t.Errorf("accessLogsDays %d, want 90", c.LoadBalancer.AccessLogsDays)
	}
}
