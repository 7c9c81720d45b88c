package template

import (
	"github.com/awslabs/goformation/v7/cloudformation/certificatemanager"
	"github.com/awslabs/goformation/v7/cloudformation/route53"
	"github.com/cfngen/cfngen/template/cloudformation"
)

// certificateArn returns the certificate of the HTTPS listener: the one
// loadBalancer.certificateArn names, or else the one the stack creates for
// loadBalancer.domainName, validated through DNS in its hosted zone:
// CloudFormation writes the validation record there and waits until ACM
// issues the certificate.
func (b *builder) certificateArn() string {
	lb := b.cfg.LoadBalancer
	if lb.CertificateArn != "" {
		return lb.CertificateArn
	}
	b.resource("Certificate", &certificatemanager.Certificate{
		DomainName:       lb.DomainName,
		ValidationMethod: cloudformation.String("DNS"),
		DomainValidationOptions: []certificatemanager.Certificate_DomainValidationOption{{
			DomainName:   lb.DomainName,
			HostedZoneId: cloudformation.String(b.hostedZone()),
		}},
		Tags: b.tags("certificate"),
	})
	return cloudformation.Ref("Certificate")
}

// hostedZone returns a Ref of the HostedZoneId parameter, which it adds on
// first use: the zone loadBalancer.hostedZoneId names by default, or, for
// hostedZoneName, no default, since the template cannot look a zone up by
// name (cfngen deploy does, and passes the ID).
func (b *builder) hostedZone() string {
	const id = "HostedZoneId"
	if _, ok := b.t.Parameters[id]; !ok {
		lb := b.cfg.LoadBalancer
		p := cloudformation.Parameter{
			Type:        "AWS::Route53::HostedZone::Id",
			Description: cloudformation.String("The public Route 53 hosted zone of " + lb.DomainName),
		}
		if lb.HostedZoneID != "" {
			p.Default = lb.HostedZoneID
		} else {
			p.Description = cloudformation.String("The ID of the public Route 53 hosted zone " + lb.HostedZoneName + " (cfngen deploy looks it up by name)")
		}
		b.parameter(id, p)
	}
	return cloudformation.Ref(id)
}

// dns points loadBalancer.domainName at the load balancer lb with an alias
// record. The load balancer has IPv4 addresses only, so the record is an A
// record; an AAAA one would answer with no address.
func (b *builder) dns(lb string) {
	name := b.cfg.LoadBalancer.DomainName
	if name == "" {
		return
	}
	b.resource("AliasRecord", &route53.RecordSet{
		HostedZoneId: cloudformation.String(b.hostedZone()),
		Name:         name,
		Type:         "A",
		AliasTarget: &route53.RecordSet_AliasTarget{
			DNSName:              cloudformation.GetAtt(lb, "DNSName"),
			HostedZoneId:         cloudformation.GetAtt(lb, "CanonicalHostedZoneID"),
			EvaluateTargetHealth: cloudformation.Bool(true),
		},
	})
}
