package deploy_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"

	"github.com/cfngen/cfngen/deploy"
)

// exampleCFN answers like CloudFormation for a first deploy that creates
// one bucket. Real code passes a *cloudformation.Client.
type exampleCFN struct {
	deploy.API
	status types.StackStatus
}

const stackID = "arn:aws:cloudformation:eu-west-1:123456789012:stack/site/6a1f0c51-4d2c-11f0-9f3a-0a1b2c3d4e5f"

func (c *exampleCFN) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	if c.status == "" {
		return nil, &smithy.GenericAPIError{Code: "ValidationError", Message: "Stack with id " + *in.StackName + " does not exist"}
	}
	st := types.Stack{StackName: aws.String("site"), StackId: aws.String(stackID), StackStatus: c.status}
	if c.status == types.StackStatusCreateComplete {
		st.Outputs = []types.Output{{OutputKey: aws.String("BucketName"), OutputValue: aws.String("site-bucket-1x2y3z")}}
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{st}}, nil
}

func (c *exampleCFN) CreateChangeSet(_ context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	c.status = types.StackStatusReviewInProgress
	return &cloudformation.CreateChangeSetOutput{Id: aws.String("arn:cs/" + *in.ChangeSetName), StackId: aws.String(stackID)}, nil
}

func (c *exampleCFN) DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	return &cloudformation.DescribeChangeSetOutput{
		Status: types.ChangeSetStatusCreateComplete,
		Changes: []types.Change{{ResourceChange: &types.ResourceChange{
			Action: types.ChangeActionAdd, LogicalResourceId: aws.String("Bucket"), ResourceType: aws.String("AWS::S3::Bucket"),
		}}},
	}, nil
}

func (c *exampleCFN) ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	c.status = types.StackStatusCreateComplete
	return &cloudformation.ExecuteChangeSetOutput{}, nil
}

func (c *exampleCFN) DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return &cloudformation.DescribeStackEventsOutput{}, nil
}

func ExampleDeployer_Deploy() {
	// With AWS: cfg, _ := config.LoadDefaultConfig(ctx);
	// CFN: cloudformation.NewFromConfig(cfg).
	d := &deploy.Deployer{
		CFN: &exampleCFN{},
		Out: os.Stdout, // the change set and the outputs
		Log: nil,       // progress would go to os.Stderr
		Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
	}
	res, err := d.Deploy(context.Background(), deploy.Input{
		StackName: "site",
		Template:  []byte("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"),
		Yes:       true,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(res.Status)
	// Output:
	// ACTION  LOGICAL ID  TYPE             REPLACEMENT  CHANGED PROPERTIES
	// Add     Bucket      AWS::S3::Bucket  -            -
	// 1 to add, 0 to modify, 0 to remove, 0 replacements
	//
	// OUTPUT      VALUE               DESCRIPTION
	// BucketName  site-bucket-1x2y3z  -
	// CREATE_COMPLETE
}

// A plan as Deploy prints it: the modification with its values, why the
// resource is replaced, and the access the update grants.
func ExampleChangeSet_WriteText() {
	cs := &deploy.ChangeSet{
		Type: "UPDATE",
		Changes: []deploy.Change{{
			Action: "Modify", LogicalID: "Subnet", Type: "AWS::EC2::Subnet", Replacement: "True", Predicted: "True",
			Properties: []string{"CidrBlock"},
			Details: []deploy.PropertyChange{{Attribute: "Properties", Name: "CidrBlock", Path: "/Properties/CidrBlock",
				ChangeType: "Modify", Before: "10.0.2.0/24", After: "10.0.3.0/24", Recreation: "Always"}},
		}},
		Security: &deploy.SecurityChanges{Rules: []deploy.RuleChange{{Added: true, Group: "WebSecurityGroup",
			Direction: "ingress", Protocol: "tcp", Ports: "22", Peer: "0.0.0.0/0", Broadens: true}}},
	}
	cs.WriteText(os.Stdout, 0)
	// Output:
	// ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
	// Modify  Subnet      AWS::EC2::Subnet  True         CidrBlock
	//     CidrBlock: 10.0.2.0/24 -> 10.0.3.0/24 (replaces the resource)
	// 0 to add, 1 to modify, 0 to remove, 1 replacement
	// Subnet: replaced: CidrBlock requires a new resource
	// access:
	//   + security group WebSecurityGroup ingress tcp 22 from 0.0.0.0/0 [broadens]
}
