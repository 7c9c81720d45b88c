package deploy

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/cfngen/cfngen/internal/cfnyaml"
	"go.yaml.in/yaml/v3"
)

func TestParameterChanges(t *testing.T) {
	old := `Parameters:
  Size: {Type: String, Default: small}
  Type: {Type: String, Default: t3.micro}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/al2023}
  Gone: {Type: String}
Resources: {}
`
	next := `Parameters:
  Size: {Type: String, Default: small}
  Type: {Type: String, Default: t3.small}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/al2023}
  Zones: {Type: CommaDelimitedList, Default: [a, b]}
  Cidr: {Type: String}
Resources: {}
`
	p := func(k, v, resolved string) types.Parameter {
		tp := types.Parameter{ParameterKey: aws.String(k), ParameterValue: aws.String(v)}
		if resolved != "" {
			tp.ResolvedValue = aws.String(resolved)
		}
		return tp
	}
	stack := &types.Stack{Parameters: []types.Parameter{
		p("Size", "large", ""),    // given before
		p("Type", "t3.micro", ""), // the old default
		p("Ami", "ami-0aaa", ""),  // as moto gives it: the resolved value alone
		p("Gone", "x", ""),
	}}
	got := parameterChanges(tree(t, next), tree(t, old), stack, map[string]string{"Cidr": "10.0.0.0/16"}, nil)
	check(t, "changes", got, []ParameterChange{
		{Key: "Size", Before: "large", After: "small", Source: SourceDefault, Changed: true, RevertsToDefault: true},
		{Key: "Type", Before: "t3.micro", After: "t3.small", Source: SourceDefault, Changed: true},
		{Key: "Ami", Before: "/aws/service/al2023", After: "/aws/service/al2023", ResolvedBefore: "ami-0aaa", Source: SourceDefault, ssm: true},
		{Key: "Zones", After: "a,b", Source: SourceDefault, New: true, Changed: true},
		{Key: "Cidr", After: "10.0.0.0/16", Source: SourceGiven, New: true, Changed: true},
		{Key: "Gone", Before: "x", Removed: true, Changed: true},
	})
	// As AWS gives an SSM parameter: its name, and the value resolved.
	stack.Parameters[2] = p("Ami", "/aws/service/al2023", "ami-0aaa")
	got = parameterChanges(tree(t, next), tree(t, old), stack, map[string]string{}, []types.Parameter{p("Ami", "/aws/service/al2023", "ami-0bbb")})
	check(t, "ami", got[2], ParameterChange{Key: "Ami", Before: "/aws/service/al2023", After: "/aws/service/al2023",
		ResolvedBefore: "ami-0aaa", ResolvedAfter: "ami-0bbb", Source: SourceDefault, Changed: true, ssm: true})
	before, after := parameterValues(got)
	check(t, "values for the prediction", []string{before["Ami"], after["Ami"]}, []string{"ami-0aaa", "ami-0bbb"})
}

func TestTagChanges(t *testing.T) {
	stack := &types.Stack{Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}
	check(t, "none given", tagChanges(stack, nil), []TagChange(nil))
	check(t, "given", tagChanges(stack, tags(map[string]string{"a": "1", "c": "3"})), []TagChange{
		{Key: "c", Action: "Add", After: "3"}, {Key: "b", Action: "Remove", Before: "2"}})
	check(t, "new stack", tagChanges(nil, tags(map[string]string{"a": "1"})), []TagChange{{Key: "a", Action: "Add", After: "1"}})
}

// tree reads a template as the plan does.
func tree(t *testing.T, body string) *yaml.Node {
	t.Helper()
	root, err := cfnyaml.Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return root
}
