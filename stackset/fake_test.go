package stackset

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/cfngen/cfngen/internal/progress/progresstest"
)

// fakeAPI is a hand-written fake of API. Each method records the call and
// runs its function field; a nil field fails the call.
type fakeAPI struct {
	CreateStackSetFunc               func(context.Context, *cloudformation.CreateStackSetInput) (*cloudformation.CreateStackSetOutput, error)
	UpdateStackSetFunc               func(context.Context, *cloudformation.UpdateStackSetInput) (*cloudformation.UpdateStackSetOutput, error)
	DeleteStackSetFunc               func(context.Context, *cloudformation.DeleteStackSetInput) (*cloudformation.DeleteStackSetOutput, error)
	DescribeStackSetFunc             func(context.Context, *cloudformation.DescribeStackSetInput) (*cloudformation.DescribeStackSetOutput, error)
	CreateStackInstancesFunc         func(context.Context, *cloudformation.CreateStackInstancesInput) (*cloudformation.CreateStackInstancesOutput, error)
	DeleteStackInstancesFunc         func(context.Context, *cloudformation.DeleteStackInstancesInput) (*cloudformation.DeleteStackInstancesOutput, error)
	ListStackInstancesFunc           func(context.Context, *cloudformation.ListStackInstancesInput) (*cloudformation.ListStackInstancesOutput, error)
	DescribeStackSetOperationFunc    func(context.Context, *cloudformation.DescribeStackSetOperationInput) (*cloudformation.DescribeStackSetOperationOutput, error)
	ListStackSetOperationsFunc       func(context.Context, *cloudformation.ListStackSetOperationsInput) (*cloudformation.ListStackSetOperationsOutput, error)
	ListStackSetOperationResultsFunc func(context.Context, *cloudformation.ListStackSetOperationResultsInput) (*cloudformation.ListStackSetOperationResultsOutput, error)

	// Calls lists every call by operation name, with the page token when
	// there is one.
	Calls []string
}

var _ API = (*fakeAPI)(nil)

var errUnexpected = errors.New("unexpected call")

func (f *fakeAPI) record(op string, token *string) {
	if token != nil {
		op += " token=" + *token
	}
	f.Calls = append(f.Calls, op)
}

func (f *fakeAPI) CreateStackSet(ctx context.Context, in *cloudformation.CreateStackSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateStackSetOutput, error) {
	f.record("CreateStackSet", nil)
	if f.CreateStackSetFunc == nil {
		return nil, errUnexpected
	}
	return f.CreateStackSetFunc(ctx, in)
}

func (f *fakeAPI) UpdateStackSet(ctx context.Context, in *cloudformation.UpdateStackSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.UpdateStackSetOutput, error) {
	f.record("UpdateStackSet", nil)
	if f.UpdateStackSetFunc == nil {
		return nil, errUnexpected
	}
	return f.UpdateStackSetFunc(ctx, in)
}

func (f *fakeAPI) DeleteStackSet(ctx context.Context, in *cloudformation.DeleteStackSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteStackSetOutput, error) {
	f.record("DeleteStackSet", nil)
	if f.DeleteStackSetFunc == nil {
		return nil, errUnexpected
	}
	return f.DeleteStackSetFunc(ctx, in)
}

func (f *fakeAPI) DescribeStackSet(ctx context.Context, in *cloudformation.DescribeStackSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOutput, error) {
	f.record("DescribeStackSet", nil)
	if f.DescribeStackSetFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeStackSetFunc(ctx, in)
}

func (f *fakeAPI) CreateStackInstances(ctx context.Context, in *cloudformation.CreateStackInstancesInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateStackInstancesOutput, error) {
	f.record("CreateStackInstances", nil)
	if f.CreateStackInstancesFunc == nil {
		return nil, errUnexpected
	}
	return f.CreateStackInstancesFunc(ctx, in)
}

func (f *fakeAPI) DeleteStackInstances(ctx context.Context, in *cloudformation.DeleteStackInstancesInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteStackInstancesOutput, error) {
	f.record("DeleteStackInstances", nil)
	if f.DeleteStackInstancesFunc == nil {
		return nil, errUnexpected
	}
	return f.DeleteStackInstancesFunc(ctx, in)
}

func (f *fakeAPI) ListStackInstances(ctx context.Context, in *cloudformation.ListStackInstancesInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListStackInstancesOutput, error) {
	f.record("ListStackInstances", in.NextToken)
	if f.ListStackInstancesFunc == nil {
		return nil, errUnexpected
	}
	return f.ListStackInstancesFunc(ctx, in)
}

func (f *fakeAPI) DescribeStackSetOperation(ctx context.Context, in *cloudformation.DescribeStackSetOperationInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackSetOperationOutput, error) {
	f.record("DescribeStackSetOperation", nil)
	if f.DescribeStackSetOperationFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeStackSetOperationFunc(ctx, in)
}

func (f *fakeAPI) ListStackSetOperations(ctx context.Context, in *cloudformation.ListStackSetOperationsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListStackSetOperationsOutput, error) {
	f.record("ListStackSetOperations", in.NextToken)
	if f.ListStackSetOperationsFunc == nil {
		return nil, errUnexpected
	}
	return f.ListStackSetOperationsFunc(ctx, in)
}

func (f *fakeAPI) ListStackSetOperationResults(ctx context.Context, in *cloudformation.ListStackSetOperationResultsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListStackSetOperationResultsOutput, error) {
	f.record("ListStackSetOperationResults", in.NextToken)
	if f.ListStackSetOperationResultsFunc == nil {
		return nil, errUnexpected
	}
	return f.ListStackSetOperationResultsFunc(ctx, in)
}

// fakeZones is a hand-written fake of ZonesAPI that records the region of
// each call.
type fakeZones struct {
	DescribeAvailabilityZonesFunc func(ctx context.Context, region string, in *ec2.DescribeAvailabilityZonesInput) (*ec2.DescribeAvailabilityZonesOutput, error)
	Regions                       []string
}

var _ ZonesAPI = (*fakeZones)(nil)

func (f *fakeZones) DescribeAvailabilityZones(ctx context.Context, in *ec2.DescribeAvailabilityZonesInput, optFns ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error) {
	var o ec2.Options
	for _, fn := range optFns {
		fn(&o)
	}
	f.Regions = append(f.Regions, o.Region)
	if f.DescribeAvailabilityZonesFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeAvailabilityZonesFunc(ctx, o.Region, in)
}

// fakePrompter answers every question with its answer and records them.
type fakePrompter struct {
	answer bool
	err    error
	Asked  []string
}

func (f *fakePrompter) Confirm(_ context.Context, q string) (bool, error) {
	f.Asked = append(f.Asked, "Confirm: "+q)
	return f.answer, f.err
}

func (f *fakePrompter) ConfirmTyped(_ context.Context, q, want string) (bool, error) {
	f.Asked = append(f.Asked, "ConfirmTyped("+want+"): "+q)
	return f.answer, f.err
}

// fakeClock is a clock that moves only when slept on.
type fakeClock = progresstest.Clock

func newClock() *fakeClock { return progresstest.NewClock() }

// seqReader yields 0, 1, 2, ... so that names and tokens are predictable.
type seqReader = progresstest.Seq
