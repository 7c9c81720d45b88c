package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	acmtypes "github.com/aws/aws-sdk-go-v2/service/acm/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// EC2API is the part of the EC2 client the checks use.
type EC2API interface {
	DescribeAvailabilityZones(ctx context.Context, in *ec2.DescribeAvailabilityZonesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error)
	DescribeAccountAttributes(ctx context.Context, in *ec2.DescribeAccountAttributesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAccountAttributesOutput, error)
	DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error)
	DescribeVpcs(ctx context.Context, in *ec2.DescribeVpcsInput, opts ...func(*ec2.Options)) (*ec2.DescribeVpcsOutput, error)
	DescribeInstanceTypes(ctx context.Context, in *ec2.DescribeInstanceTypesInput, opts ...func(*ec2.Options)) (*ec2.DescribeInstanceTypesOutput, error)
	DescribeImages(ctx context.Context, in *ec2.DescribeImagesInput, opts ...func(*ec2.Options)) (*ec2.DescribeImagesOutput, error)
}

// ACMAPI reads a certificate.
type ACMAPI interface {
	DescribeCertificate(ctx context.Context, in *acm.DescribeCertificateInput, opts ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error)
}

// SSMAPI resolves an SSM parameter, such as the one that names the latest
// Amazon Linux image.
type SSMAPI interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, opts ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

// QuotasAPI reads the account's quotas.
type QuotasAPI interface {
	GetServiceQuota(ctx context.Context, in *servicequotas.GetServiceQuotaInput, opts ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error)
}

var (
	_ EC2API    = (*ec2.Client)(nil)
	_ ACMAPI    = (*acm.Client)(nil)
	_ SSMAPI    = (*ssm.Client)(nil)
	_ QuotasAPI = (*servicequotas.Client)(nil)
)

// ec2In sends an EC2 call to region instead of the client's own.
func ec2In(region string) func(*ec2.Options) {
	return func(o *ec2.Options) {
		if region != "" {
			o.Region = region
		}
	}
}

// ZonesError is a region with fewer Availability Zones than the stack
// spreads over.
type ZonesError struct {
	Region     string
	Have, Want int
	Zones      []string
}

func (e *ZonesError) Error() string {
	return fmt.Sprintf("%s has %d Availability Zones for this account (%s); the stack spreads over %d",
		e.Region, e.Have, strings.Join(e.Zones, ", "), e.Want)
}

// CheckZones checks that region has at least want available Availability
// Zones (Local and Wavelength Zones do not count), as the template's
// !GetAZs picks that many.
func CheckZones(ctx context.Context, c EC2API, region string, want int) error {
	out, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []ec2types.Filter{
			{Name: aws.String("zone-type"), Values: []string{"availability-zone"}},
			{Name: aws.String("state"), Values: []string{"available"}},
		},
	}, ec2In(region))
	if err != nil {
		return fmt.Errorf("describe the Availability Zones of %s: %w", region, err)
	}
	var zones []string
	for _, z := range out.AvailabilityZones {
		zones = append(zones, aws.ToString(z.ZoneName))
	}
	slices.Sort(zones)
	if len(zones) < want {
		return &ZonesError{Region: region, Have: len(zones), Want: want, Zones: zones}
	}
	return nil
}

// CertificateError is a certificate the load balancer cannot use.
type CertificateError struct {
	ARN     string
	Region  string // the stack's
	Problem string
}

func (e *CertificateError) Error() string {
	return "certificate " + e.ARN + ": " + e.Problem
}

// CheckCertificate checks that the ACM certificate arn is in region (a
// load balancer uses only certificates of its own region) and issued.
func CheckCertificate(ctx context.Context, c ACMAPI, arn, region string) error {
	problem := func(format string, args ...any) error {
		return &CertificateError{ARN: arn, Region: region, Problem: fmt.Sprintf(format, args...)}
	}
	if parts := strings.Split(arn, ":"); len(parts) < 6 || parts[3] != region {
		in := "another region"
		if len(parts) >= 6 {
			in = parts[3]
		}
		return problem("it is in %s; a load balancer in %s uses only certificates of %s", in, region, region)
	}
	out, err := c.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(arn)},
		func(o *acm.Options) { o.Region = region })
	switch {
	case code(err) == "ResourceNotFoundException":
		return problem("no such certificate in this account")
	case err != nil:
		return fmt.Errorf("certificate %s: %w", arn, err)
	case out.Certificate == nil:
		return problem("ACM returned no certificate")
	}
	if s := out.Certificate.Status; s != acmtypes.CertificateStatusIssued {
		return problem("its status is %s; a listener needs an ISSUED certificate", s)
	}
	return nil
}

