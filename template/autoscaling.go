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
// waits until the new instances serve. Without a configured desired
// capacity the group starts at min, and an update leaves the size it
// has scaled to alone.
func (b *builder) autoScaling(n *network) string {
	as := b.cfg.Instances.AutoScaling
	inService := as.InService()
	var groupTags []autoscaling.AutoScalingGroup_TagProperty
	for _, t := range b.tags("web") {
		groupTags = append(groupTags, autoscaling.AutoScalingGroup_TagProperty{Key: t.Key, Value: t.Value, PropagateAtLaunch: true})
	}
	b.resource("AutoScalingGroup", &autoscaling.AutoScalingGroup{
		VPCZoneIdentifier: n.private,
		LaunchTemplate: &autoscaling.AutoScalingGroup_LaunchTemplateSpecification{
			LaunchTemplateId: cloudformation.String(cloudformation.Ref("LaunchTemplate")),
			Version:          cloudformation.GetAtt("LaunchTemplate", "LatestVersionNumber"),
		},
		MinSize:                         strconv.Itoa(as.Min),
		MaxSize:                         strconv.Itoa(as.Max),
		DesiredCapacity:                 desiredCapacity(as.Desired),
		HealthCheckType:                 cloudformation.String("ELB"),
		HealthCheckGracePeriod:          cloudformation.Int(as.GracePeriodSeconds),
		TargetGroupARNs:                 []string{cloudformation.Ref("TargetGroup")},
		Tags:                            groupTags,
		AWSCloudFormationDependsOn:      n.bootAfterAll(),
		AWSCloudFormationCreationPolicy: b.signals(inService),
		AWSCloudFormationUpdatePolicy: &policies.UpdatePolicy{
			AutoScalingRollingUpdate: &policies.AutoScalingRollingUpdate{
				MaxBatchSize:          float64(max(1, min(inService/4, as.Max-inService))),
				MinInstancesInService: float64(inService),
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
		// A new instance's metrics count once it serves.
		EstimatedInstanceWarmup: cloudformation.Int(as.GracePeriodSeconds),
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

// desiredCapacity is the group's DesiredCapacity: none unless the config
// sets one, as CloudFormation would set the group back to it at every
// update that changes the group.
func desiredCapacity(desired int) *string {
	if desired == 0 {
		return nil
	}
	return cloudformation.String(strconv.Itoa(desired))
}
