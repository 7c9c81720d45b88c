package graph_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/graph"
)

// TestEveryGoldenTemplate draws each committed template in both formats:
// Graphviz accepts the DOT, both come out the same twice, and they agree
// on where every node sits.
func TestEveryGoldenTemplate(t *testing.T) {
	files, err := filepath.Glob("../golden/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files = slices.DeleteFunc(files, func(f string) bool { return strings.HasSuffix(f, ".config.yaml") })
	if len(files) == 0 {
		t.Fatal("no templates in ../golden")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dot := draw(t, graph.DOT, src)
			checkDOT(t, dot)
			mmd := draw(t, graph.Mermaid, src)
			d, m := parseDOT(t, dot), parseMermaid(t, mmd)
			if !bytes.HasPrefix(mmd, []byte("flowchart ")) {
				t.Errorf("Mermaid does not start with flowchart:\n%s", mmd)
			}
			for _, e := range m.edges {
				if _, ok := m.path[e[0]]; !ok {
					t.Errorf("Mermaid edge from undeclared node %s", e[0])
				}
				if _, ok := m.path[e[1]]; !ok {
					t.Errorf("Mermaid edge to undeclared node %s", e[1])
				}
			}
			if !equalPaths(d.path, m.path) || !slices.Equal(d.edges, m.edges) {
				t.Errorf("DOT and Mermaid differ:\nDOT:\n%s\nMermaid:\n%s", dot, mmd)
			}
			switch given := bytes.Contains(src, []byte("Type: List<AWS::EC2::Subnet::Id>")); {
			case !given && !slices.Contains(d.edges, [2]string{"_internet", "InternetGateway"}):
				t.Errorf("no edge Internet -> InternetGateway")
			case given && !slices.Contains(d.edges, [2]string{"_internet", "LoadBalancer"}):
				t.Errorf("no edge Internet -> LoadBalancer in an existing VPC")
			}
			// Every zone has a public and a private subnet.
			azs := 0
			for id, parents := range d.clusters {
				if !strings.HasPrefix(id, "cluster_az") {
					continue
				}
				azs++
				if !slices.Equal(parents, []string{"cluster_vpc"}) {
					t.Errorf("%s is in %v, want the VPC", id, parents)
				}
				for _, kind := range []string{"public", "private"} {
					if !slices.ContainsFunc(d.subclusters(id), func(c string) bool { return strings.HasPrefix(c, "cluster_"+kind+"_") }) {
						t.Errorf("%s has no %s subnet", id, kind)
					}
				}
			}
			want := map[string]int{"default": 2, "3az-nat-per-az": 3}[t.Name()[strings.LastIndex(t.Name(), "/")+1:]]
			if want != 0 && azs != want {
				t.Errorf("%d Availability Zone clusters, want %d", azs, want)
			}
		})
	}
}

