package deploy

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/cfngen/cfngen/internal/cfnyaml"
)

// Impact is what an update does to the site, in a sentence.
type Impact struct {
	Kind      string   // one of the Impact* constants
	Text      string   // such as "all 2 instances are replaced at the same time; ..."
	Resources []string // the logical IDs it is about
}

// The kinds of Impact.
const (
	// ImpactFleetDown: every instance is (or may be) replaced at once, so
	// that the load balancer has nothing to send requests to until the new
	// ones pass its health checks.
	ImpactFleetDown = "fleet-down"
	// ImpactInstancesReplaced: some instances are replaced; the others
	// keep serving.
	ImpactInstancesReplaced = "instances-replaced"
	// ImpactRolling: an Auto Scaling group replaces its instances a batch
	// at a time.
	ImpactRolling = "rolling"
	// ImpactNewInstancesOnly: an Auto Scaling group without a rolling
	// update applies a new launch template only to instances it launches
	// later.
	ImpactNewInstancesOnly = "new-instances-only"
	// ImpactLoadBalancerReplaced: the load balancer is replaced, and its
	// DNS name changes.
	ImpactLoadBalancerReplaced = "load-balancer-replaced"
)

const (
	instanceType = "AWS::EC2::Instance"
	groupType    = "AWS::AutoScaling::AutoScalingGroup"
	balancerType = "AWS::ElasticLoadBalancingV2::LoadBalancer"
)

// impacts works out what the change set does to the site, from its
// changes and its template.
func impacts(cs *ChangeSet) []Impact {
	if cs.Type != "UPDATE" {
		return nil
	}
	var out []Impact
	resources := cfnyaml.Get(cs.tree, "Resources")
	total := 0
	if resources != nil && resources.Kind == yaml.MappingNode {
		for i := 1; i < len(resources.Content); i += 2 {
			if t := cfnyaml.Get(resources.Content[i], "Type"); t != nil && t.Value == instanceType {
				total++
			}
		}
	}
	var sure, maybe []string
	for _, c := range cs.Changes {
		if c.Type != instanceType || c.Action != "Modify" && c.Action != "Dynamic" {
			continue
		}
		switch c.Replaces() {
		case "True":
			sure = append(sure, c.LogicalID)
		case "Conditional", "":
			maybe = append(maybe, c.LogicalID)
		}
	}
	// What the change set does not list, only the prediction, may be.
	for _, c := range cs.Unlisted {
		if c.Type == instanceType && (c.Predicted == "True" || c.Predicted == "Conditional") {
			maybe = append(maybe, c.LogicalID)
		}
	}
	if n := len(sure) + len(maybe); n > 0 && total > 0 {
		ids := append(slices.Clone(sure), maybe...)
		verb := "are"
		if len(maybe) > 0 {
			verb = "may be"
		}
		if n >= total {
			text := fmt.Sprintf("all %d instances %s replaced at the same time; the site is down until the new ones pass health checks", total, verb)
			if total == 1 {
				verb = map[string]string{"are": "is", "may be": "may be"}[verb]
				text = fmt.Sprintf("the only instance %s replaced; the site is down until the new one passes health checks", verb)
			}
			out = append(out, Impact{Kind: ImpactFleetDown, Text: text, Resources: ids})
		} else {
			out = append(out, Impact{Kind: ImpactInstancesReplaced, Resources: ids,
				Text: fmt.Sprintf("%d of %d instances %s replaced at the same time; the other %d keep serving", n, total, verb, total-n)})
		}
	}
	for _, c := range cs.Changes {
		switch {
		case c.Type == balancerType && c.Action == "Modify" && c.Replaces() == "True":
			out = append(out, Impact{Kind: ImpactLoadBalancerReplaced, Resources: []string{c.LogicalID},
				Text: fmt.Sprintf("load balancer %s is replaced: its DNS name changes, and so does the site's URL", c.LogicalID)})
		case c.Type == groupType && c.Action == "Modify" && c.Replaces() != "True" && launches(c):
			out = append(out, groupImpact(c.LogicalID, cfnyaml.Get(resources, c.LogicalID)))
		}
	}
	return out
}

// launches reports whether a group's change changes what it launches or
// where.
func launches(c Change) bool {
	for _, p := range c.Properties {
		switch p {
		case "LaunchTemplate", "LaunchConfigurationName", "MixedInstancesPolicy", "VPCZoneIdentifier":
			return true
		}
	}
	return false
}

// groupImpact says how an Auto Scaling group applies a new launch
// template, from its UpdatePolicy.
func groupImpact(id string, res *yaml.Node) Impact {
	policy := cfnyaml.Get(res, "UpdatePolicy")
	if rolling := cfnyaml.Get(policy, "AutoScalingRollingUpdate"); rolling != nil {
		batch, keep := "1", "0"
		if v := cfnyaml.Get(rolling, "MaxBatchSize"); v != nil && v.Kind == yaml.ScalarNode {
			batch = v.Value
		}
		if v := cfnyaml.Get(rolling, "MinInstancesInService"); v != nil && v.Kind == yaml.ScalarNode {
			keep = v.Value
		}
		return Impact{Kind: ImpactRolling, Resources: []string{id},
			Text: fmt.Sprintf("Auto Scaling group %s replaces its instances %s at a time, keeping at least %s in service (rolling update)", id, batch, keep)}
	}
	return Impact{Kind: ImpactNewInstancesOnly, Resources: []string{id},
		Text: fmt.Sprintf("Auto Scaling group %s launches new instances with the change; those running now are not replaced", id)}
}
