package preflight

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// fakeEC2 answers as EC2 does for one account, in the region each call
// is sent to.
type fakeEC2 struct {
	zones     map[string][]string // available AZs per region
	eipQuota  string              // vpc-max-elastic-ips
	addresses int
	vpcs      int
	types     map[string][]ec2types.ArchitectureType // instance types offered, and what they run
	images    map[string]ec2types.ArchitectureValues // AMIs
	mu        sync.Mutex
	regions   []string // the region of each call
}

// called records the region of a call; the checks may call at once.
func (f *fakeEC2) called(r string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.regions = append(f.regions, r)
}

var _ EC2API = (*fakeEC2)(nil)

func region(opts []func(*ec2.Options)) string {
	o := ec2.Options{Region: "us-east-1"}
	for _, f := range opts {
		f(&o)
	}
	return o.Region
}

func (f *fakeEC2) DescribeAvailabilityZones(_ context.Context, in *ec2.DescribeAvailabilityZonesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error) {
	r := region(opts)
	f.called(r)
	if len(in.Filters) != 2 {
		return nil, fmt.Errorf("want the zone-type and state filters, got %d filters", len(in.Filters))
	}
	out := &ec2.DescribeAvailabilityZonesOutput{}
	for _, z := range f.zones[r] {
		out.AvailabilityZones = append(out.AvailabilityZones, ec2types.AvailabilityZone{ZoneName: aws.String(z)})
	}
	return out, nil
}

func (f *fakeEC2) DescribeAccountAttributes(_ context.Context, in *ec2.DescribeAccountAttributesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAccountAttributesOutput, error) {
	f.called(region(opts))
	return &ec2.DescribeAccountAttributesOutput{AccountAttributes: []ec2types.AccountAttribute{{
		AttributeName:   aws.String("vpc-max-elastic-ips"),
		AttributeValues: []ec2types.AccountAttributeValue{{AttributeValue: aws.String(f.eipQuota)}},
	}}}, nil
}

func (f *fakeEC2) DescribeAddresses(_ context.Context, _ *ec2.DescribeAddressesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	f.called(region(opts))
	return &ec2.DescribeAddressesOutput{Addresses: make([]ec2types.Address, f.addresses)}, nil
}

// DescribeVpcs answers in pages of 2, as EC2 may.
func (f *fakeEC2) DescribeVpcs(_ context.Context, in *ec2.DescribeVpcsInput, opts ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error) {
	f.called(region(opts))
	start := 0
	if in.NextToken != nil {
		fmt.Sscan(*in.NextToken, &start)
	}
	out := &ec2.DescribeVpcsOutput{Vpcs: make([]ec2types.Vpc, min(2, f.vpcs-start))}
	if start+2 < f.vpcs {
		out.NextToken = aws.String(fmt.Sprint(start + 2))
	}
	return out, nil
}

func (f *fakeEC2) DescribeInstanceTypes(_ context.Context, in *ec2.DescribeInstanceTypesInput, opts ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error) {
	f.called(region(opts))
	archs, ok := f.types[string(in.InstanceTypes[0])]
	if !ok {
		return nil, apiError("InvalidInstanceType")
	}
	return &ec2.DescribeInstanceTypesOutput{InstanceTypes: []ec2types.InstanceTypeInfo{{
		InstanceType: in.InstanceTypes[0], ProcessorInfo: &ec2types.ProcessorInfo{SupportedArchitectures: archs},
	}}}, nil
}

func (f *fakeEC2) DescribeImages(_ context.Context, in *ec2.DescribeImagesInput, opts ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error) {
	f.called(region(opts))
	arch, ok := f.images[in.ImageIds[0]]
	if !ok {
		return nil, apiError("InvalidAMIID.NotFound")
	}
	return &ec2.DescribeImagesOutput{Images: []ec2types.Image{{ImageId: aws.String(in.ImageIds[0]), Architecture: arch}}}, nil
}

// fakeSSM holds the parameters of one region.
type fakeSSM map[string]string

