package graph_test

import (
	"strings"
	"testing"

	"github.com/cfngen/cfngen/graph"
)

// TestUnknownPlacement: resources the picture knows nothing about sit where
// their references put them; plumbing is folded, the rest is drawn.
func TestUnknownPlacement(t *testing.T) {
	src := `
Parameters:
  VpcId: {Type: AWS::EC2::VPC::Id}
Resources:
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: 10.1.0.0/24, AvailabilityZone: !Select [0, !GetAZs '']}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: 10.1.1.0/24, AvailabilityZone: !Select [1, !GetAZs '']}
  Cache:
    Type: AWS::ElastiCache::SubnetGroup
    Properties: {SubnetIds: [!Ref SubnetA, !Ref SubnetB]}
  Box:
    Type: Custom::Box
    Properties: {ServiceToken: arn, Subnet: !Ref SubnetB}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !Ref VpcId
      GroupDescription: db
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.1.0.0/16}]
  Database:
    Type: AWS::RDS::DBInstance
    Properties: {VPCSecurityGroups: [!Ref Group], DBSubnetGroupName: !Ref Cache}
  Topic:
    Type: AWS::SNS::Topic
`
	p, err := graph.Architecture([]byte(src), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := string(p.Mermaid())
	want := `flowchart TB
  subgraph cluster_vpc ["Existing VPC<br/>parameter VpcId"]
    Database["RDS::DBInstance<br/>Database<br/>allows 5432 from 10.1.0.0/16<br/>sends anything anywhere"]
    subgraph cluster_az1 ["Availability Zone 1"]
      subgraph SubnetA ["Subnet<br/>SubnetA<br/>10.1.0.0/24"]
      end
    end
    subgraph cluster_az2 ["Availability Zone 2"]
      subgraph SubnetB ["Subnet<br/>SubnetB<br/>10.1.1.0/24"]
        Box["Custom::Box<br/>Box"]
      end
    end
  end
  Topic["SNS::Topic<br/>Topic"]
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The security group and the subnet group are folded into the
	// database, which sits across the subnets of its group; the group is
	// said as what it allows.
	doc := parseSVG(t, drawSVG(t, []byte(src), graph.Options{}))
	if !strings.Contains(doc.text, "allows 5432 from 10.1.0.0/16") {
		t.Errorf("the database's group is not said:\n%s", doc.text)
	}
	checkAccounted(t, []byte(src), doc)
}

// TestNoGateway: an internet-facing load balancer with no internet
// gateway in the template (an existing VPC) takes traffic straight from
// the internet.
func TestNoGateway(t *testing.T) {
	src := `
Resources:
  Subnet1: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-0abc, AvailabilityZone: eu-west-1a}}
  Subnet2: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-0abc, AvailabilityZone: eu-west-1b}}
  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Type: network, Subnets: [!Ref Subnet1, !Ref Subnet2]}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref LB, Port: 443, Protocol: TLS}
`
	p, err := graph.Architecture([]byte(src), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mmd := string(p.Mermaid())
	for _, want := range []string{
		`subgraph cluster_vpc ["Existing VPC<br/>vpc-0abc"]`,
		`subgraph cluster_az1 ["eu-west-1a"]`,
		`LB["Network Load Balancer<br/>LB · internet-facing<br/>TLS 443"]`,
		`subgraph Subnet1 ["Subnet<br/>Subnet1"]`,
		`_internet -->|"TLS 443"| LB`,
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("no %q in:\n%s", want, mmd)
		}
	}
	checkDOT(t, p.DOT())
}

// TestArchitectureDOT: Graphviz takes the architecture of every golden.
func TestArchitectureDOT(t *testing.T) {
	for _, s := range scenarios(t) {
		p, err := graph.Architecture(s.body, graph.Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkDOT(t, p.DOT())
	}
}

func TestArchitectureErrors(t *testing.T) {
	for _, src := range []string{"", "[1, 2]", "Resources: {}\n"} {
		if _, err := graph.Architecture([]byte(src), graph.Options{}); err == nil {
			t.Errorf("Architecture(%q): no error", src)
		}
	}
	_, err := graph.Architecture([]byte("Resources:\n  A: {Type: T}\n"), graph.Options{Plan: &graph.Plan{Previous: []byte("[")}})
	if err == nil || !strings.Contains(err.Error(), "previous template") {
		t.Errorf("a bad previous template: %v", err)
	}
}
