package deploy

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"

	"fmt"
	"os"

	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/internal/testkit/moto"
)

// endpoint is the moto server that TestMain starts for this package.
var endpoint string

func TestMain(m *testing.M) {
	e, stop, err := moto.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "deploy tests need a moto server:", err)
		os.Exit(1)
	}
	endpoint = e
	code := m.Run()
	stop()
	os.Exit(code)
}

// motoTemplate is small and hand-written: a VPC, a subnet and an IAM role,
// with short-form tags.
const motoTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Description: cfngen deploy test
Parameters:
  VpcCidr:
    Type: String
    Default: 10.0.0.0/16
  SubnetCidr:
    Type: String
    Default: 10.0.1.0/24
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref VpcCidr
      Tags:
        - Key: Name
          Value: !Sub "${AWS::StackName}-vpc"
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: !Ref SubnetCidr
      AvailabilityZone: !Select [0, !GetAZs ""]
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: ec2.amazonaws.com
            Action: sts:AssumeRole
Outputs:
  VpcId:
    Value: !Ref VPC
`

var motoParams = map[string]string{"VpcCidr": "10.0.0.0/16", "SubnetCidr": "10.0.1.0/24"}

// uniqueName gives each test its own stack, also on a shared server.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()%1e9)
}

// motoClients returns clients pointed only at the moto server. With noRetry
// the CloudFormation client makes one attempt, so that moto's HTTP 500s are
// not retried into a success.
func motoClients(t *testing.T, noRetry bool) (*cloudformation.Client, *s3.Client) {
	t.Helper()
	cfg, err := moto.Config(context.Background(), endpoint)
	if err != nil {
		t.Fatal(err)
	}
	cfn := cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) {
		if noRetry {
			o.Retryer = aws.NopRetryer{}
		}
	})
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	return cfn, s3c
}

func motoDeployer(cfn API, up Uploader) (*Deployer, *bytes.Buffer, *bytes.Buffer) {
	var out, log bytes.Buffer
	return &Deployer{CFN: cfn, S3: up, Region: moto.Region, Out: &out, Log: &log}, &out, &log
}

// countingUploader counts the calls that go through to S3.
type countingUploader struct {
	Uploader
	heads, puts int
}

func (c *countingUploader) HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	c.heads++
	return c.Uploader.HeadObject(ctx, in, opts...)
}

func (c *countingUploader) PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	c.puts++
	return c.Uploader.PutObject(ctx, in, opts...)
}

func stackStatus(t *testing.T, cfn *cloudformation.Client, name string) string {
	t.Helper()
	out, err := cfn.DescribeStacks(context.Background(), &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if isStackMissing(err) {
		return "missing"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out.Stacks[0].StackStatus)
}

func TestMotoDeploy(t *testing.T) {
	ctx := context.Background()
	cfn, _ := motoClients(t, false)
	name := uniqueName("cfngen-moto")
	d, out, log := motoDeployer(cfn, nil)
	in := Input{StackName: name, Template: []byte(motoTemplate), Parameters: motoParams, Yes: true, Timeout: time.Minute}

	res, err := d.Deploy(ctx, in)
	if err != nil {
		t.Fatalf("first deploy: %v\nlog:\n%s", err, log)
	}
	check(t, "status", res.Status, "CREATE_COMPLETE")
	check(t, "type", res.ChangeSet.Type, "CREATE")
	check(t, "stack", stackStatus(t, cfn, name), "CREATE_COMPLETE")
	// moto gives no outputs after a change-set deploy.
	check(t, "outputs", res.Outputs, []Output(nil))
	checkText(t, "Out", out.String(), `parameters:
  VpcCidr: 10.0.0.0/16 (given)
  SubnetCidr: 10.0.1.0/24 (given)
ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
Add     VPC         AWS::EC2::VPC     -            -
Add     Subnet      AWS::EC2::Subnet  -            -
Add     Role        AWS::IAM::Role    -            -
3 to add, 0 to modify, 0 to remove, 0 replacements
access:
  + IAM Role trust: Allow sts:AssumeRole by Service: ec2.amazonaws.com
