package deploy

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/cfngen/cfngen/internal/progress/progresstest"
)

// fakeAPI is a hand-written fake of API. Each method records the call and
// runs its function field; a nil field fails the call.
type fakeAPI struct {
	DescribeStacksFunc                    func(context.Context, *cloudformation.DescribeStacksInput) (*cloudformation.DescribeStacksOutput, error)
	DescribeStackEventsFunc               func(context.Context, *cloudformation.DescribeStackEventsInput) (*cloudformation.DescribeStackEventsOutput, error)
	ListStackResourcesFunc                func(context.Context, *cloudformation.ListStackResourcesInput) (*cloudformation.ListStackResourcesOutput, error)
	CreateChangeSetFunc                   func(context.Context, *cloudformation.CreateChangeSetInput) (*cloudformation.CreateChangeSetOutput, error)
	DescribeChangeSetFunc                 func(context.Context, *cloudformation.DescribeChangeSetInput) (*cloudformation.DescribeChangeSetOutput, error)
	ExecuteChangeSetFunc                  func(context.Context, *cloudformation.ExecuteChangeSetInput) (*cloudformation.ExecuteChangeSetOutput, error)
	DeleteChangeSetFunc                   func(context.Context, *cloudformation.DeleteChangeSetInput) (*cloudformation.DeleteChangeSetOutput, error)
	DeleteStackFunc                       func(context.Context, *cloudformation.DeleteStackInput) (*cloudformation.DeleteStackOutput, error)
	GetTemplateFunc                       func(context.Context, *cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error)
	ListChangeSetsFunc                    func(context.Context, *cloudformation.ListChangeSetsInput) (*cloudformation.ListChangeSetsOutput, error)
	UpdateTerminationProtectionFunc       func(context.Context, *cloudformation.UpdateTerminationProtectionInput) (*cloudformation.UpdateTerminationProtectionOutput, error)
	DescribeEventsFunc                    func(context.Context, *cloudformation.DescribeEventsInput) (*cloudformation.DescribeEventsOutput, error)
	ListHookResultsFunc                   func(context.Context, *cloudformation.ListHookResultsInput) (*cloudformation.ListHookResultsOutput, error)
	GetHookResultFunc                     func(context.Context, *cloudformation.GetHookResultInput) (*cloudformation.GetHookResultOutput, error)
	DetectStackDriftFunc                  func(context.Context, *cloudformation.DetectStackDriftInput) (*cloudformation.DetectStackDriftOutput, error)
	DescribeStackDriftDetectionStatusFunc func(context.Context, *cloudformation.DescribeStackDriftDetectionStatusInput) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error)
	DescribeStackResourceDriftsFunc       func(context.Context, *cloudformation.DescribeStackResourceDriftsInput) (*cloudformation.DescribeStackResourceDriftsOutput, error)

	// Calls lists every call as "Operation key-input".
	Calls []string
	// Label shortens an input for Calls; nil keeps it.
	Label func(string) string
}

var _ API = (*fakeAPI)(nil)

var errUnexpected = errors.New("unexpected call")

// begin records a call, unless its context has ended: then, like the SDK,
// it fails at once and sends nothing.
func (f *fakeAPI) begin(ctx context.Context, op string, key *string, extra ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.record(op, key, extra...)
	return nil
}

func (f *fakeAPI) record(op string, key *string, extra ...string) {
	s := ""
	if key != nil {
		s = *key
	}
	if f.Label != nil {
		s = f.Label(s)
	}
	c := op + " " + s
	for _, e := range extra {
		if e != "" {
			c += " " + e
		}
	}
	f.Calls = append(f.Calls, c)
}

func (f *fakeAPI) DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	if err := f.begin(ctx, "DescribeStacks", in.StackName); err != nil {
		return nil, err
	}
	if f.DescribeStacksFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeStacksFunc(ctx, in)
}

func (f *fakeAPI) DescribeStackEvents(ctx context.Context, in *cloudformation.DescribeStackEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	if err := f.begin(ctx, "DescribeStackEvents", in.StackName, tokenArg(in.NextToken)); err != nil {
		return nil, err
	}
	if f.DescribeStackEventsFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeStackEventsFunc(ctx, in)
}

func (f *fakeAPI) ListStackResources(ctx context.Context, in *cloudformation.ListStackResourcesInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListStackResourcesOutput, error) {
	if err := f.begin(ctx, "ListStackResources", in.StackName, tokenArg(in.NextToken)); err != nil {
		return nil, err
	}
	if f.ListStackResourcesFunc == nil {
		return nil, errUnexpected
	}
	return f.ListStackResourcesFunc(ctx, in)
}