func (f fakeSSM) GetParameter(_ context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	v, ok := f[aws.ToString(in.Name)]
	if !ok {
		return nil, apiError("ParameterNotFound")
	}
	return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Name: in.Name, Value: aws.String(v)}}, nil
}

// fakeACM holds certificates by ARN, with their status.
type fakeACM map[string]acmtypes.CertificateStatus

func (f fakeACM) DescribeCertificate(_ context.Context, in *acm.DescribeCertificateInput, _ ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error) {
	s, ok := f[aws.ToString(in.CertificateArn)]
	if !ok {
		return nil, apiError("ResourceNotFoundException")
	}
	return &acm.DescribeCertificateOutput{Certificate: &acmtypes.CertificateDetail{CertificateArn: in.CertificateArn, Status: s}}, nil
}

// fakeQuotas answers GetServiceQuota with value, or err.
type fakeQuotas struct {
	value float64
	err   error
}

func (f fakeQuotas) GetServiceQuota(_ context.Context, in *servicequotas.GetServiceQuotaInput, _ ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error) {
	if aws.ToString(in.ServiceCode) != "vpc" || aws.ToString(in.QuotaCode) != "L-F678F1CE" {
		return nil, apiError("NoSuchResourceException")
	}
	if f.err != nil {
		return nil, f.err
	}
	return &servicequotas.GetServiceQuotaOutput{Quota: &sqtypes.ServiceQuota{Value: aws.Float64(f.value)}}, nil
}

func TestCheckZones(t *testing.T) {
	f := &fakeEC2{zones: map[string][]string{"us-west-1": {"us-west-1c", "us-west-1a"}, "us-east-1": {"a", "b", "c", "d", "e", "f"}}}
	err := CheckZones(context.Background(), f, "us-west-1", 3)
	var ze *ZonesError
	if !errors.As(err, &ze) || ze.Have != 2 || ze.Want != 3 || ze.Region != "us-west-1" {
		t.Fatalf("got %v, want a ZonesError for 2 of 3 zones in us-west-1", err)
	}
	if want := "us-west-1 has 2 Availability Zones for this account (us-west-1a, us-west-1c); the stack spreads over 3"; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	if err := CheckZones(context.Background(), f, "us-east-1", 6); err != nil {
		t.Errorf("us-east-1, 6 zones: %v", err)
	}
	if f.regions[0] != "us-west-1" || f.regions[1] != "us-east-1" {
		t.Errorf("calls went to %v", f.regions)
	}
}

const certARN = "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"

func TestCheckCertificate(t *testing.T) {
	other := strings.Replace(certARN, "us-east-1", "eu-west-1", 1)
	pending := strings.Replace(certARN, "12345678-", "87654321-", 1)
	acmc := fakeACM{certARN: acmtypes.CertificateStatusIssued, other: acmtypes.CertificateStatusIssued, pending: acmtypes.CertificateStatusPendingValidation}
	cases := []struct {
		arn, want string
	}{
		{certARN, ""},
		{other, "it is in eu-west-1; a load balancer in us-east-1 uses only certificates of us-east-1"},
		{pending, "its status is PENDING_VALIDATION; a listener needs an ISSUED certificate"},
		{strings.Replace(certARN, "12345678-", "00000000-", 1), "no such certificate in this account"},
	}
	for _, c := range cases {
		err := CheckCertificate(context.Background(), acmc, c.arn, "us-east-1")
		var ce *CertificateError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.arn, err)
		case c.want != "" && (!errors.As(err, &ce) || ce.Problem != c.want):
			t.Errorf("%s: got %v, want %q", c.arn, err, c.want)
		}
	}
}

const (
	x86Path = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	armPath = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
	x86AMI  = "ami-0123456789abcdef0"
	armAMI  = "ami-0fedcba9876543210"
)

