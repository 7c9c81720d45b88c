package graph_test

import (
	"strings"
	"testing"

	"github.com/cfngen/cfngen/graph"
)

// TestGivenSubnets: subnets that parameters give are drawn as existing
// subnets of the given VPC: each of a list's default, picked by
// !Select [i, !Ref P] or named all at once by !Ref P, and a single subnet
// parameter; a list without a default has as many as the template picks.
func TestGivenSubnets(t *testing.T) {
	src := `
Parameters:
  Vpc: {Type: AWS::EC2::VPC::Id, Default: vpc-0abc}
  Public: {Type: List<AWS::EC2::Subnet::Id>, Default: 'subnet-01, subnet-02'}
  App: {Type: List<AWS::EC2::Subnet::Id>}
  DbSubnet: {Type: AWS::EC2::Subnet::Id, Default: subnet-09}
Resources:
  LB:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: !Ref Public}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties: {LoadBalancerArn: !Ref LB, Port: 80, Protocol: HTTP}
  Web:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Select [2, !Ref App]}
  Db:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref DbSubnet}
`
	p, err := graph.Architecture([]byte(src), graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	mmd := string(p.Mermaid())
	for _, want := range []string{
		`subgraph cluster_vpc ["Existing VPC<br/>vpc-0abc (parameter Vpc)"]`,
		`subgraph Public_1 ["Existing public subnet<br/>Public[0]<br/>subnet-01<br/>routes: the network's own"]`,
		`subgraph Public_2 ["Existing public subnet<br/>Public[1]<br/>subnet-02`,
		`subgraph App_3 ["Existing subnet<br/>App[2]<br/>routes: the network's own"]`,
		`Web["EC2 instance<br/>Web`,
		`subgraph DbSubnet ["Existing subnet<br/>DbSubnet<br/>subnet-09`,
		`_internet -->|"HTTP 80"| LB`,
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("no %q in:\n%s", want, mmd)
		}
	}
	if strings.Index(mmd, "App_3") > strings.Index(mmd, "Web[") || !strings.Contains(mmd, "App_1") {
		t.Errorf("the instance is not in the third subnet of App, or App has not 3 subnets:\n%s", mmd)
	}
	checkDOT(t, p.DOT())
	doc := parseSVG(t, drawSVG(t, []byte(src), graph.Options{}))
	checkAccounted(t, []byte(src), doc)
	refs, err := graph.Mermaid([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(refs), `["existing public subnet subnet-01"]`) || !strings.Contains(string(refs), "Web --> App_3") {
		t.Errorf("the references view does not draw the given subnets:\n%s", refs)
	}
}
