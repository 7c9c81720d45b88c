package template_test

import (
	"errors"
	"fmt"
	"log"
	"maps"
	"slices"
	"strings"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template"
)

func ExampleBuild() {
	c := config.Default() // or config.Load("prod.yaml")
	c.StackName = "web-prod"
	c.Instances.Count = 3
	c.Tags = map[string]string{"team": "web"}
	if err := c.Validate(); err != nil { // a changed config is checked again
		log.Fatal(err)
	}
	st, err := template.Build(c)
	if err != nil {
		log.Fatal(err)
	}
	body, err := st.YAML()
	if err != nil {
		log.Fatal(err)
	}
	sum, err := st.Check(body)
	if err != nil {
		log.Fatal(err)
	}
	first, _, _ := strings.Cut(string(body), "\n")
	fmt.Println(first)
	fmt.Println("outputs:", strings.Join(slices.Sorted(maps.Keys(st.Template.Outputs)), " "))
	fmt.Println("through S3:", sum.NeedsS3())
	// Output:
	// AWSTemplateFormatVersion: "2010-09-09"
	// outputs: Instance1Id Instance2Id Instance3Id LoadBalancerDNS URL VPCId
	// through S3: false
}

func ExampleError() {
	c := config.Default()
	c.Instances.Count = 480 // a valid count, but too many resources with the rest of the stack
	_, err := template.Build(c)
	var te *template.Error
	if errors.As(err, &te) {
		fmt.Println(te.Key)
		fmt.Println(te.Reason)
	}
	// Output:
	// instances.count
	// the template would hold 509 resources, 9 over CloudFormation's limit of 500; use fewer instances or instances.autoScaling
}
