// Package progress holds what packages deploy and stackset share to follow
// an operation that takes minutes: the poll schedule, a pause that an
// interrupt ends, the live line on a terminal (a heartbeat line without
// one), the colours of statuses, and names for change sets and
// operations.
package progress

import (
	"context"
	"encoding/hex"
	"io"
	"strings"
	"time"
)

// The poll schedule: a first check at once, then pauses growing from
// FirstDelay by half up to MaxDelay, so that a short operation ends within
// a second of the service and a long one is read every 2 s, as the CDK
// does.
const (
	FirstDelay       = 200 * time.Millisecond
	MaxDelay         = 2 * time.Second
	DefaultHeartbeat = 30 * time.Second
)

// NextDelay returns the pause after d (0: none yet) on the schedule.
func NextDelay(d time.Duration) time.Duration {
	if d == 0 {
		return FirstDelay
	}
	return min(d*3/2, MaxDelay)
}

// Sleep pauses for d, or until ctx ends, and then returns its error.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Line shows that an operation goes on: on a terminal one live line,
// rewritten in place; elsewhere a plain "still ..." line when nothing was
// printed for a heartbeat.
type Line struct {
	W         io.Writer
	Terminal  bool
	Heartbeat time.Duration // default DefaultHeartbeat
	Now       func() time.Time

	printed time.Time // when a line was last printed
	live    bool      // the live line is on the terminal
}

// Printed notes that a line was printed, which counts as a heartbeat;
// call it when the operation starts too.
func (l *Line) Printed() { l.printed = l.Now() }

// Tick shows s, the state of the operation.
func (l *Line) Tick(s string) {
	switch {
	case l.Terminal:
		io.WriteString(l.W, "\r\x1b[K"+s)
		l.live = true
	case l.Now().Sub(l.printed) >= l.heartbeat():
		io.WriteString(l.W, "still "+s+"\n")
		l.printed = l.Now()
	}
}

// Clear removes the live line, before other lines are printed.
func (l *Line) Clear() {
	if l.live {
		io.WriteString(l.W, "\r\x1b[K")
		l.live = false
	}
}

func (l *Line) heartbeat() time.Duration {
	if l.Heartbeat <= 0 {
		return DefaultHeartbeat
	}
	return l.Heartbeat
}

// Paint colours a status of CloudFormation or StackSets when color is
// set: red for failures, rollbacks and stops, yellow while under way,
// green when done well.
func Paint(color bool, s string) string {
	if !color {
		return s
	}
	var code string
	switch {
	case strings.Contains(s, "FAILED") || strings.Contains(s, "ROLLBACK") ||
		s == "STOPPED" || s == "CANCELLED" || s == "INOPERABLE" || s == "DRIFTED":
		code = "31"
	case strings.HasSuffix(s, "_IN_PROGRESS") || s == "RUNNING" || s == "PENDING" || s == "QUEUED" || s == "STOPPING" || s == "OUTDATED":
		code = "33"
	case strings.HasSuffix(s, "_COMPLETE") || s == "SUCCEEDED" || s == "CURRENT" || s == "IN_SYNC":
		code = "32"
	default:
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Name returns a new name such as cfngen-20261128030600-a1b2 with n
// random bytes from r, for a change set, a request token or an
// operation. When r fails, the bytes are zeros: the clock already makes
// names differ between runs.
func Name(kind string, now time.Time, r io.Reader, n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		clear(b)
	}
	prefix := "cfngen-"
	if kind != "" {
		prefix += kind + "-"
	}
	return prefix + now.UTC().Format("20060102150405") + "-" + hex.EncodeToString(b)
}
