package predict_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/predict"
)

// want is the expected prediction for one resource: its action and its
// changed properties as the table shows them ("?" for a possible change).
type want struct {
	action  predict.Action
	changed string
}

// check predicts old -> new and compares every resource of both templates
// with want; a resource missing from want must be None.
func check(t *testing.T, old, new string, opts predict.Options, wants map[string]want) *predict.Plan {
	t.Helper()
	plan, err := predict.Predict([]byte(old), []byte(new), opts)
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range wants {
		c, ok := plan.Resource(id)
		if !ok {
			t.Errorf("%s: not in either template", id)
			continue
		}
		if c.Action != w.action || changed(c) != w.changed {
			t.Errorf("%s: got %s [%s], want %s [%s]", id, c.Action, changed(c), w.action, w.changed)
		}
	}
	for _, c := range plan.Changes {
		if _, ok := wants[c.LogicalID]; !ok {
			t.Errorf("%s: got %s [%s], want None", c.LogicalID, c.Action, changed(c))
		}
	}
	return plan
}

// changed is the CHANGED PROPERTIES column of the table.
func changed(c predict.Change) string {
	var out []string
	for _, d := range c.Details {
		if d.Certain {
			out = append(out, d.Name)
		} else {
			out = append(out, d.Name+"?")
		}
	}
	return strings.Join(out, ", ")
}

const network = `
Parameters:
  Cidr:
    Type: String
    Default: 10.0.0.0/24
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: !Ref Cidr
      AvailabilityZone: !Select [0, !GetAZs '']
      Tags:
        - {Key: Name, Value: !Sub '${AWS::StackName}-subnet'}
  Table:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref VPC
  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      RouteTableId: !Ref Table
      SubnetId: !Ref Subnet
  IP:
    Type: AWS::EC2::EIP
    Properties:
      Domain: vpc
  NAT:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt IP.AllocationId
      SubnetId: !Ref Subnet
`