func TestDefaultLayout(t *testing.T) {
	src, err := os.ReadFile("../golden/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d := parseDOT(t, draw(t, graph.DOT, src))
	for name, want := range map[string][]string{
		"Instance1":        {"cluster_vpc", "cluster_az1", "cluster_private_PrivateSubnet1"},
		"Instance2":        {"cluster_vpc", "cluster_az2", "cluster_private_PrivateSubnet2"},
		"PrivateSubnet1":   {"cluster_vpc", "cluster_az1", "cluster_private_PrivateSubnet1"},
		"NatGateway1":      {"cluster_vpc", "cluster_az1", "cluster_public_PublicSubnet1"},
		"LoadBalancer":     {"cluster_vpc"},
		"TargetGroup":      {"cluster_vpc"},
		"HTTPListener":     {"cluster_vpc"},
		"PublicRouteTable": {"cluster_vpc"},
		"InstanceRole":     nil,
		"InstanceProfile":  nil,
		"LaunchTemplate":   nil,
		"_internet":        nil,
	} {
		got, ok := d.path[name]
		if !ok {
			t.Errorf("no node %s", name)
		} else if !slices.Equal(got, want) {
			t.Errorf("%s is in %v, want %v", name, got, want)
		}
	}
	for id, parents := range map[string][]string{
		"cluster_az1": {"cluster_vpc"}, "cluster_az2": {"cluster_vpc"},
		"cluster_public_PublicSubnet1": {"cluster_vpc", "cluster_az1"}, "cluster_private_PrivateSubnet1": {"cluster_vpc", "cluster_az1"},
		"cluster_public_PublicSubnet2": {"cluster_vpc", "cluster_az2"}, "cluster_private_PrivateSubnet2": {"cluster_vpc", "cluster_az2"},
	} {
		if got, ok := d.clusters[id]; !ok || !slices.Equal(got, parents) {
			t.Errorf("cluster %s is in %v (present %v), want %v", id, got, ok, parents)
		}
	}
	for _, e := range [][2]string{
		{"_internet", "LoadBalancer"},
		{"Instance1", "PrivateSubnet1"},
		{"LoadBalancer", "PublicSubnet1"},
		{"LoadBalancer", "PublicSubnet2"},
		{"HTTPListener", "LoadBalancer"},
		{"NatGateway1EIP", "InternetGatewayAttachment"}, // DependsOn
	} {
		if !slices.Contains(d.edges, e) {
			t.Errorf("no edge %s -> %s", e[0], e[1])
		}
	}
	for _, e := range d.edges {
		if e[1] == "ImageId" || e[1] == "InstanceType" || strings.HasPrefix(e[1], "AWS::") {
			t.Errorf("edge to a parameter: %s -> %s", e[0], e[1])
		}
	}
}

// TestReferences covers each way of naming a resource, and what is left out.
func TestReferences(t *testing.T) {
	src := `
Parameters:
  Size: {Type: String}
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Topic:
    Type: AWS::SNS::Topic
    DependsOn: Queue
  Thing:
    Type: Custom::Thing
    DependsOn: [Topic, Queue]
    Properties:
      ServiceToken: !GetAtt Queue.Arn
      A: !Ref Size
      B: !Ref AWS::Region
      C: !Sub '${Topic.TopicName}-${AWS::StackName}-${!Literal}-${Size}'
      D: !Sub ['${Local}/${Internal}', {Local: !Ref Bucket}]
      E: {'Fn::GetAtt': [Internal, Arn]}
      F: !Ref Thing
  Internal:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal}
  Bucket:
    Type: AWS::S3::Bucket
`
	dot := draw(t, graph.DOT, []byte(src))
	checkDOT(t, dot)
	d := parseDOT(t, dot)
	want := [][2]string{
		{"Thing", "Bucket"}, {"Thing", "Internal"}, {"Thing", "Queue"}, {"Thing", "Topic"},
		{"Topic", "Queue"},
	}
	if !slices.Equal(d.edges, want) {
		t.Errorf("edges %v, want %v", d.edges, want)
	}
	if !bytes.Contains(dot, []byte(`"Thing" [label="Thing\nCustom::Thing"]`)) {
		t.Errorf("no generic node for Custom::Thing:\n%s", dot)
	}
	if _, ok := d.path["_internet"]; ok {
		t.Errorf("an Internet node with no way in:\n%s", dot)
	}
}

// TestPlacement: a resource that spans subnets sits in the VPC cluster, so
// does what refers to it, and a subnet in a named zone sits in the VPC.
func TestPlacement(t *testing.T) {
	src := `
Resources:
  Net: {Type: AWS::EC2::VPC}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Net
      AvailabilityZone: {'Fn::Select': [1, {'Fn::GetAZs': !Ref AWS::Region}]}
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Net, AvailabilityZone: eu-west-1b}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {VpcId: !Ref Net}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {SecurityGroupIds: [!GetAtt Group.GroupId]}}
  Fleet:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      VPCZoneIdentifier: [!Ref SubnetA, !Ref SubnetB]
      LaunchTemplate: {LaunchTemplateId: !Ref Template}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties: {Dimensions: [{Name: AutoScalingGroupName, Value: !Ref Fleet}]}
`
	dot := draw(t, graph.DOT, []byte(src))
	checkDOT(t, dot)
	d := parseDOT(t, dot)
	for name, want := range map[string][]string{
		"Net":      {"cluster_vpc"},
		"SubnetA":  {"cluster_vpc", "cluster_az2", "cluster_private_SubnetA"},
		"SubnetB":  {"cluster_vpc", "cluster_private_SubnetB"},
		"Group":    {"cluster_vpc"},
		"Fleet":    {"cluster_vpc"},
		"Alarm":    {"cluster_vpc"},
		"Template": nil,
	} {
		if got := d.path[name]; !slices.Equal(got, want) {
			t.Errorf("%s is in %v, want %v", name, got, want)
		}
	}
}

// TestMermaidNames: lower-case logical IDs that Mermaid reserves, and
// labels with characters it reads as syntax.
func TestMermaidNames(t *testing.T) {
	src := "Resources:\n  end:\n    Type: 'Custom::A\"<b>#1'\n  style:\n    Type: AWS::SNS::Topic\n    Properties: {X: !Ref end}\n"
	checkDOT(t, draw(t, graph.DOT, []byte(src)))
	got := string(draw(t, graph.Mermaid, []byte(src)))
	want := "flowchart LR\n" +
		"  r_end[\"end<br/>Custom::A#quot;#lt;b#gt;#35;1\"]\n" +
		"  r_style[\"style<br/>SNS::Topic\"]\n" +
		"  r_style --> r_end\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestErrors(t *testing.T) {
	for _, src := range []string{"", "[1, 2]", "Resources: {}\n", "Resources:\n  A: &a {Type: T}\n  B: *a\n"} {
		if out, err := graph.DOT([]byte(src)); err == nil {
			t.Errorf("DOT(%q) = %s, want an error", src, out)
		}
		if out, err := graph.Mermaid([]byte(src)); err == nil {
			t.Errorf("Mermaid(%q) = %s, want an error", src, out)
		}
	}
}

// draw runs f twice and checks that both give the same bytes.
func draw(t *testing.T, f func([]byte) ([]byte, error), src []byte) []byte {
	t.Helper()
	out, err := f(src)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, again) {
		t.Fatalf("two runs differ:\n%s\n---\n%s", out, again)
	}
	return out
}

