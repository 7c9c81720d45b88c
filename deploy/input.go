package deploy

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// Input is one deploy.
type Input struct {
	StackName  string
	Template   []byte            // YAML or JSON
	Parameters map[string]string // sent as given; the others take the template's defaults
	Tags       map[string]string
	S3Bucket   string // where a template over cfnrules.MaxTemplateBody bytes is uploaded

	Yes              bool // execute without asking (removals, replacements and wider access still need consent)
	AllowReplacement bool // consent to remove or replace resources
	AllowBroadening  bool // consent to widen access: IAM permissions, security-group rules
	NoExecute        bool // create the change set, show it and leave it

	// RevertDrift creates the change set of an update in the drift-aware
	// mode (REVERT_DRIFT): it also puts back what was changed outside
	// CloudFormation, and the plan shows that drift.
	RevertDrift bool
	// TerminationProtection, when set, turns the stack's termination
	// protection on or off once the deploy has succeeded (or found nothing
	// to change).
	TerminationProtection *bool

	// AllowDeleteRollbackComplete consents to deleting a stack that cannot
	// be updated (ROLLBACK_COMPLETE, CREATE_FAILED, ROLLBACK_FAILED,
	// DELETE_FAILED) so that it can be created again.
	AllowDeleteRollbackComplete bool

	// Timeout bounds the whole run, every AWS call included, except the time
	// spent at prompts; 0: none. The clean-up after it runs out has a bound
	// of its own.
	Timeout time.Duration
}

// prepared is what Deploy and Diff work out from an Input before any AWS
// call.
type prepared struct {
	caps []types.Capability
	big  bool       // over cfnrules.MaxTemplateBody: goes through S3
	tree *yaml.Node // the template's long-form tree, read once for the plan; nil when it does not read so
}

// prepare checks in and works out its capabilities and where its template
// goes.
func (d *Deployer) prepare(in Input) (*prepared, error) {
	if err := d.ready(); err != nil {
		return nil, err
	}
	if err := cfnrules.ValidStackName(in.StackName); err != nil {
		return nil, err
	}
	p := &prepared{big: len(in.Template) > cfnrules.MaxTemplateBody}
	if p.big && in.S3Bucket == "" {
		return nil, fmt.Errorf("%w: %d bytes is over the %d-byte limit for an inline template: give an S3 bucket to upload it to",
			ErrTemplateTooLarge, len(in.Template), cfnrules.MaxTemplateBody)
	}
	var err error
	if p.tree, err = cfnyaml.Parse(in.Template); err == nil {
		p.caps, err = capabilitiesOf(p.tree)
	} else {
		p.tree = nil
		p.caps, err = capabilities(in.Template)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}
