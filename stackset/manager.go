package stackset

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"time"

	"github.com/cfngen/cfngen/deploy"
	"github.com/cfngen/cfngen/internal/progress"
)

// Manager deploys, reads and deletes stack sets. Only CFN is required
// (and EC2 when an Input asks for the Availability Zone check); the zero
// values of the other fields mean no output, no terminal and the real
// clock.
type Manager struct {
	CFN API      // in the administrator account and region
	EC2 ZonesAPI // for Input.MinZones

	Out      io.Writer       // the product: plan, result and status tables (stdout)
	Log      io.Writer       // progress and notes (stderr)
	Prompt   deploy.Prompter // nil: no terminal to ask on
	Terminal bool            // Log is a terminal: one live line rewritten in place
	Color    bool            // colour statuses on Log

	// Test seams.
	Now       func() time.Time                                 // default time.Now
	Sleep     func(ctx context.Context, d time.Duration) error // default: a timer that the context stops
	Heartbeat time.Duration                                    // without a terminal, the longest silence; default 30s
	Rand      io.Reader                                        // for operation IDs; default crypto/rand
}

// checkTimeout bounds the look-ups after an interrupt.
const checkTimeout = 30 * time.Second

func (m *Manager) ready() error {
	if m.CFN == nil {
		return errors.New("stackset: Manager has no CloudFormation client")
	}
	return nil
}

func (m *Manager) out() io.Writer {
	if m.Out == nil {
		return io.Discard
	}
	return m.Out
}

func (m *Manager) log() io.Writer {
	if m.Log == nil {
		return io.Discard
	}
	return m.Log
}

func (m *Manager) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

func (m *Manager) sleep(ctx context.Context, d time.Duration) error {
	if m.Sleep != nil {
		return m.Sleep(ctx, d)
	}
	return progress.Sleep(ctx, d)
}

// operationID returns a new ID such as cfngen-20261128030600-a1b2c3d4. The
// service takes it as an idempotency token, so a retried call starts the
// operation once, and it names the operation before the call returns.
func (m *Manager) operationID() string {
	r := m.Rand
	if r == nil {
		r = rand.Reader
	}
	return progress.Name("", m.now(), r, 4)
}

// paint colours a status when Color is set.
func (m *Manager) paint(s string) string { return progress.Paint(m.Color, s) }

// line returns the live line of an operation, on Log.
func (m *Manager) line() *progress.Line {
	l := &progress.Line{W: m.log(), Terminal: m.Terminal, Heartbeat: m.Heartbeat, Now: m.now}
	l.Printed()
	return l
}