func TestCheckArchitecture(t *testing.T) {
	ec2c := &fakeEC2{
		types:  map[string][]ec2types.ArchitectureType{"t3.micro": {"i386", "x86_64"}, "t4g.small": {"arm64"}},
		images: map[string]ec2types.ArchitectureValues{x86AMI: "x86_64", armAMI: "arm64"},
	}
	ssmc := fakeSSM{x86Path: x86AMI, armPath: armAMI, "/my/not-an-image": "hello"}
	cases := []struct {
		typ, image, want string
	}{
		{"t3.micro", x86Path, ""},
		{"t4g.small", armPath, ""},
		{"t4g.small", x86AMI, "instance type t4g.small runs arm64, but the image " + x86AMI + " is x86_64"},
		{"t4g.small", x86Path, "instance type t4g.small runs arm64, but the image " + x86AMI + " (" + x86Path + ") is x86_64"},
		{"t3.micro", armPath, "instance type t3.micro runs i386 or x86_64, but the image " + armAMI + " (" + armPath + ") is arm64"},
		{"t3.nano", x86Path, "instance type t3.nano: not offered in us-east-1"},
		{"t3.micro", "ami-0aaaaaaaaaaaaaaaa", "image ami-0aaaaaaaaaaaaaaaa: not found in us-east-1"},
		{"t3.micro", "/my/missing", "SSM parameter /my/missing: no such parameter in us-east-1"},
		{"t3.micro", "/my/not-an-image", "SSM parameter /my/not-an-image: it does not hold an AMI ID"},
	}
	for _, c := range cases {
		err := CheckArchitecture(context.Background(), ec2c, ssmc, "us-east-1", c.typ, c.image)
		var ae *ArchitectureError
		var ie *ImageError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s on %s: %v", c.typ, c.image, err)
		case c.want != "" && !errors.As(err, &ae) && !errors.As(err, &ie):
			t.Errorf("%s on %s: got %v, want an ArchitectureError or ImageError", c.typ, c.image, err)
		case c.want != "" && !strings.HasPrefix(err.Error(), c.want):
			t.Errorf("%s on %s: got %q, want %q", c.typ, c.image, err, c.want)
		}
	}
}

func TestCheckHeadroom(t *testing.T) {
	cases := []struct {
		name   string
		ec2    *fakeEC2
		quotas QuotasAPI
		need   Need
		want   string // "" for room
		known  bool
	}{
		{"room", &fakeEC2{eipQuota: "5", addresses: 2, vpcs: 3}, fakeQuotas{value: 5}, Need{VPCs: 1, EIPs: 3}, "", false},
		{"a NAT per AZ over the EIP quota", &fakeEC2{eipQuota: "5", addresses: 2}, nil, Need{EIPs: 6},
			"the stack needs 6 more Elastic IP addresses in us-east-1, where the account has 2 of its quota of 5", true},
		{"a raised EIP quota", &fakeEC2{eipQuota: "20", addresses: 2}, nil, Need{EIPs: 6}, "", false},
		{"VPCs at the quota", &fakeEC2{vpcs: 5}, fakeQuotas{value: 5}, Need{VPCs: 1},
			"the stack needs 1 more VPCs in us-east-1, where the account has 5 of its quota of 5", true},
		{"a raised VPC quota", &fakeEC2{vpcs: 5}, fakeQuotas{value: 10}, Need{VPCs: 1}, "", false},
		{"no applied VPC quota", &fakeEC2{vpcs: 5}, fakeQuotas{err: apiError("NoSuchResourceException")}, Need{VPCs: 1}, "of its quota of 5", true},
		{"VPC quota unreadable", &fakeEC2{vpcs: 5}, fakeQuotas{err: apiError("AccessDeniedException")}, Need{VPCs: 1}, "of its quota of 5", false},
		{"an update that adds nothing", &fakeEC2{vpcs: 9, addresses: 9, eipQuota: "5"}, fakeQuotas{value: 5}, Need{}, "", false},
	}
	for _, c := range cases {
		err := CheckHeadroom(context.Background(), c.ec2, c.quotas, "us-east-1", c.need)
		var qe *QuotaError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (!errors.As(err, &qe) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		case c.want != "" && qe.Known != c.known:
			t.Errorf("%s: known %v, want %v", c.name, qe.Known, c.known)
		}
	}
}
