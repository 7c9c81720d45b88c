package template

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// endpoints builds the VPC endpoints: an S3 gateway endpoint on the
// private route tables, which is free and carries the package traffic
// (Amazon Linux's repositories are in S3) off the NAT gateway or, without
// one, is the only way to them; and the interface endpoints the config
// asks for or the stack needs, in the private subnets, behind a security
// group that takes HTTPS from the instances only.
func (b *builder) endpoints(n *network, sg *securityGroups) {
	if n.given {
		return // the network's owner has the endpoints (config: existing.go)
	}
	b.resource("S3GatewayEndpoint", &ec2.VPCEndpoint{
		VpcId:           cloudformation.Ref(n.vpc),
		ServiceName:     serviceName("s3"),
		VpcEndpointType: cloudformation.String("Gateway"),
		RouteTableIds:   refs(n.privateRouteTables),
	})
	n.endpoints = append(n.endpoints, "S3GatewayEndpoint")

	services := b.cfg.InterfaceEndpoints()
	if len(services) == 0 {
		return
	}
	b.resource("EndpointSecurityGroup", &ec2.SecurityGroup{
		GroupDescription: "VPC interface endpoints: HTTPS from the instances only",
		VpcId:            cloudformation.String(cloudformation.Ref(n.vpc)),
		SecurityGroupIngress: []ec2.SecurityGroup_Ingress{{
			IpProtocol:            "tcp",
			FromPort:              cloudformation.Int(443),
			ToPort:                cloudformation.Int(443),
			SourceSecurityGroupId: cloudformation.String(cloudformation.GetAtt(sg.instances, "GroupId")),
			Description:           cloudformation.String("HTTPS from the instances"),
		}},
		// An endpoint only answers; this rule matches no traffic and
		// replaces the default allow-all egress rule.
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
			IpProtocol:  "icmp",
			FromPort:    cloudformation.Int(252),
			ToPort:      cloudformation.Int(86),
			CidrIp:      cloudformation.String("255.255.255.255/32"),
			Description: cloudformation.String("No traffic out"),
		}},
		Tags: b.tags("endpoints"),
	})
	for _, s := range services {
		id := endpointID(s)
		b.resource(id, &ec2.VPCEndpoint{
			VpcId:             cloudformation.Ref(n.vpc),
			ServiceName:       serviceName(s),
			VpcEndpointType:   cloudformation.String("Interface"),
			PrivateDnsEnabled: cloudformation.Bool(true),
			SubnetIds:         refs(n.privateSubnets),
			SecurityGroupIds:  []string{cloudformation.GetAtt("EndpointSecurityGroup", "GroupId")},
		})
		n.endpoints = append(n.endpoints, id)
	}
}

func serviceName(service string) string {
	return cloudformation.Sub("com.amazonaws.${AWS::Region}." + service)
}

// endpointID names the endpoint of a service: ecr.api is EcrApiEndpoint.
func endpointID(service string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(service, func(r rune) bool { return r == '.' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String() + "Endpoint"
}
