package stackset

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// checkZones makes sure each region has at least want available
// Availability Zones (Local and Wavelength Zones do not count), as the
// template's !GetAZs picks that many. It asks with the caller's
// credentials; an account sees the same regions' zones as a rule, but
// older accounts may lack one (us-west-1, us-east-1).
func (m *Manager) checkZones(ctx context.Context, regions []string, want int) error {
	if want <= 0 {
		return nil
	}
	if m.EC2 == nil {
		return errors.New("stackset: Manager has no EC2 client for the Availability Zone check")
	}
	for _, r := range regions {
		out, err := m.EC2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
			Filters: []ec2types.Filter{
				{Name: aws.String("zone-type"), Values: []string{"availability-zone"}},
				{Name: aws.String("state"), Values: []string{"available"}},
			},
		}, func(o *ec2.Options) { o.Region = r })
		if err != nil {
			return wrapAWS("describe the Availability Zones of "+r, err)
		}
		var zones []string
		for _, z := range out.AvailabilityZones {
			zones = append(zones, aws.ToString(z.ZoneName))
		}
		slices.Sort(zones)
		if len(zones) < want {
			return &ZonesError{Region: r, Have: len(zones), Want: want, Zones: zones}
		}
	}
	return nil
}
