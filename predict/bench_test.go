package predict_test

import (
	"testing"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/predict"
)

// BenchmarkPredict measures the prediction of `cfngen diff --against` on
// the largest stack: 2 AZs and 2 instances growing to 6 AZs, a NAT gateway
// per AZ and 200 instances.
func BenchmarkPredict(b *testing.B) {
	old := stack(b, nil)
	new := stack(b, func(c *config.Config) {
		c.VPC.AZCount, c.VPC.NATGateways, c.Instances.Count = 6, 6, 200
	})
	b.SetBytes(int64(len(old) + len(new)))
	for b.Loop() {
		if _, err := predict.Predict(old, new, predict.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
