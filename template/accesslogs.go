package template

import (
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/s3"

	"github.com/cfngen/cfngen/internal/elblogs"
	"github.com/cfngen/cfngen/template/cloudformation"
)

// accessLogsBucket builds the bucket that the load balancer writes its
// access logs to, when the config asks the stack to create it: private,
// encrypted with SSE-S3 (the only encryption ALB access logs support),
// expiring the logs after loadBalancer.accessLogsDays, kept when the stack
// is deleted or the bucket replaced, with a policy that lets Elastic Load
// Balancing deliver and refuses plain HTTP. It returns the logical ID of
// the policy, which must exist before the load balancer turns logging on.
func (b *builder) accessLogsBucket() string {
	b.resource("AccessLogsBucket", &s3.Bucket{
		BucketEncryption: &s3.Bucket_BucketEncryption{ServerSideEncryptionConfiguration: []s3.Bucket_ServerSideEncryptionRule{{
			ServerSideEncryptionByDefault: &s3.Bucket_ServerSideEncryptionByDefault{SSEAlgorithm: "AES256"},
		}}},
		PublicAccessBlockConfiguration: &s3.Bucket_PublicAccessBlockConfiguration{
			BlockPublicAcls:       cloudformation.Bool(true),
			BlockPublicPolicy:     cloudformation.Bool(true),
			IgnorePublicAcls:      cloudformation.Bool(true),
			RestrictPublicBuckets: cloudformation.Bool(true),
		},
		OwnershipControls: &s3.Bucket_OwnershipControls{Rules: []s3.Bucket_OwnershipControlsRule{{
			ObjectOwnership: cloudformation.String("BucketOwnerEnforced"),
		}}},
		LifecycleConfiguration: &s3.Bucket_LifecycleConfiguration{Rules: []s3.Bucket_Rule{{
			Id:               cloudformation.String("expire-access-logs"),
			Status:           "Enabled",
			ExpirationInDays: cloudformation.Int(b.cfg.LoadBalancer.AccessLogsDays),
		}}},
		Tags:                                 b.tags("access-logs"),
		AWSCloudFormationDeletionPolicy:      policies.DeletionPolicy("Retain"),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
		AWSCloudFormationMetadata:            suppress(logBucket),
	})
	bucketARN := cloudformation.Sub("arn:${AWS::Partition}:s3:::${AccessLogsBucket}")
	b.resource("AccessLogsBucketPolicy", &s3.BucketPolicy{
		Bucket: cloudformation.Ref("AccessLogsBucket"),
		PolicyDocument: map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{
					"Sid":    "ELBAccessLogs",
					"Effect": "Allow",
					// The template does not know its region: it names the
					// delivery account of every region that has one, and the
					// service principal of the others. Only the bucket's own
					// region ever delivers, since logs go to a bucket in the
					// load balancer's region.
					"Principal": map[string]any{"AWS": elblogs.CommercialAccounts(), "Service": elblogs.ServicePrincipal},
					"Action":    "s3:PutObject",
					"Resource":  cloudformation.Sub("arn:${AWS::Partition}:s3:::${AccessLogsBucket}/${AWS::StackName}/AWSLogs/${AWS::AccountId}/*"),
				},
				map[string]any{
					"Sid":       "TLSOnly",
					"Effect":    "Deny",
					"Principal": "*",
					"Action":    "s3:*",
					"Resource":  []string{bucketARN, cloudformation.Sub("arn:${AWS::Partition}:s3:::${AccessLogsBucket}/*")},
					"Condition": map[string]any{"Bool": map[string]string{"aws:SecureTransport": "false"}},
				},
			},
		},
	})
	return "AccessLogsBucketPolicy"
}
