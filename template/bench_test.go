package template

import (
	"testing"

	"github.com/cfngen/cfngen/config"
)

// benchConfigs are the stacks the synth benchmarks build: the built-in
// one, then the configs in ../bench, which the bench program also times
// as whole cfngen processes (make bench runs both).
var benchConfigs = []struct{ name, file string }{
	{"default", ""},
	{"instances=2", "../bench/instances-2.config.yaml"},
	{"instances=10", "../bench/instances-10.config.yaml"},
	{"instances=50", "../bench/instances-50.config.yaml"},
	{"instances=100", "../bench/instances-100.config.yaml"},
	{"instances=200", "../bench/instances-200.config.yaml"},
	{"autoscaling", "../bench/autoscaling.config.yaml"},
	{"largest", "../bench/largest.config.yaml"}, // 200 instances, 6 AZs, a NAT gateway per AZ
}

// BenchmarkSynth measures what `cfngen > stack.yaml` does after reading
// the config: Build and YAML. It reports the template's size and resource
// count next to the time, so that cost can be read per instance.
func BenchmarkSynth(b *testing.B) {
	for _, bc := range benchConfigs {
		b.Run(bc.name, func(b *testing.B) {
			c := config.Default()
			if bc.file != "" {
				var err error
				if c, err = config.Load(bc.file); err != nil {
					b.Fatal(err)
				}
			}
			var s *Stack
			var body []byte
			for b.Loop() {
				var err error
				if s, err = Build(c); err != nil {
					b.Fatal(err)
				}
				if body, err = s.YAML(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(body)), "template-bytes")
			b.ReportMetric(float64(len(s.Template.Resources)), "resources")
		})
	}
}