// checkDOT renders the DOT with Graphviz.
func checkDOT(t *testing.T, dot []byte) {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		t.Fatal("dot is not on PATH: install Graphviz: apt-get install graphviz")
	}
	cmd := exec.Command("dot", "-Tsvg")
	cmd.Stdin = bytes.NewReader(dot)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tsvg: %v\n%s\ninput:\n%s", err, stderr.Bytes(), dot)
	}
}

// layout is what a diagram says: the clusters around each node and each
// cluster, outermost first, and the edges in order.
type layout struct {
	path     map[string][]string
	clusters map[string][]string
	edges    [][2]string
}

func (l *layout) subclusters(id string) []string {
	var ids []string
	for c, parents := range l.clusters {
		if len(parents) > 0 && parents[len(parents)-1] == id {
			ids = append(ids, c)
		}
	}
	return ids
}

// parseLines reads a diagram one line at a time: open starts a cluster,
// close ends one, and node and edge match a node and an edge.
func parseLines(t *testing.T, out []byte, open, close, node, edge *regexp.Regexp) *layout {
	t.Helper()
	l := &layout{path: map[string][]string{}, clusters: map[string][]string{}}
	var stack []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		line = strings.TrimSpace(line)
		if m := open.FindStringSubmatch(line); m != nil {
			l.clusters[m[1]] = slices.Clone(stack)
			stack = append(stack, m[1])
		} else if close.MatchString(line) && len(stack) > 0 {
			stack = stack[:len(stack)-1]
		} else if m := edge.FindStringSubmatch(line); m != nil {
			l.edges = append(l.edges, [2]string{m[1], m[2]})
		} else if m := node.FindStringSubmatch(line); m != nil {
			if _, dup := l.path[m[1]]; dup {
				t.Errorf("node %s declared twice", m[1])
			}
			l.path[m[1]] = slices.Clone(stack)
		}
	}
	if len(stack) > 0 {
		t.Errorf("clusters left open: %v", stack)
	}
	return l
}

func parseDOT(t *testing.T, out []byte) *layout {
	return parseLines(t, out,
		regexp.MustCompile(`^subgraph "(\w+)" \{$`), regexp.MustCompile(`^\}$`),
		regexp.MustCompile(`^"(\w+)" \[label=`), regexp.MustCompile(`^"(\w+)" -> "(\w+)";$`))
}

func parseMermaid(t *testing.T, out []byte) *layout {
	return parseLines(t, out,
		regexp.MustCompile(`^subgraph (\w+) \[`), regexp.MustCompile(`^end$`),
		regexp.MustCompile(`^(\w+)[\[(]`), regexp.MustCompile(`^(\w+) --> (\w+)$`))
}

func equalPaths(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}
