package stackset

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Instance is one stack instance: the stack set's stack in one account
// and region.
type Instance struct {
	Account        string `json:"account"`
	Region         string `json:"region"`
	OrgUnit        string `json:"orgUnit,omitempty"` // service-managed: the OU it was deployed through
	Status         string `json:"status"`            // CURRENT, OUTDATED or INOPERABLE
	DetailedStatus string `json:"detailedStatus"`    // SUCCEEDED, FAILED, RUNNING, ...
	Reason         string `json:"reason,omitempty"`
	StackID        string `json:"stackId,omitempty"`
}

// Operation is one stack set operation.
type Operation struct {
	ID      string     `json:"id"`
	Action  string     `json:"action"` // CREATE, UPDATE, DELETE, DETECT_DRIFT
	Status  string     `json:"status"` // QUEUED, RUNNING, SUCCEEDED, FAILED, STOPPING, STOPPED
	Reason  string     `json:"reason,omitempty"`
	Created *time.Time `json:"created,omitempty"`
	Ended   *time.Time `json:"ended,omitempty"`
}

// Outcome is the result of an operation in one account and region.
type Outcome struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	OrgUnit string `json:"orgUnit,omitempty"`
	Status  string `json:"status"` // PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED
	Reason  string `json:"reason,omitempty"`
}

// session is one stack set as the calls of a command see it.
type session struct {
	name      string
	callAs    types.CallAs
	adminRole string // to recognise role problems in the service's messages
	execRole  string
}

func newSession(name string, delegated bool) *session {
	s := &session{name: name, callAs: types.CallAsSelf, adminRole: DefaultAdminRoleName, execRole: DefaultExecutionRole}
	if delegated {
		s.callAs = types.CallAsDelegatedAdmin
	}
	return s
}

// describe returns the stack set, or nil when it does not exist.
func (m *Manager) describe(ctx context.Context, s *session) (*types.StackSet, error) {
	out, err := m.CFN.DescribeStackSet(ctx, &cloudformation.DescribeStackSetInput{StackSetName: aws.String(s.name), CallAs: s.callAs})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrapAWS("describe stack set "+s.name, err)
	}
	if out.StackSet == nil || out.StackSet.Status == types.StackSetStatusDeleted {
		return nil, nil
	}
	if r := aws.ToString(out.StackSet.AdministrationRoleARN); r != "" {
		s.adminRole = r
	}
	if r := aws.ToString(out.StackSet.ExecutionRoleName); r != "" {
		s.execRole = r
	}
	return out.StackSet, nil
}

// instances lists every stack instance, by region then account.
func (m *Manager) instances(ctx context.Context, s *session) ([]Instance, error) {
	var all []Instance
	pages := cloudformation.NewListStackInstancesPaginator(m.CFN, &cloudformation.ListStackInstancesInput{StackSetName: aws.String(s.name), CallAs: s.callAs})
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, wrapAWS("list stack instances of "+s.name, err)
		}
		for _, si := range out.Summaries {
			i := Instance{
				Account: aws.ToString(si.Account),
				Region:  aws.ToString(si.Region),
				OrgUnit: aws.ToString(si.OrganizationalUnitId),
				Status:  string(si.Status),
				Reason:  aws.ToString(si.StatusReason),
				StackID: aws.ToString(si.StackId),
			}
			if si.StackInstanceStatus != nil {
				i.DetailedStatus = string(si.StackInstanceStatus.DetailedStatus)
			}
			all = append(all, i)
		}
	}
	slices.SortFunc(all, func(a, b Instance) int {
		return cmp.Or(cmp.Compare(a.Region, b.Region), cmp.Compare(a.Account, b.Account), cmp.Compare(a.OrgUnit, b.OrgUnit))
	})
	return all, nil
}

// operations returns the stack set's operations, newest first, reading at
// most max of them (0: all).
func (m *Manager) operations(ctx context.Context, s *session, limit int) ([]Operation, error) {
	var all []Operation
	pages := cloudformation.NewListStackSetOperationsPaginator(m.CFN, &cloudformation.ListStackSetOperationsInput{StackSetName: aws.String(s.name), CallAs: s.callAs})
	for pages.HasMorePages() && (limit == 0 || len(all) < limit) {
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, wrapAWS("list operations of stack set "+s.name, err)
		}
		for _, o := range out.Summaries {
			all = append(all, Operation{
				ID:      aws.ToString(o.OperationId),
				Action:  string(o.Action),
				Status:  string(o.Status),
				Reason:  aws.ToString(o.StatusReason),
				Created: o.CreationTimestamp,
				Ended:   o.EndTimestamp,
			})
		}
	}
	// The API does not promise an order.
	slices.SortStableFunc(all, func(a, b Operation) int { return cmpTime(b.Created, a.Created) })
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	return all, nil
}

func cmpTime(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// active reports whether an operation is still under way.
func active(status string) bool {
	switch types.StackSetOperationStatus(status) {
	case types.StackSetOperationStatusRunning, types.StackSetOperationStatusQueued, types.StackSetOperationStatusStopping:
		return true
	}
	return false
}

// running returns the operations under way, oldest first: the order in
// which the service runs them.
func (m *Manager) running(ctx context.Context, s *session) ([]Operation, error) {
	ops, err := m.operations(ctx, s, 0)
	if err != nil {
		return nil, err
	}
	var run []Operation
	for _, o := range slices.Backward(ops) {
		if active(o.Status) {
			run = append(run, o)
		}
	}
	return run, nil
}
