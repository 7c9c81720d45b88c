package cfnyaml_test

import (
	"fmt"
	"strings"
	"testing"

	. "github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/internal/testkit/yaml11"
)

// lookalikes are strings that YAML 1.1 (or 1.2) reads as numbers, dates
// or times when written plain.
var lookalikes = []string{"0123", "1e3", "2026-12-01", "0x1F", "1_000", "12:30", "0o17", "1.0", "+1", "-.5",
	"2026-12-01T10:00:00Z", "0b11", "6.0e+2", "1:00:00", "0777", "99"}

// TestWriterKeepsStringsThatLookLikeNumbers writes a template whose
// description, parameter defaults, tag keys and values, list items and
// outputs are strings that look like numbers, dates and times, and reads
// it back with the Go YAML 1.1 reader and PyYAML: each is the same
// string, as in the JSON form.
func TestWriterKeepsStringsThatLookLikeNumbers(t *testing.T) {
	var params, tags, list, outputs []string
	want := map[string]any{}
	wantParams, wantOutputs := map[string]any{}, map[string]any{}
	var wantTags, wantList []any
	for i, w := range lookalikes {
		params = append(params, fmt.Sprintf(`"P%d": {"Type": "String", "Default": %q}`, i, w))
		wantParams[fmt.Sprintf("P%d", i)] = map[string]any{"Type": "String", "Default": w}
		tags = append(tags, fmt.Sprintf(`{"Key": %q, "Value": %q}`, w, w))
		wantTags = append(wantTags, map[string]any{"Key": w, "Value": w})
		list = append(list, fmt.Sprintf("%q", w))
		wantList = append(wantList, w)
		outputs = append(outputs, fmt.Sprintf(`"O%d": {"Value": %q}`, i, w))
		wantOutputs[fmt.Sprintf("O%d", i)] = map[string]any{"Value": w}
	}
	src := fmt.Sprintf(`{"AWSTemplateFormatVersion": "2010-09-09", "Description": "0123",
"Parameters": {%s},
"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [%s], "List": [%s], "DelaySeconds": 5}}},
"Outputs": {%s}}`, strings.Join(params, ","), strings.Join(tags, ","), strings.Join(list, ","), strings.Join(outputs, ","))
	want["AWSTemplateFormatVersion"], want["Description"] = "2010-09-09", "0123"
	want["Parameters"], want["Outputs"] = wantParams, wantOutputs
	want["Resources"] = map[string]any{"Q": map[string]any{"Type": "AWS::SQS::Queue",
		"Properties": map[string]any{"Tags": wantTags, "List": wantList, "DelaySeconds": yaml11.Number("5")}}}

	doc, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	Sort(doc, nil)
	out, err := YAML(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range lookalikes {
		if strings.Contains(string(out), ": "+w+"\n") || strings.Contains(string(out), "- "+w+"\n") {
			t.Errorf("%s is written plain", w)
		}
	}
	if !strings.Contains(string(out), "DelaySeconds: 5\n") {
		t.Errorf("the number 5 is not written as a number:\n%s", out)
	}
	readsAs(t, doc, out, want)
}

// TestResourceAttributesInPlace: Condition, DependsOn, the policies,
// DeletionPolicy and Metadata sit beside Type and Properties, in the
// documented order, as plain keys (Condition is not the !Condition
// function there); a Condition inside a condition function stays a
// Condition key; Metadata's content is written as given.
func TestResourceAttributesInPlace(t *testing.T) {
	src := `{
  "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}, "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": ["a", "a"]}]}},
  "Resources": {
    "Bucket": {
      "Properties": {"BucketName": {"Fn::If": ["IsProd", "p", {"Ref": "AWS::NoValue"}]}},
      "Metadata": {"cfn_nag": {"rules_to_suppress": [{"id": "W35", "reason": "why"}]}, "Note": "0123"},
      "DeletionPolicy": "Retain",
      "UpdateReplacePolicy": "Retain",
      "DependsOn": ["Queue"],
      "Condition": "IsProd",
      "Type": "AWS::S3::Bucket"
    },
    "Queue": {"Metadata": {"a": "b"}, "Type": "AWS::SQS::Queue"}
  },
  "Outputs": {"Name": {"Value": {"Ref": "Bucket"}, "Condition": "IsProd", "Description": "d"}},
  "Parameters": {"Env": {"Type": "String"}}
}`
	got, err := Format([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := `Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Both: !And
    - Condition: IsProd
    - !Equals [a, a]
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Condition: IsProd
    DependsOn:
      - Queue
    UpdateReplacePolicy: Retain
    DeletionPolicy: Retain
    Metadata:
      cfn_nag:
        rules_to_suppress:
          - id: W35
            reason: why
      Note: "0123"
    Properties:
      BucketName: !If [IsProd, p, !Ref 'AWS::NoValue']
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      a: b
Outputs:
  Name:
    Description: d
    Condition: IsProd
    Value: !Ref Bucket
`
	if string(got) != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
