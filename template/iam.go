package template

import (
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// iam builds the instances' role, trusted by EC2, with the managed policy
// that Systems Manager needs, and its instance profile.
func (b *builder) iam() string {
	b.resource("InstanceRole", &iam.Role{
		Description:              cloudformation.String("Lets the web instances be managed through Systems Manager"),
		AssumeRolePolicyDocument: trustPolicy("ec2.amazonaws.com"),
		ManagedPolicyArns:        []string{cloudformation.Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")},
		Tags:                     b.tags("instance-role"),
	})
	b.resource("InstanceProfile", &iam.InstanceProfile{Roles: []string{cloudformation.Ref("InstanceRole")}})
	return "InstanceProfile"
}

// trustPolicy lets one AWS service assume a role.
func trustPolicy(service string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": service},
			"Action":    "sts:AssumeRole",
		}},
	}
}
