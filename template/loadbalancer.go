package template

import (
	"slices"
	"strconv"

	elbv2 "github.com/awslabs/goformation/v7/cloudformation/elasticloadbalancingv2"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template/cloudformation"
)

// tlsPolicy accepts TLS 1.2 and 1.3 only.
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

// loadBalancer builds the internet-facing load balancer in the public
// subnets, its target group and its listeners, and returns its logical ID.
func (b *builder) loadBalancer(n *network, sg *securityGroups, t *targets) string {
	lbc := b.cfg.LoadBalancer
	attrs := []elbv2.LoadBalancer_LoadBalancerAttribute{attr("routing.http.drop_invalid_header_fields.enabled", "true")}
	findings := [][]finding{noDeletionProtection}
	after := n.internet
	bucket := lbc.AccessLogsBucket
	if lbc.CreateAccessLogsBucket {
		bucket = cloudformation.Ref("AccessLogsBucket")
		// AWS test-writes to the bucket when logging is turned on.
		after = append(slices.Clone(after), b.accessLogsBucket())
	}
	if bucket != "" {
		attrs = append(attrs,
			attr("access_logs.s3.enabled", "true"),
			attr("access_logs.s3.bucket", bucket),
			attr("access_logs.s3.prefix", cloudformation.Ref("AWS::StackName")))
	} else {
		findings = append(findings, noAccessLogs)
	}
	b.resource("LoadBalancer", &elbv2.LoadBalancer{
		Type:                       cloudformation.String("application"),
		Scheme:                     cloudformation.String("internet-facing"),
		IpAddressType:              cloudformation.String("ipv4"),
		Subnets:                    n.public,
		SecurityGroups:             []string{cloudformation.GetAtt(sg.loadBalancer, "GroupId")},
		LoadBalancerAttributes:     attrs,
		Tags:                       b.tags("alb"),
		AWSCloudFormationMetadata:  suppress(findings...),
		AWSCloudFormationDependsOn: after,
	})

	tg := &elbv2.TargetGroup{
		VpcId:                      cloudformation.String(cloudformation.Ref(n.vpc)),
		Protocol:                   cloudformation.String("HTTP"),
		Port:                       cloudformation.Int(targetPort),
		TargetType:                 cloudformation.String("instance"),
		HealthCheckEnabled:         cloudformation.Bool(true),
		HealthCheckProtocol:        cloudformation.String("HTTP"),
		HealthCheckPath:            cloudformation.String(lbc.HealthCheckPath),
		HealthCheckIntervalSeconds: cloudformation.Int(lbc.HealthCheckIntervalSeconds),
		HealthCheckTimeoutSeconds:  cloudformation.Int(lbc.HealthCheckTimeoutSeconds),
		HealthyThresholdCount:      cloudformation.Int(lbc.HealthyThreshold),
		UnhealthyThresholdCount:    cloudformation.Int(lbc.UnhealthyThreshold),
		Matcher:                    &elbv2.TargetGroup_Matcher{HttpCode: cloudformation.String("200")},
		TargetGroupAttributes: []elbv2.TargetGroup_TargetGroupAttribute{{
			Key:   cloudformation.String("deregistration_delay.timeout_seconds"),
			Value: cloudformation.String(strconv.Itoa(lbc.DeregistrationDelaySeconds)),
		}},
		Tags: b.tags("web"),
	}
	for _, id := range t.instances {
		tg.Targets = append(tg.Targets, elbv2.TargetGroup_TargetDescription{Id: cloudformation.Ref(id), Port: cloudformation.Int(targetPort)})
	}
	b.resource("TargetGroup", tg)

	forward := []elbv2.Listener_Action{{Type: "forward", TargetGroupArn: cloudformation.String(cloudformation.Ref("TargetGroup"))}}
	if !b.cfg.HTTPS() {
		b.resource("HTTPListener", &elbv2.Listener{
			LoadBalancerArn:           cloudformation.Ref("LoadBalancer"),
			Port:                      cloudformation.Int(80),
			Protocol:                  cloudformation.String("HTTP"),
			DefaultActions:            forward,
			AWSCloudFormationMetadata: suppress(plainHTTPListener),
		})
		return "LoadBalancer"
	}
	b.resource("HTTPSListener", &elbv2.Listener{
		LoadBalancerArn: cloudformation.Ref("LoadBalancer"),
		Port:            cloudformation.Int(443),
		Protocol:        cloudformation.String("HTTPS"),
		SslPolicy:       cloudformation.String(tlsPolicy),
		Certificates:    []elbv2.Listener_Certificate{{CertificateArn: cloudformation.String(b.certificateArn())}},
		DefaultActions:  forward,
	})
	b.resource("HTTPListener", &elbv2.Listener{
		LoadBalancerArn: cloudformation.Ref("LoadBalancer"),
		Port:            cloudformation.Int(80),
		Protocol:        cloudformation.String("HTTP"),
		DefaultActions: []elbv2.Listener_Action{{
			Type: "redirect",
			RedirectConfig: &elbv2.Listener_RedirectConfig{
				Protocol:   cloudformation.String("HTTPS"),
				Port:       cloudformation.String(strconv.Itoa(443)),
				StatusCode: "HTTP_301",
			},
		}},
		AWSCloudFormationMetadata: suppress(redirectListener),
	})
	return "LoadBalancer"
}

// forwardingListener names the listener that forwards to the target group.
func forwardingListener(c *config.Config) string {
	if c.HTTPS() {
		return "HTTPSListener"
	}
	return "HTTPListener"
}

func attr(k, v string) elbv2.LoadBalancer_LoadBalancerAttribute {
	return elbv2.LoadBalancer_LoadBalancerAttribute{Key: cloudformation.String(k), Value: cloudformation.String(v)}
}

func refs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = cloudformation.Ref(id)
	}
	return out
}
