package moto

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

func TestStartAnswersCloudFormation(t *testing.T) {
	endpoint, stop, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cfg, err := Config(context.Background(), endpoint)
	if err != nil {
		t.Fatal(err)
	}
	out, err := cloudformation.NewFromConfig(cfg).ListStacks(context.Background(), &cloudformation.ListStacksInput{})
	if err != nil {
		t.Fatalf("ListStacks against %s: %v", endpoint, err)
	}
	if out == nil {
		t.Fatal("ListStacks returned no output")
	}
}
