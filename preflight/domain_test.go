package preflight

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
)

// fakeRoute53 answers as Route 53 does: IDs as /hostedzone/ID, names with
// a final dot, ListHostedZonesByName sorted by name from DNSName on, one
// zone per page.
type fakeRoute53 struct{ zones []r53types.HostedZone }

func zone(id, name string, private bool) r53types.HostedZone {
	return r53types.HostedZone{Id: aws.String("/hostedzone/" + id), Name: aws.String(name + "."), Config: &r53types.HostedZoneConfig{PrivateZone: private}}
}

func (f *fakeRoute53) GetHostedZone(_ context.Context, in *route53.GetHostedZoneInput, _ ...func(*route53.Options)) (*route53.GetHostedZoneOutput, error) {
	for _, z := range f.zones {
		if strings.TrimPrefix(aws.ToString(z.Id), "/hostedzone/") == aws.ToString(in.Id) {
			return &route53.GetHostedZoneOutput{HostedZone: &z}, nil
		}
	}
	return nil, apiError("NoSuchHostedZone")
}

func (f *fakeRoute53) ListHostedZonesByName(_ context.Context, in *route53.ListHostedZonesByNameInput, _ ...func(*route53.Options)) (*route53.ListHostedZonesByNameOutput, error) {
	sorted := slices.Clone(f.zones)
	slices.SortStableFunc(sorted, func(a, b r53types.HostedZone) int { return strings.Compare(aws.ToString(a.Name), aws.ToString(b.Name)) })
	want := strings.TrimSuffix(aws.ToString(in.DNSName), ".") + "."
	var rest []r53types.HostedZone
	for _, z := range sorted {
		if aws.ToString(z.Name) >= want && (in.HostedZoneId == nil || aws.ToString(z.Name) > want || aws.ToString(z.Id) >= "/hostedzone/"+aws.ToString(in.HostedZoneId)) {
			rest = append(rest, z)
		}
	}
	out := &route53.ListHostedZonesByNameOutput{}
	if len(rest) > 0 {
		out.HostedZones = rest[:1]
	}
	if len(rest) > 1 {
		out.IsTruncated, out.NextDNSName = true, rest[1].Name
		out.NextHostedZoneId = aws.String(strings.TrimPrefix(aws.ToString(rest[1].Id), "/hostedzone/"))
	}
	return out, nil
}

type fakeDomainACM struct {
	certs map[string]acmtypes.CertificateDetail
}

func (f *fakeDomainACM) DescribeCertificate(_ context.Context, in *acm.DescribeCertificateInput, _ ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error) {
	c, ok := f.certs[aws.ToString(in.CertificateArn)]
	if !ok {
		return nil, apiError("ResourceNotFoundException")
	}
	return &acm.DescribeCertificateOutput{Certificate: &c}, nil
}

const (
	certApp  = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000001"
	certWild = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000002"
	certPend = "arn:aws:acm:us-east-1:111122223333:certificate/00000000-0000-0000-0000-000000000003"
	certEU   = "arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000004"
)

func domainFakes() (*fakeRoute53, *fakeDomainACM) {
	return &fakeRoute53{zones: []r53types.HostedZone{
			zone("ZAAA", "a.org", false),
			zone("ZEXAMPLE", "example.com", false),
			zone("ZINTERNAL", "example.com", true),
			zone("ZTWO1", "two.org", false),
			zone("ZTWO2", "two.org", false),
			zone("ZZZ", "zzz.net", false),
		}}, &fakeDomainACM{certs: map[string]acmtypes.CertificateDetail{
			certApp:  {DomainName: aws.String("app.example.com"), Status: acmtypes.CertificateStatusIssued},
			certWild: {DomainName: aws.String("example.com"), SubjectAlternativeNames: []string{"example.com", "*.example.com"}, Status: acmtypes.CertificateStatusIssued},
			certPend: {DomainName: aws.String("app.example.com"), Status: acmtypes.CertificateStatusPendingValidation},
		}}
}

func TestCheckDomain(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Domain
		zone string
	}{
		{"by id", Domain{Name: "app.example.com", ZoneID: "ZEXAMPLE"}, "ZEXAMPLE"},
		{"by name, the private one beside", Domain{Name: "app.example.com", ZoneName: "example.com"}, "ZEXAMPLE"},
		{"apex", Domain{Name: "example.com", ZoneName: "example.com"}, "ZEXAMPLE"},
		{"certificate", Domain{Name: "app.example.com", ZoneID: "ZEXAMPLE", Certificate: certApp, Region: "us-east-1"}, "ZEXAMPLE"},
		{"wildcard certificate", Domain{Name: "www.example.com", ZoneID: "ZEXAMPLE", Certificate: certWild, Region: "us-east-1"}, "ZEXAMPLE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, a := domainFakes()
			got, err := CheckDomain(context.Background(), r, a, tc.d)
			if err != nil || got != tc.zone {
				t.Errorf("got %q, %v; want %s", got, err, tc.zone)
			}
		})
	}
}

func TestCheckDomainRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Domain
		want string
	}{
		{"no zone", Domain{Name: "app.example.com", ZoneID: "ZNONE"}, "domain app.example.com: no hosted zone ZNONE in this account"},
		{"private zone", Domain{Name: "app.example.com", ZoneID: "ZINTERNAL"}, "the hosted zone ZINTERNAL (example.com) is private"},
		{"no zone by name", Domain{Name: "app.example.net", ZoneName: "example.net"}, "no public hosted zone example.net in this account"},
		{"two zones", Domain{Name: "www.two.org", ZoneName: "two.org"}, "2 public hosted zones are named two.org (ZTWO1, ZTWO2): name the one to use by its ID"},
		{"name outside the zone", Domain{Name: "app.example.org", ZoneID: "ZEXAMPLE"}, "the hosted zone ZEXAMPLE is example.com, which does not hold app.example.org"},
		{"certificate of another region", Domain{Name: "app.example.com", ZoneID: "ZEXAMPLE", Certificate: certEU, Region: "us-east-1"},
			"the certificate is in eu-west-1; a load balancer in us-east-1 takes only a certificate of its own region"},
		{"no such certificate", Domain{Name: "app.example.com", ZoneID: "ZEXAMPLE", Certificate: strings.Replace(certApp, "0001", "0009", 1), Region: "us-east-1"}, "no certificate arn:aws:acm"},
		{"pending", Domain{Name: "app.example.com", ZoneID: "ZEXAMPLE", Certificate: certPend, Region: "us-east-1"}, "the certificate is PENDING_VALIDATION; the HTTPS listener needs an issued one"},
		{"other name", Domain{Name: "www.example.com", ZoneID: "ZEXAMPLE", Certificate: certApp, Region: "us-east-1"}, "the certificate is for app.example.com, not for www.example.com"},
		{"wildcard of one label only", Domain{Name: "a.b.example.com", ZoneID: "ZEXAMPLE", Certificate: certWild, Region: "us-east-1"}, "not for a.b.example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, a := domainFakes()
			_, err := CheckDomain(context.Background(), r, a, tc.d)
			var de *DomainError
			if !errors.As(err, &de) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want a *DomainError that says %q", err, tc.want)
			}
		})
	}
}