// ArchitectureError is an instance type that cannot run the image.
type ArchitectureError struct {
	InstanceType string
	TypeArchs    []string // what the type runs
	Image        string   // the AMI, and the SSM parameter it came from
	ImageArch    string
}

func (e *ArchitectureError) Error() string {
	return fmt.Sprintf("instance type %s runs %s, but the image %s is %s",
		e.InstanceType, strings.Join(e.TypeArchs, " or "), e.Image, e.ImageArch)
}

// ImageError is an image or instance type that cannot be found.
type ImageError struct {
	What    string // "instance type t3.micro", "image ami-..."
	Problem string
}

func (e *ImageError) Error() string { return e.What + ": " + e.Problem }

// ResolveImage returns the AMI ID of image: image itself when it is one,
// else the value of the SSM parameter it names.
func ResolveImage(ctx context.Context, c SSMAPI, region, image string) (string, error) {
	if strings.HasPrefix(image, "ami-") {
		return image, nil
	}
	out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(image)}, func(o *ssm.Options) {
		if region != "" {
			o.Region = region
		}
	})
	switch {
	case code(err) == "ParameterNotFound":
		return "", &ImageError{What: "SSM parameter " + image, Problem: "no such parameter in " + region}
	case err != nil:
		return "", fmt.Errorf("SSM parameter %s: %w", image, err)
	case out.Parameter == nil || !strings.HasPrefix(aws.ToString(out.Parameter.Value), "ami-"):
		return "", &ImageError{What: "SSM parameter " + image, Problem: "it does not hold an AMI ID"}
	}
	return aws.ToString(out.Parameter.Value), nil
}

// CheckArchitecture checks that instanceType is offered in region and
// runs the architecture of image (an AMI ID, or an SSM parameter path that
// names one).
func CheckArchitecture(ctx context.Context, ec2c EC2API, ssmc SSMAPI, region, instanceType, image string) error {
	id, err := ResolveImage(ctx, ssmc, region, image)
	if err != nil {
		return err
	}
	types, err := ec2c.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{InstanceTypes: []ec2types.InstanceType{ec2types.InstanceType(instanceType)}}, ec2In(region))
	switch {
	case code(err) == "InvalidInstanceType" || err == nil && len(types.InstanceTypes) == 0:
		return &ImageError{What: "instance type " + instanceType, Problem: "not offered in " + region}
	case err != nil:
		return fmt.Errorf("describe instance type %s: %w", instanceType, err)
	}
	var archs []string
	if p := types.InstanceTypes[0].ProcessorInfo; p != nil {
		for _, a := range p.SupportedArchitectures {
			archs = append(archs, string(a))
		}
	}
	images, err := ec2c.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}}, ec2In(region))
	switch {
	case code(err) == "InvalidAMIID.NotFound" || code(err) == "InvalidAMIID.Malformed" || err == nil && len(images.Images) == 0:
		return &ImageError{What: "image " + describeImage(id, image), Problem: "not found in " + region + " (or not shared with this account)"}
	case err != nil:
		return fmt.Errorf("describe image %s: %w", id, err)
	}
	arch := string(images.Images[0].Architecture)
	if !slices.Contains(archs, arch) {
		return &ArchitectureError{InstanceType: instanceType, TypeArchs: archs, Image: describeImage(id, image), ImageArch: arch}
	}
	return nil
}

func describeImage(id, image string) string {
	if id == image {
		return id
	}
	return id + " (" + image + ")"
}

// Default quotas, per region, and where Service Quotas keeps them.
const (
	DefaultVPCQuota = 5
	DefaultEIPQuota = 5
	vpcQuotaCode    = "L-F678F1CE" // Amazon VPC: VPCs per Region
)

