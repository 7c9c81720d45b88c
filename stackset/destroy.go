package stackset

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/cfngen/cfngen/cfnrules"
)

// DestroyInput is one deletion of a stack set.
type DestroyInput struct {
	Name           string
	Yes            bool // delete without asking
	RetainStacks   bool // remove the instances from the stack set but keep their stacks
	DelegatedAdmin bool
}

// Destroy deletes every stack instance of the stack set (following the
// operations), then the stack set. It lists the instances on Out first and
// needs Yes, or the stack set name typed at the prompt; without either it
// returns ErrNeedsConsent.
func (m *Manager) Destroy(ctx context.Context, in DestroyInput) error {
	if err := m.ready(); err != nil {
		return err
	}
	if err := cfnrules.ValidStackSetName(in.Name); err != nil {
		return &InputError{"Name", err.Error()}
	}
	s := newSession(in.Name, in.DelegatedAdmin)
	set, insts, err := m.load(ctx, s)
	if err != nil {
		return err
	}
	if set == nil {
		return fmt.Errorf("%w: stack set %s does not exist", ErrNotFound, in.Name)
	}
	model := PermissionModel(set.PermissionModel)
	if err := WriteInstances(m.out(), insts); err != nil {
		return fmt.Errorf("write stack instances: %w", err)
	}
	if in.RetainStacks {
		fmt.Fprintf(m.out(), "delete stack set %s; its %d stack instances leave it, their stacks stay\n", in.Name, len(insts))
	} else {
		fmt.Fprintf(m.out(), "delete stack set %s and its %d stack instances, with their stacks and resources\n", in.Name, len(insts))
	}
	var targets []Target
	var unknown []string
	for _, i := range insts {
		id := i.Account
		if model == ServiceManaged {
			id = i.OrgUnit
		}
		if id == "" {
			unknown = append(unknown, i.Account+" "+i.Region)
			continue
		}
		targets = append(targets, Target{id, i.Region})
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%w: the service did not say which organizational unit these stack instances belong to, and a service-managed instance can only be deleted by OU: %s",
			ErrUnknownOrgUnit, strings.Join(unknown, ", "))
	}
	if !in.Yes {
		if m.Prompt == nil {
			return fmt.Errorf("%w: delete stack set %s", ErrNeedsConsent, in.Name)
		}
		ok, err := m.Prompt.ConfirmTyped(ctx, fmt.Sprintf("Delete stack set %s and the stack instances above? Type the stack set name to confirm", in.Name), in.Name)
		if err != nil {
			return fmt.Errorf("prompt: %w", err)
		}
		if !ok {
			return fmt.Errorf("%w: stack set %s not deleted", ErrDeclined, in.Name)
		}
	}
	for _, g := range groups(targets, nil) {
		fmt.Fprintf(m.log(), "deleting stack instances: %s in %s\n", strings.Join(g.ids, ", "), strings.Join(g.regions, ", "))
		if _, err := m.deleteInstances(ctx, s, model, g, in.RetainStacks, Preferences{}); err != nil {
			return err
		}
	}
	left, err := m.instances(ctx, s)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		var names []string
		for _, i := range left {
			names = append(names, i.Account+" "+i.Region)
		}
		return fmt.Errorf("%w: stack set %s still has %d stack instances after their deletion succeeded: %s", ErrFailed, in.Name, len(left), strings.Join(names, ", "))
	}
	if _, err := m.CFN.DeleteStackSet(ctx, &cloudformation.DeleteStackSetInput{StackSetName: aws.String(in.Name), CallAs: s.callAs}); err != nil {
		return wrapAWS("delete stack set "+in.Name, err)
	}
	fmt.Fprintf(m.log(), "deleted stack set %s\n", in.Name)
	return nil
}
