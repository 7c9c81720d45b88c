package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// describeInput asks for a page of the change set, with every change's
// property values.
func describeInput(id string, token *string) *cloudformation.DescribeChangeSetInput {
	return &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(id), NextToken: token, IncludePropertyValues: aws.Bool(true)}
}

// readChangeSet fills cs from first, the first page of DescribeChangeSet,
// and reads the other pages.
func readChangeSet(ctx context.Context, api API, cs *ChangeSet, first *cloudformation.DescribeChangeSetOutput) error {
	cs.Name = aws.ToString(first.ChangeSetName)
	if id := aws.ToString(first.ChangeSetId); id != "" {
		cs.ID = id
	}
	if s := aws.ToString(first.StackName); s != "" {
		cs.StackName = s
	}
	if id := aws.ToString(first.StackId); id != "" {
		cs.StackID = id
	}
	cs.Status, cs.ExecutionStatus = string(first.Status), string(first.ExecutionStatus)
	cs.Created, cs.Description = first.CreationTime, aws.ToString(first.Description)
	cs.DeploymentMode = string(first.DeploymentMode)
	cs.csParams, cs.csTags = first.Parameters, first.Tags
	cs.Changes = changes(first.Changes)
	if first.NextToken == nil {
		return nil
	}
	// The first page is read; the paginator reads the others.
	pages := cloudformation.NewDescribeChangeSetPaginator(api, describeInput(cs.ID, first.NextToken))
	for pages.HasMorePages() {
		next, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe change set %s: %w", cs.Name, err)
		}
		cs.Changes = append(cs.Changes, changes(next.Changes)...)
	}
	return nil
}

// changes turns the API's resource changes into Changes. CloudFormation
// may list a property once per cause; a change is kept once.
func changes(in []types.Change) []Change {
	var out []Change
	for _, c := range in {
		rc := c.ResourceChange
		if rc == nil {
			continue
		}
		ch := Change{
			Action:      string(rc.Action),
			LogicalID:   aws.ToString(rc.LogicalResourceId),
			PhysicalID:  aws.ToString(rc.PhysicalResourceId),
			Type:        aws.ToString(rc.ResourceType),
			Replacement: string(rc.Replacement),
			Drift:       string(rc.ResourceDriftStatus),
		}
		names := map[string]bool{}
		seen := map[PropertyChange]bool{}
		for _, det := range rc.Details {
			t := det.Target
			if t == nil {
				continue
			}
			name := aws.ToString(t.Name)
			if t.Attribute != types.ResourceAttributeProperties || name == "" {
				name = string(t.Attribute)
			}
			if name != "" && !names[name] {
				names[name] = true
				ch.Properties = append(ch.Properties, name)
			}
			pc := PropertyChange{
				Attribute:  string(t.Attribute),
				Name:       aws.ToString(t.Name),
				Path:       aws.ToString(t.Path),
				ChangeType: string(t.AttributeChangeType),
				Before:     aws.ToString(t.BeforeValue),
				After:      aws.ToString(t.AfterValue),
				BeforeFrom: string(t.BeforeValueFrom),
				Recreation: string(t.RequiresRecreation),
				Evaluation: string(det.Evaluation),
				Source:     string(det.ChangeSource),
				Cause:      aws.ToString(det.CausingEntity),
			}
			if t.Drift != nil && pc.BeforeFrom == "" && t.Drift.ActualValue != nil {
				pc.BeforeFrom = string(types.BeforeValueFromActualState)
			}
			if seen[pc] {
				continue
			}
			seen[pc] = true
			ch.Details = append(ch.Details, pc)
		}
		out = append(out, ch)
	}
	return out
}

// Where reads the property's place in the resource, such as
// SecurityGroupIngress/0/CidrIp, or the attribute's name.
func (p PropertyChange) Where() string {
	switch {
	case p.Path != "":
		return strings.TrimPrefix(strings.TrimPrefix(p.Path, "/Properties/"), "/")
	case p.Name != "":
		return p.Name
	}
	return p.Attribute
}
