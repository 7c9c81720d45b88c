// Package progresstest holds the test doubles that the tests of deploy
// and stackset share: a clock that moves only when slept on, and a
// reader that makes names and tokens predictable.
package progresstest

import (
	"context"
	"time"
)

// Clock is a clock that moves only when slept on or advanced. Its Now and
// Sleep fit the Now and Sleep seams of deploy.Deployer and
// stackset.Manager.
type Clock struct {
	now time.Time
	// Sleeps lists every pause slept, in order.
	Sleeps []time.Duration
	// OnSleep, when set, runs before each sleep with the number of pauses
	// slept so far; an error ends the sleep.
	OnSleep func(n int) error
}

// NewClock returns a clock at 2026-01-02 03:04:05 UTC.
func NewClock() *Clock {
	return &Clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.now }

// Advance moves the clock without a sleep, as a slow user or a slow call
// would.
func (c *Clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

// Sleep moves the clock by d, unless ctx has ended or OnSleep fails.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.OnSleep != nil {
		if err := c.OnSleep(len(c.Sleeps)); err != nil {
			return err
		}
	}
	c.Sleeps = append(c.Sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

// Seq is a reader that yields the bytes 0, 1, 2, ...
type Seq struct{ n byte }

func (r *Seq) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.n
		r.n++
	}
	return len(p), nil
}