// edit returns network with each old string replaced by its new one; it
// fails when one is missing, so that a test cannot silently test nothing.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := network
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("edit: %q not in the template", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func TestSameTemplateChangesNothing(t *testing.T) {
	plan := check(t, network, network, predict.Options{}, nil)
	if got := plan.Summary(); got != "0 to add, 0 to modify, 0 to remove, 0 replacements" {
		t.Errorf("summary %q", got)
	}
}

func TestTagIsModifiedInPlace(t *testing.T) {
	check(t, network, edit(t, "${AWS::StackName}-subnet", "${AWS::StackName}-net"), predict.Options{},
		map[string]want{"Subnet": {predict.Modify, "Tags"}})
}

func TestCreateOnlyChangeReplaces(t *testing.T) {
	plan := check(t, network, edit(t, "!Select [0,", "!Select [1,"), predict.Options{}, map[string]want{
		"Subnet":      {predict.Replace, "AvailabilityZone"},
		"Association": {predict.Replace, "SubnetId"},
		"NAT":         {predict.Replace, "SubnetId"},
	})
	c, _ := plan.Resource("Subnet")
	if c.Replacement() != "True" || c.Details[0].Recreation != predict.Always {
		t.Errorf("Subnet: replacement %q, recreation %q", c.Replacement(), c.Details[0].Recreation)
	}
	if got, want := c.Why(), "replaced: AvailabilityZone is create-only and changes"; got != want {
		t.Errorf("Why() = %q, want %q", got, want)
	}
}

// A replaced VPC gets a new ID: everything that names it by Ref is
// replaced in turn, and so on down the references.
func TestRefCascades(t *testing.T) {
	plan := check(t, network, edit(t, "10.0.0.0/16", "10.1.0.0/16"), predict.Options{}, map[string]want{
		"VPC":         {predict.Replace, "CidrBlock"},
		"Subnet":      {predict.Replace, "VpcId"},
		"Table":       {predict.Replace, "VpcId"},
		"Association": {predict.Replace, "RouteTableId, SubnetId"},
		"NAT":         {predict.Replace, "SubnetId"},
	})
	c, _ := plan.Resource("Association")
	if got, want := c.Why(), "replaced: RouteTableId is create-only and changes (Ref Table, which is replaced)"; got != want {
		t.Errorf("Why() = %q, want %q", got, want)
	}
}

// An attribute of a replaced resource may or may not keep its value.
func TestGetAttOfReplacedResourceIsConditional(t *testing.T) {
	plan := check(t, network, edit(t, "Domain: vpc", "Domain: vpc\n      NetworkBorderGroup: us-east-1-bos-1"), predict.Options{},
		map[string]want{
			"IP":  {predict.Replace, "NetworkBorderGroup"},
			"NAT": {predict.Conditional, "AllocationId?"},
		})
	c, _ := plan.Resource("NAT")
	if got, want := c.Why(), "may be replaced: AllocationId may change (IP.AllocationId, whose resource is replaced)"; got != want {
		t.Errorf("Why() = %q, want %q", got, want)
	}
}

// An attribute of a resource updated in place keeps its value...
func TestGetAttOfModifiedResourceKeepsItsValue(t *testing.T) {
	check(t, network, edit(t, "Domain: vpc", "Domain: vpc\n      Tags: [{Key: a, Value: b}]"), predict.Options{},
		map[string]want{"IP": {predict.Modify, "Tags"}})
}

// ...except the ones an update changes: a launch template's new version.
func TestLaunchTemplateVersionCascades(t *testing.T) {
	const tmpl = `
Resources:
  LT:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        InstanceType: t3.micro
  Web:
    Type: AWS::EC2::Instance
    Properties:
      LaunchTemplate:
        LaunchTemplateId: !Ref LT
        Version: !GetAtt LT.LatestVersionNumber
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      LaunchTemplate:
        LaunchTemplateId: !Ref LT
        Version: !GetAtt LT.LatestVersionNumber
`
	newer := strings.Replace(tmpl, "t3.micro", "t3.small", 1)
	check(t, tmpl, newer, predict.Options{}, map[string]want{
		"LT":    {predict.Modify, "LaunchTemplateData"},
		"Web":   {predict.Replace, "LaunchTemplate"},
		"Group": {predict.Modify, "LaunchTemplate"}, // no AutoScalingReplacingUpdate: in place
	})
	replacing := strings.Replace(tmpl, "  Group:\n    Type: AWS::AutoScaling::AutoScalingGroup\n",
		"  Group:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    UpdatePolicy:\n      AutoScalingReplacingUpdate:\n        WillReplace: true\n", 1)
	if replacing == tmpl {
		t.Fatal("UpdatePolicy not added")
	}
	check(t, replacing, strings.Replace(replacing, "t3.micro", "t3.small", 1), predict.Options{}, map[string]want{
		"LT":    {predict.Modify, "LaunchTemplateData"},
		"Web":   {predict.Replace, "LaunchTemplate"},
		"Group": {predict.Replace, "LaunchTemplate"},
	})
}

// A create-only property from a parameter: a new default may or may not
// be the deployed value; given values decide.
func TestParameterDefaultChange(t *testing.T) {
	newer := edit(t, "Default: 10.0.0.0/24", "Default: 10.0.1.0/24")
	plan := check(t, network, newer, predict.Options{}, map[string]want{
		"Subnet":      {predict.Conditional, "CidrBlock?"},
		"Association": {predict.Conditional, "SubnetId?"},
		"NAT":         {predict.Conditional, "SubnetId?"},
	})
	c, _ := plan.Resource("Subnet")
	if got, want := c.Why(), `may be replaced: CidrBlock may change (the default of parameter Cidr changes from "10.0.0.0/24" to "10.0.1.0/24")`; got != want {
		t.Errorf("Why() = %q, want %q", got, want)
	}
	if c.Replacement() != "Conditional" {
		t.Errorf("replacement %q", c.Replacement())
	}

	// The stack was given 10.0.1.0/24 before: nothing changes.
	given := map[string]string{"Cidr": "10.0.1.0/24"}
	check(t, network, newer, predict.Options{OldParameters: given, NewParameters: given}, nil)

	// Values given on both sides that differ: a sure replacement.
	check(t, network, network, predict.Options{
		OldParameters: map[string]string{"Cidr": "10.0.0.0/24"},
		NewParameters: map[string]string{"Cidr": "10.0.2.0/24"},
	}, map[string]want{
		"Subnet":      {predict.Replace, "CidrBlock"},
		"Association": {predict.Replace, "SubnetId"},
		"NAT":         {predict.Replace, "SubnetId"},
	})

	// A literal in place of the parameter, equal to its value.
	check(t, network, edit(t, "CidrBlock: !Ref Cidr", "CidrBlock: 10.0.0.0/24"), predict.Options{}, nil)
}

// SSM parameter types are resolved again at every update: whatever
// refers to one may change even when nothing else does.
func TestSSMParameterIsConditional(t *testing.T) {
	const tmpl = `
Parameters:
  ImageId:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref ImageId
`
	check(t, tmpl, tmpl, predict.Options{}, map[string]want{"Web": {predict.Conditional, "ImageId?"}})
	ami := map[string]string{"ImageId": "ami-0123456789abcdef0"}
	check(t, tmpl, tmpl, predict.Options{OldParameters: ami, NewParameters: ami}, nil)
}

// Fn::If takes the branch its condition chooses when the parameter values
// decide it; otherwise both branches count.
func TestConditionsEvaluated(t *testing.T) {
	const pinned = `
Parameters:
  ImageId:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
  PinnedImageId: {Type: String, Default: ""}
  Env: {Type: String, Default: prod}
Conditions:
  ImagePinned: !Not [!Equals [!Ref PinnedImageId, ""]]
  Prod: !Equals [!Ref Env, prod]
  PinnedProd: !And [!Condition ImagePinned, !Condition Prod]
  PinnedOrProd: !Or [!Condition ImagePinned, !Condition Prod]
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !If [ImagePinned, !Ref PinnedImageId, !Ref ImageId]
`
	const (
		oldAMI = "ami-0123456789abcdef0"
		newAMI = "ami-0fedcba9876543210"
	)
	latest := func(resolved, pin string) map[string]string {
		return map[string]string{"ImageId": resolved, "PinnedImageId": pin, "Env": "prod"}
	}
	// The SSM parameter moved, and the update pins the image it had.
	check(t, pinned, pinned, predict.Options{OldParameters: latest(oldAMI, ""), NewParameters: latest(newAMI, oldAMI)}, nil)
	// Without the pin the instance takes the new image.
	check(t, pinned, pinned, predict.Options{OldParameters: latest(oldAMI, ""), NewParameters: latest(newAMI, "")},
		map[string]want{"Web": {predict.Replace, "ImageId"}})
	// Pinned to another image.
	check(t, pinned, pinned, predict.Options{OldParameters: latest(oldAMI, oldAMI), NewParameters: latest(oldAMI, newAMI)},
		map[string]want{"Web": {predict.Replace, "ImageId"}})
	// Values unknown: the SSM parameter may have moved.
	check(t, pinned, pinned, predict.Options{}, map[string]want{"Web": {predict.Conditional, "ImageId?"}})
	// From a template without the pin, to one pinned to the same image.
	unpinned := edit2(t, pinned, "ImageId: !If [ImagePinned, !Ref PinnedImageId, !Ref ImageId]", "ImageId: !Ref ImageId")
	check(t, unpinned, pinned, predict.Options{OldParameters: latest(oldAMI, ""), NewParameters: latest(newAMI, oldAMI)}, nil)

	// And, Or and Condition: decided by one known operand, or by all.
	for _, c := range []struct {
		cond string
		vals map[string]string
		want predict.Action
	}{
		{"PinnedProd", map[string]string{"PinnedImageId": ""}, predict.None},                       // false whatever Env is
		{"PinnedProd", map[string]string{"PinnedImageId": oldAMI}, predict.Conditional},            // Env unknown
		{"PinnedProd", map[string]string{"PinnedImageId": oldAMI, "Env": "prod"}, predict.Replace}, // both true
		{"PinnedOrProd", map[string]string{"Env": "prod"}, predict.Replace},                        // true whatever the pin is
		{"PinnedOrProd", map[string]string{"Env": "dev"}, predict.Conditional},
	} {
		tmpl := edit2(t, pinned, "ImageId: !If [ImagePinned, !Ref PinnedImageId, !Ref ImageId]", "ImageId: !If ["+c.cond+", ami-0123456789abcdef0, ami-0fedcba9876543210]")
		old := edit2(t, pinned, "ImageId: !If [ImagePinned, !Ref PinnedImageId, !Ref ImageId]", "ImageId: ami-0fedcba9876543210")
		plan, err := predict.Predict([]byte(old), []byte(tmpl), predict.Options{NewParameters: c.vals})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := plan.Resource("Web"); got.Action != c.want {
			t.Errorf("%s with %v: %s, want %s", c.cond, c.vals, got.Action, c.want)
		}
	}
}

// edit2 replaces old with new in tmpl, once, and fails when old is not there.
func edit2(t *testing.T, tmpl, old, new string) string {
	t.Helper()
	if !strings.Contains(tmpl, old) {
		t.Fatalf("no %q in the template", old)
	}
	return strings.Replace(tmpl, old, new, 1)
}

// Resource attributes change resources in place; DependsOn compares as a
// set.
func TestAttributesDoNotReplace(t *testing.T) {
	meta := edit(t, "  NAT:\n    Type: AWS::EC2::NatGateway\n",
		"  NAT:\n    Type: AWS::EC2::NatGateway\n    Metadata: {Note: hi}\n    DeletionPolicy: Retain\n")
	check(t, network, meta, predict.Options{}, map[string]want{"NAT": {predict.Modify, "DeletionPolicy, Metadata"}})

	deps := edit(t, "  NAT:\n    Type: AWS::EC2::NatGateway\n", "  NAT:\n    Type: AWS::EC2::NatGateway\n    DependsOn: [Association, Table]\n")
	check(t, network, deps, predict.Options{}, map[string]want{"NAT": {predict.Modify, "DependsOn"}})
	reordered := strings.Replace(deps, "[Association, Table]", "[Table, Association]", 1)
	check(t, deps, reordered, predict.Options{}, nil)

	policy := edit(t, "  IP:\n    Type: AWS::EC2::EIP\n", "  IP:\n    Type: AWS::EC2::EIP\n    UpdatePolicy: {}\n    CreationPolicy: {ResourceSignal: {Count: 1}}\n")
	check(t, network, policy, predict.Options{}, map[string]want{"IP": {predict.Modify, "CreationPolicy, UpdatePolicy"}})
}

// CloudFormation refuses an update that changes a resource's type.
func TestTypeChange(t *testing.T) {
	plan := check(t, network, edit(t, "Type: AWS::EC2::EIP", "Type: AWS::EC2::InternetGateway"), predict.Options{}, map[string]want{
		"IP":  {predict.Replace, "Type"},
		"NAT": {predict.Conditional, "AllocationId?"},
	})
	c, _ := plan.Resource("IP")
	if c.OldType != "AWS::EC2::EIP" || c.Type != "AWS::EC2::InternetGateway" {
		t.Errorf("types %s -> %s", c.OldType, c.Type)
	}
	if !strings.Contains(c.Why(), "CloudFormation refuses") {
		t.Errorf("Why() = %q", c.Why())
	}
}

func TestAddAndRemove(t *testing.T) {
	newer := edit(t, "  IP:\n    Type: AWS::EC2::EIP\n", "  IP2:\n    Type: AWS::EC2::EIP\n", "IP.AllocationId", "IP2.AllocationId")
	plan := check(t, network, newer, predict.Options{}, map[string]want{
		"IP2": {predict.Add, ""},
		"IP":  {predict.Remove, ""},
		"NAT": {predict.Replace, "AllocationId"},
	})
	var order []string
	for _, c := range plan.Changes {
		order = append(order, c.LogicalID)
	}
	if got := strings.Join(order, " "); got != "IP2 NAT IP" {
		t.Errorf("order %q, want the new template's, then the removed", got)
	}
	if got := plan.Summary(); got != "1 to add, 1 to modify, 1 to remove, 1 replacement" {
		t.Errorf("summary %q", got)
	}
	if plan.Replacement("IP2") != "" || plan.Replacement("IP") != "" || plan.Replacement("NAT") != "True" || plan.Replacement("VPC") != "" {
		t.Error("Replacement: want True only for the modified NAT")
	}
}

// Fn::Sub compares its text and then every variable in it.
func TestSubVariables(t *testing.T) {
	subs := edit(t, "Domain: vpc", "Domain: vpc\n      Tags: [{Key: v, Value: !Sub '${VPC} ${Subnet.CidrBlock} ${!Literal}'}]")
	check(t, subs, strings.Replace(subs, "10.0.0.0/16", "10.1.0.0/16", 1), predict.Options{}, map[string]want{
		"VPC":         {predict.Replace, "CidrBlock"},
		"Subnet":      {predict.Replace, "VpcId"},
		"Table":       {predict.Replace, "VpcId"},
		"Association": {predict.Replace, "RouteTableId, SubnetId"},
		"NAT":         {predict.Replace, "SubnetId"},
		"IP":          {predict.Modify, "Tags"},
	})
}

// Values that CloudFormation reads the same compare the same.
func TestEquivalentValues(t *testing.T) {
	const a = `
Resources:
  SG:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: sg-1
      IpProtocol: tcp
      FromPort: 80
      ToPort: "80"
      Description: !Ref AWS::NoValue
`
	b := strings.NewReplacer("FromPort: 80", `FromPort: "80"`, `ToPort: "80"`, "ToPort: 80", "      Description: !Ref AWS::NoValue\n", "").Replace(a)
	if b == a {
		t.Fatal("no edit")
	}
	check(t, a, b, predict.Options{}, nil)
	// JSON reads the same as YAML.
	j := `{"Resources": {"SG": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties":
		{"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80}}}}`
	check(t, a, j, predict.Options{}, nil)
	check(t, a, strings.Replace(j, `"ToPort": 80`, `"ToPort": 81`, 1), predict.Options{},
		map[string]want{"SG": {predict.Replace, "ToPort"}})
}

// An instance's conditionally create-only properties (the schema does not
// say when) and a type the snapshot lacks may replace.
func TestConditionalAndUnknown(t *testing.T) {
	const a = `
Resources:
  Web:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: t3.micro
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      DisplayName: a
`
	plan := check(t, a, strings.NewReplacer("t3.micro", "t3.small", "DisplayName: a", "DisplayName: b").Replace(a), predict.Options{},
		map[string]want{
			"Web":   {predict.Conditional, "InstanceType"},
			"Topic": {predict.Conditional, "DisplayName"},
		})
	c, _ := plan.Resource("Topic")
	if got, want := c.Why(), "may be replaced: DisplayName changes (the schema snapshot has no type AWS::SNS::Topic)"; got != want {
		t.Errorf("Why() = %q, want %q", got, want)
	}
}

// A create-only path below a property: only that part replaces.
func TestNestedCreateOnlyPath(t *testing.T) {
	const a = `
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: vpc-1
      ServiceName: com.amazonaws.us-east-1.s3
      DnsOptions:
        DnsRecordIpType: ipv4
        PrivateDnsPreference: VERIFIED_DOMAINS_ONLY
`
	check(t, a, strings.Replace(a, "DnsRecordIpType: ipv4", "DnsRecordIpType: dualstack", 1), predict.Options{},
		map[string]want{"Endpoint": {predict.Modify, "DnsOptions"}})
	check(t, a, strings.Replace(a, "VERIFIED_DOMAINS_ONLY", "ALL_DOMAINS", 1), predict.Options{},
		map[string]want{"Endpoint": {predict.Replace, "DnsOptions"}})
}

func TestBadTemplates(t *testing.T) {
	for _, tc := range []struct{ old, new, err string }{
		{"[1, 2]", network, "old template: "},
		{network, "Resources: {X: {Properties: {}}}", "new template: resource X: no Type"},
		{network, "Parameters: {}", "new template: no Resources mapping"},
		{network, "Resources: {X: {Type: AWS::EC2::VPC, Properties: [1]}}", "new template: resource X: Properties is not a mapping"},
	} {
		_, err := predict.Predict([]byte(tc.old), []byte(tc.new), predict.Options{})
		var te *predict.TemplateError
		if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("Predict(%.20q, %.20q) = %v, want a TemplateError %q", tc.old, tc.new, err, tc.err)
		}
	}
}
