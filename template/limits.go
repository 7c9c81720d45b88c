package template

import (
	"fmt"

	"github.com/cfngen/cfngen/cfnrules"
)

// Summary counts what a template holds.
type Summary struct {
	Resources  int
	Parameters int
	Outputs    int
	Bytes      int
}

// NeedsS3 reports whether the template is too large to pass inline, so that
// a deploy must upload it to an S3 bucket first.
func (s Summary) NeedsS3() bool { return s.Bytes > cfnrules.MaxTemplateBody }

func (s Summary) String() string {
	return fmt.Sprintf("%d resources, %d parameters, %d outputs, %d bytes", s.Resources, s.Parameters, s.Outputs, s.Bytes)
}

// checkCounts holds the template to CloudFormation's limits on counts.
func (s *Stack) checkCounts() error {
	t := s.Template
	if n := len(t.Resources); n > cfnrules.MaxResources {
		return errorAt(s.cfg, "instances.count",
			"the template would hold %d resources, %d over CloudFormation's limit of %d; use fewer instances or instances.autoScaling",
			n, n-cfnrules.MaxResources, cfnrules.MaxResources)
	}
	if n := len(t.Outputs); n > cfnrules.MaxOutputs {
		return fmt.Errorf("template: %d outputs, %d over CloudFormation's limit of %d", n, n-cfnrules.MaxOutputs, cfnrules.MaxOutputs)
	}
	if n := len(t.Parameters); n > cfnrules.MaxParameters {
		return fmt.Errorf("template: %d parameters, %d over CloudFormation's limit of %d", n, n-cfnrules.MaxParameters, cfnrules.MaxParameters)
	}
	return nil
}

// Check summarises a written template body and fails when it is larger
// than even S3 deploys allow, with an [*Error] about the key that made it
// so: the tags, which repeat on every resource, or else the count of
// instances.
func (s *Stack) Check(body []byte) (Summary, error) {
	sum := Summary{
		Resources:  len(s.Template.Resources),
		Parameters: len(s.Template.Parameters),
		Outputs:    len(s.Template.Outputs),
		Bytes:      len(body),
	}
	if sum.Bytes > cfnrules.MaxTemplateBodyS3 {
		reason := fmt.Sprintf("the template would be %d bytes, over CloudFormation's limit of %d even through S3", sum.Bytes, cfnrules.MaxTemplateBodyS3)
		if s.cfg != nil && len(s.cfg.Tags) > 0 {
			return sum, errorAt(s.cfg, "tags", "%s: the tags repeat on each of its %d resources; use fewer or shorter tags, or fewer instances", reason, sum.Resources)
		}
		return sum, errorAt(s.cfg, "instances.count", "%s; use fewer instances or instances.autoScaling", reason)
	}
	return sum, nil
}
