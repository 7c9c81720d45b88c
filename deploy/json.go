package deploy

import (
	"encoding/json"
	"io"
	"time"
)

// PlanVersion is the version of the JSON plan that WriteJSON writes. It
// changes only when a field changes meaning or goes; new fields may come
// within a version.
const PlanVersion = 1

// The JSON plan; the README documents its fields.
type (
	jsonPlan struct {
		Version    int             `json:"version"`
		Stack      jsonStack       `json:"stack"`
		ChangeSet  jsonChangeSet   `json:"changeSet"`
		Counts     jsonCounts      `json:"counts"`
		Parameters []jsonParameter `json:"parameters"`
		Tags       []jsonTag       `json:"tags"`
		Changes    []jsonChange    `json:"changes"`
		Unlisted   []jsonChange    `json:"unlisted"`
		Security   jsonSecurity    `json:"security"`
		Impact     []jsonImpact    `json:"impact"`
		Notes      []string        `json:"notes"`
	}
	jsonStack struct {
		Name string `json:"name"`
		ID   string `json:"id"`
	}
	jsonChangeSet struct {
		Name            string     `json:"name"`
		ID              string     `json:"id"`
		Type            string     `json:"type"`
		Status          string     `json:"status"`
		ExecutionStatus string     `json:"executionStatus"`
		DeploymentMode  string     `json:"deploymentMode,omitempty"`
		Created         *time.Time `json:"created,omitempty"`
		Deleted         bool       `json:"deleted"`
	}
	jsonCounts struct {
		Add     int `json:"add"`
		Modify  int `json:"modify"`
		Remove  int `json:"remove"`
		Replace int `json:"replace"`
		Unknown int `json:"unknown"`
	}
	jsonParameter struct {
		Key              string `json:"key"`
		Before           string `json:"before"`
		After            string `json:"after"`
		ResolvedBefore   string `json:"resolvedBefore,omitempty"`
		ResolvedAfter    string `json:"resolvedAfter,omitempty"`
		Source           string `json:"source,omitempty"`
		New              bool   `json:"new"`
		Removed          bool   `json:"removed"`
		Changed          bool   `json:"changed"`
		RevertsToDefault bool   `json:"revertsToDefault"`
	}
	jsonTag struct {
		Key    string `json:"key"`
		Action string `json:"action"`
		Before string `json:"before"`
		After  string `json:"after"`
	}
	jsonChange struct {
		Action               string         `json:"action"`
		LogicalID            string         `json:"logicalId"`
		PhysicalID           string         `json:"physicalId"`
		Type                 string         `json:"type"`
		Replacement          string         `json:"replacement"`
		PredictedReplacement string         `json:"predictedReplacement"`
		PredictedBecause     string         `json:"predictedBecause,omitempty"`
		Risk                 string         `json:"risk"`
		Drift                string         `json:"drift,omitempty"`
		Properties           []jsonProperty `json:"properties"`
		PredictedProperties  []string       `json:"predictedProperties"`
	}
	jsonProperty struct {
		Attribute          string `json:"attribute"`
		Name               string `json:"name"`
		Path               string `json:"path"`
		ChangeType         string `json:"changeType"`
		Before             string `json:"before"`
		After              string `json:"after"`
		BeforeFrom         string `json:"beforeFrom,omitempty"`
		RequiresRecreation string `json:"requiresRecreation"`
		Evaluation         string `json:"evaluation"`
		ChangeSource       string `json:"changeSource"`
		CausingEntity      string `json:"causingEntity"`
	}
	jsonSecurity struct {
		Known      bool       `json:"known"`
		Broadening bool       `json:"broadening"`
		IAM        []jsonIAM  `json:"iam"`
		Rules      []jsonRule `json:"securityGroupRules"`
	}
	jsonIAM struct {
		Change    string   `json:"change"`
		Resource  string   `json:"resource"`
		Kind      string   `json:"kind"`
		Effect    string   `json:"effect"`
		Actions   []string `json:"actions"`
		Principal string   `json:"principal"`
		Resources []string `json:"resources"`
		Condition string   `json:"condition,omitempty"`
		Policy    string   `json:"policy,omitempty"`
		Broadens  bool     `json:"broadens"`
	}
	jsonRule struct {
		Change      string `json:"change"`
		Group       string `json:"group"`
		Direction   string `json:"direction"`
		Protocol    string `json:"protocol"`
		Ports       string `json:"ports"`
		Peer        string `json:"peer"`
		Description string `json:"description,omitempty"`
		Broadens    bool   `json:"broadens"`
	}
	jsonImpact struct {
		Kind      string   `json:"kind"`
		Text      string   `json:"text"`
		Resources []string `json:"resources"`
	}
)

