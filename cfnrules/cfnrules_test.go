package cfnrules

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		check func(string) error
		name  string
		want  string // "" for valid
	}{
		{ValidStackName, "web", ""},
		{ValidStackName, "Web-Prod-2", ""},
		{ValidStackName, strings.Repeat("a", 128), ""},
		{ValidStackName, "", "stack name is empty"},
		{ValidStackName, strings.Repeat("a", 129), "stack name is 129 characters; the limit is 128"},
		{ValidStackName, "1web", `stack name "1web" must start with a letter and hold only letters, digits and hyphens`},
		{ValidStackName, "-web", "must start with a letter"},
		{ValidStackName, "web_1", "must start with a letter"},
		{ValidStackName, "web prod", "must start with a letter"},
		{ValidStackName, "wéb", "must start with a letter"},
		{ValidStackSetName, "web", ""},
		{ValidStackSetName, "9web", `stack set name "9web" must start with a letter`},
		{ValidStackSetName, "", "stack set name is empty"},

		{ValidBucketName, "my-logs", ""},
		{ValidBucketName, "logs.example.com", ""},
		{ValidBucketName, "abc", ""},
		{ValidBucketName, strings.Repeat("a", 63), ""},
		{ValidBucketName, "ab", `"ab" is not an S3 bucket name: it has 2 characters, not 3 to 63`},
		{ValidBucketName, strings.Repeat("a", 64), "64 characters"},
		{ValidBucketName, "My_Bucket", "only lowercase letters, digits, hyphens and dots"},
		{ValidBucketName, "UPPER", "only lowercase letters"},
		{ValidBucketName, "-logs", "start and end with a letter or digit"},
		{ValidBucketName, "logs.", "start and end with a letter or digit"},
		{ValidBucketName, "a..b", "two dots in a row"},
		{ValidBucketName, "192.168.5.4", "an IP address"},
		{ValidBucketName, "xn--logs", "the prefix xn-- is reserved"},
		{ValidBucketName, "sthree-logs", "the prefix sthree- is reserved"},
		{ValidBucketName, "logs-s3alias", "the suffix -s3alias is reserved"},
		{ValidBucketName, "logs--x-s3", "the suffix --x-s3 is reserved"},

		{ValidRegion, "us-east-1", ""},
		{ValidRegion, "us-gov-west-1", ""},
		{ValidRegion, "ap-southeast-7", ""},
		{ValidRegion, "eusc-de-east-1", ""},
		{ValidRegion, "us east", `"us east" is not an AWS region such as us-east-1`},
		{ValidRegion, "mars-north-1a", "not an AWS region"},
		{ValidRegion, "u-east-1", "not an AWS region"},
		{ValidRegion, "us-1", "not an AWS region"},
		{ValidRegion, "us--east-1", "not an AWS region"},
		{ValidRegion, "us-east-123", "not an AWS region"},
		{ValidRegion, "US-east-1", "not an AWS region"},
		{ValidRegion, "", "not an AWS region"},
	} {
		err := tc.check(tc.name)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v, want valid", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestValidTag(t *testing.T) {
	for _, tc := range []struct {
		key, value, want string
	}{
		{"team", "web", ""},
		{strings.Repeat("k", 128), strings.Repeat("ü", 256), ""}, // characters, not bytes
		{"", "v", "a tag key is 1 to 128 characters"},
		{strings.Repeat("k", 129), "v", "a tag key is 1 to 128 characters"},
		{"aws:owner", "me", "the aws: prefix is reserved for AWS"},
		{"AWS:owner", "me", "the aws: prefix is reserved for AWS"},
		{"team", "", "a tag value is 1 to 256 characters"},
		{"team", strings.Repeat("v", 257), "a tag value is 1 to 256 characters"},
	} {
		err := ValidTag(tc.key, tc.value)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q=%q: %v, want valid", tc.key, tc.value, err)
		case tc.want != "" && (err == nil || err.Error() != tc.want):
			t.Errorf("%q=%q: %v, want %q", tc.key, tc.value, err, tc.want)
		}
	}
}
