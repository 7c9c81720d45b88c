package predict_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/diff"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/predict"
	"github.com/cfngen/cfngen/template"
)

// stack builds the template of the default config after edit.
func stack(t testing.TB, edit func(*config.Config)) []byte {
	t.Helper()
	c := config.Default()
	if edit != nil {
		edit(c)
	}
	st, err := template.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	body, err := st.YAML()
	if err != nil {
		t.Fatal(err)
	}
	return body
}

var (
	azs3     = func(c *config.Config) { c.VPC.AZCount = 3 }
	azs6     = func(c *config.Config) { c.VPC.AZCount = 6 }
	natPerAZ = func(c *config.Config) { c.VPC.NATGateways = c.VPC.AZCount }
	four     = func(c *config.Config) { c.Instances.Count = 4 }
	tagged   = func(c *config.Config) { c.Tags = map[string]string{"team": "web"} }
	page     = func(c *config.Config) { c.Instances.Page.Heading = "Hello" }
	root     = func(c *config.Config) { c.Instances.RootVolumeGiB = 20 }
	cidr     = func(c *config.Config) { c.VPC.CIDR = "10.1.0.0/16" }
)

// sameAMI says that the SSM parameter of the AMI resolves to the same
// image before and after, so that the plans show what the config changes.
var sameAMI = predict.Options{
	OldParameters: map[string]string{"ImageId": "ami-0123456789abcdef0"},
	NewParameters: map[string]string{"ImageId": "ami-0123456789abcdef0"},
}

// configPairs are config changes a team makes over a stack's life, with
// the plan CloudFormation follows for each: one line per changed
// resource, "ACTION LOGICAL-ID PROPERTIES" ("?" for a possible change).
var configPairs = []struct {
	name     string
	old, new func(*config.Config)
	opts     predict.Options
	plan     string
}{
	{
		// Each AZ owns its blocks: the new one's subnets are added, the
		// load balancer spreads to it, nothing else moves.
		name: "2 to 3 AZs", new: azs3, opts: sameAMI, plan: `
Add PublicSubnet3
Add PrivateSubnet3
Add PublicSubnet3RouteTableAssociation
Add PrivateRouteTable3
Add PrivateDefaultRoute3
Add PrivateSubnet3RouteTableAssociation
Modify S3GatewayEndpoint RouteTableIds
Modify LoadBalancer Subnets`,
	},
	{
		name: "3 to 6 AZs", old: azs3, new: azs6, opts: sameAMI, plan: `
Add PublicSubnet4
Add PublicSubnet5
Add PublicSubnet6
Add PrivateSubnet4
Add PrivateSubnet5
Add PrivateSubnet6
Add PublicSubnet4RouteTableAssociation
Add PublicSubnet5RouteTableAssociation
Add PublicSubnet6RouteTableAssociation
Add PrivateRouteTable4
Add PrivateDefaultRoute4
Add PrivateSubnet4RouteTableAssociation
Add PrivateRouteTable5
Add PrivateDefaultRoute5
Add PrivateSubnet5RouteTableAssociation
Add PrivateRouteTable6
Add PrivateDefaultRoute6
Add PrivateSubnet6RouteTableAssociation
Modify S3GatewayEndpoint RouteTableIds
Modify LoadBalancer Subnets`,
	},
	{
		// A route's target changes in place (ReplaceRoute).
		name: "1 NAT to one per AZ", new: natPerAZ, opts: sameAMI, plan: `
Add NatGateway2EIP
Add NatGateway2
Modify PrivateDefaultRoute2 NatGatewayId`,
	},
	{
		name: "2 to 4 instances", new: four, opts: sameAMI, plan: `
Add Instance3
Add Instance4
Modify TargetGroup Targets`,
	},
	{
		// The launch template tags the root volumes with the stack's tags:
		// a new version, which replaces the instances that use it.
		name: "a tag", new: tagged, opts: sameAMI, plan: `
Modify VPC Tags
Modify InternetGateway Tags
Modify PublicSubnet1 Tags
Modify PublicSubnet2 Tags
Modify PrivateSubnet1 Tags
Modify PrivateSubnet2 Tags
Modify PublicRouteTable Tags
Modify NatGateway1EIP Tags
Modify NatGateway1 Tags
Modify PrivateRouteTable1 Tags
Modify PrivateRouteTable2 Tags
Modify LoadBalancerSecurityGroup Tags
Modify InstanceSecurityGroup Tags
Modify InstanceRole Tags
Modify LaunchTemplate LaunchTemplateData, TagSpecifications
Replace Instance1 LaunchTemplate, Tags
Replace Instance2 LaunchTemplate, Tags
Modify LoadBalancer Tags
Modify TargetGroup Tags, Targets`,
	},
	{
		name: "a page text", new: page, opts: sameAMI, plan: `
Modify LaunchTemplate LaunchTemplateData
Replace Instance1 LaunchTemplate
Replace Instance2 LaunchTemplate
Modify TargetGroup Targets`,
	},
	{
		name: "a root volume", new: root, opts: sameAMI, plan: `
Modify LaunchTemplate LaunchTemplateData
Replace Instance1 LaunchTemplate
Replace Instance2 LaunchTemplate
Modify TargetGroup Targets`,
	},
	{
		// A new VPC, and everything in it. The load balancer's subnets and
		// security groups are updatable properties, but not across VPCs:
		// the schema cannot say that, and the plan shows Modify.
		name: "a VPC CIDR", new: cidr, opts: sameAMI, plan: `
Replace VPC CidrBlock
Replace InternetGatewayAttachment VpcId
Replace PublicSubnet1 CidrBlock, VpcId
Replace PublicSubnet2 CidrBlock, VpcId
Replace PrivateSubnet1 CidrBlock, VpcId
Replace PrivateSubnet2 CidrBlock, VpcId
Replace PublicRouteTable VpcId
Replace PublicDefaultRoute RouteTableId
Replace PublicSubnet1RouteTableAssociation RouteTableId, SubnetId
Replace PublicSubnet2RouteTableAssociation RouteTableId, SubnetId
Replace NatGateway1 SubnetId
Replace PrivateRouteTable1 VpcId
Replace PrivateDefaultRoute1 NatGatewayId, RouteTableId
Replace PrivateSubnet1RouteTableAssociation RouteTableId, SubnetId
Replace PrivateRouteTable2 VpcId
Replace PrivateDefaultRoute2 NatGatewayId, RouteTableId
Replace PrivateSubnet2RouteTableAssociation RouteTableId, SubnetId
Replace LoadBalancerSecurityGroup SecurityGroupEgress?, VpcId
Replace InstanceSecurityGroup VpcId
Conditional InstanceIngressFromLoadBalancer GroupId?, SourceSecurityGroupId?
Replace S3GatewayEndpoint RouteTableIds, VpcId
Modify LaunchTemplate LaunchTemplateData?
Replace Instance1 LaunchTemplate?, SubnetId
Replace Instance2 LaunchTemplate?, SubnetId
Modify LoadBalancer SecurityGroups?, Subnets
Replace TargetGroup Targets, VpcId
Modify HTTPListener DefaultActions`,
	},
	{
		// Nothing changes in the config, but the AMI is an SSM parameter
		// that CloudFormation resolves again at every update: if Amazon
		// Linux has moved, the instances are replaced.
		name: "no change, AMI unknown", plan: `
Modify LaunchTemplate LaunchTemplateData?
Conditional Instance1 ImageId?, LaunchTemplate?
Conditional Instance2 ImageId?, LaunchTemplate?
Modify TargetGroup Targets?`,
	},
	{
		name: "no change, same AMI", opts: sameAMI, plan: ``,
	},
	{
		// Amazon Linux has moved on, and cfngen deploy pins the image the
		// stack runs (package ami): the new instances get it too.
		name: "2 to 4 instances, newer AMI in SSM, pinned", new: four, opts: predict.Options{
			OldParameters: map[string]string{"ImageId": "ami-0123456789abcdef0", "PinnedImageId": ""},
			NewParameters: map[string]string{"ImageId": "ami-0fedcba9876543210", "PinnedImageId": "ami-0123456789abcdef0"},
		}, plan: `
Add Instance3
Add Instance4
Modify TargetGroup Targets`,
	},
	{
		name: "no change, newer AMI in SSM, not pinned", opts: predict.Options{
			OldParameters: map[string]string{"ImageId": "ami-0123456789abcdef0", "PinnedImageId": ""},
			NewParameters: map[string]string{"ImageId": "ami-0fedcba9876543210", "PinnedImageId": ""},
		}, plan: `
Modify LaunchTemplate LaunchTemplateData
Replace Instance1 ImageId, LaunchTemplate
Replace Instance2 ImageId, LaunchTemplate
Modify TargetGroup Targets`,
	},
}

