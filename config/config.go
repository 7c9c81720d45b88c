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

	// Dir is the directory of the config file; relative paths in the
	// config are read from there.
	Dir string

	node *yaml.Node // the file's top mapping, for the lines of keys
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
// policy. Validate fills in what is left zero: Desired becomes Min, and
// without a target the group tracks 50% average CPU.
type AutoScaling struct {
	Min, Max, Desired       int
	TargetCPUPercent        int // track average CPU; or
	TargetRequestsPerTarget int // track ALB requests per target
	GracePeriodSeconds      int
}

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
	// the logs (Validate sets 90 when left zero).
	CreateAccessLogsBucket bool
	AccessLogsDays         int
}

// Default AMIs: the latest Amazon Linux 2023 through the public SSM parameters.
const (
	AMIx86   = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	AMIArm64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
)

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
	line, n := 0, c.node
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
				line, next, key = n.Content[best].Line, n.Content[best+1], strings.TrimPrefix(rest, ".")
			}
		case yaml.SequenceNode:
			idx, rest, ok := strings.Cut(strings.TrimPrefix(key, "["), "]")
			if i, err := strconv.Atoi(idx); ok && err == nil && i >= 0 && i < len(n.Content) {
				line, next, key = n.Content[i].Line, n.Content[i], strings.TrimPrefix(rest, ".")
			}
		}
		n = next
	}
	return line
}
