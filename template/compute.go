package template

import (
	"fmt"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/ec2"
	"github.com/awslabs/goformation/v7/cloudformation/policies"

	"github.com/cfngen/cfngen/ami"
	"github.com/cfngen/cfngen/template/cloudformation"
)

// targets are what the load balancer forwards to: fixed instances, or an
// Auto Scaling group.
type targets struct {
	instances []string // logical IDs of the fixed instances
	group     string   // logical ID of the Auto Scaling group
}

// compute builds the parameters, the launch template and the instances.
func (b *builder) compute(n *network, sg *securityGroups, profile, userData string) *targets {
	in := b.cfg.Instances
	image := b.image()
	b.parameter("InstanceType", cloudformation.Parameter{
		Type:        "String",
		Default:     in.Type,
		Description: cloudformation.String("EC2 instance type of the web servers"),
	})

	b.resource("LaunchTemplate", &ec2.LaunchTemplate{
		LaunchTemplateData: &ec2.LaunchTemplate_LaunchTemplateData{
			ImageId:            cloudformation.String(image),
			InstanceType:       cloudformation.String(cloudformation.Ref("InstanceType")),
			IamInstanceProfile: &ec2.LaunchTemplate_IamInstanceProfile{Arn: cloudformation.String(cloudformation.GetAtt(profile, "Arn"))},
			SecurityGroupIds:   []string{cloudformation.GetAtt(sg.instances, "GroupId")},
			MetadataOptions: &ec2.LaunchTemplate_MetadataOptions{
				HttpEndpoint:            cloudformation.String("enabled"),
				HttpTokens:              cloudformation.String("required"),
				HttpPutResponseHopLimit: cloudformation.Int(1),
				InstanceMetadataTags:    metadataTags(in.Signal),
			},
			BlockDeviceMappings: []ec2.LaunchTemplate_BlockDeviceMapping{{
				DeviceName: cloudformation.String("/dev/xvda"),
				Ebs: &ec2.LaunchTemplate_Ebs{
					VolumeType:          cloudformation.String("gp3"),
					VolumeSize:          cloudformation.Int(in.RootVolumeGiB),
					Encrypted:           cloudformation.Bool(true),
					DeleteOnTermination: cloudformation.Bool(true),
				},
			}},
			UserData:          cloudformation.String(cloudformation.Base64(userData)),
			TagSpecifications: []ec2.LaunchTemplate_TagSpecification{{ResourceType: cloudformation.String("volume"), Tags: b.tags("root-volume")}},
		},
		TagSpecifications: []ec2.LaunchTemplate_LaunchTemplateTagSpecification{{
			ResourceType: cloudformation.String("launch-template"),
			Tags:         b.tags("web"),
		}},
	})

	if in.AutoScaling != nil {
		return &targets{group: b.autoScaling(n)}
	}
	t := &targets{}
	for i := range in.Count {
		id := fmt.Sprintf("Instance%d", i+1)
		b.resource(id, &ec2.Instance{
			// ImageId and InstanceType repeat the launch template's, which
			// moto needs; on AWS they are the same values.
			ImageId:      cloudformation.String(image),
			InstanceType: cloudformation.String(cloudformation.Ref("InstanceType")),
			LaunchTemplate: &ec2.Instance_LaunchTemplateSpecification{
				LaunchTemplateId: cloudformation.String(cloudformation.Ref("LaunchTemplate")),
				Version:          cloudformation.GetAtt("LaunchTemplate", "LatestVersionNumber"),
			},
			SubnetId:                        cloudformation.String(n.private[i%len(n.private)]),
			Tags:                            b.tags(fmt.Sprintf("web-%d", i+1)),
			AWSCloudFormationMetadata:       suppress(basicInstance),
			AWSCloudFormationDependsOn:      n.bootAfter(i % len(n.private)),
			AWSCloudFormationCreationPolicy: b.signals(1),
		})
		t.instances = append(t.instances, id)
	}
	return t
}

// image adds the parameters of the instances' image and returns the
// value of their ImageId. An AMI ID from the config is the ImageId
// parameter. An SSM parameter path is the ImageId parameter, which
// CloudFormation resolves again at every update, beside PinnedImageId,
// empty by default: an AMI ID there keeps the instances on that image
// whatever the SSM parameter says now. cfngen deploy pins the deployed
// image unless asked for a new one.
func (b *builder) image() string {
	image := b.cfg.ImageID()
	if strings.HasPrefix(image, "ami-") {
		b.parameter(ami.ImageParameter, cloudformation.Parameter{Type: "AWS::EC2::Image::Id", Default: image, Description: cloudformation.String("AMI ID of the instances")})
		return cloudformation.Ref(ami.ImageParameter)
	}
	b.parameter(ami.ImageParameter, cloudformation.Parameter{
		Type:        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
		Default:     image,
		Description: cloudformation.String("SSM parameter that holds the latest AMI ID (default: Amazon Linux 2023), resolved again at every stack update; used while " + ami.PinParameter + " is empty"),
	})
	b.parameter(ami.PinParameter, cloudformation.Parameter{
		Type:                  "String",
		Default:               "",
		AllowedPattern:        cloudformation.String(`^(ami-([0-9a-f]{8}|[0-9a-f]{17}))?$`),
		ConstraintDescription: cloudformation.String("an AMI ID (ami-...) or empty"),
		Description:           cloudformation.String("AMI ID that keeps the instances on one image across updates; empty: the latest from " + ami.ImageParameter + " (cfngen deploy sets the deployed image unless --update-ami)"),
	})
	b.condition(ami.PinCondition, cloudformation.Not(cloudformation.Equals(cloudformation.Ref(ami.PinParameter), "")))
	return cloudformation.If(ami.PinCondition, cloudformation.Ref(ami.PinParameter), cloudformation.Ref(ami.ImageParameter))
}

// metadataTags lets instances read their tags, which name their stack
// and logical ID, from the instance metadata when they signal.
func metadataTags(signal bool) *string {
	if !signal {
		return nil
	}
	return cloudformation.String("enabled")
}

// signals returns the creation policy that makes CloudFormation wait for
// count success signals, or nil when instances do not signal.
func (b *builder) signals(count int) *policies.CreationPolicy {
	in := b.cfg.Instances
	if !in.Signal {
		return nil
	}
	return &policies.CreationPolicy{ResourceSignal: &policies.ResourceSignal{
		Count:   float64(count),
		Timeout: isoDuration(in.SignalTimeoutMinutes * 60),
	}}
}

// isoDuration writes seconds as an ISO 8601 duration: PT15M, PT150S.
func isoDuration(seconds int) string {
	if seconds%60 == 0 {
		return fmt.Sprintf("PT%dM", seconds/60)
	}
	return fmt.Sprintf("PT%dS", seconds)
}
