package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
)

// protect turns the stack's termination protection on or off, unless it
// already is.
func (r *run) protect(ctx context.Context, name, id string, current, on bool) error {
	state := map[bool]string{true: "on", false: "off"}[on]
	if current == on {
		fmt.Fprintf(r.d.log(), "termination protection is already %s for stack %s\n", state, name)
		return nil
	}
	_, err := r.cfn.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{
		StackName: aws.String(id), EnableTerminationProtection: aws.Bool(on),
	})
	if err != nil {
		return fmt.Errorf("turn termination protection %s for stack %s: %w", state, name, err)
	}
	fmt.Fprintf(r.d.log(), "termination protection %s for stack %s\n", state, name)
	return nil
}

// ProtectedError is a stack that cannot be deleted while its termination
// protection is on. It matches ErrProtected.
type ProtectedError struct{ StackName string }

func (e *ProtectedError) Is(target error) bool { return target == ErrProtected }

func (e *ProtectedError) Error() string {
	return fmt.Sprintf("%s: stack %s has termination protection on", ErrProtected, e.StackName)
}

// isProtected reports whether err is CloudFormation refusing to delete a
// protected stack.
func isProtected(err error) bool {
	return apiCode(err) == "ValidationError" && strings.Contains(apiMessage(err), "TerminationProtection")
}
