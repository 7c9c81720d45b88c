package cfnyaml

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	_ "github.com/cfngen/cfngen/internal/golden" // defines -update
)

func TestFormatCanonicalAndIdempotent(t *testing.T) {
	src := `{
  "Outputs": {"Url": {"Value": {"Fn::Sub": "http://${LB.DNSName}"}, "Description": "d"}},
  "Resources": {
    "B": {"Properties": {"VpcId": {"Ref": "VPC"}}, "DependsOn": ["A"], "Type": "AWS::EC2::Subnet"},
    "A": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16", "Note": "<a & b>"}}
  },
  "Description": "x",
  "AWSTemplateFormatVersion": "2010-09-09"
}`
	got, err := Format([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := `AWSTemplateFormatVersion: "2010-09-09"
Description: x
Resources:
  B:
    Type: AWS::EC2::Subnet
    DependsOn:
      - A
    Properties:
      VpcId: !Ref VPC
  A:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Note: <a & b>
Outputs:
  Url:
    Description: d
    Value: !Sub http://${LB.DNSName}
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	again, err := Format(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(got) {
		t.Errorf("formatting twice changed the text:\n%s", again)
	}
	doc, err := Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	js, err := JSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"Note": "<a & b>"`) || !strings.Contains(string(js), `"Fn::Sub": "http://${LB.DNSName}"`) {
		t.Errorf("JSON form:\n%s", js)
	}
}

func TestParseShortForms(t *testing.T) {
	doc, err := Parse([]byte("Resources:\n  X:\n    Type: T\n    Properties:\n      A: !GetAtt R.Outputs.Name\n      B: !Ref P\n      C: !If [Cond, !Ref A, !Ref AWS::NoValue]\n"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := JSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, js); err != nil {
		t.Fatal(err)
	}
	want := `"Properties":{"A":{"Fn::GetAtt":["R","Outputs.Name"]},"B":{"Ref":"P"},"C":{"Fn::If":["Cond",{"Ref":"A"},{"Ref":"AWS::NoValue"}]}}`
	if !strings.Contains(compact.String(), want) {
		t.Errorf("JSON lacks %s:\n%s", want, compact.String())
	}
}

func TestParseRefusesAliases(t *testing.T) {
	_, err := Parse([]byte("Resources:\n  A: &a {Type: T}\n  B: *a\n"))
	if err == nil || !strings.Contains(err.Error(), "anchors and aliases") {
		t.Fatalf("got %v", err)
	}
}
