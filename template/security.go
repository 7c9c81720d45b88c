package template

import (
	"github.com/awslabs/goformation/v7/cloudformation/ec2"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// targetPort is where Apache listens on the instances.
const targetPort = 80

// securityGroups holds the logical IDs of the two groups.
type securityGroups struct {
	loadBalancer string
	instances    string
}

// security builds the groups so that only the load balancer reaches the
// instances. The instances' ingress rule is a resource of its own: inline,
// the two groups would refer to each other, a cycle.
func (b *builder) security(n *network) *securityGroups {
	sg := &securityGroups{loadBalancer: "LoadBalancerSecurityGroup", instances: "InstanceSecurityGroup"}
	ingress := []ec2.SecurityGroup_Ingress{{
		IpProtocol:  "tcp",
		FromPort:    cloudformation.Int(80),
		ToPort:      cloudformation.Int(80),
		CidrIp:      cloudformation.String("0.0.0.0/0"),
		Description: cloudformation.String("HTTP from the internet"),
	}}
	if b.cfg.HTTPS() {
		ingress = append(ingress, ec2.SecurityGroup_Ingress{
			IpProtocol:  "tcp",
			FromPort:    cloudformation.Int(443),
			ToPort:      cloudformation.Int(443),
			CidrIp:      cloudformation.String("0.0.0.0/0"),
			Description: cloudformation.String("HTTPS from the internet"),
		})
	}
	b.resource(sg.loadBalancer, &ec2.SecurityGroup{
		GroupDescription:     "Load balancer: web traffic from the internet, forwarded only to the instances",
		VpcId:                cloudformation.String(cloudformation.Ref(n.vpc)),
		SecurityGroupIngress: ingress,
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
			IpProtocol:                 "tcp",
			FromPort:                   cloudformation.Int(targetPort),
			ToPort:                     cloudformation.Int(targetPort),
			DestinationSecurityGroupId: cloudformation.String(cloudformation.GetAtt(sg.instances, "GroupId")),
			Description:                cloudformation.String("HTTP to the instances"),
		}},
		Tags:                      b.tags("load-balancer"),
		AWSCloudFormationMetadata: suppress(worldOpenIngress),
	})
	b.resource(sg.instances, &ec2.SecurityGroup{
		GroupDescription: "Instances: HTTP from the load balancer only; HTTPS out for packages, CloudFormation and Systems Manager",
		VpcId:            cloudformation.String(cloudformation.Ref(n.vpc)),
		SecurityGroupEgress: []ec2.SecurityGroup_Egress{{
			IpProtocol:  "tcp",
			FromPort:    cloudformation.Int(443),
			ToPort:      cloudformation.Int(443),
			CidrIp:      cloudformation.String("0.0.0.0/0"),
			Description: cloudformation.String("HTTPS to package repositories, CloudFormation and Systems Manager"),
		}},
		Tags:                      b.tags("instances"),
		AWSCloudFormationMetadata: suppress(worldOpenEgress),
	})
	b.resource("InstanceIngressFromLoadBalancer", &ec2.SecurityGroupIngress{
		GroupId:               cloudformation.String(cloudformation.GetAtt(sg.instances, "GroupId")),
		IpProtocol:            "tcp",
		FromPort:              cloudformation.Int(targetPort),
		ToPort:                cloudformation.Int(targetPort),
		SourceSecurityGroupId: cloudformation.String(cloudformation.GetAtt(sg.loadBalancer, "GroupId")),
		Description:           cloudformation.String("HTTP from the load balancer"),
	})
	return sg
}
