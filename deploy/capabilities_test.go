package deploy

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func TestCapabilities(t *testing.T) {
	const (
		iam   = types.CapabilityCapabilityIam
		named = types.CapabilityCapabilityNamedIam
		auto  = types.CapabilityCapabilityAutoExpand
	)
	for _, tc := range []struct {
		name, body string
		want       []types.Capability
	}{
		{"none", "Resources:\n  VPC:\n    Type: AWS::EC2::VPC\n", nil},
		{"role", "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Path: /\n", []types.Capability{iam}},
		{"instance profile without properties", "Resources:\n  P:\n    Type: AWS::IAM::InstanceProfile\n", []types.Capability{iam}},
		{"named role with a short-form tag", "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub '${AWS::StackName}-role'\n", []types.Capability{iam, named}},
		{"named policy", "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      ManagedPolicyName: p\n", []types.Capability{iam, named}},
		{"a name on a non-IAM resource", "Resources:\n  G:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      GroupName: g\n", nil},
		{"transform", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", []types.Capability{auto}},
		{"JSON with tabs", "{\n\t\"Resources\": {\n\t\t\"U\": {\"Type\": \"AWS::IAM::User\", \"Properties\": {\"UserName\": \"u\"}}\n\t}\n}\n", []types.Capability{iam, named}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := capabilities([]byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			check(t, "capabilities", got, tc.want)
		})
	}
}

func TestCapabilitiesOfBadTemplates(t *testing.T) {
	for body, want := range map[string]string{
		"Resources: [":              "parse template: yaml: line 1: did not find expected node content",
		"- a\n- b\n":                "parse template: not a mapping",
		"":                          "parse template: not a mapping",
		"Parameters: {}\n":          "parse template: no Resources section",
		"Resources:\n  - VPC\n":     "parse template: no Resources section",
		"Resources: !Ref Nothing\n": "parse template: no Resources section",
	} {
		_, err := capabilities([]byte(body))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("capabilities(%q) = %v, want %q", body, err, want)
		}
	}
}
