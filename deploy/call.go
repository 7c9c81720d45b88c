package deploy

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// bounded is the Deployer's clients with each call bounded by a waiter's
// deadline (none when w is nil) and each failure turned into a *CallError.
type bounded struct {
	cfn API
	s3  Uploader
	ec2 Console
	w   *waiter
	now func() time.Time
}

var (
	_ API      = (*bounded)(nil)
	_ Uploader = (*bounded)(nil)
	_ Console  = (*bounded)(nil)
)

func call[T any](b *bounded, ctx context.Context, service, op string, f func(context.Context) (T, error)) (T, error) {
	var zero T
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if b.w != nil {
		cctx, cancel = b.w.bound(ctx)
	}
	defer cancel()
	if err := cctx.Err(); err != nil {
		ce := newCallError(service, op, 0, err, err)
		ce.notSent = true
		return zero, ce
	}
	start := b.now()
	out, err := f(cctx)
	if err != nil {
		return zero, newCallError(service, op, b.now().Sub(start), err, cctx.Err())
	}
	return out, nil
}

func (b *bounded) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	return call(b, ctx, "cloudformation", "DescribeStacks", func(ctx context.Context) (*cloudformation.DescribeStacksOutput, error) {
		return b.cfn.DescribeStacks(ctx, in, opts...)
	})
}

func (b *bounded) DescribeStackEvents(ctx context.Context, in *cloudformation.DescribeStackEventsInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	return call(b, ctx, "cloudformation", "DescribeStackEvents", func(ctx context.Context) (*cloudformation.DescribeStackEventsOutput, error) {
		return b.cfn.DescribeStackEvents(ctx, in, opts...)
	})
}

func (b *bounded) ListStackResources(ctx context.Context, in *cloudformation.ListStackResourcesInput, opts ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	return call(b, ctx, "cloudformation", "ListStackResources", func(ctx context.Context) (*cloudformation.ListStackResourcesOutput, error) {
		return b.cfn.ListStackResources(ctx, in, opts...)
	})
}

func (b *bounded) CreateChangeSet(ctx context.Context, in *cloudformation.CreateChangeSetInput, opts ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	return call(b, ctx, "cloudformation", "CreateChangeSet", func(ctx context.Context) (*cloudformation.CreateChangeSetOutput, error) {
		return b.cfn.CreateChangeSet(ctx, in, opts...)
	})
}

func (b *bounded) DescribeChangeSet(ctx context.Context, in *cloudformation.DescribeChangeSetInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	return call(b, ctx, "cloudformation", "DescribeChangeSet", func(ctx context.Context) (*cloudformation.DescribeChangeSetOutput, error) {
		return b.cfn.DescribeChangeSet(ctx, in, opts...)
	})
}

func (b *bounded) ExecuteChangeSet(ctx context.Context, in *cloudformation.ExecuteChangeSetInput, opts ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	return call(b, ctx, "cloudformation", "ExecuteChangeSet", func(ctx context.Context) (*cloudformation.ExecuteChangeSetOutput, error) {
		return b.cfn.ExecuteChangeSet(ctx, in, opts...)
	})
}

func (b *bounded) DeleteChangeSet(ctx context.Context, in *cloudformation.DeleteChangeSetInput, opts ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	return call(b, ctx, "cloudformation", "DeleteChangeSet", func(ctx context.Context) (*cloudformation.DeleteChangeSetOutput, error) {
		return b.cfn.DeleteChangeSet(ctx, in, opts...)
	})
}

func (b *bounded) DeleteStack(ctx context.Context, in *cloudformation.DeleteStackInput, opts ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	return call(b, ctx, "cloudformation", "DeleteStack", func(ctx context.Context) (*cloudformation.DeleteStackOutput, error) {
		return b.cfn.DeleteStack(ctx, in, opts...)
	})
}

func (b *bounded) GetTemplate(ctx context.Context, in *cloudformation.GetTemplateInput, opts ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	return call(b, ctx, "cloudformation", "GetTemplate", func(ctx context.Context) (*cloudformation.GetTemplateOutput, error) {
		return b.cfn.GetTemplate(ctx, in, opts...)
	})
}

