package predict_test

import (
	"fmt"
	"os"

	"github.com/cfngen/cfngen/predict"
)

func Example() {
	old := []byte(`
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.0.0/24
`)
	new := []byte(`
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags: [{Key: team, Value: web}]
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      CidrBlock: 10.0.1.0/24
`)
	plan, err := predict.Predict(old, new, predict.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	plan.WriteTable(os.Stdout)
	fmt.Println(plan.Replacement("Subnet"))
	// Output:
	// ACTION  LOGICAL ID  TYPE              REPLACEMENT  CHANGED PROPERTIES
	// Modify  VPC         AWS::EC2::VPC     False        Tags
	// Modify  Subnet      AWS::EC2::Subnet  True         CidrBlock
	// 0 to add, 2 to modify, 0 to remove, 1 replacement
	// Subnet: replaced: CidrBlock is create-only and changes
	// True
}

// A change set that does not say whether a change replaces its resource
// (moto's never do) gets the predicted replacement; a change the
// prediction does not see as a modification keeps "", unknown.
func ExamplePlan_Replacement() {
	deployed := []byte(`
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.0.0/24}
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: vpc-1}
`)
	next := []byte(`
Resources:
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: vpc-1, CidrBlock: 10.0.1.0/24}
  Table:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: vpc-1}
`)
	type change struct{ Action, LogicalID, Replacement string }
	changes := []change{{"Modify", "Subnet", ""}, {"Modify", "Table", ""}}

	plan, err := predict.Predict(deployed, next, predict.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, c := range changes {
		if c.Action == "Modify" && c.Replacement == "" {
			changes[i].Replacement = plan.Replacement(c.LogicalID)
		}
	}
	fmt.Printf("%q\n", changes)
	// Output:
	// [{"Modify" "Subnet" "True"} {"Modify" "Table" ""}]
}
