package config

import (
	"fmt"
	"strings"
)

var (
	// domainRE: lower-case labels of letters, digits and inner hyphens, at
	// least two, the last one starting with a letter.
	domainRE = lazyRegexp(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	zoneIDRE = lazyRegexp(`^[A-Z0-9]{1,32}$`) // Route 53 documents only the length
)

// maxDomainName is the longest name DNS (and ACM) takes.
const maxDomainName = 253

// ValidHostedZoneID reports why s is not a Route 53 hosted zone ID.
func ValidHostedZoneID(s string) error {
	if strings.HasPrefix(s, "/hostedzone/") {
		return fmt.Errorf("write the ID without /hostedzone/: %s", clip(strings.TrimPrefix(s, "/hostedzone/")))
	}
	if !zoneIDRE().MatchString(s) {
		return fmt.Errorf("%q is not a Route 53 hosted zone ID such as Z0123456789ABCDEFGHIJ", clip(s))
	}
	return nil
}

// HTTPS reports whether the load balancer serves HTTPS: with a
// certificate given, or for a domain, whose certificate the stack creates
// when none is given.
func (c *Config) HTTPS() bool {
	return c.LoadBalancer.CertificateArn != "" || c.LoadBalancer.DomainName != ""
}

// CreatesCertificate reports whether the stack creates the certificate of
// loadBalancer.domainName.
func (c *Config) CreatesCertificate() bool {
	return c.LoadBalancer.DomainName != "" && c.LoadBalancer.CertificateArn == ""
}

// checkDomain checks loadBalancer.domainName and its hosted zone.
func (c *Config) checkDomain() *Error {
	lb := c.LoadBalancer
	const key = "loadBalancer."
	if lb.DomainName == "" {
		switch {
		case lb.HostedZoneID != "":
			return bad(key+"hostedZoneId", "applies only with loadBalancer.domainName, the name the stack serves")
		case lb.HostedZoneName != "":
			return bad(key+"hostedZoneName", "applies only with loadBalancer.domainName, the name the stack serves")
		}
		return nil
	}
	if reason := domainProblem(lb.DomainName); reason != "" {
		return bad(key+"domainName", "%s", reason)
	}
	switch {
	case lb.HostedZoneID != "" && lb.HostedZoneName != "":
		return bad(key+"hostedZoneName", "set hostedZoneId or hostedZoneName, not both")
	case lb.HostedZoneID == "" && lb.HostedZoneName == "":
		return bad(key+"domainName", "needs loadBalancer.hostedZoneId (or hostedZoneName): the public Route 53 hosted zone "+
			"where the stack writes the name's alias record (and validates the certificate it creates)")
	case lb.HostedZoneID != "" && ValidHostedZoneID(lb.HostedZoneID) != nil:
		return bad(key+"hostedZoneId", "%v", ValidHostedZoneID(lb.HostedZoneID))
	case lb.HostedZoneName != "":
		if reason := domainProblem(lb.HostedZoneName); reason != "" {
			return bad(key+"hostedZoneName", "%s", reason)
		}
		if lb.DomainName != lb.HostedZoneName && !strings.HasSuffix(lb.DomainName, "."+lb.HostedZoneName) {
			return bad(key+"domainName", "%s is not in the hosted zone %s (hostedZoneName): a zone holds records of its own name and the names under it",
				lb.DomainName, lb.HostedZoneName)
		}
	}
	return nil
}

// domainProblem says why s is not a domain name the stack can serve, or
// returns "".
func domainProblem(s string) string {
	switch {
	case strings.HasPrefix(s, "*."):
		return clip(s) + ": a wildcard names no one host to serve; give the name people type, such as app.example.com"
	case strings.HasSuffix(s, "."):
		return "write " + clip(s) + " without the final dot"
	case strings.Contains(s, "://") || strings.Contains(s, "/"):
		return clip(s) + " is a URL; give only the host name, such as app.example.com"
	case len(s) > maxDomainName:
		return fmt.Sprintf("the name is %d characters; DNS takes at most %d", len(s), maxDomainName)
	case s != strings.ToLower(s) && domainRE().MatchString(strings.ToLower(s)):
		return "write it in lower case: " + strings.ToLower(s)
	case !domainRE().MatchString(s):
		return fmt.Sprintf("%q is not a domain name such as app.example.com "+
			"(labels of letters, digits and hyphens, at most 63 characters each, joined by dots)", clip(s))
	}
	return ""
}