// TestConfigChanges predicts the plan of each config change offline, from
// the two templates that template.Build writes.
func TestConfigChanges(t *testing.T) {
	for _, tc := range configPairs {
		t.Run(tc.name, func(t *testing.T) {
			old, new := stack(t, tc.old), stack(t, tc.new)
			plan, err := predict.Predict(old, new, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, c := range plan.Changes {
				got.WriteString(strings.TrimSpace(fmt.Sprintf("%s %s %s", c.Action, c.LogicalID, changed(c))) + "\n")
			}
			want := strings.TrimPrefix(tc.plan, "\n")
			if want != "" {
				want += "\n"
			}
			if got.String() != want {
				t.Errorf("plan differs (want -, got +):\n%s", diff.Diff("want", []byte(want), "got", []byte(got.String())))
			}
		})
	}
}

// TestExistingSubnetsKeepTheirCIDR checks the property a stack needs to
// grow: no config change in configPairs but a new VPC CIDR moves an
// existing subnet, or changes it other than in its tags.
func TestExistingSubnetsKeepTheirCIDR(t *testing.T) {
	for _, tc := range configPairs {
		if tc.name == "a VPC CIDR" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			oldT, newT := stack(t, tc.old), stack(t, tc.new)
			old, new := subnets(t, oldT), subnets(t, newT)
			for id, cidr := range old {
				if n, ok := new[id]; ok && n != cidr {
					t.Errorf("%s moves: %s -> %s", id, cidr, n)
				}
			}
			plan, err := predict.Predict(oldT, newT, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range plan.Changes {
				if c.Type == "AWS::EC2::Subnet" && c.Action != predict.Add && !slices.Equal(c.Properties(), []string{"Tags"}) {
					t.Errorf("%s: %s %v", c.LogicalID, c.Action, c.Properties())
				}
			}
		})
	}
}

// subnets returns the CidrBlock of every subnet of a template.
func subnets(t *testing.T, body []byte) map[string]string {
	t.Helper()
	doc, err := cfnyaml.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	res := cfnyaml.Get(doc, "Resources")
	for i := 0; i+1 < len(res.Content); i += 2 {
		r := res.Content[i+1]
		if cfnyaml.Get(r, "Type").Value == "AWS::EC2::Subnet" {
			out[res.Content[i].Value] = cfnyaml.Get(cfnyaml.Get(r, "Properties"), "CidrBlock").Value
		}
	}
	if len(out) == 0 {
		t.Fatal("no subnets")
	}
	return out
}