func (f *fakeAPI) CreateChangeSet(ctx context.Context, in *cloudformation.CreateChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error) {
	if err := f.begin(ctx, "CreateChangeSet", in.StackName, string(in.ChangeSetType)); err != nil {
		return nil, err
	}
	if f.CreateChangeSetFunc == nil {
		return nil, errUnexpected
	}
	return f.CreateChangeSetFunc(ctx, in)
}

func (f *fakeAPI) DescribeChangeSet(ctx context.Context, in *cloudformation.DescribeChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error) {
	if err := f.begin(ctx, "DescribeChangeSet", in.ChangeSetName, tokenArg(in.NextToken)); err != nil {
		return nil, err
	}
	if f.DescribeChangeSetFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeChangeSetFunc(ctx, in)
}

func (f *fakeAPI) ExecuteChangeSet(ctx context.Context, in *cloudformation.ExecuteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error) {
	if err := f.begin(ctx, "ExecuteChangeSet", in.ChangeSetName); err != nil {
		return nil, err
	}
	if f.ExecuteChangeSetFunc == nil {
		return nil, errUnexpected
	}
	return f.ExecuteChangeSetFunc(ctx, in)
}

func (f *fakeAPI) DeleteChangeSet(ctx context.Context, in *cloudformation.DeleteChangeSetInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error) {
	if err := f.begin(ctx, "DeleteChangeSet", in.ChangeSetName); err != nil {
		return nil, err
	}
	if f.DeleteChangeSetFunc == nil {
		return nil, errUnexpected
	}
	return f.DeleteChangeSetFunc(ctx, in)
}

func (f *fakeAPI) DeleteStack(ctx context.Context, in *cloudformation.DeleteStackInput, _ ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error) {
	if err := f.begin(ctx, "DeleteStack", in.StackName); err != nil {
		return nil, err
	}
	if f.DeleteStackFunc == nil {
		return nil, errUnexpected
	}
	return f.DeleteStackFunc(ctx, in)
}

func (f *fakeAPI) GetTemplate(ctx context.Context, in *cloudformation.GetTemplateInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	if err := f.begin(ctx, "GetTemplate", in.StackName, tokenArg(in.ChangeSetName)); err != nil {
		return nil, err
	}
	if f.GetTemplateFunc == nil {
		return nil, errUnexpected
	}
	return f.GetTemplateFunc(ctx, in)
}

func (f *fakeAPI) ListChangeSets(ctx context.Context, in *cloudformation.ListChangeSetsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListChangeSetsOutput, error) {
	if err := f.begin(ctx, "ListChangeSets", in.StackName, tokenArg(in.NextToken)); err != nil {
		return nil, err
	}
	if f.ListChangeSetsFunc == nil {
		return nil, errUnexpected
	}
	return f.ListChangeSetsFunc(ctx, in)
}

func (f *fakeAPI) UpdateTerminationProtection(ctx context.Context, in *cloudformation.UpdateTerminationProtectionInput, _ ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error) {
	if err := f.begin(ctx, "UpdateTerminationProtection", in.StackName, fmt.Sprint(aws.ToBool(in.EnableTerminationProtection))); err != nil {
		return nil, err
	}
	if f.UpdateTerminationProtectionFunc == nil {
		return nil, errUnexpected
	}
	return f.UpdateTerminationProtectionFunc(ctx, in)
}

func (f *fakeAPI) DescribeEvents(ctx context.Context, in *cloudformation.DescribeEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeEventsOutput, error) {
	if err := f.begin(ctx, "DescribeEvents", in.StackName, tokenArg(in.NextToken), opArg(in.OperationId), csArg(in.ChangeSetName)); err != nil {
		return nil, err
	}
	if f.DescribeEventsFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeEventsFunc(ctx, in)
}

func (f *fakeAPI) ListHookResults(ctx context.Context, in *cloudformation.ListHookResultsInput, _ ...func(*cloudformation.Options)) (*cloudformation.ListHookResultsOutput, error) {
	if err := f.begin(ctx, "ListHookResults", in.TargetId, string(in.TargetType)); err != nil {
		return nil, err
	}
	if f.ListHookResultsFunc == nil {
		return nil, errUnexpected
	}
	return f.ListHookResultsFunc(ctx, in)
}

func (f *fakeAPI) GetHookResult(ctx context.Context, in *cloudformation.GetHookResultInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetHookResultOutput, error) {
	if err := f.begin(ctx, "GetHookResult", in.HookResultId); err != nil {
		return nil, err
	}
	if f.GetHookResultFunc == nil {
		return nil, errUnexpected
	}
	return f.GetHookResultFunc(ctx, in)
}

