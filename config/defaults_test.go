package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestDefaultsFilled: what a file leaves out of an Auto Scaling group and
// a created access-log bucket takes its default, and what it sets stays.
// A desired size left out stays unset: an update then keeps the size the
// group has scaled to.
func TestDefaultsFilled(t *testing.T) {
	c, err := Parse([]byte("instances: {autoScaling: {min: 2, max: 6}}\nloadBalancer: {createAccessLogsBucket: true}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *c.Instances.AutoScaling, (AutoScaling{Min: 2, Max: 6, TargetCPUPercent: 50, GracePeriodSeconds: 300}); got != want {
		t.Errorf("autoScaling %+v, want %+v", got, want)
	}
	if c.LoadBalancer.AccessLogsDays != 90 {
		t.Errorf("accessLogsDays %d, want 90", c.LoadBalancer.AccessLogsDays)
	}
	c, err = Parse([]byte("instances: {autoScaling: {min: 2, max: 6, desired: 3, targetRequestsPerTarget: 100, gracePeriodSeconds: 120}}"), ".")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *c.Instances.AutoScaling, (AutoScaling{Min: 2, Max: 6, Desired: 3, TargetRequestsPerTarget: 100, GracePeriodSeconds: 120}); got != want {
		t.Errorf("autoScaling %+v, want %+v", got, want)
	}
}

// TestValidateChangesNothing: Validate only checks, so a config built in
// Go without the values a file may leave out is refused, not filled in.
func TestValidateChangesNothing(t *testing.T) {
	for _, yaml := range []string{
		"",
		"instances: {autoScaling: {min: 2, max: 6}}\nloadBalancer: {createAccessLogsBucket: true}",
		"vpc: {azCount: 3, natGateways: 0, endpoints: [cloudformation, ssm]}\ntags: {team: web}",
	} {
		c, err := Parse([]byte(yaml), ".")
		if err != nil {
			t.Fatal(err)
		}
		before := *c
		if as := c.Instances.AutoScaling; as != nil {
			saved := *as
			before.Instances.AutoScaling = &saved
		}
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*c, before) {
			t.Errorf("%q: Validate changed the config", yaml)
		}
	}

	c := Default()
	c.Instances.AutoScaling = &AutoScaling{Min: 2, Max: 6, TargetCPUPercent: 50}
	if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "instances.autoScaling.gracePeriodSeconds: 0 is outside 120 to 7200") {
		t.Errorf("grace period left zero: %v", err)
	}
	if as := c.Instances.AutoScaling; as.GracePeriodSeconds != 0 || as.Desired != 0 {
		t.Errorf("Validate filled in %+v", *as)
	}
	c.Instances.AutoScaling = &AutoScaling{Min: 2, Max: 6, Desired: 2}
	if err := c.Validate(); err == nil || err.Error() != "instances.autoScaling: set targetCpuPercent or targetRequestsPerTarget" {
		t.Errorf("no target: %v", err)
	}
}
