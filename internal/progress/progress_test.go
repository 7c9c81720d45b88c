package progress

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cfngen/cfngen/internal/progress/progresstest"
)

func TestNextDelay(t *testing.T) {
	var got []time.Duration
	var d time.Duration
	for range 9 {
		d = NextDelay(d)
		got = append(got, d)
	}
	ms := time.Millisecond
	want := []time.Duration{200 * ms, 300 * ms, 450 * ms, 675 * ms, 1012500 * time.Microsecond, 1518750 * time.Microsecond,
		2 * time.Second, 2 * time.Second, 2 * time.Second}
	if !slices.Equal(got, want) {
		t.Errorf("schedule:\ngot  %v\nwant %v", got, want)
	}
}

func TestSleep(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("a cancelled sleep went on")
	}
}

func TestLine(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { return now }
	var b bytes.Buffer
	l := &Line{W: &b, Heartbeat: 10 * time.Second, Now: clock}
	l.Printed()
	for _, step := range []time.Duration{4, 4, 4, 4, 4, 4} {
		now = now.Add(step * time.Second)
		l.Tick("UPDATE_IN_PROGRESS")
	}
	l.Clear()
	if got, want := b.String(), "still UPDATE_IN_PROGRESS\nstill UPDATE_IN_PROGRESS\n"; got != want {
		t.Errorf("without a terminal:\ngot  %q\nwant %q", got, want)
	}

	b.Reset()
	l = &Line{W: &b, Terminal: true, Now: clock}
	l.Tick("a")
	l.Tick("b")
	l.Clear()
	l.Clear()
	if got, want := b.String(), "\r\x1b[Ka\r\x1b[Kb\r\x1b[K"; got != want {
		t.Errorf("on a terminal:\ngot  %q\nwant %q", got, want)
	}
}

func TestPaint(t *testing.T) {
	for s, want := range map[string]string{
		"CREATE_COMPLETE":        "\x1b[32mCREATE_COMPLETE\x1b[0m",
		"UPDATE_IN_PROGRESS":     "\x1b[33mUPDATE_IN_PROGRESS\x1b[0m",
		"ROLLBACK_COMPLETE":      "\x1b[31mROLLBACK_COMPLETE\x1b[0m",
		"CREATE_FAILED":          "\x1b[31mCREATE_FAILED\x1b[0m",
		"SUCCEEDED":              "\x1b[32mSUCCEEDED\x1b[0m",
		"RUNNING":                "\x1b[33mRUNNING\x1b[0m",
		"STOPPED":                "\x1b[31mSTOPPED\x1b[0m",
		"REVIEW_IN_PROGRESS":     "\x1b[33mREVIEW_IN_PROGRESS\x1b[0m",
		"something else":         "something else",
		"DRIFTED":                "\x1b[31mDRIFTED\x1b[0m",
		"IN_SYNC":                "\x1b[32mIN_SYNC\x1b[0m",
		"UPDATE_ROLLBACK_FAILED": "\x1b[31mUPDATE_ROLLBACK_FAILED\x1b[0m",
	} {
		if got := Paint(true, s); got != want {
			t.Errorf("Paint(%q) = %q, want %q", s, got, want)
		}
		if got := Paint(false, s); got != s {
			t.Errorf("Paint(false, %q) = %q", s, got)
		}
	}
}

type broken struct{}

func (broken) Read([]byte) (int, error) { return 0, errors.New("no randomness") }

func TestName(t *testing.T) {
	now := time.Date(2026, 11, 28, 3, 6, 0, 0, time.FixedZone("x", 3600))
	if got, want := Name("", now, &progresstest.Seq{}, 2), "cfngen-20261128020600-0001"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
	if got, want := Name("execute", now, broken{}, 4), "cfngen-execute-20261128020600-00000000"; got != want {
		t.Errorf("Name = %q, want %q", got, want)
	}
}