func (f *fakeAPI) DetectStackDrift(ctx context.Context, in *cloudformation.DetectStackDriftInput, _ ...func(*cloudformation.Options)) (*cloudformation.DetectStackDriftOutput, error) {
	if err := f.begin(ctx, "DetectStackDrift", in.StackName); err != nil {
		return nil, err
	}
	if f.DetectStackDriftFunc == nil {
		return nil, errUnexpected
	}
	return f.DetectStackDriftFunc(ctx, in)
}

func (f *fakeAPI) DescribeStackDriftDetectionStatus(ctx context.Context, in *cloudformation.DescribeStackDriftDetectionStatusInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackDriftDetectionStatusOutput, error) {
	if err := f.begin(ctx, "DescribeStackDriftDetectionStatus", in.StackDriftDetectionId); err != nil {
		return nil, err
	}
	if f.DescribeStackDriftDetectionStatusFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeStackDriftDetectionStatusFunc(ctx, in)
}

func (f *fakeAPI) DescribeStackResourceDrifts(ctx context.Context, in *cloudformation.DescribeStackResourceDriftsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceDriftsOutput, error) {
	if err := f.begin(ctx, "DescribeStackResourceDrifts", in.StackName, tokenArg(in.NextToken)); err != nil {
		return nil, err
	}
	if f.DescribeStackResourceDriftsFunc == nil {
		return nil, errUnexpected
	}
	return f.DescribeStackResourceDriftsFunc(ctx, in)
}

func opArg(id *string) string {
	if id == nil {
		return ""
	}
	return "operation=" + *id
}

func csArg(name *string) string {
	if name == nil {
		return ""
	}
	return "changeset=" + *name
}

func tokenArg(t *string) string {
	if t == nil {
		return ""
	}
	return "token=" + *t
}

// fakeUploader is a hand-written fake of Uploader.
type fakeUploader struct {
	HeadObjectFunc func(context.Context, *s3.HeadObjectInput) (*s3.HeadObjectOutput, error)
	PutObjectFunc  func(context.Context, *s3.PutObjectInput) (*s3.PutObjectOutput, error)
	Calls          []string
}

var _ Uploader = (*fakeUploader)(nil)

func (f *fakeUploader) HeadObject(ctx context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	f.Calls = append(f.Calls, "HeadObject "+*in.Bucket+"/"+*in.Key)
	if f.HeadObjectFunc == nil {
		return nil, errUnexpected
	}
	return f.HeadObjectFunc(ctx, in)
}

func (f *fakeUploader) PutObject(ctx context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	f.Calls = append(f.Calls, "PutObject "+*in.Bucket+"/"+*in.Key)
	if f.PutObjectFunc == nil {
		return nil, errUnexpected
	}
	return f.PutObjectFunc(ctx, in)
}

// fakePrompter is a hand-written fake of Prompter that records the
// questions.
type fakePrompter struct {
	ConfirmFunc      func(ctx context.Context, question string) (bool, error)
	ConfirmTypedFunc func(ctx context.Context, question, want string) (bool, error)
	Asked            []string
}

func (f *fakePrompter) Confirm(ctx context.Context, question string) (bool, error) {
	f.Asked = append(f.Asked, "Confirm: "+question)
	if f.ConfirmFunc == nil {
		return false, errUnexpected
	}
	return f.ConfirmFunc(ctx, question)
}

func (f *fakePrompter) ConfirmTyped(ctx context.Context, question, want string) (bool, error) {
	f.Asked = append(f.Asked, "ConfirmTyped("+want+"): "+question)
	if f.ConfirmTypedFunc == nil {
		return false, errUnexpected
	}
	return f.ConfirmTypedFunc(ctx, question, want)
}

// answer returns a prompter that answers every question with ok.
func answer(ok bool) *fakePrompter {
	return &fakePrompter{
		ConfirmFunc:      func(context.Context, string) (bool, error) { return ok, nil },
		ConfirmTypedFunc: func(context.Context, string, string) (bool, error) { return ok, nil },
	}
}

// fakeClock is a clock that moves only when slept on.
type fakeClock = progresstest.Clock

func newClock() *fakeClock { return progresstest.NewClock() }

// seqReader yields 0, 1, 2, ... so that names and tokens are predictable.
type seqReader = progresstest.Seq

// apiError builds an error like the SDK's for an API error response.
func apiError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg}
}
