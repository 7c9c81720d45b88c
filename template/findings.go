package template

// finding is a scanner rule that a resource trips on purpose, with the
// reason a reviewer reads in the template. SECURITY.md lists them all.
type finding struct {
	cfnNag  string // cfn_nag rule ID
	checkov string // checkov check ID
	reason  string
}

var (
	worldOpenIngress = []finding{
		{cfnNag: "W2", reason: "an internet-facing load balancer takes HTTP(S) from anywhere"},
		{cfnNag: "W9", reason: "an internet-facing load balancer takes HTTP(S) from anywhere"},
		{checkov: "CKV_AWS_260", reason: "port 80 is open to the world on a public HTTP load balancer; set loadBalancer.certificateArn to redirect it to HTTPS"},
	}
	worldOpenEgress = []finding{
		{cfnNag: "W5", reason: "instances reach package repositories (through the S3 gateway endpoint), CloudFormation and Systems Manager on HTTPS addresses that AWS does not fix, through the NAT gateway or VPC endpoints"},
	}
	noFlowLogs = []finding{
		{cfnNag: "W60", reason: "flow logs are off by default to keep the stack free of log costs; set vpc.flowLogs: true"},
	}
	noAccessLogs = []finding{
		{cfnNag: "W52", reason: "access logs need an S3 bucket the user owns; set loadBalancer.accessLogsBucket"},
		{checkov: "CKV_AWS_91", reason: "access logs need an S3 bucket the user owns; set loadBalancer.accessLogsBucket"},
	}
	noDeletionProtection = []finding{
		{checkov: "CKV_AWS_150", reason: "deletion protection would make cfngen destroy and stack deletion fail; turn it on for production by hand"},
	}
	basicInstance = []finding{
		{checkov: "CKV_AWS_126", reason: "detailed monitoring is billed per instance; the 5-minute basic metrics suffice for this stack"},
		{checkov: "CKV_AWS_135", reason: "current instance families (t3, m5 and newer) are EBS-optimized by default; the instance type is a parameter"},
	}
	plainHTTPListener = []finding{
		{cfnNag: "W56", reason: "serving HTTP needs no certificate; set loadBalancer.certificateArn for HTTPS"},
		{checkov: "CKV_AWS_2", reason: "serving HTTP needs no certificate; set loadBalancer.certificateArn for HTTPS"},
	}
	defaultLogEncryption = []finding{
		{cfnNag: "W84", reason: "CloudWatch Logs encrypts log groups at rest by default; a customer-managed KMS key adds cost and a key policy to manage"},
		{checkov: "CKV_AWS_158", reason: "CloudWatch Logs encrypts log groups at rest by default; a customer-managed KMS key adds cost and a key policy to manage"},
	}
	logBucket = []finding{
		{cfnNag: "W35", reason: "this bucket holds the load balancer's access logs; logging access to it would need yet another bucket"},
		{checkov: "CKV_AWS_18", reason: "this bucket holds the load balancer's access logs; logging access to it would need yet another bucket"},
		{checkov: "CKV_AWS_21", reason: "access logs are written once and expire; versions would only keep expired logs"},
		{checkov: "CKV_AWS_145", reason: "ALB access logs support only SSE-S3 encryption, not KMS keys"},
	}
	redirectListener = []finding{
		{cfnNag: "W56", reason: "this HTTP listener only redirects to HTTPS"},
	}
)

// suppress returns resource Metadata that records the findings for
// cfn_nag (rules_to_suppress) and checkov (skip), or nil for none.
func suppress(groups ...[]finding) map[string]any {
	type nagRule struct {
		ID     string `json:"id"`
		Reason string `json:"reason"`
	}
	type checkovSkip struct {
		ID      string `json:"id"`
		Comment string `json:"comment"`
	}
	var nag []nagRule
	var chk []checkovSkip
	for _, g := range groups {
		for _, f := range g {
			if f.cfnNag != "" {
				nag = append(nag, nagRule{f.cfnNag, f.reason})
			}
			if f.checkov != "" {
				chk = append(chk, checkovSkip{f.checkov, f.reason})
			}
		}
	}
	md := map[string]any{}
	if nag != nil {
		md["cfn_nag"] = map[string]any{"rules_to_suppress": nag}
	}
	if chk != nil {
		md["checkov"] = map[string]any{"skip": chk}
	}
	if len(md) == 0 {
		return nil
	}
	return md
}
