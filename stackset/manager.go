package stackset

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/cfngen/cfngen/deploy"
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

// The poll schedule: a first check at once, then pauses growing from
// firstDelay by half up to maxDelay. StackSets operations take minutes;
// 2 s keeps the progress lively at a cost of one call (plus result pages)
// per poll.
const (
	firstDelay       = 200 * time.Millisecond
	maxDelay         = 2 * time.Second
	defaultHeartbeat = 30 * time.Second
	checkTimeout     = 30 * time.Second // for the look-ups after an interrupt
)

func nextDelay(d time.Duration) time.Duration {
	if d == 0 {
		return firstDelay
	}
	return min(d*3/2, maxDelay)
}

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
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (m *Manager) heartbeat() time.Duration {
	if m.Heartbeat <= 0 {
		return defaultHeartbeat
	}
	return m.Heartbeat
}

// operationID returns a new ID such as cfngen-20261128030600-a1b2c3d4. The
// service takes it as an idempotency token, so a retried call starts the
// operation once, and it names the operation before the call returns.
func (m *Manager) operationID() string {
	r := m.Rand
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, 4)
	if _, err := io.ReadFull(r, b); err != nil {
		b = []byte{0, 0, 0, 0} // the clock already makes names differ between runs
	}
	return "cfngen-" + m.now().UTC().Format("20060102150405") + "-" + hex.EncodeToString(b)
}

// paint colours a status when Color is set: red for failures, yellow while
// in progress, green when done.
func (m *Manager) paint(s string) string {
	if !m.Color {
		return s
	}
	var code string
	switch {
	case strings.Contains(s, "FAILED") || s == "STOPPED" || s == "CANCELLED" || s == "INOPERABLE":
		code = "31"
	case s == "RUNNING" || s == "PENDING" || s == "QUEUED" || s == "STOPPING" || s == "OUTDATED":
		code = "33"
	case s == "SUCCEEDED" || s == "CURRENT":
		code = "32"
	default:
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
