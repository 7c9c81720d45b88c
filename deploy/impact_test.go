package deploy

import (
	"testing"
)

func TestImpacts(t *testing.T) {
	two := `Resources:
  Instance1: {Type: AWS::EC2::Instance}
  Instance2: {Type: AWS::EC2::Instance}
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingRollingUpdate: {MaxBatchSize: 1, MinInstancesInService: 2}
  Plain: {Type: AWS::AutoScaling::AutoScalingGroup}
  LB: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
`
	for _, tc := range []struct {
		name    string
		changes []Change
		want    []string
	}{
		{"one of two", []Change{{Action: "Modify", LogicalID: "Instance1", Type: instanceType, Replacement: "True"}},
			[]string{"instances-replaced: 1 of 2 instances are replaced at the same time; the other 1 keep serving"}},
		{"both", []Change{{Action: "Modify", LogicalID: "Instance1", Type: instanceType, Replacement: "True"},
			{Action: "Modify", LogicalID: "Instance2", Type: instanceType, Predicted: "True"}},
			[]string{"fleet-down: all 2 instances are replaced at the same time; the site is down until the new ones pass health checks"}},
		{"both, one maybe", []Change{{Action: "Modify", LogicalID: "Instance1", Type: instanceType, Replacement: "True"},
			{Action: "Modify", LogicalID: "Instance2", Type: instanceType}},
			[]string{"fleet-down: all 2 instances may be replaced at the same time; the site is down until the new ones pass health checks"}},
		{"in place", []Change{{Action: "Modify", LogicalID: "Instance1", Type: instanceType, Replacement: "False"}}, nil},
		{"rolling", []Change{{Action: "Modify", LogicalID: "Group", Type: groupType, Replacement: "False", Properties: []string{"LaunchTemplate"}}},
			[]string{"rolling: Auto Scaling group Group replaces its instances 1 at a time, keeping at least 2 in service (rolling update)"}},
		{"no rolling update", []Change{{Action: "Modify", LogicalID: "Plain", Type: groupType, Replacement: "False", Properties: []string{"LaunchTemplate"}}},
			[]string{"new-instances-only: Auto Scaling group Plain launches new instances with the change; those running now are not replaced"}},
		{"capacity only", []Change{{Action: "Modify", LogicalID: "Group", Type: groupType, Replacement: "False", Properties: []string{"MaxSize"}}}, nil},
		{"load balancer", []Change{{Action: "Modify", LogicalID: "LB", Type: balancerType, Replacement: "True"}},
			[]string{"load-balancer-replaced: load balancer LB is replaced: its DNS name changes, and so does the site's URL"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, im := range impacts(&ChangeSet{Type: "UPDATE", tree: tree(t, two), Changes: tc.changes}) {
				got = append(got, im.Kind+": "+im.Text)
			}
			check(t, "impacts", got, tc.want)
		})
	}
	one := &ChangeSet{Type: "UPDATE", tree: tree(t, "Resources:\n  I: {Type: AWS::EC2::Instance}\n"),
		Changes: []Change{{Action: "Modify", LogicalID: "I", Type: instanceType, Replacement: "True"}}}
	check(t, "one", impacts(one)[0].Text, "the only instance is replaced; the site is down until the new one passes health checks")
	one.Type = "CREATE"
	check(t, "create", len(impacts(one)), 0)
}
