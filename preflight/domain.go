package preflight

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
)

// ZonesAPI is the part of the Route 53 client the domain checks use.
type ZonesAPI interface {
	GetHostedZone(ctx context.Context, in *route53.GetHostedZoneInput, opts ...func(*route53.Options)) (*route53.GetHostedZoneOutput, error)
	ListHostedZonesByName(ctx context.Context, in *route53.ListHostedZonesByNameInput, opts ...func(*route53.Options)) (*route53.ListHostedZonesByNameOutput, error)
}

// CertificatesAPI is the part of the ACM client the domain checks use.
type CertificatesAPI interface {
	DescribeCertificate(ctx context.Context, in *acm.DescribeCertificateInput, opts ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error)
}

var (
	_ ZonesAPI        = (*route53.Client)(nil)
	_ CertificatesAPI = (*acm.Client)(nil)
)

// Domain is a name a load balancer is to serve over HTTPS, the public
// hosted zone of its alias record (by ID or by name), and the certificate
// it is given, if any.
type Domain struct {
	Name        string
	ZoneID      string
	ZoneName    string
	Certificate string // an ACM certificate ARN; "" when the stack creates one
	Region      string // the stack's
}

// DomainError says why the stack cannot serve the domain.
type DomainError struct {
	Name    string
	Problem string
}

func (e *DomainError) Error() string { return fmt.Sprintf("domain %s: %s", e.Name, e.Problem) }

// CheckDomain finds the public hosted zone of d, by ID or by name, and
// returns its ID; it checks that the zone holds the name, and that a given
// certificate is in the stack's region, issued, and covers the name.
// Problems are [*DomainError]s, failures to ask plain errors.
func CheckDomain(ctx context.Context, zones ZonesAPI, certs CertificatesAPI, d Domain) (zoneID string, err error) {
	problem := func(format string, args ...any) error {
		return &DomainError{Name: d.Name, Problem: fmt.Sprintf(format, args...)}
	}
	var zoneName string
	if d.ZoneID != "" {
		out, err := zones.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(d.ZoneID)})
		switch {
		case code(err) == "NoSuchHostedZone":
			return "", problem("no hosted zone %s in this account", d.ZoneID)
		case err != nil:
			return "", fmt.Errorf("hosted zone %s: %w", d.ZoneID, err)
		}
		z := out.HostedZone
		if z.Config != nil && z.Config.PrivateZone {
			return "", problem("the hosted zone %s (%s) is private: the internet cannot resolve its records, nor ACM validate a certificate through it", d.ZoneID, dnsName(z.Name))
		}
		zoneID, zoneName = d.ZoneID, dnsName(z.Name)
	} else {
		var found []string
		in := &route53.ListHostedZonesByNameInput{DNSName: aws.String(d.ZoneName)}
		for {
			out, err := zones.ListHostedZonesByName(ctx, in)
			if err != nil {
				return "", fmt.Errorf("hosted zones named %s: %w", d.ZoneName, err)
			}
			done := !out.IsTruncated
			for _, z := range out.HostedZones {
				if dnsName(z.Name) != d.ZoneName {
					done = true // sorted by name: past it
					break
				}
				if z.Config == nil || !z.Config.PrivateZone {
					found = append(found, strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/"))
				}
			}
			if done || dnsName(out.NextDNSName) != d.ZoneName {
				break
			}
			in.DNSName, in.HostedZoneId = out.NextDNSName, out.NextHostedZoneId
		}
		switch len(found) {
		case 0:
			return "", problem("no public hosted zone %s in this account", d.ZoneName)
		case 1:
		default:
			return "", problem("%d public hosted zones are named %s (%s): name the one to use by its ID", len(found), d.ZoneName, strings.Join(found, ", "))
		}
		zoneID, zoneName = found[0], d.ZoneName
	}
	if d.Name != zoneName && !strings.HasSuffix(d.Name, "."+zoneName) {
		return "", problem("the hosted zone %s is %s, which does not hold %s", zoneID, zoneName, d.Name)
	}
	if d.Certificate == "" {
		return zoneID, nil
	}
	if parts := strings.Split(d.Certificate, ":"); len(parts) > 3 && parts[3] != d.Region {
		return "", problem("the certificate is in %s; a load balancer in %s takes only a certificate of its own region", parts[3], d.Region)
	}
	out, err := certs.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(d.Certificate)})
	switch {
	case code(err) == "ResourceNotFoundException":
		return "", problem("no certificate %s in this account", d.Certificate)
	case err != nil:
		return "", fmt.Errorf("certificate %s: %w", d.Certificate, err)
	}
	cert := out.Certificate
	if cert.Status != acmtypes.CertificateStatusIssued {
		return "", problem("the certificate is %s; the HTTPS listener needs an issued one", cert.Status)
	}
	names := append([]string{aws.ToString(cert.DomainName)}, cert.SubjectAlternativeNames...)
	for _, n := range names {
		if covers(n, d.Name) {
			return zoneID, nil
		}
	}
	return "", problem("the certificate is for %s, not for %s", strings.Join(names, ", "), d.Name)
}

// dnsName returns a Route 53 name without its final dot, in lower case.
func dnsName(s *string) string {
	return strings.ToLower(strings.TrimSuffix(aws.ToString(s), "."))
}

// covers reports whether a certificate's name covers host: the same name,
// or a wildcard for one label.
func covers(name, host string) bool {
	name = strings.ToLower(name)
	if rest, ok := strings.CutPrefix(name, "*."); ok {
		label, parent, found := strings.Cut(host, ".")
		return found && label != "" && parent == rest
	}
	return name == host
}
