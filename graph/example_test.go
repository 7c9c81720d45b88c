package graph_test

import (
	"fmt"
	"log"

	"github.com/cfngen/cfngen/graph"
)

func ExampleDOT() {
	template := []byte(`
Parameters:
  ImageId: {Type: AWS::EC2::Image::Id}
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      AvailabilityZone: !Select [0, !GetAZs '']
      CidrBlock: 10.0.0.0/24
  Server:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Ref ImageId
      SubnetId: !Ref Subnet
`)
	dot, err := graph.DOT(template)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(dot))
	// Output:
	// digraph {
	// 	graph [fontname="Helvetica", fontsize=12, rankdir="LR"];
	// 	node [shape="box", style="rounded", fontname="Helvetica", fontsize=10];
	// 	edge [color="#666666"];
	// 	subgraph "cluster_vpc" {
	// 		label="VPC"; style="rounded"; color="#4d7f17";
	// 		"VPC" [label="VPC\nEC2::VPC"];
	// 		subgraph "cluster_az1" {
	// 			label="Availability Zone 1"; style="dashed"; color="#147eba";
	// 			subgraph "cluster_private_Subnet" {
	// 				label="private subnet 10.0.0.0/24"; style="filled,rounded"; color="#147eba"; fillcolor="#e6f2f8";
	// 				"Server" [label="Server\nEC2::Instance"];
	// 				"Subnet" [label="Subnet\nEC2::Subnet"];
	// 			}
	// 		}
	// 	}
	// 	"Server" -> "Subnet";
	// 	"Subnet" -> "VPC";
	// }
}

func ExampleArchitecture() {
	template := []byte(`
Resources:
  VPC:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref VPC
      AvailabilityZone: !Select [0, !GetAZs '']
      CidrBlock: 10.0.0.0/24
  Server:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: t3.micro
      SubnetId: !Ref Subnet
  Queue:
    Type: AWS::SQS::Queue
`)
	p, err := graph.Architecture(template, graph.Options{Title: "demo"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(p.Mermaid()))
	// p.SVG() draws the same picture as a self-contained SVG.

	// Output:
	// flowchart TB
	//   subgraph cluster_vpc ["VPC<br/>VPC · 10.0.0.0/16"]
	//     subgraph cluster_az1 ["Availability Zone 1"]
	//       subgraph Subnet ["Private subnet<br/>Subnet<br/>10.0.0.0/24<br/>no way out"]
	//         Server["EC2 instance<br/>Server<br/>t3.micro"]
	//       end
	//     end
	//   end
	//   Queue["SQS::Queue<br/>Queue"]
}
