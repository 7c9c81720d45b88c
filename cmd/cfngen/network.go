package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/preflight"
)

// checkGiven checks, before any change, what the config gives and the
// stack does not create: the VPC and subnets of vpc.id (as --param may
// override them) and the hosted zone and certificate of
// loadBalancer.domainName. It passes the zone's ID as the HostedZoneId
// parameter when the config names the zone by name. Problems stop the
// deploy (exit 1); what may keep the stack from serving is a warning.
func checkGiven(ctx context.Context, e *env, c *clients, cfg *config.Config, in *deploy.Input) error {
	if cfg.ExistingVPC() {
		if err := checkNetwork(ctx, e, c, cfg, in.Parameters); err != nil {
			return err
		}
	}
	if cfg.LoadBalancer.DomainName != "" {
		return checkDomain(ctx, e, c, cfg, in)
	}
	return nil
}

func checkNetwork(ctx context.Context, e *env, c *clients, cfg *config.Config, params map[string]string) error {
	n, err := givenNetwork(cfg, params)
	if err != nil {
		return err
	}
	if c.subnets == nil {
		return fmt.Errorf("VPC %s: no EC2 client to look its subnets up with", n.VPC)
	}
	warnings, err := preflight.CheckNetwork(ctx, c.subnets, n)
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "cfngen: warning: %s\n", w)
	}
	var ne *preflight.NetworkError
	if errors.As(err, &ne) {
		fmt.Fprintf(e.stderr, "cfngen: error: %v\n", ne)
		fmt.Fprintf(e.stderr, "cfngen: hint: the stack goes into vpc.id and the subnets of vpc.publicSubnetIds and vpc.privateSubnetIds "+
			"(or of --param VpcId, PublicSubnetIds and PrivateSubnetIds); to list the VPC's subnets: "+
			"aws ec2 describe-subnets --filters Name=vpc-id,Values=%s --query 'Subnets[].[SubnetId,AvailabilityZone,AvailableIpAddressCount]' --output text\n", n.VPC)
		return &exitError{code: 1}
	}
	if err != nil {
		return fmt.Errorf("VPC %s: %w", n.VPC, err)
	}
	return nil
}

// givenNetwork returns the network the stack goes into: the config's, or
// the one --param gives. The template picks the subnets by index, so a
// list given by --param must hold as many as the config's.
func givenNetwork(cfg *config.Config, params map[string]string) (preflight.Network, error) {
	v := cfg.VPC
	n := preflight.Network{VPC: v.ID, Public: v.PublicSubnetIDs, Private: v.PrivateSubnetIDs}
	if id, ok := params["VpcId"]; ok {
		if err := config.ValidVPCID(id); err != nil {
			return n, usageErrorf("--param VpcId: %v", err)
		}
		n.VPC = id
	}
	for _, l := range []struct {
		param, key string
		ids        *[]string
	}{
		{"PublicSubnetIds", "vpc.publicSubnetIds", &n.Public},
		{"PrivateSubnetIds", "vpc.privateSubnetIds", &n.Private},
	} {
		s, ok := params[l.param]
		if !ok {
			continue
		}
		ids := strings.Split(s, ",")
		for i, id := range ids {
			ids[i] = strings.TrimSpace(id)
			if err := config.ValidSubnetID(ids[i]); err != nil {
				return n, usageErrorf("--param %s: %v", l.param, err)
			}
		}
		if len(ids) != len(*l.ids) {
			return n, &usageError{
				msg:  fmt.Sprintf("--param %s: %d subnets; the template picks %d by index, as many as %s lists", l.param, len(ids), len(*l.ids), l.key),
				hint: fmt.Sprintf("give %d, or list these subnets in %s and deploy that config", len(*l.ids), l.key),
			}
		}
		*l.ids = ids
	}
	seen := map[string]bool{}
	for _, id := range slices.Concat(n.Public, n.Private) {
		if seen[id] {
			return n, usageErrorf("--param: subnet %s is given twice; each subnet is public (the load balancer's) or private (the instances'), once", id)
		}
		seen[id] = true
	}
	return n, nil
}

func checkDomain(ctx context.Context, e *env, c *clients, cfg *config.Config, in *deploy.Input) error {
	lb := cfg.LoadBalancer
	d := preflight.Domain{Name: lb.DomainName, ZoneID: lb.HostedZoneID, ZoneName: lb.HostedZoneName, Certificate: lb.CertificateArn, Region: c.region}
	given := in.Parameters["HostedZoneId"]
	if given != "" {
		if err := config.ValidHostedZoneID(given); err != nil {
			return usageErrorf("--param HostedZoneId: %v", err)
		}
		d.ZoneID, d.ZoneName = given, ""
	}
	if c.dns == nil || c.certs == nil {
		return fmt.Errorf("domain %s: no Route 53 or ACM client to check it with", lb.DomainName)
	}
	zone, err := preflight.CheckDomain(ctx, c.dns, c.certs, d)
	var de *preflight.DomainError
	if errors.As(err, &de) {
		fmt.Fprintf(e.stderr, "cfngen: error: %v\n", de)
		fmt.Fprintln(e.stderr, "cfngen: hint: the name is loadBalancer.domainName, in the public hosted zone of loadBalancer.hostedZoneId or hostedZoneName "+
			"(or --param HostedZoneId); to list the zones: aws route53 list-hosted-zones --query 'HostedZones[].[Id,Name,Config.PrivateZone]' --output text")
		return &exitError{code: 1}
	}
	if err != nil {
		return fmt.Errorf("domain %s: %w", lb.DomainName, err)
	}
	if given == "" && lb.HostedZoneID == "" {
		if in.Parameters == nil {
			in.Parameters = map[string]string{}
		}
		in.Parameters["HostedZoneId"] = zone
		fmt.Fprintf(e.stderr, "cfngen: the hosted zone %s is %s\n", lb.HostedZoneName, zone)
	}
	return nil
}

// givenNotes says on stderr, for validate, what deploy checks of the
// network and the domain the config gives.
func givenNotes(e *env, cfg *config.Config) {
	if cfg.ExistingVPC() {
		fmt.Fprintf(e.stderr, "cfngen: note: vpc.id: the stack goes into %s and creates no network; cfngen deploy first checks that the subnets exist there, "+
			"that the public ones span two Availability Zones, and that the private ones have a way out\n", cfg.VPC.ID)
	}
	lb := cfg.LoadBalancer
	if lb.DomainName != "" && lb.HostedZoneID == "" {
		fmt.Fprintf(e.stderr, "cfngen: note: loadBalancer.hostedZoneName: the template's HostedZoneId parameter has no default; cfngen deploy looks up the ID of %s "+
			"(with the aws CLI, pass --parameter-overrides HostedZoneId=ID)\n", lb.HostedZoneName)
	}
}
