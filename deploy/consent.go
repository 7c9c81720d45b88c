package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// consent is what the caller consents to.
type consent struct {
	yes     bool // execute
	replace bool // remove or replace resources
	broaden bool // widen access
}

// consent decides whether the change set may be executed. Removals,
// possible replacements and wider access each need their own consent, or
// the stack name typed at a prompt, even with yes; anything else needs yes
// or a yes at a prompt.
func (r *run) consent(ctx context.Context, c consent, cs *ChangeSet) error {
	log := r.d.log()
	refused := &ConsentError{Needed: ToReplace, StackName: cs.StackName, ChangeSet: cs.Name}
	if !c.replace {
		refused.Risky = cs.Risky()
	}
	if !c.broaden {
		refused.Broadening = cs.broadening()
	}
	var what []string
	if len(refused.Risky) > 0 {
		fmt.Fprintln(log, "the change set removes or may replace resources:")
		for _, ch := range refused.Risky {
			fmt.Fprintf(log, "  %s (%s): %s\n", ch.LogicalID, ch.Type, ch.Risk())
		}
		what = append(what, "removes or may replace resources")
	}
	if len(refused.Broadening) > 0 {
		fmt.Fprintln(log, "the change set widens access:")
		for _, b := range refused.Broadening {
			fmt.Fprintf(log, "  %s\n", b)
		}
		what = append(what, "widens access")
		if len(refused.Risky) == 0 {
			refused.Needed = ToBroaden
		}
	}
	if len(what) > 0 {
		needs := "removing or replacing resources needs consent"
		switch {
		case len(what) == 2:
			needs = "removing or replacing resources and widening access need consent"
		case refused.Needed == ToBroaden:
			needs = "widening access needs consent"
		}
		return r.askTyped(ctx, refused, "not executed: "+needs,
			fmt.Sprintf("The change set %s of stack %s. Type the stack name to execute it", strings.Join(what, " and "), cs.StackName))
	}
	if c.yes {
		return nil
	}
	if r.d.Prompt == nil {
		fmt.Fprintln(log, "not executed: no terminal to ask for consent on")
		return &ConsentError{Needed: ToExecute, StackName: cs.StackName, ChangeSet: cs.Name}
	}
	ok, err := r.d.ask(r.w, func() (bool, error) {
		return r.d.Prompt.Confirm(ctx, fmt.Sprintf("Execute change set %s on stack %s?", cs.Name, cs.StackName))
	})
	if err != nil {
		return err
	}
	if !ok {
		return &ConsentError{Needed: ToExecute, Declined: true, StackName: cs.StackName, ChangeSet: cs.Name}
	}
	return nil
}

// recreateConsent asks whether a stack that cannot be updated may be
// deleted.
func (r *run) recreateConsent(ctx context.Context, in Input, s types.StackStatus) error {
	if in.AllowDeleteRollbackComplete {
		return nil
	}
	refused := &ConsentError{Needed: ToRecreate, StackName: in.StackName, Status: string(s)}
	return r.askTyped(ctx, refused, "not deleted: no terminal to ask for consent on",
		fmt.Sprintf("Delete stack %s (%s) and create it again? Type the stack name to confirm", in.StackName, s))
}

// askTyped asks for the stack name to be typed, and returns nil when it
// was; else refused, marked Declined when the user was asked. Without a
// terminal it says notAsked on Log.
func (r *run) askTyped(ctx context.Context, refused *ConsentError, notAsked, question string) error {
	if r.d.Prompt == nil {
		fmt.Fprintln(r.d.log(), notAsked)
		return refused
	}
	ok, err := r.d.ask(r.w, func() (bool, error) {
		return r.d.Prompt.ConfirmTyped(ctx, question, refused.StackName)
	})
	if err != nil {
		return err
	}
	if !ok {
		refused.Declined = true
		return refused
	}
	return nil
}

// ask runs a prompt without counting its time against the timeout.
func (d *Deployer) ask(w *waiter, f func() (bool, error)) (bool, error) {
	var ok bool
	err := w.pause(func() error {
		var err error
		ok, err = f()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("prompt: %w", err)
	}
	return ok, nil
}
