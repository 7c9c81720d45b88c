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
