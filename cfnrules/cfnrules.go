// Package cfnrules holds the rules of CloudFormation, and of the AWS names
// a stack refers to, that cfngen checks before it calls AWS: the quotas on
// a template and a stack, and what a name may hold. Each rule lives here
// once; config, template, deploy, stackset and cmd/cfngen check against it.
//
// Sources: "CloudFormation quotas" in the CloudFormation User Guide, the
// CreateStack and Tag API references, and "General purpose bucket naming
// rules" in the Amazon S3 User Guide.
package cfnrules

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"
)

// CloudFormation's quotas on a template.
const (
	MaxTemplateBody   = 51200   // bytes of a template passed inline, as TemplateBody
	MaxTemplateBodyS3 = 1 << 20 // bytes of a template passed through S3, as TemplateURL
	MaxResources      = 500
	MaxParameters     = 200
	MaxOutputs        = 200
	MaxDescription    = 1024 // bytes of the template's Description
)

// Quotas on names and tags.
const (
	MaxName     = 128 // characters of a stack, stack set or change set name
	MaxTags     = 50  // tags on a stack, and on a resource of most types
	MaxTagKey   = 128 // characters
	MaxTagValue = 256 // characters
)

// ValidStackName reports why name is not a valid CloudFormation stack name.
func ValidStackName(name string) error { return validName("stack name", name) }

// ValidStackSetName reports why name is not a valid stack set name.
func ValidStackSetName(name string) error { return validName("stack set name", name) }

// validName checks the rule that stack, stack set and change set names
// share: 1 to 128 characters, a letter first, then letters, digits and
// hyphens.
func validName(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s is empty", what)
	case len(name) > MaxName:
		return fmt.Errorf("%s is %d characters; the limit is %d", what, len(name), MaxName)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !letter(c) && (i == 0 || !digit(c) && c != '-') {
			return fmt.Errorf("%s %q must start with a letter and hold only letters, digits and hyphens", what, clip(name))
		}
	}
	return nil
}

// ValidBucketName reports why name is not the name of an S3 general
// purpose bucket: 3 to 63 lowercase letters, digits, hyphens and dots,
// from a letter or digit to a letter or digit, no two dots in a row, not
// an IP address, and none of the prefixes and suffixes S3 reserves.
func ValidBucketName(name string) error {
	why := bucketProblem(name)
	if why == "" {
		return nil
	}
	return fmt.Errorf("%q is not an S3 bucket name: %s", clip(name), why)
}

func bucketProblem(name string) string {
	if n := len(name); n < 3 || n > 63 {
		return fmt.Sprintf("it has %d characters, not 3 to 63", n)
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !lower(c) && !digit(c) && c != '-' && c != '.' {
			return "it may hold only lowercase letters, digits, hyphens and dots"
		}
	}
	first, last := name[0], name[len(name)-1]
	switch {
	case !lower(first) && !digit(first) || !lower(last) && !digit(last):
		return "it must start and end with a letter or digit"
	case strings.Contains(name, ".."):
		return "it has two dots in a row"
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return "it is an IP address"
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return "the prefix " + p + " is reserved"
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return "the suffix " + s + " is reserved"
		}
	}
	return ""
}

// ValidRegion reports why name does not look like an AWS region name,
// such as us-east-1 or us-gov-west-1: groups of lowercase letters, the
// first of two or more, then a number.
func ValidRegion(name string) error {
	groups := strings.Split(name, "-")
	ok := len(groups) >= 3 && len(groups[0]) >= 2
	for i, g := range groups {
		num := i == len(groups)-1
		ok = ok && g != "" && (!num || len(g) <= 2)
		for j := 0; ok && j < len(g); j++ {
			ok = num && digit(g[j]) || !num && lower(g[j])
		}
	}
	if !ok {
		return fmt.Errorf("%q is not an AWS region such as us-east-1", clip(name))
	}
	return nil
}

// ValidTag reports why a key and value cannot make a CloudFormation tag:
// a key of 1 to 128 characters, not in the aws: namespace, and a value of
// 1 to 256 characters. The services a tag reaches may hold it to more.
func ValidTag(key, value string) error {
	switch {
	case key == "" || utf8.RuneCountInString(key) > MaxTagKey:
		return fmt.Errorf("a tag key is 1 to %d characters", MaxTagKey)
	case strings.HasPrefix(strings.ToLower(key), "aws:"):
		return errors.New("the aws: prefix is reserved for AWS")
	case value == "" || utf8.RuneCountInString(value) > MaxTagValue:
		return fmt.Errorf("a tag value is 1 to %d characters", MaxTagValue)
	}
	return nil
}

func letter(c byte) bool { return lower(c) || 'A' <= c && c <= 'Z' }
func lower(c byte) bool  { return 'a' <= c && c <= 'z' }
func digit(c byte) bool  { return '0' <= c && c <= '9' }

// clip shortens a name quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
