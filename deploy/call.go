package deploy

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// bounded is the Deployer's clients with each call bounded by a waiter's
// deadline (none when w is nil) and each failure turned into a *CallError.
type bounded struct {
	cfn API
	s3  Uploader
	w   *waiter
	now func() time.Time
}

var (
	_ API      = (*bounded)(nil)
	_ Uploader = (*bounded)(nil)
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
