// Package elblogs knows who writes Application Load Balancer access logs
// into S3 in each region, and the bucket policy that lets them.
//
// Load balancers in the regions opened before August 2022 deliver as the
// Elastic Load Balancing account of their region; in newer regions, as the
// log-delivery service principal. The bucket is always in the load
// balancer's region, and the logs go under PREFIX/AWSLogs/ACCOUNT/.
// Source: "Enable access logs for your Application Load Balancer" in the
// Elastic Load Balancing User Guide.
package elblogs

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// ServicePrincipal delivers the logs in the regions opened since August 2022.
const ServicePrincipal = "logdelivery.elasticloadbalancing.amazonaws.com"

// Accounts are the Elastic Load Balancing accounts that deliver the logs
// in the regions opened before August 2022.
var Accounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
	"af-south-1":     "098369216593",
	"ap-east-1":      "754344448648",
	"ap-southeast-3": "589379963580",
	"ap-south-1":     "718504428378",
	"ap-northeast-3": "383597477331",
	"ap-northeast-2": "600734575887",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
	"ap-northeast-1": "582318560864",
	"ca-central-1":   "985666609251",
	"eu-central-1":   "054676820928",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-south-1":     "635631232127",
	"eu-west-3":      "009996457667",
	"eu-north-1":     "897822967062",
	"me-south-1":     "076674570225",
	"sa-east-1":      "507241528517",
	"us-gov-west-1":  "048591011584",
	"us-gov-east-1":  "190560391635",
	"cn-north-1":     "638102146993",
	"cn-northwest-1": "037604701340",
}

// Partition returns the AWS partition of a region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// CommercialAccounts returns the accounts of the regions in the aws
// partition, sorted: a bucket policy in that partition may name them all.
func CommercialAccounts() []string {
	var out []string
	for _, r := range slices.Sorted(maps.Keys(Accounts)) {
		if Partition(r) == "aws" {
			out = append(out, Accounts[r])
		}
	}
	slices.Sort(out)
	return out
}

// Principal returns the principal that delivers the logs in region.
func Principal(region string) map[string]string {
	if a, ok := Accounts[region]; ok {
		return map[string]string{"AWS": "arn:" + Partition(region) + ":iam::" + a + ":root"}
	}
	return map[string]string{"Service": ServicePrincipal}
}

// ObjectARN returns the ARN of the log objects of account under prefix,
// ending in /*.
func ObjectARN(region, bucket, prefix, account string) string {
	key := "AWSLogs/" + account + "/*"
	if prefix != "" {
		key = prefix + "/" + key
	}
	return "arn:" + Partition(region) + ":s3:::" + bucket + "/" + key
}

// Policy returns the bucket policy, as indented JSON, that lets the load
// balancers of account in region deliver their logs to bucket under prefix.
func Policy(region, bucket, prefix, account string) string {
	type statement struct {
		Sid       string
		Effect    string
		Principal map[string]string
		Action    string
		Resource  string
	}
	doc := struct {
		Version   string
		Statement []statement
	}{"2012-10-17", []statement{{
		Sid:       "ELBAccessLogs",
		Effect:    "Allow",
		Principal: Principal(region),
		Action:    "s3:PutObject",
		Resource:  ObjectARN(region, bucket, prefix, account),
	}}}
	out, _ := json.MarshalIndent(doc, "", "  ") // strings always marshal
	return string(out)
}