// Need is what a deploy adds to the account in a region.
type Need struct {
	VPCs int
	EIPs int // Elastic IP addresses, one per NAT gateway
}

// QuotaError is a deploy that would go over a quota.
type QuotaError struct {
	What   string // "VPCs", "Elastic IP addresses"
	Region string
	Used   int
	Quota  int
	Need   int
	Code   string // the Service Quotas code to ask for more
	Known  bool   // the quota is the account's, not the default
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("the stack needs %d more %s in %s, where the account has %d of its quota of %d",
		e.Need, e.What, e.Region, e.Used, e.Quota)
}

// CheckHeadroom checks that the account can hold what need adds in
// region: Elastic IP addresses against the account's quota (EC2 account
// attribute vpc-max-elastic-ips), VPCs against the quota that Service
// Quotas gives (the default, 5, when it has no value; quotas may be nil).
func CheckHeadroom(ctx context.Context, ec2c EC2API, quotas QuotasAPI, region string, need Need) error {
	// The two counts are independent: ask for both at once, and report
	// the Elastic IP addresses first.
	var eipErr, vpcErr error
	var wg sync.WaitGroup
	wg.Go(func() { eipErr = checkEIPs(ctx, ec2c, region, need) })
	wg.Go(func() { vpcErr = checkVPCs(ctx, ec2c, quotas, region, need) })
	wg.Wait()
	if eipErr != nil {
		return eipErr
	}
	return vpcErr
}

func checkEIPs(ctx context.Context, ec2c EC2API, region string, need Need) error {
	if need.EIPs > 0 {
		attrs, err := ec2c.DescribeAccountAttributes(ctx, &ec2.DescribeAccountAttributesInput{
			AttributeNames: []ec2types.AccountAttributeName{"vpc-max-elastic-ips"},
		}, ec2In(region))
		if err != nil {
			return fmt.Errorf("read the Elastic IP quota of %s: %w", region, err)
		}
		quota := DefaultEIPQuota
		for _, a := range attrs.AccountAttributes {
			if aws.ToString(a.AttributeName) == "vpc-max-elastic-ips" && len(a.AttributeValues) > 0 {
				fmt.Sscan(aws.ToString(a.AttributeValues[0].AttributeValue), &quota)
			}
		}
		addrs, err := ec2c.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{}, ec2In(region))
		if err != nil {
			return fmt.Errorf("count the Elastic IP addresses of %s: %w", region, err)
		}
		if used := len(addrs.Addresses); used+need.EIPs > quota {
			return &QuotaError{What: "Elastic IP addresses", Region: region, Used: used, Quota: quota, Need: need.EIPs, Code: "L-0263D0A3", Known: true}
		}
	}
	return nil
}

func checkVPCs(ctx context.Context, ec2c EC2API, quotas QuotasAPI, region string, need Need) error {
	if need.VPCs > 0 {
		quota, known := DefaultVPCQuota, false
		if quotas != nil {
			q, err := quotas.GetServiceQuota(ctx, &servicequotas.GetServiceQuotaInput{ServiceCode: aws.String("vpc"), QuotaCode: aws.String(vpcQuotaCode)},
				func(o *servicequotas.Options) {
					if region != "" {
						o.Region = region
					}
				})
			switch {
			case err == nil && q.Quota != nil && q.Quota.Value != nil:
				quota, known = int(*q.Quota.Value), true
			case err == nil || code(err) == "NoSuchResourceException":
				known = true // no applied value: the default
			}
		}
		used := 0
		p := ec2.NewDescribeVpcsPaginator(ec2c, &ec2.DescribeVpcsInput{})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx, ec2In(region))
			if err != nil {
				return fmt.Errorf("count the VPCs of %s: %w", region, err)
			}
			used += len(page.Vpcs)
		}
		if used+need.VPCs > quota {
			return &QuotaError{What: "VPCs", Region: region, Used: used, Quota: quota, Need: need.VPCs, Code: vpcQuotaCode, Known: known}
		}
	}
	return nil
}
