package elblogs

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPolicy(t *testing.T) {
	cases := []struct{ region, principal, resource string }{
		{"us-east-1", `"AWS": "arn:aws:iam::127311923021:root"`, `"arn:aws:s3:::logs/web/AWSLogs/111122223333/*"`},
		{"eu-south-2", `"Service": "logdelivery.elasticloadbalancing.amazonaws.com"`, `"arn:aws:s3:::logs/web/AWSLogs/111122223333/*"`},
		{"cn-north-1", `"AWS": "arn:aws-cn:iam::638102146993:root"`, `"arn:aws-cn:s3:::logs/web/AWSLogs/111122223333/*"`},
	}
	for _, c := range cases {
		p := Policy(c.region, "logs", "web", "111122223333")
		if !json.Valid([]byte(p)) || !strings.Contains(p, c.principal) || !strings.Contains(p, c.resource) {
			t.Errorf("%s:\n%s\nwant %s and %s", c.region, p, c.principal, c.resource)
		}
	}
	if got := ObjectARN("us-east-1", "logs", "", "111122223333"); got != "arn:aws:s3:::logs/AWSLogs/111122223333/*" {
		t.Errorf("no prefix: %s", got)
	}
}

func TestCommercialAccounts(t *testing.T) {
	got := CommercialAccounts()
	if len(got) != 22 {
		t.Errorf("%d commercial accounts, want 22", len(got))
	}
	for _, a := range got {
		if a == Accounts["us-gov-west-1"] || a == Accounts["cn-north-1"] {
			t.Errorf("%s is not in the aws partition", a)
		}
	}
}
