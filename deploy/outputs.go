package deploy

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Output is one stack output.
type Output struct {
	Key         string
	Value       string
	Description string
}

// Outputs returns the stack's outputs in the order the API gives them.
// A stack without outputs gives none and no error.
func (d *Deployer) Outputs(ctx context.Context, stackName string) ([]Output, error) {
	if err := d.ready(); err != nil {
		return nil, err
	}
	st, err := describeStack(ctx, d.newRun(stackName, 0).cfn, stackName)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("%w: stack %s does not exist", ErrStackNotFound, stackName)
	}
	return outputs(st), nil
}

func outputs(st *types.Stack) []Output {
	var out []Output
	for _, o := range st.Outputs {
		out = append(out, Output{
			Key:         aws.ToString(o.OutputKey),
			Value:       aws.ToString(o.OutputValue),
			Description: aws.ToString(o.Description),
		})
	}
	return out
}

// WriteOutputs writes outputs as an aligned table.
func WriteOutputs(w io.Writer, outputs []Output) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OUTPUT\tVALUE\tDESCRIPTION")
	for _, o := range outputs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", o.Key, o.Value, orDash(o.Description))
	}
	return tw.Flush()
}
