package stackset_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/stackset"
)

// exampleCFN answers like StackSets for a first deploy to one account in
// one region whose operation is done at once. Real code passes a
// *cloudformation.Client.
type exampleCFN struct {
	stackset.API
}

func (c *exampleCFN) DescribeStackSet(context.Context, *cloudformation.DescribeStackSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOutput, error) {
	return nil, &types.StackSetNotFoundException{Message: aws.String("StackSet site not found")}
}

func (c *exampleCFN) CreateStackSet(context.Context, *cloudformation.CreateStackSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateStackSetOutput, error) {
	return &cloudformation.CreateStackSetOutput{StackSetId: aws.String("site:1")}, nil
}

func (c *exampleCFN) CreateStackInstances(_ context.Context, in *cloudformation.CreateStackInstancesInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateStackInstancesOutput, error) {
	return &cloudformation.CreateStackInstancesOutput{OperationId: in.OperationId}, nil
}

func (c *exampleCFN) DescribeStackSetOperation(_ context.Context, in *cloudformation.DescribeStackSetOperationInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOperationOutput, error) {
	return &cloudformation.DescribeStackSetOperationOutput{StackSetOperation: &types.StackSetOperation{
		OperationId: in.OperationId, Action: types.StackSetOperationActionCreate, Status: types.StackSetOperationStatusSucceeded,
	}}, nil
}

func (c *exampleCFN) ListStackSetOperationResults(context.Context, *cloudformation.ListStackSetOperationResultsInput, ...func(*cloudformation.Options)) (*cloudformation.ListStackSetOperationResultsOutput, error) {
	return &cloudformation.ListStackSetOperationResultsOutput{Summaries: []types.StackSetOperationResultSummary{
		{Account: aws.String("123456789012"), Region: aws.String("eu-west-1"), Status: types.StackSetOperationResultStatusSucceeded},
	}}, nil
}

func (c *exampleCFN) ListStackInstances(context.Context, *cloudformation.ListStackInstancesInput, ...func(*cloudformation.Options)) (*cloudformation.ListStackInstancesOutput, error) {
	return &cloudformation.ListStackInstancesOutput{Summaries: []types.StackInstanceSummary{{
		Account: aws.String("123456789012"), Region: aws.String("eu-west-1"), Status: types.StackInstanceStatusCurrent,
		StackInstanceStatus: &types.StackInstanceComprehensiveStatus{DetailedStatus: types.StackInstanceDetailedStatusSucceeded},
	}}}, nil
}

func ExampleManager_Deploy() {
	// With AWS: cfg, _ := config.LoadDefaultConfig(ctx);
	// CFN: cloudformation.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg).
	m := &stackset.Manager{
		CFN: &exampleCFN{},
		Out: os.Stdout, // the plan and the stack instances
		Log: nil,       // progress would go to os.Stderr
		Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
	}
	res, err := m.Deploy(context.Background(), stackset.Input{
		Name:     "site",
		Template: []byte("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"),
		Model:    stackset.SelfManaged,
		Accounts: []string{"123456789012"},
		Regions:  []string{"eu-west-1"},
		Yes:      true,
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(res.Instances[0].Status)
	// Output:
	// create stack set site (SELF_MANAGED) with the template (47 bytes, -)
	// ACTION  ACCOUNT       ORG UNIT  REGION     STATUS
	// add     123456789012  -         eu-west-1  -
	// 1 to add, 0 to update, 0 to remove
	// ACCOUNT       REGION     ORG UNIT  STATUS   DETAILED STATUS  REASON
	// 123456789012  eu-west-1  -         CURRENT  SUCCEEDED        -
	// 1 stack instance, 1 CURRENT
	// CURRENT
}
