package ami_test

import (
	"context"
	"fmt"

	"github.com/cfngen/cfngen/ami"
)

// An update keeps the image the stack runs although the SSM parameter has
// moved on; asked to update, it takes the new one.
func ExampleChoose() {
	const path = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	deployed := []ami.Parameter{ // from DescribeStacks
		{Key: "ImageId", Value: path, Resolved: "ami-0123456789abcdef0"},
		{Key: "PinnedImageId", Value: ""},
	}
	latest := func(context.Context, string) (string, error) { return "ami-0fedcba9876543210", nil } // SSM GetParameter
	for _, update := range []bool{false, true} {
		c, err := ami.Choose(context.Background(), ami.Input{Deployed: deployed, Image: path, Resolve: latest, Update: update})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("send %v; %q\n", c.Parameters, c.String())
	}
	// Output:
	// send map[PinnedImageId:ami-0123456789abcdef0]; ""
	// send map[PinnedImageId:ami-0fedcba9876543210]; "AMI ami-0123456789abcdef0 -> ami-0fedcba9876543210 (asked for the latest)"
}