func (b *bounded) ListChangeSets(ctx context.Context, in *cloudformation.ListChangeSetsInput, opts ...func(*cloudformation.Options)) (*cloudformation.ListChangeSetsOutput, error) {
	return call(b, ctx, "cloudformation", "ListChangeSets", func(ctx context.Context) (*cloudformation.ListChangeSetsOutput, error) {
		return b.cfn.ListChangeSets(ctx, in, opts...)
	})
}

func (b *bounded) UpdateTerminationProtection(ctx context.Context, in *cloudformation.UpdateTerminationProtectionInput, opts ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	return call(b, ctx, "cloudformation", "UpdateTerminationProtection", func(ctx context.Context) (*cloudformation.UpdateTerminationProtectionOutput, error) {
		return b.cfn.UpdateTerminationProtection(ctx, in, opts...)
	})
}

func (b *bounded) DescribeEvents(ctx context.Context, in *cloudformation.DescribeEventsInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeEventsOutput, error) {
	return call(b, ctx, "cloudformation", "DescribeEvents", func(ctx context.Context) (*cloudformation.DescribeEventsOutput, error) {
		return b.cfn.DescribeEvents(ctx, in, opts...)
	})
}

func (b *bounded) ListHookResults(ctx context.Context, in *cloudformation.ListHookResultsInput, opts ...func(*cloudformation.Options)) (*cloudformation.ListHookResultsOutput, error) {
	return call(b, ctx, "cloudformation", "ListHookResults", func(ctx context.Context) (*cloudformation.ListHookResultsOutput, error) {
		return b.cfn.ListHookResults(ctx, in, opts...)
	})
}

func (b *bounded) GetHookResult(ctx context.Context, in *cloudformation.GetHookResultInput, opts ...func(*cloudformation.Options)) (*cloudformation.GetHookResultOutput, error) {
	return call(b, ctx, "cloudformation", "GetHookResult", func(ctx context.Context) (*cloudformation.GetHookResultOutput, error) {
		return b.cfn.GetHookResult(ctx, in, opts...)
	})
}

func (b *bounded) DetectStackDrift(ctx context.Context, in *cloudformation.DetectStackDriftInput, opts ...func(*cloudformation.Options)) (*cloudformation.DetectStackDriftOutput, error) {
	return call(b, ctx, "cloudformation", "DetectStackDrift", func(ctx context.Context) (*cloudformation.DetectStackDriftOutput, error) {
		return b.cfn.DetectStackDrift(ctx, in, opts...)
	})
}

func (b *bounded) DescribeStackDriftDetectionStatus(ctx context.Context, in *cloudformation.DescribeStackDriftDetectionStatusInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
	return call(b, ctx, "cloudformation", "DescribeStackDriftDetectionStatus", func(ctx context.Context) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
		return b.cfn.DescribeStackDriftDetectionStatus(ctx, in, opts...)
	})
}

func (b *bounded) DescribeStackResourceDrifts(ctx context.Context, in *cloudformation.DescribeStackResourceDriftsInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
	return call(b, ctx, "cloudformation", "DescribeStackResourceDrifts", func(ctx context.Context) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
		return b.cfn.DescribeStackResourceDrifts(ctx, in, opts...)
	})
}

func (b *bounded) GetConsoleOutput(ctx context.Context, in *ec2.GetConsoleOutputInput, opts ...func(*ec2.Options)) (*ec2.GetConsoleOutputOutput, error) {
	return call(b, ctx, "ec2", "GetConsoleOutput", func(ctx context.Context) (*ec2.GetConsoleOutputOutput, error) {
		return b.ec2.GetConsoleOutput(ctx, in, opts...)
	})
}

func (b *bounded) HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	return call(b, ctx, "s3", "HeadObject", func(ctx context.Context) (*s3.HeadObjectOutput, error) {
		return b.s3.HeadObject(ctx, in, opts...)
	})
}

func (b *bounded) PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	return call(b, ctx, "s3", "PutObject", func(ctx context.Context) (*s3.PutObjectOutput, error) {
		return b.s3.PutObject(ctx, in, opts...)
	})
}
