package config

import (
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/cfngen/cfngen/cfnrules"
)

var (
	instanceRE    = lazyRegexp(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)
	gravitonRE    = lazyRegexp(`^([a-z]+[0-9]+[a-z]*g[a-z]*|a1)\.`) // a1: Graviton 1
	amiIDRE       = lazyRegexp(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	ssmPathRE     = lazyRegexp(`^/[A-Za-z0-9_.\-/]+$`)
	certificateRE = lazyRegexp(`^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate/[0-9a-f-]{36}$`)
	varNameRE     = lazyRegexp(`^[A-Za-z_][A-Za-z0-9_]*$`)
	tagRE         = lazyRegexp(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// Limits the checks use; CloudFormation's own are in [cfnrules].
const (
	MaxInstances    = 500
	MaxTags         = cfnrules.MaxTags - 1 // one of them the Name tag
	MaxAutoScaling  = 1000
	maxPageText     = 256
	minRootGiB      = 8 // the Amazon Linux 2023 image's snapshot
	maxRootGiB      = 16384
	minHealthPeriod = 5
	maxHealthPeriod = 300
)

// logRetentionDays are the retention periods CloudWatch Logs accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// ValidInstanceType reports why s is not an EC2 instance type name.
func ValidInstanceType(s string) error {
	if !instanceRE().MatchString(s) {
		return fmt.Errorf("%q is not an instance type such as t3.micro", clip(s))
	}
	return nil
}

func graviton(instanceType string) bool { return gravitonRE().MatchString(instanceType) }

// Validate checks every value, and changes none, and returns the first
// problem as an [*Error], with the file and the line of its key when the
// config was read from a file. A config from [Load], [Parse] or [Default]
// is valid; check one again after changing it.
func (c *Config) Validate() error {
	for _, check := range []func() *Error{c.checkStack, c.checkExistingVPC, c.checkVPC, c.checkInstances, c.checkLoadBalancer, c.checkDomain, c.checkTags, c.checkServing} {
		if err := check(); err != nil {
			err.File, err.Line = c.File, c.Line(err.Key)
			return err
		}
	}
	return nil
}

func bad(key, format string, args ...any) *Error {
	return &Error{Key: key, Reason: fmt.Sprintf(format, args...)}
}

func (c *Config) checkStack() *Error {
	if err := cfnrules.ValidStackName(c.StackName); err != nil {
		return bad("stackName", "%v", err)
	}
	if len(c.Description) > cfnrules.MaxDescription {
		return bad("description", "%d bytes; CloudFormation's limit is %d", len(c.Description), cfnrules.MaxDescription)
	}
	if i := strings.IndexFunc(c.Description, unicode.IsControl); i >= 0 && c.Description[i] != '\n' {
		return bad("description", "holds a control character at byte %d", i)
	}
	return nil
}

func (c *Config) checkVPC() *Error {
	v := c.VPC
	vpc, err := netip.ParsePrefix(v.CIDR)
	switch {
	case err != nil || !vpc.Addr().Is4():
		return bad("vpc.cidr", "%q is not an IPv4 CIDR block such as 10.0.0.0/16", clip(v.CIDR))
	case vpc.Bits() < 16 || vpc.Bits() > 28:
		return bad("vpc.cidr", "prefix /%d is outside the /16 to /28 that a VPC allows", vpc.Bits())
	case vpc.Masked() != vpc:
		return bad("vpc.cidr", "%s has host bits set; did you mean %s?", v.CIDR, vpc.Masked())
	}
	if v.AZCount < 2 || v.AZCount > 6 {
		return bad("vpc.azCount", "%d is outside 2 to 6 (high availability needs 2; cfngen supports up to 6)", v.AZCount)
	}
	if v.NATGateways != 0 && v.NATGateways != 1 && v.NATGateways != v.AZCount {
		return bad("vpc.natGateways", "%d: want 0, 1 or one per AZ (%d)", v.NATGateways, v.AZCount)
	}
	if len(v.PublicSubnets) > 0 || len(v.PrivateSubnets) > 0 {
		if err := checkSubnetLists(vpc, v); err != nil {
			return err
		}
	} else {
		switch {
		case v.SubnetMask < 16 || v.SubnetMask > 28:
			return bad("vpc.subnetMask", "/%d is outside the /16 to /28 that a subnet allows", v.SubnetMask)
		case v.SubnetMask < vpc.Bits():
			return bad("vpc.subnetMask", "/%d subnets are larger than the /%d VPC", v.SubnetMask, vpc.Bits())
		case v.SubnetMask-vpc.Bits() < 31 && 1<<(v.SubnetMask-vpc.Bits()) < 2*v.AZCount:
			return bad("vpc.subnetMask", "%d subnets of /%d do not fit in %s (room for %d); use a larger VPC or a longer mask",
				2*v.AZCount, v.SubnetMask, v.CIDR, 1<<(v.SubnetMask-vpc.Bits()))
		}
	}
	if v.FlowLogs && !slices.Contains(logRetentionDays, v.FlowLogsDays) {
		return bad("vpc.flowLogsDays", "%d is not a CloudWatch Logs retention; want one of %v", v.FlowLogsDays, logRetentionDays)
	}
	return nil
}

func checkSubnetLists(vpc netip.Prefix, v VPC) *Error {
	if len(v.PublicSubnets) != v.AZCount || len(v.PrivateSubnets) != v.AZCount {
		key := "vpc.publicSubnets"
		if len(v.PublicSubnets) == v.AZCount {
			key = "vpc.privateSubnets"
		}
		return bad(key, "want one CIDR per AZ (%d); set both lists, or neither to carve them from vpc.cidr", v.AZCount)
	}
	var seen []netip.Prefix
	var names []string
	for _, l := range []struct {
		key   string
		cidrs []string
	}{{"vpc.publicSubnets", v.PublicSubnets}, {"vpc.privateSubnets", v.PrivateSubnets}} {
		for i, s := range l.cidrs {
			key := fmt.Sprintf("%s[%d]", l.key, i)
			p, err := netip.ParsePrefix(s)
			switch {
			case err != nil || !p.Addr().Is4():
				return bad(key, "%q is not an IPv4 CIDR block", clip(s))
			case p.Masked() != p:
				return bad(key, "%s has host bits set; did you mean %s?", s, p.Masked())
			case p.Bits() < 16 || p.Bits() > 28:
				return bad(key, "prefix /%d is outside the /16 to /28 that a subnet allows", p.Bits())
			case p.Bits() < vpc.Bits() || !vpc.Contains(p.Addr()):
				return bad(key, "%s does not fit in the VPC %s", s, vpc)
			}
			for j, q := range seen {
				if q.Overlaps(p) {
					return bad(key, "%s overlaps %s (%s)", s, names[j], q)
				}
			}
			seen, names = append(seen, p), append(names, key)
		}
	}
	return nil
}

func (c *Config) checkInstances() *Error {
	in := c.Instances
	if as := in.AutoScaling; as != nil {
		if err := as.check(); err != nil {
			return err
		}
	} else if in.Count < 1 || in.Count > MaxInstances {
		return bad("instances.count", "%d is outside 1 to %d", in.Count, MaxInstances)
	}
	if !instanceRE().MatchString(in.Type) {
		return bad("instances.type", "%q is not an instance type such as t3.micro", clip(in.Type))
	}
	if in.AMI != "" && !amiIDRE().MatchString(in.AMI) && !ssmPathRE().MatchString(in.AMI) {
		return bad("instances.ami", "%q is neither an AMI ID (ami-...) nor an SSM parameter path (/aws/service/...)", clip(in.AMI))
	}
	if in.RootVolumeGiB < minRootGiB || in.RootVolumeGiB > maxRootGiB {
		return bad("instances.rootVolumeGiB", "%d is outside %d to %d", in.RootVolumeGiB, minRootGiB, maxRootGiB)
	}
	if in.UserData != "" && in.UserDataTemplate == "" {
		return bad("instances.userData", "%s is empty", in.UserData)
	}
	for key, s := range map[string]string{"instances.page.title": in.Page.Title, "instances.page.heading": in.Page.Heading} {
		if len(s) > maxPageText || strings.IndexFunc(s, unicode.IsControl) >= 0 {
			return bad(key, "want one line of at most %d bytes", maxPageText)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(in.Vars)) {
		if !varNameRE().MatchString(k) {
			return bad("instances.vars."+k, "a name usable as {{.Vars.NAME}}: letters, digits and _")
		}
	}
	return nil
}

func (as *AutoScaling) check() *Error {
	const key = "instances.autoScaling"
	switch {
	case as.Min < 1 || as.Min > MaxAutoScaling:
		return bad(key+".min", "%d is outside 1 to %d", as.Min, MaxAutoScaling)
	case as.Max < as.Min || as.Max > MaxAutoScaling:
		return bad(key+".max", "%d is outside min (%d) to %d", as.Max, as.Min, MaxAutoScaling)
	case as.Desired != 0 && (as.Desired < as.Min || as.Desired > as.Max):
		return bad(key+".desired", "%d is outside min (%d) to max (%d)", as.Desired, as.Min, as.Max)
	case as.TargetCPUPercent != 0 && as.TargetRequestsPerTarget != 0:
		return bad(key, "set targetCpuPercent or targetRequestsPerTarget, not both")
	case as.TargetCPUPercent == 0 && as.TargetRequestsPerTarget == 0:
		return bad(key, "set targetCpuPercent or targetRequestsPerTarget")
	case as.TargetCPUPercent < 0 || as.TargetCPUPercent > 100:
		return bad(key+".targetCpuPercent", "%d is outside 1 to 100", as.TargetCPUPercent)
	case as.TargetRequestsPerTarget < 0 || as.TargetRequestsPerTarget > 1000000:
		return bad(key+".targetRequestsPerTarget", "%d is outside 1 to 1000000", as.TargetRequestsPerTarget)
	case as.GracePeriodSeconds < MinGraceSeconds || as.GracePeriodSeconds > 7200:
		return bad(key+".gracePeriodSeconds", "%d is outside %d to 7200: ELB health checks would count against instances still booting, and Auto Scaling would replace them", as.GracePeriodSeconds, MinGraceSeconds)
	}
	return nil
}

func (c *Config) checkLoadBalancer() *Error {
	lb := c.LoadBalancer
	p := lb.HealthCheckPath
	if !strings.HasPrefix(p, "/") || len(p) > 1024 || strings.IndexFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return bad("loadBalancer.healthCheckPath", "%q: want a URL path that starts with / (at most 1024 bytes, no spaces)", clip(p))
	}
	if n := lb.HealthCheckIntervalSeconds; n < minHealthPeriod || n > maxHealthPeriod {
		return bad("loadBalancer.healthCheckIntervalSeconds", "%d is outside %d to %d", n, minHealthPeriod, maxHealthPeriod)
	}
	if lb.CertificateArn != "" && !certificateRE().MatchString(lb.CertificateArn) {
		return bad("loadBalancer.certificateArn", "%q is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)", clip(lb.CertificateArn))
	}
	if b := lb.AccessLogsBucket; b != "" {
		if err := cfnrules.ValidBucketName(b); err != nil {
			return bad("loadBalancer.accessLogsBucket", "%v", err)
		}
	}
	return nil
}

func (c *Config) checkTags() *Error {
	if len(c.Tags) > MaxTags {
		return bad("tags", "%d tags; at most %d fit beside the Name tag cfngen sets", len(c.Tags), MaxTags)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Tags)) {
		v, key := c.Tags[k], "tags."+k
		if err := cfnrules.ValidTag(k, v); err != nil {
			return bad(key, "%v", err)
		}
		switch {
		case strings.EqualFold(k, "Name"):
			return bad(key, "cfngen sets the Name tag of each resource (tag keys are compared without case)")
		case !tagRE().MatchString(k):
			return bad(key, "a tag key holds letters, digits, spaces and _ . : / = + - @")
		case !tagRE().MatchString(v):
			return bad(key, "a tag value holds letters, digits, spaces and _ . : / = + - @")
		}
	}
	return nil
}

// lazyRegexp compiles expr on first use, so that a process that never
// checks what it matches (most configs leave most keys out) does not pay
// for it at start.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
