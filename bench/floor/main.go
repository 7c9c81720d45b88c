// Command floor is the floor that make bench holds cfngen's synth against:
// the least a goformation program does to build a 30-resource template
// (the default stack's shape: a VPC over 2 AZs, a NAT gateway, a load
// balancer, 2 instances) and print it as YAML. It is its own module, so
// that no build of cfngen compiles goformation's root package.
package main

import (
	"fmt"
	"os"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	elbv2 "github.com/awslabs/goformation/v7/cloudformation/elasticloadbalancingv2"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
)

func main() {
	t := cloudformation.NewTemplate()
	r := t.Resources
	ref := cloudformation.Ref
	r["VPC"] = &ec2.VPC{CidrBlock: cloudformation.String("10.0.0.0/16"), EnableDnsHostnames: cloudformation.Bool(true)}
	r["IGW"] = &ec2.InternetGateway{}
	r["IGWAttachment"] = &ec2.VPCGatewayAttachment{VpcId: ref("VPC"), InternetGatewayId: cloudformation.String(ref("IGW"))}
	r["PublicRT"] = &ec2.RouteTable{VpcId: ref("VPC")}
	r["PublicRoute"] = &ec2.Route{RouteTableId: ref("PublicRT"), DestinationCidrBlock: cloudformation.String("0.0.0.0/0"), GatewayId: cloudformation.String(ref("IGW"))}
	r["NATEIP"] = &ec2.EIP{Domain: cloudformation.String("vpc")}
	r["NAT"] = &ec2.NatGateway{AllocationId: cloudformation.String(cloudformation.GetAtt("NATEIP", "AllocationId")), SubnetId: ref("Public1")}
	for i := 1; i <= 2; i++ {
		az := cloudformation.String(cloudformation.Select(i-1, cloudformation.GetAZs("")))
		for _, kind := range []string{"Public", "Private"} {
			id := fmt.Sprintf("%s%d", kind, i)
			r[id] = &ec2.Subnet{VpcId: ref("VPC"), CidrBlock: cloudformation.String(fmt.Sprintf("10.0.%d.0/24", len(r))), AvailabilityZone: az}
			r[id+"RT"] = &ec2.SubnetRouteTableAssociation{SubnetId: ref(id), RouteTableId: ref(kind + "RT")}
		}
		r[fmt.Sprintf("Instance%d", i)] = &ec2.Instance{SubnetId: cloudformation.String(ref(fmt.Sprintf("Private%d", i))), LaunchTemplate: &ec2.Instance_LaunchTemplateSpecification{LaunchTemplateId: cloudformation.String(ref("LT")), Version: cloudformation.GetAtt("LT", "LatestVersionNumber")}}
	}
	r["PrivateRT"] = &ec2.RouteTable{VpcId: ref("VPC")}
	r["PrivateRoute"] = &ec2.Route{RouteTableId: ref("PrivateRT"), DestinationCidrBlock: cloudformation.String("0.0.0.0/0"), NatGatewayId: cloudformation.String(ref("NAT"))}
	r["S3Endpoint"] = &ec2.VPCEndpoint{VpcId: ref("VPC"), ServiceName: cloudformation.Sub("com.amazonaws.${AWS::Region}.s3"), RouteTableIds: []string{ref("PrivateRT")}}
	r["LBSG"] = &ec2.SecurityGroup{GroupDescription: "load balancer", VpcId: cloudformation.String(ref("VPC")), SecurityGroupIngress: []ec2.SecurityGroup_Ingress{{IpProtocol: "tcp", FromPort: cloudformation.Int(80), ToPort: cloudformation.Int(80), CidrIp: cloudformation.String("0.0.0.0/0")}}}
	r["InstanceSG"] = &ec2.SecurityGroup{GroupDescription: "instances", VpcId: cloudformation.String(ref("VPC"))}
	r["InstanceIngress"] = &ec2.SecurityGroupIngress{GroupId: cloudformation.String(cloudformation.GetAtt("InstanceSG", "GroupId")), IpProtocol: "tcp", FromPort: cloudformation.Int(80), ToPort: cloudformation.Int(80), SourceSecurityGroupId: cloudformation.String(cloudformation.GetAtt("LBSG", "GroupId"))}
	r["LBEgress"] = &ec2.SecurityGroupEgress{GroupId: cloudformation.GetAtt("LBSG", "GroupId"), IpProtocol: "tcp", FromPort: cloudformation.Int(80), ToPort: cloudformation.Int(80), DestinationSecurityGroupId: cloudformation.String(cloudformation.GetAtt("InstanceSG", "GroupId"))}
	r["Role"] = &iam.Role{AssumeRolePolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}}}
	r["Profile"] = &iam.InstanceProfile{Roles: []string{ref("Role")}}
	r["LT"] = &ec2.LaunchTemplate{LaunchTemplateData: &ec2.LaunchTemplate_LaunchTemplateData{ImageId: cloudformation.String("ami-0123456789abcdef0"), InstanceType: cloudformation.String("t3.micro"), IamInstanceProfile: &ec2.LaunchTemplate_IamInstanceProfile{Arn: cloudformation.String(cloudformation.GetAtt("Profile", "Arn"))}, UserData: cloudformation.String(cloudformation.Base64("#!/bin/bash\ndnf install -y httpd\nsystemctl enable --now httpd\n"))}}
	r["LB"] = &elbv2.LoadBalancer{Subnets: []string{ref("Public1"), ref("Public2")}, SecurityGroups: []string{cloudformation.GetAtt("LBSG", "GroupId")}}
	r["TG"] = &elbv2.TargetGroup{VpcId: cloudformation.String(ref("VPC")), Port: cloudformation.Int(80), Protocol: cloudformation.String("HTTP"), Targets: []elbv2.TargetGroup_TargetDescription{{Id: ref("Instance1")}, {Id: ref("Instance2")}}}
	r["Listener"] = &elbv2.Listener{LoadBalancerArn: ref("LB"), Port: cloudformation.Int(80), Protocol: cloudformation.String("HTTP"), DefaultActions: []elbv2.Listener_Action{{Type: "forward", TargetGroupArn: cloudformation.String(ref("TG"))}}}
	t.Outputs["URL"] = cloudformation.Output{Value: cloudformation.Sub("http://${LB.DNSName}")}
	y, err := t.YAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	os.Stdout.Write(y)
}
