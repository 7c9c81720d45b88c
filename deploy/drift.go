package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/cfnrules"
)

// DriftReport is what drift detection found in a stack: the resources
// whose actual configuration differs from the template, and how.
type DriftReport struct {
	StackName   string          `json:"stackName"`
	StackID     string          `json:"stackId"`
	DetectionID string          `json:"detectionId"`
	Status      string          `json:"status"`    // DRIFTED, IN_SYNC or UNKNOWN
	Detection   string          `json:"detection"` // DETECTION_COMPLETE, or DETECTION_FAILED when some resources could not be checked
	Reason      string          `json:"reason"`    // why detection failed for some, when it did
	Checked     int             `json:"checked"`   // resources checked
	Resources   []ResourceDrift `json:"resources"` // the drifted ones: MODIFIED or DELETED
	Time        *time.Time      `json:"time,omitempty"`
}

// ResourceDrift is one drifted resource.
type ResourceDrift struct {
	LogicalID   string      `json:"logicalId"`
	PhysicalID  string      `json:"physicalId"`
	Type        string      `json:"type"`
	Status      string      `json:"status"` // MODIFIED or DELETED
	Differences []DriftDiff `json:"differences"`
}

// DriftDiff is one property that differs: its path, the value the
// template expects and the actual one, and the kind of difference (ADD,
// REMOVE or NOT_EQUAL).
type DriftDiff struct {
	Path     string `json:"path"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
	Kind     string `json:"kind"`
}

// Drifted reports whether any resource drifted.
func (r *DriftReport) Drifted() bool {
	return len(r.Resources) > 0 || r.Status == string(types.StackDriftStatusDrifted)
}

// Drift detects the drift of a stack (DetectStackDrift), waits for the
// detection to end with progress on Log, and reads what drifted. timeout
// bounds it all (0: none). A stack that does not exist gives
// ErrStackNotFound; an endpoint without drift detection a *CallError that
// matches ErrUnsupported.
func (d *Deployer) Drift(ctx context.Context, stackName string, timeout time.Duration) (*DriftReport, error) {
	if err := d.ready(); err != nil {
		return nil, err
	}
	if err := cfnrules.ValidStackName(stackName); err != nil {
		return nil, err
	}
	r := d.newRun(stackName, timeout)
	st, err := describeStack(ctx, r.cfn, stackName)
	if err != nil {
		return nil, err
	}
	if st == nil || st.StackStatus == types.StackStatusReviewInProgress {
		return nil, fmt.Errorf("%w: stack %s does not exist", ErrStackNotFound, stackName)
	}
	rep := &DriftReport{StackName: stackName, StackID: aws.ToString(st.StackId), Resources: []ResourceDrift{}}
	out, err := r.cfn.DetectStackDrift(ctx, &cloudformation.DetectStackDriftInput{StackName: aws.String(rep.StackID)})
	if err != nil {
		return nil, fmt.Errorf("detect drift of stack %s: %w", stackName, err)
	}
	rep.DetectionID = aws.ToString(out.StackDriftDetectionId)
	fmt.Fprintf(d.log(), "detecting drift of stack %s\n", stackName)
	line, start := d.line(), d.now()
	var status *cloudformation.DescribeStackDriftDetectionStatusOutput
	err = r.w.poll(ctx, func(ctx context.Context) (bool, error) {
		var err error
		status, err = r.cfn.DescribeStackDriftDetectionStatus(ctx, &cloudformation.DescribeStackDriftDetectionStatusInput{StackDriftDetectionId: out.StackDriftDetectionId})
		if err != nil {
			return false, fmt.Errorf("drift detection of stack %s: %w", stackName, err)
		}
		if status.DetectionStatus == types.StackDriftDetectionStatusDetectionInProgress {
			line.Tick(fmt.Sprintf("drift detection %s, %s elapsed", d.paint(string(status.DetectionStatus)), d.now().Sub(start).Round(time.Second)))
			return false, nil
		}
		return true, nil
	})
	line.Clear()
	if err != nil {
		if timedOut(err) {
			err = asTimeout(err, "drift detection of stack "+stackName+" not done in time")
		}
		return nil, err
	}
	rep.Status, rep.Detection = string(status.StackDriftStatus), string(status.DetectionStatus)
	rep.Reason, rep.Time = aws.ToString(status.DetectionStatusReason), status.Timestamp
	pages := cloudformation.NewDescribeStackResourceDriftsPaginator(r.cfn, &cloudformation.DescribeStackResourceDriftsInput{StackName: aws.String(rep.StackID)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("read the drift of stack %s: %w", stackName, err)
		}
		for _, rd := range page.StackResourceDrifts {
			rep.Checked++
			switch rd.StackResourceDriftStatus {
			case types.StackResourceDriftStatusModified, types.StackResourceDriftStatusDeleted:
			default:
				continue
			}
			res := ResourceDrift{LogicalID: aws.ToString(rd.LogicalResourceId), PhysicalID: aws.ToString(rd.PhysicalResourceId),
				Type: aws.ToString(rd.ResourceType), Status: string(rd.StackResourceDriftStatus), Differences: []DriftDiff{}}
			for _, p := range rd.PropertyDifferences {
				res.Differences = append(res.Differences, DriftDiff{Path: aws.ToString(p.PropertyPath), Expected: aws.ToString(p.ExpectedValue),
					Actual: aws.ToString(p.ActualValue), Kind: string(p.DifferenceType)})
			}
			rep.Resources = append(rep.Resources, res)
		}
	}
	return rep, nil
}

// WriteText writes the drifted resources, each with its differences as
// "path: expected -> actual (kind)", and a line for the stack. With width >
// 0 values are shortened to that many characters.
func (r *DriftReport) WriteText(w io.Writer, width int) error {
	var b strings.Builder
	if len(r.Resources) > 0 {
		ids, types_ := len("LOGICAL ID"), len("TYPE")
		for _, res := range r.Resources {
			ids, types_ = max(ids, len(res.LogicalID)), max(types_, len(res.Type))
		}
		fmt.Fprintf(&b, "%-*s  %-*s  %s\n", ids, "LOGICAL ID", types_, "TYPE", "DRIFT")
		for _, res := range r.Resources {
			fmt.Fprintf(&b, "%-*s  %-*s  %s\n", ids, res.LogicalID, types_, res.Type, res.Status)
			for _, p := range res.Differences {
				fmt.Fprintf(&b, "    %s: %s -> %s (%s)\n", strings.TrimPrefix(p.Path, "/"), value(p.Expected, width), value(p.Actual, width), p.Kind)
			}
		}
	}
	noun := "resources"
	if r.Checked == 1 {
		noun = "resource"
	}
	fmt.Fprintf(&b, "stack %s: %s: %d of %d %s drifted\n", r.StackName, orDash(r.Status), len(r.Resources), r.Checked, noun)
	if r.Detection == string(types.StackDriftDetectionStatusDetectionFailed) {
		fmt.Fprintf(&b, "note: drift detection failed for some resources: %s\n", orDash(r.Reason))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as one JSON document, with a version field
// as the plan's.
func (r *DriftReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Version int `json:"version"`
		*DriftReport
	}{PlanVersion, r})
}
