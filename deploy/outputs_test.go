package deploy

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

func TestOutputs(t *testing.T) {
	s := newSim(t)
	st := deployed(s)
	st.outputs = []types.Output{
		{OutputKey: aws.String("URL"), OutputValue: aws.String("http://web-123.eu-west-1.elb.amazonaws.com"), Description: aws.String("the site")},
		{OutputKey: aws.String("VpcId"), OutputValue: aws.String("vpc-0a1b2c3d"), ExportName: aws.String("web-vpc")},
	}
	d, _, _ := s.deployer()
	got, err := d.Outputs(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	check(t, "outputs", got, []Output{
		{Key: "URL", Value: "http://web-123.eu-west-1.elb.amazonaws.com", Description: "the site"},
		{Key: "VpcId", Value: "vpc-0a1b2c3d"},
	})
	var b bytes.Buffer
	if err := WriteOutputs(&b, got); err != nil {
		t.Fatal(err)
	}
	checkText(t, "table", b.String(), `OUTPUT  VALUE                                       DESCRIPTION
URL     http://web-123.eu-west-1.elb.amazonaws.com  the site
VpcId   vpc-0a1b2c3d                                -
`)
}

func TestOutputsNone(t *testing.T) {
	s := newSim(t)
	deployed(s)
	d, _, _ := s.deployer()
	got, err := d.Outputs(context.Background(), "web")
	if err != nil || got != nil {
		t.Errorf("Outputs = %v, %v; want none, nil", got, err)
	}
}

func TestOutputsMissingStack(t *testing.T) {
	s := newSim(t)
	d, _, _ := s.deployer()
	_, err := d.Outputs(context.Background(), "web")
	if !errors.Is(err, ErrStackNotFound) {
		t.Errorf("Outputs: %v, want ErrStackNotFound", err)
	}
}
