package deploy

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"
)

func TestAWSErrorShowsTheAPIMessage(t *testing.T) {
	// The SDK's own text is long; the API's code and message are what help.
	sdk := fmt.Errorf("operation error CloudFormation: DeleteStack, https response error StatusCode: 400, RequestID: 1, api error: %w",
		apiError("DependencyViolation", "The vpc vpc-1 has dependencies and cannot be deleted."))
	err := wrapAWS("delete stack web", sdk)
	check(t, "message", err.Error(), "delete stack web: DependencyViolation: The vpc vpc-1 has dependencies and cannot be deleted.")
	var ae smithy.APIError
	check(t, "still an APIError", errors.As(err, &ae), true)

	plain := wrapAWS("describe stack web", errors.New("dial tcp 127.0.0.1:1: connect: connection refused"))
	check(t, "other errors", plain.Error(), "describe stack web: dial tcp 127.0.0.1:1: connect: connection refused")
	check(t, "nil", wrapAWS("x", nil), nil)
}

func TestIsStackMissing(t *testing.T) {
	check(t, "missing", isStackMissing(apiError("ValidationError", "Stack with id web does not exist")), true)
	check(t, "other validation", isStackMissing(apiError("ValidationError", "Template format error")), false)
	check(t, "other code", isStackMissing(apiError("Throttling", "Rate exceeded")), false)
}