`)
	// moto creates the stack within ExecuteChangeSet: the first look finds
	// it done, and there is nothing to follow.
	lines := strings.Split(log.String(), "\n")
	check(t, "Log", lines[:2], []string{
		"created change set " + res.ChangeSet.Name + ", waiting for CloudFormation to compute it",
		"executing change set " + res.ChangeSet.Name + " on stack " + name,
	})
	if len(lines) != 4 || !strings.HasPrefix(lines[2], "stack "+name+": CREATE_COMPLETE in ") {
		t.Errorf("Log:\n%s", log)
	}

	// The same template and parameters: moto answers CreateChangeSet with
	// the ValidationError "No updates are to be performed.".
	out.Reset()
	log.Reset()
	if _, err := d.Deploy(ctx, in); !errors.Is(err, ErrNoChanges) {
		t.Fatalf("second deploy: %v, want ErrNoChanges\nlog:\n%s", err, log)
	}
	checkText(t, "Log of the second deploy", log.String(), "no changes: stack "+name+" is up to date\n")
	checkText(t, "Out of the second deploy", out.String(), "")

	// Diff shows an added subnet and leaves no change set behind.
	in2 := in
	in2.Template = []byte(strings.Replace(motoTemplate, "Outputs:", `  Subnet2:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.2.0/24
