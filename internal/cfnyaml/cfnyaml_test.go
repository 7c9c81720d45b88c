package cfnyaml

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
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

// TestPiecesAsWhole: YAML writes the bytes that one yaml.v3 Encode of the
// whole tree writes, however small the pieces.
func TestPiecesAsWhole(t *testing.T) {
	files, err := filepath.Glob("../../golden/*.yaml")
	if err != nil || len(files) < 10 {
		t.Fatalf("goldens: %v %v", files, err)
	}
	var trees []*yaml.Node
	for _, f := range files {
		if strings.HasSuffix(f, ".config.yaml") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, doc)
	}
	// Entries the encoder may write otherwise than key, then value on the
	// following lines: a literal block kept with its trailing blank lines,
	// empty and flow values, keys it quotes or cannot write as simple keys.
	odd, err := Parse([]byte(`{
  "yes": {"A": "x\n\n", "B": {"C": "y\n\n\n"}, "D": [], "E": {}},
  "Resources": {"R1": {"Type": "T", "Properties": {"S": "a\nb\n\n"}}, "R2": "z\n\n", "": {"k": "v"}, "R3": [1, {"Ref": "X"}]},
  "": {"a": {"b": "c"}},
  "multi\nline key": {"a": "b", "c": "d"},
  "` + strings.Repeat("long", 40) + `": {"a": "b", "c": "d"},
  "Outputs": {"O": {"Value": {"Fn::Join": ["", ["a", {"Ref": "B"}]]}}},
  "Empty": {}
}`))
	if err != nil {
		t.Fatal(err)
	}
	trees = append(trees, odd)
	for i, doc := range trees {
		s := short(doc)
		var whole bytes.Buffer
		if err := encodeOne(&whole, s); err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int{0, 10, 12, 15, 20, 40, pieceEvents, 1 << 30} {
			var pieces bytes.Buffer
			if err := encode(&pieces, s, limit); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pieces.Bytes(), whole.Bytes()) {
				t.Fatalf("tree %d, pieces of %d events: got\n%s\nwant\n%s", i, limit, pieces.Bytes(), whole.Bytes())
			}
		}
	}
}

// TestShortKeepsLongForm: YAML writes a tree without changing it.
func TestShortKeepsLongForm(t *testing.T) {
	src := []byte(`{"A": {"Fn::GetAtt": ["R", "X"]}, "B": {"Ref": "yes"}, "C": "true", "D": [1.5e300, "a\nb"]}`)
	doc, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	before, err := JSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := YAML(doc); err != nil {
		t.Fatal(err)
	}
	after, err := JSON(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("YAML changed its tree:\n%s\nto\n%s", before, after)
	}
}