// WriteJSON writes the plan as one JSON document for a program to read,
// with every value whole. Its schema is in the README; PlanVersion names
// it.
func (cs *ChangeSet) WriteJSON(w io.Writer) error {
	p := jsonPlan{
		Version:    PlanVersion,
		Stack:      jsonStack{Name: cs.StackName, ID: cs.StackID},
		ChangeSet:  jsonChangeSet{Name: cs.Name, ID: cs.ID, Type: cs.Type, Status: cs.Status, ExecutionStatus: cs.ExecutionStatus, DeploymentMode: cs.DeploymentMode, Created: cs.Created, Deleted: cs.Deleted},
		Parameters: []jsonParameter{},
		Tags:       []jsonTag{},
		Changes:    []jsonChange{},
		Unlisted:   []jsonChange{},
		Security:   jsonSecurity{Known: cs.Security != nil, IAM: []jsonIAM{}, Rules: []jsonRule{}},
		Impact:     []jsonImpact{},
		Notes:      append([]string{}, cs.Notes...),
	}
	p.Counts.Add, p.Counts.Modify, p.Counts.Remove, p.Counts.Replace, p.Counts.Unknown = cs.Counts()
	for _, x := range cs.Parameters {
		p.Parameters = append(p.Parameters, jsonParameter{Key: x.Key, Before: x.Before, After: x.After, ResolvedBefore: x.ResolvedBefore,
			ResolvedAfter: x.ResolvedAfter, Source: x.Source, New: x.New, Removed: x.Removed, Changed: x.Changed, RevertsToDefault: x.RevertsToDefault})
	}
	for _, t := range cs.Tags {
		p.Tags = append(p.Tags, jsonTag(t))
	}
	for _, c := range cs.Changes {
		jc := jsonChange{Action: c.Action, LogicalID: c.LogicalID, PhysicalID: c.PhysicalID, Type: c.Type, Replacement: c.Replacement,
			PredictedReplacement: c.Predicted, PredictedBecause: c.PredictedWhy, Risk: c.Risk(), Drift: c.Drift, Properties: []jsonProperty{}}
		for _, d := range c.Details {
			jc.Properties = append(jc.Properties, jsonProperty{Attribute: d.Attribute, Name: d.Name, Path: d.Path, ChangeType: d.ChangeType,
				Before: d.Before, After: d.After, BeforeFrom: d.BeforeFrom, RequiresRecreation: d.Recreation, Evaluation: d.Evaluation,
				ChangeSource: d.Source, CausingEntity: d.Cause})
		}
		if len(c.Details) == 0 {
			for _, name := range c.Properties {
				jc.Properties = append(jc.Properties, jsonProperty{Attribute: "Properties", Name: name})
			}
		}
		jc.PredictedProperties = nonNil(c.PredictedProperties)
		p.Changes = append(p.Changes, jc)
	}
	for _, c := range cs.Unlisted {
		p.Unlisted = append(p.Unlisted, jsonChange{Action: c.Action, LogicalID: c.LogicalID, Type: c.Type, PredictedReplacement: c.Predicted,
			PredictedBecause: c.PredictedWhy, Properties: []jsonProperty{}, PredictedProperties: nonNil(c.PredictedProperties)})
	}
	if cs.Security != nil {
		p.Security.Broadening = cs.Security.Broadening()
		for _, c := range cs.Security.IAM {
			p.Security.IAM = append(p.Security.IAM, jsonIAM{Change: addRemove(c.Added), Resource: c.Resource, Kind: c.Kind, Effect: c.Effect,
				Actions: nonNil(c.Actions), Principal: c.Principal, Resources: nonNil(c.Resources), Condition: c.Condition, Policy: c.Policy, Broadens: c.Broadens})
		}
		for _, r := range cs.Security.Rules {
			p.Security.Rules = append(p.Security.Rules, jsonRule{Change: addRemove(r.Added), Group: r.Group, Direction: r.Direction, Protocol: r.Protocol,
				Ports: r.Ports, Peer: r.Peer, Description: r.Description, Broadens: r.Broadens})
		}
	}
	for _, im := range cs.Impact {
		p.Impact = append(p.Impact, jsonImpact{Kind: im.Kind, Text: im.Text, Resources: nonNil(im.Resources)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}

func addRemove(added bool) string {
	if added {
		return "add"
	}
	return "remove"
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
