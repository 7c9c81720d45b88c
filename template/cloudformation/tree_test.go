package cloudformation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"
	"github.com/awslabs/goformation/v7/cloudformation/tags"
	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// TestIntrinsics: the helpers' strings become short forms, and nothing is
// evaluated; a string that only looks like one stays a string.
func TestIntrinsics(t *testing.T) {
	props := map[string]any{
		"AZ":      Select(1, GetAZs("")),
		"Ref":     Ref("VPC"),
		"Att":     GetAtt("LB", "DNSName"),
		"Sub":     Sub("arn:${AWS::Partition}:s3:::${AWS::Region}"),
		"B64":     Base64(Sub("echo \"${AWS::StackName}\" \\\n\texit 0 # é ☃\n")),
		"Join":    Join(",", []string{Ref("A"), Ref("B"), "c"}),
		"Plain":   "dGVzdA==",            // base64 of "test", not an intrinsic
		"Marked":  mark + `Ref "A" junk`, // trailing text: a string
		"Nested":  Base64(mark + "Ref [1,"),
		"Unknown": mark + "Ref",
		"Number":  80,
		"True":    "true",
	}
	n, err := new(walker).value(reflect.ValueOf(props))
	if err != nil {
		t.Fatal(err)
	}
	out, err := cfnyaml.YAML(n)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.ReplaceAll(`AZ: !Select [1, !GetAZs '']
Att: !GetAtt LB.DNSName
B64:
  Fn::Base64: !Sub |
    echo "${AWS::StackName}" \
    	exit 0 # é ☃
Join: !Join
  - ','
  - - !Ref A
    - !Ref B
    - c
Marked: MARKRef "A" junk
Nested: !Base64 MARKRef [1,
Number: 80
Plain: dGVzdA==
Ref: !Ref VPC
Sub: !Sub arn:${AWS::Partition}:s3:::${AWS::Region}
"True": "true"
Unknown: MARKRef
`, "MARK", mark)
	if string(out) != want {
		t.Errorf("got:\n%s\nwant:\n%s", out, want)
	}
}

// TestNodeAsEncodingJSON: the tree of each resource is the one that
// encoding/json's marshalling of it (goformation's MarshalJSON) describes.
func TestNodeAsEncodingJSON(t *testing.T) {
	tmpl := NewTemplate()
	tmpl.Description = "d"
	tmpl.Parameters["P"] = Parameter{Type: "Number", Default: 3, MinValue: new(1.5), AllowedValues: []any{1, "two", 3.25}}
	tmpl.Outputs["O"] = Output{Value: Join("", []string{Ref("A"), GetAtt("B", "C")}), Description: String("o")}
	tmpl.Resources = map[string]Resource{
		"Instance": &ec2.Instance{
			ImageId:                         String(Ref("ImageId")),
			SubnetId:                        String(Ref("Subnet")),
			Monitoring:                      Bool(false),
			Tags:                            []tags.Tag{{Key: "Name", Value: Sub("${AWS::StackName}-web")}, {Key: "empty"}},
			UserData:                        String(Base64(Sub("#!/bin/sh\necho hi\n"))),
			BlockDeviceMappings:             []ec2.Instance_BlockDeviceMapping{{DeviceName: "/dev/xvda", Ebs: &ec2.Instance_Ebs{VolumeSize: Int(8)}}},
			AWSCloudFormationDependsOn:      []string{"A", "B"},
			AWSCloudFormationCreationPolicy: &policies.CreationPolicy{ResourceSignal: &policies.ResourceSignal{Count: 2, Timeout: "PT5M"}},
			AWSCloudFormationMetadata:       map[string]any{"z": nil, "a": []any{1, 2.5, 1e21, 1.5e-7, true, map[string]string{"k": "v"}}},
		},
		"Group": &autoscaling.AutoScalingGroup{
			MinSize: "1", MaxSize: "3",
			AWSCloudFormationUpdatePolicy: &policies.UpdatePolicy{
				AutoScalingRollingUpdate:   &policies.AutoScalingRollingUpdate{MaxBatchSize: 1, MinInstancesInService: 0.5, WaitOnResourceSignals: true},
				AutoScalingScheduledAction: &policies.AutoScalingScheduledAction{IgnoreUnmodifiedGroupSizeProperties: true},
			},
			AWSCloudFormationCondition: "C",
		},
		"Bucket": &s3.Bucket{
			AWSCloudFormationDeletionPolicy:      "Retain",
			AWSCloudFormationUpdateReplacePolicy: "Retain",
		},
		"Role":  &iam.Role{AssumeRolePolicyDocument: map[string]any{"Statement": []any{map[string]any{"Effect": "Allow"}}}, Policies: []iam.Role_Policy{}},
		"Route": &ec2.Route{}, // required properties, left empty
		"IGW":   &ec2.InternetGateway{},
	}
	got, err := tmpl.Node()
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	want, err := decodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json writes a resource's keys in another order.
	cfnyaml.Sort(got, nil)
	cfnyaml.Sort(want, nil)
	for _, write := range []func(*yaml.Node) ([]byte, error){cfnyaml.YAML, cfnyaml.JSON} {
		g, err := write(got)
		if err != nil {
			t.Fatal(err)
		}
		w, err := write(want)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, w) {
			t.Errorf("Node:\n%s\nencoding/json:\n%s", g, w)
		}
	}
}

func TestNodeRefuses(t *testing.T) {
	for _, v := range []any{
		map[int]string{1: "a"},
		[]byte("a"),
		json.RawMessage(`{}`),
		struct{ F float64 }{F: 1 / zero},
		struct {
			N int `json:",string"`
		}{},
		func() {},
	} {
		if n, err := new(walker).value(reflect.ValueOf(v)); err == nil {
			t.Errorf("%T: got %v, want an error", v, n)
		}
	}
}

var zero float64

// decodeJSON builds a long-form tree from JSON, in key order, with the
// intrinsics that strings encode expanded.
func decodeJSON(data []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var decode func() (*yaml.Node, error)
	decode = func() (*yaml.Node, error) {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch v := tok.(type) {
		case json.Delim:
			kind, tag := yaml.MappingNode, "!!map"
			if v == '[' {
				kind, tag = yaml.SequenceNode, "!!seq"
			}
			n := &yaml.Node{Kind: kind, Tag: tag}
			for dec.More() {
				if kind == yaml.MappingNode {
					k, err := dec.Token()
					if err != nil {
						return nil, err
					}
					n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.(string)})
				}
				c, err := decode()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, c)
			}
			_, err := dec.Token()
			return n, err
		case string:
			return new(walker).str(v), nil
		case json.Number:
			tag := "!!int"
			if strings.ContainsAny(v.String(), ".eE") {
				tag = "!!float"
			}
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v.String()}, nil
		case bool:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v)}, nil
		case nil:
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
		}
		return nil, fmt.Errorf("unexpected token %v", tok)
	}
	n, err := decode()
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data")
	}
	return n, nil
}
