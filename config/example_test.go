package config_test

import (
	"errors"
	"fmt"

	"github.com/cfngen/cfngen/config"
)

func ExampleLoad() {
	c, err := config.Load("testdata/web.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	as := c.Instances.AutoScaling
	fmt.Println(c.StackName, c.VPC.AZCount, "AZs,", c.VPC.NATGateways, "NAT gateway")
	fmt.Println(c.Instances.Type, c.ImageID())
	fmt.Printf("%d to %d instances, %d at first, tracking %d%% CPU\n", as.Min, as.Max, as.InService(), as.TargetCPUPercent)
	fmt.Println(c.Tags)
	// Output:
	// web-prod 3 AZs, 1 NAT gateway
	// t4g.small /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64
	// 3 to 9 instances, 3 at first, tracking 50% CPU
	// map[team:web]
}

func ExampleError() {
	_, err := config.Load("testdata/bad.yaml")
	fmt.Println(err)
	var ce *config.Error
	if errors.As(err, &ce) {
		fmt.Printf("file %s, line %d, key %s\n", ce.File, ce.Line, ce.Key)
	}
	// Output:
	// testdata/bad.yaml:4: vpc.azCount: 7 is outside 2 to 6 (high availability needs 2; cfngen supports up to 6)
	// file testdata/bad.yaml, line 4, key vpc.azCount
}

func ExampleParse() {
	c, err := config.Parse([]byte("instances: {count: 4}\nloadBalancer: {createAccessLogsBucket: true}\n"), ".")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.StackName, c.Instances.Count, c.LoadBalancer.AccessLogsDays)
	// Output:
	// cfngen-web 4 90
}
