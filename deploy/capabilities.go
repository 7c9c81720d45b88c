package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// namedIAM lists the properties that give an IAM resource a custom name,
// which needs CAPABILITY_NAMED_IAM.
var namedIAM = map[string]bool{
	"RoleName":            true,
	"InstanceProfileName": true,
	"PolicyName":          true,
	"ManagedPolicyName":   true,
	"GroupName":           true,
	"UserName":            true,
}

// capabilities returns the capabilities that body needs. The template is
// read as a yaml.Node, which also reads JSON and keeps short-form tags such
// as !Ref instead of failing on them.
func capabilities(body []byte) ([]types.Capability, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("parse template: not a mapping")
	}
	return capabilitiesOf(doc.Content[0])
}

// capabilitiesOf returns the capabilities that the template with root
// mapping root needs, short form or long.
func capabilitiesOf(root *yaml.Node) ([]types.Capability, error) {
	resources := cfnyaml.Get(root, "Resources")
	if resources == nil || resources.Kind != yaml.MappingNode {
		return nil, errors.New("parse template: no Resources section")
	}
	var iam, named bool
	for i := 1; i < len(resources.Content); i += 2 {
		r := resources.Content[i]
		t := cfnyaml.Get(r, "Type")
		if t == nil || !strings.HasPrefix(t.Value, "AWS::IAM::") {
			continue
		}
		iam = true
		if props := cfnyaml.Get(r, "Properties"); props != nil && props.Kind == yaml.MappingNode {
			for j := 0; j < len(props.Content); j += 2 {
				named = named || namedIAM[props.Content[j].Value]
			}
		}
	}
	var caps []types.Capability
	if iam {
		caps = append(caps, types.CapabilityCapabilityIam)
	}
	if named {
		caps = append(caps, types.CapabilityCapabilityNamedIam)
	}
	if cfnyaml.Get(root, "Transform") != nil {
		caps = append(caps, types.CapabilityCapabilityAutoExpand)
	}
	return caps, nil
}

// isJSON reports whether body looks like a JSON template.
func isJSON(body []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(body, " \t\r\n\ufeff"), []byte("{"))
}

// Capabilities returns the capabilities that a template needs:
// CAPABILITY_IAM for IAM resources, CAPABILITY_NAMED_IAM when one of them
// is named, CAPABILITY_AUTO_EXPAND for a transform.
func Capabilities(body []byte) ([]types.Capability, error) { return capabilities(body) }
