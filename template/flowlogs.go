package template

import (
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// flowLogs sends the VPC's flow logs to a CloudWatch Logs group with a
// retention, through a role that may write to that group only.
func (b *builder) flowLogs() {
	b.resource("FlowLogsGroup", &logs.LogGroup{
		RetentionInDays:           cloudformation.Int(b.cfg.VPC.FlowLogsDays),
		Tags:                      b.tags("flow-logs"),
		AWSCloudFormationMetadata: suppress(defaultLogEncryption),
	})
	b.resource("FlowLogsRole", &iam.Role{
		Description:              cloudformation.String("Lets VPC flow logs write to their log group"),
		AssumeRolePolicyDocument: trustPolicy("vpc-flow-logs.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName: "write-flow-logs",
			PolicyDocument: map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Effect":   "Allow",
					"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
					"Resource": cloudformation.GetAtt("FlowLogsGroup", "Arn"),
				}},
			},
		}},
		Tags: b.tags("flow-logs"),
	})
	b.resource("FlowLog", &ec2.FlowLog{
		ResourceId:               cloudformation.Ref("VPC"),
		ResourceType:             "VPC",
		TrafficType:              cloudformation.String("ALL"),
		LogDestinationType:       cloudformation.String("cloud-watch-logs"),
		LogGroupName:             cloudformation.String(cloudformation.Ref("FlowLogsGroup")),
		DeliverLogsPermissionArn: cloudformation.String(cloudformation.GetAtt("FlowLogsRole", "Arn")),
		Tags:                     b.tags("flow-logs"),
	})
}
