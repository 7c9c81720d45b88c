package template

import (
	"fmt"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/template/cloudformation"
)

// instancesPerOutput is how many instance IDs one output lists when there
// are too many instances for an output each.
const instancesPerOutput = 25

func (b *builder) outputs(n *network, lb string, t *targets) {
	b.output("LoadBalancerDNS", "DNS name of the load balancer", cloudformation.GetAtt(lb, "DNSName"))
	scheme := "http"
	if b.cfg.HTTPS() {
		scheme = "https"
	}
	url := cloudformation.Sub(scheme + "://${" + lb + ".DNSName}")
	if d := b.cfg.LoadBalancer.DomainName; d != "" {
		url = "https://" + d
	}
	b.output("URL", "URL of the web application", url)
	b.output("VPCId", "ID of the VPC", cloudformation.Ref(n.vpc))
	if t.group != "" {
		b.output("AutoScalingGroupName", "Name of the Auto Scaling group of the web instances", cloudformation.Ref(t.group))
		return
	}
	if len(b.t.Outputs)+len(t.instances) <= cfnrules.MaxOutputs {
		for i, id := range t.instances {
			b.output(id+"Id", fmt.Sprintf("Instance ID of web instance %d (private subnet %d)", i+1, i%len(n.private)+1), cloudformation.Ref(id))
		}
		return
	}
	// One output per instance would pass the limit: list them in groups.
	for lo := 0; lo < len(t.instances); lo += instancesPerOutput {
		hi := min(lo+instancesPerOutput, len(t.instances))
		b.output(fmt.Sprintf("InstanceIds%dTo%d", lo+1, hi),
			fmt.Sprintf("Instance IDs of web instances %d to %d, comma-separated", lo+1, hi),
			cloudformation.Join(",", refs(t.instances[lo:hi])))
	}
}
