package golden_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/cfngen/cfngen/internal/testkit/golden"
	"github.com/cfngen/cfngen/internal/testkit/moto"
)

// motoServer is started by the first test that deploys: make golden
// starts none.
var motoServer moto.Server

func TestMain(m *testing.M) {
	code := motoServer.Run(m)
	golden.Report(os.Stderr)
	os.Exit(code)
}

// TestDeploysOnMoto creates the default and the no-NAT stacks on moto
// (which ignores creation policies and implements gateway endpoints) and
// checks the S3 gateway endpoint on the private route tables and, without
// a NAT gateway, the interface endpoints.
func TestDeploysOnMoto(t *testing.T) {
	golden.Behaviour(t)
	ctx := context.Background()
	cfg := motoServer.Config(t)
	cfn, ec := cloudformation.NewFromConfig(cfg), ec2.NewFromConfig(cfg)
	for _, c := range []struct {
		name      string
		endpoints []string
	}{
		{"default", nil},
		{"no-nat", []string{"cloudformation", "ec2messages", "ssm", "ssmmessages"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			stack := fmt.Sprintf("golden-%s-%d", c.name, time.Now().UnixNano())
			body := string(built(t, named(t, c.name)))
			if _, err := cfn.CreateStack(ctx, &cloudformation.CreateStackInput{
				StackName:    aws.String(stack),
				TemplateBody: aws.String(body),
				Capabilities: []cfntypes.Capability{cfntypes.CapabilityCapabilityIam},
			}); err != nil {
				t.Fatal(err)
			}
			st, err := cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stack)})
			if err != nil {
				t.Fatal(err)
			}
			if s := st.Stacks[0].StackStatus; s != cfntypes.StackStatusCreateComplete {
				t.Fatalf("stack %s: %s %s", stack, s, aws.ToString(st.Stacks[0].StackStatusReason))
			}
			res, err := cfn.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(stack)})
			if err != nil {
				t.Fatal(err)
			}
			phys := map[string]string{}
			for _, r := range res.StackResources {
				phys[aws.ToString(r.LogicalResourceId)] = aws.ToString(r.PhysicalResourceId)
			}
			eps, err := ec.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{
				Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{phys["VPC"]}}},
			})
			if err != nil {
				t.Fatal(err)
			}
			var services []string
			for _, e := range eps.VpcEndpoints {
				service := aws.ToString(e.ServiceName)
				switch {
				case e.VpcEndpointType == ec2types.VpcEndpointTypeGateway && service == "com.amazonaws."+moto.Region+".s3":
					got, want := slices.Sorted(slices.Values(e.RouteTableIds)), []string{phys["PrivateRouteTable1"], phys["PrivateRouteTable2"]}
					if slices.Sort(want); !slices.Equal(got, want) {
						t.Errorf("the S3 gateway endpoint is on route tables %v, want the private ones %v", got, want)
					}
					services = append(services, "s3")
				case e.VpcEndpointType == ec2types.VpcEndpointTypeInterface:
					if len(e.SubnetIds) != 2 || !aws.ToBool(e.PrivateDnsEnabled) {
						t.Errorf("%s: subnets %v, private DNS %v; want both private subnets and private DNS", service, e.SubnetIds, aws.ToBool(e.PrivateDnsEnabled))
					}
					services = append(services, strings.TrimPrefix(service, "com.amazonaws."+moto.Region+"."))
				}
			}
			if want := append([]string{"s3"}, c.endpoints...); !slices.Equal(slices.Sorted(slices.Values(services)), slices.Sorted(slices.Values(want))) {
				t.Errorf("endpoints %v, want %v", services, want)
			}
		})
	}
}
