// Package config reads and checks the YAML file that describes a cfngen
// stack. [Default] is the article's stack; [Load] reads a file over it,
// strictly: unknown keys, wrong types and bad values are [*Error]s that
// name the key.
package config

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config describes one stack.
type Config struct {
	StackName    string            // CloudFormation stack name
	Description  string            // template description; generated when empty
	VPC          VPC               // network layout
	Instances    Instances         // the web servers
	LoadBalancer LoadBalancer      // the Application Load Balancer
	Tags         map[string]string // applied to every taggable resource

	// File is the config file, named in errors; empty when the config
	// was not read from one. Dir is its directory: relative paths in the
	// config are read from there.
	File string `yaml:"-"`
	Dir  string `yaml:"-"`

	node *yaml.Node // the file's top mapping, for the lines of keys
	src  *sources   // the files read, when read from files
}

// VPC describes the network.
type VPC struct {
	CIDR           string   // e.g. 10.0.0.0/16
	AZCount        int      // 2 to 6
	NATGateways    int      // 0, 1 or AZCount
	SubnetMask     int      // prefix length of the carved subnets
	PublicSubnets  []string // explicit CIDRs, one per AZ; carved when empty
	PrivateSubnets []string // explicit CIDRs, one per AZ; carved when empty
	FlowLogs       bool     // send VPC flow logs to CloudWatch Logs
	FlowLogsDays   int      // retention of the flow-log group, in days

	// Endpoints are the interface VPC endpoints to create, by service
	// (ssm, cloudformation, ...); nil means what the stack needs, see
	// [Config.InterfaceEndpoints]. An S3 gateway endpoint is always created.
	Endpoints []string

	// ID, when set, is an existing VPC to deploy into, with its subnets:
	// the stack then creates no network (see existing.go).
	ID               string   `yaml:"id"`
	PublicSubnetIDs  []string `yaml:"publicSubnetIds"`  // the load balancer's
	PrivateSubnetIDs []string `yaml:"privateSubnetIds"` // the instances', round-robin
}

// Instances describes the EC2 instances.
type Instances struct {
	Count         int               // fixed instances, spread round-robin over the private subnets
	Type          string            // instance type, the default of the InstanceType parameter
	AMI           string            // SSM parameter path or ami- ID
	RootVolumeGiB int               // encrypted gp3 root volume size
	UserData      string            // path to a text/template file; the built-in one when empty
	Page          Page              // what the built-in page shows
	Vars          map[string]string // extra data for a user's own template, as .Vars
	AutoScaling   *AutoScaling      // when set, an Auto Scaling group replaces the fixed instances

	// UserDataTemplate is the text of the UserData file, which Load and
	// Parse read; a config built in Go sets both.
	UserDataTemplate string `yaml:"-"`

	// Signal makes CloudFormation wait, on create and on rolling updates,
	// until each instance reports that it serves the page.
	Signal               bool
	SignalTimeoutMinutes int // how long CloudFormation waits for each signal
}

// Page is the data of the built-in web page.
type Page struct {
	Title   string
	Heading string
}

// AutoScaling describes an Auto Scaling group and its target-tracking
// policy, on one of the two targets. A file may leave both targets out
// (the group then tracks 50% average CPU).
type AutoScaling struct {
	Min, Max                int
	Desired                 int // 0: not set, so that updates keep the group's size
	TargetCPUPercent        int `yaml:"targetCpuPercent"` // track average CPU; or
	TargetRequestsPerTarget int // track ALB requests per target
	GracePeriodSeconds      int
}

// InService is how many instances the group keeps in service while it
// is created and during a rolling update: Desired when set, else Min.
func (as *AutoScaling) InService() int {
	if as.Desired != 0 {
		return as.Desired
	}
	return as.Min
}

// MinGraceSeconds is the shortest health-check grace period: the time an
// instance needs to boot, install and start its web server before ELB
// health checks count.
const MinGraceSeconds = 120

// LoadBalancer describes the Application Load Balancer.
type LoadBalancer struct {
	HealthCheckPath            string
	HealthCheckIntervalSeconds int
	HealthCheckTimeoutSeconds  int    // less than the interval
	HealthyThreshold           int    // checks in a row before a target takes traffic
	UnhealthyThreshold         int    // failed checks in a row before it stops
	DeregistrationDelaySeconds int    // how long a leaving target finishes its requests
	CertificateArn             string // ACM certificate: HTTPS on 443, HTTP redirects
	AccessLogsBucket           string // existing S3 bucket for access logs

	// CreateAccessLogsBucket has the stack create the access-log bucket,
	// kept when the stack is deleted; AccessLogsDays is how long it keeps
	// the logs (90 days when a file leaves it out).
	CreateAccessLogsBucket bool
	AccessLogsDays         int

	// DomainName is served over HTTPS, with an alias record in the public
	// hosted zone named by ID or by name, and the certificate that
	// CertificateArn names or, without it, one the stack creates.
	DomainName     string
	HostedZoneID   string `yaml:"hostedZoneId"`
	HostedZoneName string
}

// Default AMIs: the latest Amazon Linux 2023 through the public SSM parameters.
const (
	AMIx86   = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	AMIArm64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
)

// ImageID returns the AMI: the configured one, or the Amazon Linux 2023
// parameter for the instance type's architecture.
func (c *Config) ImageID() string {
	if c.Instances.AMI != "" {
		return c.Instances.AMI
	}
	if graviton(c.Instances.Type) {
		return AMIArm64
	}
	return AMIx86
}

// Line returns the line of key (dotted, as in [Error]) in the file the
// config was read from: the line of the key itself, or of the nearest
// enclosing key the file sets; 0 when the file sets none of them.
func (c *Config) Line(key string) int {
	if k := c.keyNode(key); k != nil {
		return k.Line
	}
	return 0
}

// keyNode returns the node of key, or of the nearest enclosing key the
// file sets (a list item for [i]); nil when the file sets none of them.
func (c *Config) keyNode(key string) *yaml.Node {
	var found *yaml.Node
	n := c.node
	for n != nil && key != "" {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			best := -1 // the longest key that key starts with: tag keys may hold dots
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				rest, ok := strings.CutPrefix(key, k)
				if ok && (rest == "" || rest[0] == '.' || rest[0] == '[') && (best < 0 || len(k) > len(n.Content[best].Value)) {
					best = i
				}
			}
			if best >= 0 {
				rest := strings.TrimPrefix(key, n.Content[best].Value)
				found, next, key = n.Content[best], n.Content[best+1], strings.TrimPrefix(rest, ".")
			}
		case yaml.SequenceNode:
			idx, rest, ok := strings.Cut(strings.TrimPrefix(key, "["), "]")
			if i, err := strconv.Atoi(idx); ok && err == nil && i >= 0 && i < len(n.Content) {
				found, next, key = n.Content[i], n.Content[i], strings.TrimPrefix(rest, ".")
			}
		}
		n = next
	}
	return found
}
