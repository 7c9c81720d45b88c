package deploy

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func TestWriteTextTable(t *testing.T) {
	api := []types.Change{
		change("Add", "PublicSubnetRouteTableAssociation", "AWS::EC2::SubnetRouteTableAssociation", ""),
		change("Modify", "Instance", "AWS::EC2::Instance", "True", "ImageId", "UserData", "ImageId"),
		change("Modify", "TargetGroup", "AWS::ElasticLoadBalancingV2::TargetGroup", "False", "HealthCheckPath"),
		change("Remove", "OldBucket", "AWS::S3::Bucket", ""),
		change("Import", "Table", "AWS::DynamoDB::Table", ""),
		change("Dynamic", "Macro", "AWS::CloudFormation::Macro", "Conditional"),
	}
	// Other attributes count by their name.
	api[2].ResourceChange.Details = append(api[2].ResourceChange.Details, types.ResourceChangeDetail{
		Target: &types.ResourceTargetDefinition{Attribute: types.ResourceAttributeTags, Name: aws.String("Name")},
	})
	cs := &ChangeSet{Changes: changes(append(api, types.Change{Type: "Resource"}))}
	var b bytes.Buffer
	if err := cs.WriteText(&b, 0); err != nil {
		t.Fatal(err)
	}
	checkText(t, "table", b.String(), `ACTION   LOGICAL ID                         TYPE                                      REPLACEMENT  CHANGED PROPERTIES
Add      PublicSubnetRouteTableAssociation  AWS::EC2::SubnetRouteTableAssociation     -            -
Modify   Instance                           AWS::EC2::Instance                        True         ImageId, UserData
Modify   TargetGroup                        AWS::ElasticLoadBalancingV2::TargetGroup  False        HealthCheckPath, Tags
Remove   OldBucket                          AWS::S3::Bucket                           -            -
Import   Table                              AWS::DynamoDB::Table                      -            -
Dynamic  Macro                              AWS::CloudFormation::Macro                Conditional  -
1 to add, 2 to modify, 1 to remove, 1 replacement
Instance: replaced
Macro: may be replaced
`)
}

func TestSummary(t *testing.T) {
	c := func(action, repl string) Change { return Change{Action: action, Replacement: repl} }
	for _, tc := range []struct {
		changes []Change
		want    string
	}{
		{nil, "0 to add, 0 to modify, 0 to remove, 0 replacements"},
		{[]Change{c("Add", ""), c("Add", ""), c("Add", ""), c("Modify", "True")}, "3 to add, 1 to modify, 0 to remove, 1 replacement"},
		{[]Change{c("Modify", "Conditional"), c("Modify", "True"), c("Modify", "False"), c("Remove", "")}, "0 to add, 3 to modify, 1 to remove, 2 replacements"},
	} {
		cs := &ChangeSet{Changes: tc.changes}
		check(t, "summary", cs.Summary(), tc.want)
	}
}

func TestDangerous(t *testing.T) {
	for _, tc := range []struct {
		c    Change
		want bool
	}{
		{Change{Action: "Add"}, false},
		{Change{Action: "Modify", Replacement: "False"}, false},
		{Change{Action: "Modify"}, true}, // CloudFormation did not say: fail closed
		{Change{Action: "Dynamic", Replacement: "False"}, false},
		{Change{Action: "Dynamic"}, true},
		{Change{Action: "Import"}, false},
		{Change{Action: "Modify", Replacement: "True"}, true},
		{Change{Action: "Modify", Replacement: "Conditional"}, true},
		{Change{Action: "Remove"}, true},
	} {
		check(t, tc.c.Action+" "+tc.c.Replacement, tc.c.Dangerous(), tc.want)
	}
}

func TestChangesArePaginated(t *testing.T) {
	s := newSim(t)
	existing(s, "UPDATE_COMPLETE")
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		s.changes = append(s.changes, change("Add", id, "AWS::SNS::Topic", ""))
	}
	s.csPage = 2
	d, _, _ := s.deployer()
	cs, err := d.Diff(context.Background(), testInput())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cs.Changes {
		ids = append(ids, c.LogicalID)
	}
	check(t, "changes", ids, []string{"A", "B", "C", "D", "E"})
	var pages []string
	for _, c := range s.api.Calls {
		if strings.HasPrefix(c, "DescribeChangeSet") {
			pages = append(pages, strings.TrimPrefix(c, "DescribeChangeSet "+cs.Name))
		}
	}
	check(t, "pages", pages, []string{"", " token=2", " token=4"})
}

func TestChangeSetName(t *testing.T) {
	s := newSim(t)
	d, _, _ := s.deployer()
	check(t, "first", d.changeSetName(), "cfngen-20260102030405-0001")
	check(t, "second", d.changeSetName(), "cfngen-20260102030405-0203")
	d.Rand = nil
	if n := d.changeSetName(); len(n) != len("cfngen-20260102030405-0001") || !strings.HasPrefix(n, "cfngen-20260102030405-") {
		t.Errorf("name with crypto/rand: %q", n)
	}
}
