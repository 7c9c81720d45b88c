// Package cloudformation is the part of goformation's root package of the
// same name that cfngen uses: the template type and the intrinsic
// functions. The resources are goformation's own structs, from its service
// packages (ec2, iam, ...).
//
// Importing goformation's root package compiles and links all of its ~250
// service packages, through the registry of every resource type it keeps
// for reading templates. cfngen only writes templates, so it builds them
// with this package instead, and [Template.Node] turns one into the
// long-form tree that package cfnyaml writes, without a round trip
// through JSON.
package cloudformation

// Template is a CloudFormation template.
type Template struct {
	AWSTemplateFormatVersion string               `json:"AWSTemplateFormatVersion,omitempty"`
	Description              string               `json:"Description,omitempty"`
	Parameters               map[string]Parameter `json:"Parameters,omitempty"`
	Conditions               map[string]string    `json:"Conditions,omitempty"`
	Resources                map[string]Resource  `json:"Resources,omitempty"`
	Outputs                  map[string]Output    `json:"Outputs,omitempty"`
}

// NewTemplate returns an empty template of the current format version.
func NewTemplate() *Template {
	return &Template{
		AWSTemplateFormatVersion: "2010-09-09",
		Parameters:               map[string]Parameter{},
		Conditions:               map[string]string{},
		Resources:                map[string]Resource{},
		Outputs:                  map[string]Output{},
	}
}

// Resource is a resource struct of one of goformation's service packages,
// such as *ec2.VPC.
type Resource interface {
	AWSCloudFormationType() string
}

// Parameter is a template parameter.
type Parameter struct {
	Type                  string   `json:"Type"`
	Description           *string  `json:"Description,omitempty"`
	Default               any      `json:"Default,omitempty"`
	AllowedPattern        *string  `json:"AllowedPattern,omitempty"`
	AllowedValues         []any    `json:"AllowedValues,omitempty"`
	ConstraintDescription *string  `json:"ConstraintDescription,omitempty"`
	MaxLength             *int     `json:"MaxLength,omitempty"`
	MinLength             *int     `json:"MinLength,omitempty"`
	MaxValue              *float64 `json:"MaxValue,omitempty"`
	MinValue              *float64 `json:"MinValue,omitempty"`
	NoEcho                *bool    `json:"NoEcho,omitempty"`
}

// Output is a template output.
type Output struct {
	Value       any     `json:"Value"`
	Description *string `json:"Description,omitempty"`
}

// String returns a pointer to v.
func String(v string) *string { return &v }

// Bool returns a pointer to v.
func Bool(v bool) *bool { return &v }

// Int returns a pointer to v.
func Int(v int) *int { return &v }
