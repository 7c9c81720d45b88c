package config

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
)

// PagePaths are the URL paths the built-in page serves
// (template/userdata/web.sh.tmpl).
var PagePaths = []string{"/", "/index.html"}

// EndpointServices are the services vpc.endpoints may name: interface
// endpoints that every commercial region offers and that instances of a
// web stack call.
var EndpointServices = []string{
	"cloudformation", "ec2", "ec2messages", "ecr.api", "ecr.dkr", "kms", "logs",
	"monitoring", "secretsmanager", "sns", "sqs", "ssm", "ssmmessages", "sts",
}

// EndpointHourlyUSD is what one interface endpoint costs per AZ-hour in
// us-east-1 (AWS PrivateLink pricing; a little more in some regions),
// besides $0.01 per GB it carries. The S3 gateway endpoint is free.
const EndpointHourlyUSD = 0.01

// Limits of the values AWS checks when it creates the stack.
const (
	MaxSignalMinutes    = 60   // a rolling update's PauseTime is at most PT1H
	MaxPauseSeconds     = 3600 // the same limit, without signals
	minPublicSubnetBits = 27   // an Application Load Balancer needs /27 or larger
	maxAccessLogDays    = 3650
)

// imdsTagKeyRE is what EC2 allows in the tag keys of an instance whose
// tags are readable through the instance metadata, which the signal needs.
var imdsTagKeyRE = lazyRegexp(`^[A-Za-z0-9+\-=._:@]+$`)

// InterfaceEndpoints returns the services of the interface endpoints the
// stack creates, sorted: vpc.endpoints when set; otherwise none with a NAT
// gateway, and without one what the instances need: cloudformation for
// the signal (when they signal) and Systems Manager's ec2messages, ssm
// and ssmmessages.
func (c *Config) InterfaceEndpoints() []string {
	var out []string
	switch {
	case c.VPC.Endpoints != nil:
		out = slices.Clone(c.VPC.Endpoints)
	case c.VPC.NATGateways == 0:
		out = []string{"ec2messages", "ssm", "ssmmessages"}
		if c.Instances.Signal {
			out = append(out, "cloudformation")
		}
	}
	slices.Sort(out)
	return out
}

// UpdatePauseSeconds is how long a rolling update of the Auto Scaling
// group waits for each batch: the signal timeout when instances signal;
// otherwise the grace period plus the health checks that put a new
// instance in service.
func (c *Config) UpdatePauseSeconds() int {
	if c.Instances.Signal {
		return c.Instances.SignalTimeoutMinutes * 60
	}
	lb := c.LoadBalancer
	grace := 0
	if as := c.Instances.AutoScaling; as != nil {
		grace = as.GracePeriodSeconds
	}
	return max(60, grace+lb.HealthyThreshold*lb.HealthCheckIntervalSeconds)
}

// checkServing checks what makes the stack serve on AWS: signals, the
// Auto Scaling group's rolling update, the target group's health checks,
// VPC endpoints, access logs, the subnets' sizes and tag keys.
func (c *Config) checkServing() *Error {
	for _, check := range []func() *Error{c.checkSignal, c.checkRollingUpdate, c.checkTargetGroup, c.checkEndpoints, c.checkAccessLogs, c.checkPublicSubnets, c.checkPrivateSubnets, c.checkTagKeys} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) checkSignal() *Error {
	if n := c.Instances.SignalTimeoutMinutes; n < 1 || n > MaxSignalMinutes {
		return bad("instances.signalTimeoutMinutes", "%d is outside 1 to %d", n, MaxSignalMinutes)
	}
	return nil
}

// checkRollingUpdate refuses the groups whose rolling update could not
// keep desired instances in service: it launches each batch before it
// retires old instances, which needs room between desired and max.
func (c *Config) checkRollingUpdate() *Error {
	as := c.Instances.AutoScaling
	if as == nil {
		return nil
	}
	const key = "instances.autoScaling"
	switch {
	case as.Max == as.Min:
		return bad(key+".max", "%d equals min: a rolling update launches new instances before it retires old ones, "+
			"and target tracking scales between min and max, so a group needs max above min; set max to at least %d, or use instances.count for a fixed number",
			as.Max, as.Min+1)
	case as.Desired == as.Max:
		return bad(key+".desired", "%d equals max: a rolling update launches new instances before it retires old ones, "+
			"so it needs room above desired; set desired below max (%d)", as.Desired, as.Max)
	}
	if p := c.UpdatePauseSeconds(); p > MaxPauseSeconds {
		return bad(key+".gracePeriodSeconds", "without signals a rolling update pauses for the grace period plus the health checks, "+
			"%d s here, over CloudFormation's limit of %d s; shorten the grace period", p, MaxPauseSeconds)
	}
	return nil
}

func (c *Config) checkTargetGroup() *Error {
	lb := c.LoadBalancer
	const key = "loadBalancer."
	switch n := lb.HealthCheckTimeoutSeconds; {
	case n < 2 || n > 120:
		return bad(key+"healthCheckTimeoutSeconds", "%d is outside 2 to 120", n)
	case n >= lb.HealthCheckIntervalSeconds:
		return bad(key+"healthCheckTimeoutSeconds", "%d is not less than healthCheckIntervalSeconds (%d); AWS wants the timeout below the interval",
			n, lb.HealthCheckIntervalSeconds)
	}
	for k, n := range map[string]int{"healthyThreshold": lb.HealthyThreshold, "unhealthyThreshold": lb.UnhealthyThreshold} {
		if n < 2 || n > 10 {
			return bad(key+k, "%d is outside 2 to 10", n)
		}
	}
	if n := lb.DeregistrationDelaySeconds; n < 0 || n > 3600 {
		return bad(key+"deregistrationDelaySeconds", "%d is outside 0 to 3600", n)
	}
	path, _, _ := strings.Cut(lb.HealthCheckPath, "?")
	if c.Instances.UserData == "" && !slices.Contains(PagePaths, path) {
		return bad(key+"healthCheckPath", "%s: the built-in page serves only %s, so every target would fail its health check; "+
			"use one of them, or serve the path from your own instances.userData", clip(lb.HealthCheckPath), strings.Join(PagePaths, " and "))
	}
	return nil
}