Outputs:`, 1))
	cs, err := d.Diff(ctx, in2)
	if err != nil {
		t.Fatalf("diff: %v", err)
	}
	check(t, "diff", cs.Changes, []Change{{Action: "Add", LogicalID: "Subnet2", Type: "AWS::EC2::Subnet"}})
	check(t, "diff type", cs.Type, "UPDATE")
	if _, err := cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(cs.ID)}); err == nil {
		t.Errorf("change set %s still there after Diff", cs.Name)
	}
	check(t, "stack after diff", stackStatus(t, cfn, name), "CREATE_COMPLETE")

	outs, err := d.Outputs(ctx, name)
	if err != nil || len(outs) != 0 {
		t.Errorf("Outputs = %v, %v; moto has none", outs, err)
	}
}

func TestMotoDiffOfNewStackLeavesNothing(t *testing.T) {
	cfn, _ := motoClients(t, false)
	name := uniqueName("cfngen-moto-diff")
	d, _, log := motoDeployer(cfn, nil)
	cs, err := d.Diff(context.Background(), Input{StackName: name, Template: []byte(motoTemplate), Parameters: motoParams})
	if err != nil {
		t.Fatalf("diff: %v\nlog:\n%s", err, log)
	}
	check(t, "type", cs.Type, "CREATE")
	check(t, "changes", len(cs.Changes), 3)
	check(t, "stack", stackStatus(t, cfn, name), "missing")
}

// bigMotoTemplate is motoTemplate padded over the inline limit.
func bigMotoTemplate() []byte {
	return []byte(strings.Replace(motoTemplate, "Resources:\n",
		"Metadata:\n  Padding: "+strings.Repeat("x", cfnrules.MaxTemplateBody)+"\nResources:\n", 1))
}

func TestMotoDeployThroughS3(t *testing.T) {
	for _, bucket := range []string{
		"cfngen-templates-" + strconv.FormatInt(time.Now().UnixNano()%1e9, 10), // virtual-hosted URL
		"cfngen.templates." + strconv.FormatInt(time.Now().UnixNano()%1e9, 10), // path-style URL
	} {
		t.Run(bucket, func(t *testing.T) {
			ctx := context.Background()
			cfn, s3c := motoClients(t, false)
			if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Fatal(err)
			}
			up := &countingUploader{Uploader: s3c}
			name := uniqueName("cfngen-moto-s3")
			d, _, log := motoDeployer(cfn, up)
			in := Input{StackName: name, Template: bigMotoTemplate(), Parameters: motoParams, S3Bucket: bucket, Yes: true, Timeout: time.Minute}

			res, err := d.Deploy(ctx, in)
			if err != nil {
				t.Fatalf("deploy: %v\nlog:\n%s", err, log)
			}
			check(t, "status", res.Status, "CREATE_COMPLETE")
			check(t, "calls", [2]int{up.heads, up.puts}, [2]int{1, 1})

			// With TemplateURL moto reaches its own no-change check: a
			// FAILED change set, which is deleted.
			log.Reset()
			if _, err := d.Deploy(ctx, in); !errors.Is(err, ErrNoChanges) {
				t.Fatalf("redeploy: %v, want ErrNoChanges\nlog:\n%s", err, log)
			}
			check(t, "calls after redeploy", [2]int{up.heads, up.puts}, [2]int{2, 1})
			if !strings.Contains(log.String(), "no changes: stack "+name+" is up to date\ndeleted change set ") {
				t.Errorf("Log:\n%s", log)
			}
		})
	}
}

func TestMotoExecuteRejected(t *testing.T) {
	cfn, _ := motoClients(t, true)
	name := uniqueName("cfngen-moto-bad")
	d, _, log := motoDeployer(cfn, nil)
	bad := strings.Replace(motoTemplate, "!Ref SubnetCidr", "!GetAtt Nope.CidrBlock", 1)
	res, err := d.Deploy(context.Background(), Input{StackName: name, Template: []byte(bad), Parameters: motoParams, Yes: true})
	if err == nil {
		t.Fatal("deploy of a broken template succeeded")
	}
	check(t, "error", err.Error(), "execute change set "+res.ChangeSet.Name+": ValidationError: Template error: instance of Fn::GetAtt references undefined resource Nope")
	// Nothing is left to block the next run.
	check(t, "stack", stackStatus(t, cfn, name), "missing")
	if !strings.HasSuffix(log.String(), "deleted change set "+res.ChangeSet.Name+"\ndeleted empty stack "+name+" (REVIEW_IN_PROGRESS)\n") {
		t.Errorf("Log:\n%s", log)
	}
}

func TestMotoDestroy(t *testing.T) {
	ctx := context.Background()
	cfn, _ := motoClients(t, false)
	name := uniqueName("cfngen-moto-destroy")
	d, out, log := motoDeployer(cfn, nil)
	if _, err := d.Deploy(ctx, Input{StackName: name, Template: []byte(motoTemplate), Parameters: motoParams, Yes: true}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := d.Destroy(ctx, DestroyInput{StackName: name, Yes: true}); err != nil {
		t.Fatalf("destroy: %v\nlog:\n%s", err, log)
	}
	check(t, "stack", stackStatus(t, cfn, name), "missing")
	if !strings.HasSuffix(out.String(), "3 resources to delete with stack "+name+"\n") || !strings.Contains(out.String(), "\nRole  ") {
		t.Errorf("Out:\n%s", out)
	}
}

func TestMotoDestroyDependencyViolation(t *testing.T) {
	// An attached internet gateway, a route and a security group make
	// moto's DeleteStack fail on the VPC.
	ctx := context.Background()
	cfn, _ := motoClients(t, true)
	name := uniqueName("cfngen-moto-igw")
	d, _, _ := motoDeployer(cfn, nil)
	extra := `  IGW:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref VPC
      InternetGatewayId: !Ref IGW
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref VPC
  Route:
    Type: AWS::EC2::Route
    DependsOn: Attach
    Properties:
      RouteTableId: !Ref RouteTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref IGW
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref VPC
Outputs:`
	tpl := strings.Replace(motoTemplate, "Outputs:", extra, 1)
	if _, err := d.Deploy(ctx, Input{StackName: name, Template: []byte(tpl), Parameters: motoParams, Yes: true}); err != nil {
		t.Fatal(err)
	}
	err := d.Destroy(ctx, DestroyInput{StackName: name, Yes: true})
	if err == nil {
		t.Fatal("moto deleted the stack; this test expects its DependencyViolation")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "delete stack "+name+": DependencyViolation: The vpc vpc-") ||
		!strings.HasSuffix(msg, " has dependencies and cannot be deleted.") {
		t.Errorf("error = %q, want the API's message plainly", msg)
	}
}
