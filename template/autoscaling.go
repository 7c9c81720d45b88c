package template

import (
	"strconv"

	"github.com/awslabs/goformation/v7/cloudformation/autoscaling"
	"github.com/awslabs/goformation/v7/cloudformation/policies"

	"github.com/cfngen/cfngen/template/cloudformation"
)

// suspendDuringUpdate are the processes AWS recommends suspending while a
// rolling update replaces instances.
var suspendDuringUpdate = []string{"HealthCheck", "ReplaceUnhealthy", "AZRebalance", "AlarmNotification", "ScheduledActions"}

// autoScaling builds an Auto Scaling group across the private subnets on
// the launch template, registered with the target group, with a
// target-tracking policy and a rolling update that keeps capacity: it
// launches each batch before it retires old instances (config.Validate
// leaves room for a batch between desired and max) and, with signals,
// waits until the new instances serve.
func (b *builder) autoScaling(n *network) string {
	as := b.cfg.Instances.AutoScaling
	var groupTags []autoscaling.AutoScalingGroup_TagProperty
	for _, t := range b.tags("web") {
		groupTags = append(groupTags, autoscaling.AutoScalingGroup_TagProperty{Key: t.Key, Value: t.Value, PropagateAtLaunch: true})
	}
	b.resource("AutoScalingGroup", &autoscaling.AutoScalingGroup{
		VPCZoneIdentifier: refs(n.privateSubnets),
		LaunchTemplate: &autoscaling.AutoScalingGroup_LaunchTemplateSpecification{
			LaunchTemplateId: cloudformation.String(cloudformation.Ref("LaunchTemplate")),
			Version:          cloudformation.GetAtt("LaunchTemplate", "LatestVersionNumber"),
		},
		MinSize:                         strconv.Itoa(as.Min),
		MaxSize:                         strconv.Itoa(as.Max),
		DesiredCapacity:                 cloudformation.String(strconv.Itoa(as.Desired)),
		HealthCheckType:                 cloudformation.String("ELB"),
		HealthCheckGracePeriod:          cloudformation.Int(as.GracePeriodSeconds),
		TargetGroupARNs:                 []string{cloudformation.Ref("TargetGroup")},
		Tags:                            groupTags,
		AWSCloudFormationDependsOn:      n.bootAfterAll(),
		AWSCloudFormationCreationPolicy: b.signals(as.Desired),
		AWSCloudFormationUpdatePolicy: &policies.UpdatePolicy{
			AutoScalingRollingUpdate: &policies.AutoScalingRollingUpdate{
				MaxBatchSize:          float64(max(1, min(as.Desired/4, as.Max-as.Desired))),
				MinInstancesInService: float64(as.Desired),
				PauseTime:             isoDuration(b.cfg.UpdatePauseSeconds()),
				WaitOnResourceSignals: b.cfg.Instances.Signal,
				SuspendProcesses:      suspendDuringUpdate,
			},
			// A stack update leaves the group's current size alone unless
			// min, max or desired changed in the template.
			AutoScalingScheduledAction: &policies.AutoScalingScheduledAction{IgnoreUnmodifiedGroupSizeProperties: true},
		},
	})

	tracking := &autoscaling.ScalingPolicy_TargetTrackingConfiguration{}
	policy := &autoscaling.ScalingPolicy{
		AutoScalingGroupName:        cloudformation.Ref("AutoScalingGroup"),
		PolicyType:                  cloudformation.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: tracking,
	}
	if as.TargetRequestsPerTarget > 0 {
		tracking.TargetValue = float64(as.TargetRequestsPerTarget)
		tracking.PredefinedMetricSpecification = &autoscaling.ScalingPolicy_PredefinedMetricSpecification{
			PredefinedMetricType: "ALBRequestCountPerTarget",
			ResourceLabel:        cloudformation.String(cloudformation.Sub("${LoadBalancer.LoadBalancerFullName}/${TargetGroup.TargetGroupFullName}")),
		}
		// The metric exists once a listener forwards to the target group.
		policy.AWSCloudFormationDependsOn = []string{forwardingListener(b.cfg)}
	} else {
		tracking.TargetValue = float64(as.TargetCPUPercent)
		tracking.PredefinedMetricSpecification = &autoscaling.ScalingPolicy_PredefinedMetricSpecification{PredefinedMetricType: "ASGAverageCPUUtilization"}
	}
	b.resource("ScalingPolicy", policy)
	return "AutoScalingGroup"
}
