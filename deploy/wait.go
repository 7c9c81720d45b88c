package deploy

import (
	"context"
	"time"

	"github.com/cfngen/cfngen/internal/progress"
)

// cleanupTimeout bounds the clean-up and the reports after a run stops;
// findWait bounds the search for a change set that CloudFormation may have
// made with the answer lost; computeWait the wait for a change set to be
// computed, as it cannot be deleted before.
const (
	cleanupTimeout = 30 * time.Second
	findWait       = 10 * time.Second
	computeWait    = 20 * time.Second // for a change set to be computed before deleting it
)

// waiter runs poll loops under one timeout. The time spent at prompts does
// not count.
type waiter struct {
	d        *Deployer
	timeout  time.Duration
	deadline time.Time // zero: no timeout
}

func (d *Deployer) newWaiter(timeout time.Duration) *waiter {
	w := &waiter{d: d, timeout: timeout}
	if timeout > 0 {
		w.deadline = d.now().Add(timeout)
	}
	return w
}

// poll calls check at once, then after each pause of the schedule
// (progress.NextDelay), until check reports done or fails, the context
// ends or the time is up (ErrTimeout).
func (w *waiter) poll(ctx context.Context, check func(ctx context.Context) (bool, error)) error {
	var delay time.Duration
	for {
		if delay > 0 {
			if err := w.sleep(ctx, delay); err != nil {
				return err
			}
		}
		cctx, cancel := w.bound(ctx)
		done, err := check(cctx)
		cancel()
		if err != nil || done {
			return err
		}
		delay = progress.NextDelay(delay)
	}
}

// sleep pauses for delay, or until the deadline when that comes first, in
// which case the next check is the last one.
func (w *waiter) sleep(ctx context.Context, delay time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !w.deadline.IsZero() {
		left := w.deadline.Sub(w.d.now())
		if left <= 0 {
			return ErrTimeout
		}
		delay = min(delay, left)
	}
	return w.d.sleep(ctx, delay)
}

// pause runs f, which waits for the user, and moves the deadline by the time
// it took.
func (w *waiter) pause(f func() error) error {
	start := w.d.now()
	err := f()
	if !w.deadline.IsZero() {
		w.deadline = w.deadline.Add(w.d.now().Sub(start))
	}
	return err
}

// bound limits ctx to the time left, so that a call in flight at the
// deadline ends with context.DeadlineExceeded.
func (w *waiter) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	if w.deadline.IsZero() {
		return ctx, func() {}
	}
	return context.WithTimeoutCause(ctx, w.deadline.Sub(w.d.now()), ErrTimeout)
}
