package config

// Every default of a config lives here: [Default] holds the values of the
// article's stack, which a file overrides key by key; the functions below
// hold those of a section a file turns on, and of values that default to
// others. The one default that stays a method is vpc.endpoints, left out:
// [Config.InterfaceEndpoints] works out what the stack needs.

// Default returns the article's stack: 2 AZs, one NAT gateway, 2 t3.micro
// instances behind an HTTP load balancer.
func Default() *Config {
	return &Config{
		StackName: "cfngen-web",
		VPC: VPC{
			CIDR:         "10.0.0.0/16",
			AZCount:      2,
			NATGateways:  1,
			SubnetMask:   24,
			FlowLogsDays: 30,
		},
		Instances: Instances{
			Count:                2,
			Type:                 "t3.micro",
			RootVolumeGiB:        8,
			Signal:               true,
			SignalTimeoutMinutes: 15,
			Page: Page{
				Title:   "cfngen web app",
				Heading: "Amazon Linux 2023 instance deployed with cfngen",
			},
		},
		LoadBalancer: LoadBalancer{
			HealthCheckPath:            "/",
			HealthCheckIntervalSeconds: 15,
			HealthCheckTimeoutSeconds:  5,
			HealthyThreshold:           2,
			UnhealthyThreshold:         2,
			DeregistrationDelaySeconds: 30,
		},
		Dir: ".",
	}
}

// The defaults that fill sets.
const (
	defaultTargetCPUPercent = 50 // instances.autoScaling.targetCpuPercent, when no target is set
	defaultAccessLogsDays   = 90 // loadBalancer.accessLogsDays, with createAccessLogsBucket
)

// newAutoScaling returns the Auto Scaling group that a file's
// instances.autoScaling starts from.
func newAutoScaling() *AutoScaling {
	return &AutoScaling{GracePeriodSeconds: 300}
}

// fill sets the values a file left out that default to others: the
// group's target to average CPU, and the retention of the access-log
// bucket the stack creates. (A desired size left out stays unset, so that
// an update keeps the size the group has scaled to.) Parse runs it
// before [Config.Validate], which checks a config with every value set.
func (c *Config) fill() {
	if as := c.Instances.AutoScaling; as != nil {
		if as.TargetCPUPercent == 0 && as.TargetRequestsPerTarget == 0 {
			as.TargetCPUPercent = defaultTargetCPUPercent
		}
	}
	if lb := &c.LoadBalancer; lb.CreateAccessLogsBucket && lb.AccessLogsDays == 0 {
		lb.AccessLogsDays = defaultAccessLogsDays
	}
}