func (c *Config) checkEndpoints() *Error {
	const key = "vpc.endpoints"
	seen := map[string]bool{}
	for i, s := range c.VPC.Endpoints {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case s == "s3":
			return bad(k, "the stack always has an S3 gateway endpoint, which is free; leave s3 out")
		case !slices.Contains(EndpointServices, s):
			return bad(k, "%q is not a service cfngen knows to have an interface endpoint in every region; want one of %s",
				clip(s), strings.Join(EndpointServices, ", "))
		case seen[s]:
			return bad(k, "%s is listed twice", s)
		}
		seen[s] = true
	}
	if c.VPC.Endpoints != nil && c.VPC.NATGateways == 0 && c.Instances.Signal && !seen["cloudformation"] {
		return bad(key, "without a NAT gateway the instances reach CloudFormation, to signal that they serve, only through its endpoint: "+
			"add cloudformation (about $%.2f per AZ-hour), or set instances.signal: false", EndpointHourlyUSD)
	}
	return nil
}

func (c *Config) checkAccessLogs() *Error {
	lb := c.LoadBalancer
	const key = "loadBalancer."
	switch {
	case lb.CreateAccessLogsBucket && lb.AccessLogsBucket != "":
		return bad(key+"createAccessLogsBucket", "set accessLogsBucket (an existing bucket) or createAccessLogsBucket, not both")
	case !lb.CreateAccessLogsBucket && lb.AccessLogsDays != 0:
		return bad(key+"accessLogsDays", "applies only to the bucket the stack creates (createAccessLogsBucket: true)")
	case !lb.CreateAccessLogsBucket:
		return nil
	case lb.AccessLogsDays < 1 || lb.AccessLogsDays > maxAccessLogDays:
		return bad(key+"accessLogsDays", "%d is outside 1 to %d", lb.AccessLogsDays, maxAccessLogDays)
	}
	return nil
}

// checkPublicSubnets: the load balancer lives in the public subnets.
func (c *Config) checkPublicSubnets() *Error {
	const reason = "/%d is too small for the load balancer, which needs public subnets of /%d or larger (8 free addresses each)"
	v := c.VPC
	if len(v.PublicSubnets) == 0 {
		if v.SubnetMask > minPublicSubnetBits {
			return bad("vpc.subnetMask", reason, v.SubnetMask, minPublicSubnetBits)
		}
		return nil
	}
	for i, s := range v.PublicSubnets {
		if p := netip.MustParsePrefix(s); p.Bits() > minPublicSubnetBits { // parsed by checkVPC
			return bad(fmt.Sprintf("vpc.publicSubnets[%d]", i), reason, p.Bits(), minPublicSubnetBits)
		}
	}
	return nil
}

// reservedPerSubnet are the addresses AWS keeps in every subnet: the
// network address, the router, DNS, one for future use and broadcast.
const reservedPerSubnet = 5

// checkPrivateSubnets: each private subnet holds its share of the
// instances and an address per interface endpoint.
func (c *Config) checkPrivateSubnets() *Error {
	v, in := c.VPC, c.Instances
	endpoints := len(c.InterfaceEndpoints())
	_, private := v.Subnets()
	for j, s := range private {
		p := netip.MustParsePrefix(s) // checked by checkVPC
		usable := 1<<(32-p.Bits()) - reservedPerSubnet
		var instances int
		var why string
		if as := in.AutoScaling; as != nil {
			// Auto Scaling spreads the group evenly; rebalancing between
			// AZs may go 10% (at least 1) over max.
			instances = (as.Max+v.AZCount-1)/v.AZCount + max(1, as.Max/10)
			why = fmt.Sprintf("its share of instances.autoScaling.max (%d over %d AZs) and 10%% for rebalancing", as.Max, v.AZCount)
		} else {
			instances = in.Count / v.AZCount
			if j < in.Count%v.AZCount {
				instances++
			}
			why = fmt.Sprintf("its share of instances.count (%d round-robin over %d AZs)", in.Count, v.AZCount)
		}
		if need := instances + endpoints; need > usable {
			key := "vpc.subnetMask"
			if len(v.PrivateSubnets) > 0 {
				key = fmt.Sprintf("vpc.privateSubnets[%d]", j)
			}
			return bad(key, "%s holds %d addresses (AWS keeps %d of every subnet) but needs %d: %d instances, %s, and %d for interface endpoints; use larger subnets or fewer instances",
				s, usable, reservedPerSubnet, need, instances, why, endpoints)
		}
	}
	return nil
}

// checkTagKeys compares tag keys as IAM does, without case, and holds them
// to the instance metadata's rules when instances read their tags there.
func (c *Config) checkTagKeys() *Error {
	byLower := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
		key := "tags." + k
		if other, dup := byLower[strings.ToLower(k)]; dup {
			return bad(key, "the same key as tags.%s to IAM, which compares tag keys without case", other)
		}
		byLower[strings.ToLower(k)] = k
		if c.Instances.Signal && (!imdsTagKeyRE().MatchString(k) || k == "." || k == ".." || k == "_index") {
			return bad(key, "instances read their tags from the instance metadata to signal CloudFormation, "+
				"and EC2 then allows only letters, digits and + - = . _ : @ in tag keys (no spaces or /); rename the tag, or set instances.signal: false")
		}
	}
	return nil
}
