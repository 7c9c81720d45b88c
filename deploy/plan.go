package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/internal/cfnyaml"
	"github.com/cfngen/cfngen/predict"
)

// complete adds to a computed change set what the plan shows besides its
// resource changes: the parameter and tag changes, the replacements
// predicted where CloudFormation says nothing, the access that changes and
// what the update does to the site. stack is the stack before (nil: a new
// one); given and tags are the parameters and tags the update gives (nil
// given: not known, for a change set made elsewhere). cs.Template must be
// set; the deployed template is read here.
func (r *run) complete(ctx context.Context, cs *ChangeSet, stack *types.Stack, given map[string]string, tags []types.Tag) {
	var err error
	if cs.tree == nil {
		if cs.tree, err = cfnyaml.Parse(cs.Template); err != nil {
			cs.tree = nil
			cs.Notes = append(cs.Notes, fmt.Sprintf("could not read the template (%v): the access that changes is not known", err))
		}
	}
	if cs.Type == string(types.ChangeSetTypeUpdate) {
		body, err := r.template(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(cs.StackID), TemplateStage: types.TemplateStageOriginal})
		if err == nil {
			cs.Previous = body
			if cs.previous, err = cfnyaml.Parse(body); err != nil {
				cs.previous = nil
			}
		}
		if err != nil {
			cs.Notes = append(cs.Notes, fmt.Sprintf("could not read the deployed template (%v): no prediction, and the access that changes is not known", err))
		}
	}
	cs.Parameters = parameterChanges(cs.tree, cs.previous, stack, given, cs.csParams)
	cs.Tags = tagChanges(stack, tags)
	oldValues, newValues := parameterValues(cs.Parameters)
	if cs.previous != nil && cs.tree != nil {
		r.predict(cs, oldValues, newValues)
	}
	if cs.tree != nil && (cs.Type != string(types.ChangeSetTypeUpdate) || cs.previous != nil) {
		cs.Security = securityChanges(cs.previous, cs.tree, oldValues, newValues)
	}
	cs.Impact = impacts(cs)
}

// template reads a stack's template, or a change set's.
func (r *run) template(ctx context.Context, in *cloudformation.GetTemplateInput) ([]byte, error) {
	out, err := r.cfn.GetTemplate(ctx, in)
	if err != nil {
		return nil, err
	}
	body := aws.ToString(out.TemplateBody)
	if strings.TrimSpace(body) == "" {
		return nil, fmt.Errorf("empty template")
	}
	return []byte(body), nil
}

// parameterValues returns the parameters' values before and after; for a
// parameter of an SSM parameter type, the resolved value, and none when
// that is not known, as CloudFormation resolves it again at each update.
func parameterValues(ps []ParameterChange) (before, after map[string]string) {
	before, after = map[string]string{}, map[string]string{}
	for _, p := range ps {
		b, a := p.Before, p.After
		if p.ssm {
			b, a = p.ResolvedBefore, p.ResolvedAfter
		}
		if !p.New && (b != "" || !p.ssm) {
			before[p.Key] = b
		}
		if !p.Removed && (a != "" || !p.ssm) {
			after[p.Key] = a
		}
	}
	return before, after
}

// predict fills in the predicted replacement of each modification, from
// the deployed template and the new one.
func (r *run) predict(cs *ChangeSet, before, after map[string]string) {
	plan, err := predict.Predict(cs.Previous, cs.Template, predict.Options{OldParameters: before, NewParameters: after})
	if err != nil {
		cs.Notes = append(cs.Notes, fmt.Sprintf("could not predict the replacements: %v", err))
		return
	}
	listed := map[string]bool{}
	for _, c := range cs.Changes {
		listed[c.LogicalID] = true
	}
	for _, p := range plan.Changes {
		if !listed[p.LogicalID] && p.Replacement() != "" {
			cs.Unlisted = append(cs.Unlisted, Change{Action: "Modify", LogicalID: p.LogicalID, Type: p.Type,
				Predicted: p.Replacement(), PredictedWhy: p.Why(), PredictedProperties: p.Properties()})
		}
	}
	for i, c := range cs.Changes {
		if c.Action != "Modify" && c.Action != "Dynamic" {
			continue
		}
		cs.Changes[i].Predicted = plan.Replacement(c.LogicalID)
		if p, ok := plan.Resource(c.LogicalID); ok {
			cs.Changes[i].PredictedWhy = p.Why()
			if len(c.Properties) == 0 {
				cs.Changes[i].PredictedProperties = p.Properties()
			}
		}
	}
}

// broadening says why the change set needs consent to widen access: the
// changes that widen it, or that the deployed template could not be read
// (the guard fails closed). It is nil for a new stack, whose access is the
// template's to begin with, and for an update that widens nothing.
func (cs *ChangeSet) broadening() []string {
	if cs.Type != string(types.ChangeSetTypeUpdate) {
		return nil
	}
	if cs.Security == nil {
		return []string{"the access that changes is not known: the deployed template could not be compared"}
	}
	var out []string
	for _, c := range cs.Security.IAM {
		if c.Broadens {
			out = append(out, c.String())
		}
	}
	for _, r := range cs.Security.Rules {
		if r.Broadens {
			out = append(out, r.String())
		}
	}
	return out
}
