package deploy

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// newestEvent returns the ID of the stack's newest event, the marker from
// which an operation's events are shown.
func (r *run) newestEvent(ctx context.Context, stackID string) (string, error) {
	out, err := r.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stackID)})
	if err != nil {
		return "", fmt.Errorf("describe stack events: %w", err)
	}
	if len(out.StackEvents) == 0 {
		return "", nil
	}
	return aws.ToString(out.StackEvents[0].EventId), nil
}

// newEvents returns, oldest first, the events newer than op.marker, reading
// pages (newest first) back to it, and moves the marker.
func (r *run) newEvents(ctx context.Context, op *operation) ([]types.StackEvent, error) {
	var fresh []types.StackEvent
	pages := cloudformation.NewDescribeStackEventsPaginator(r.cfn, &cloudformation.DescribeStackEventsInput{StackName: aws.String(op.stackID)})
read:
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if isStackMissing(err) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("describe stack events: %w", err)
		}
		for _, e := range out.StackEvents {
			if op.marker != "" && aws.ToString(e.EventId) == op.marker {
				break read
			}
			fresh = append(fresh, e)
		}
	}
	if len(fresh) > 0 {
		op.marker = aws.ToString(fresh[0].EventId)
	}
	slices.Reverse(fresh)
	return fresh, nil
}
