package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestPrompterConfirm(t *testing.T) {
	for answer, want := range map[string]bool{"y\n": true, "YES\n": true, "n\n": false, "\n": false, "": false, "maybe\n": false} {
		var out bytes.Buffer
		p := &prompter{in: strings.NewReader(answer), out: &out}
		got, err := p.Confirm(context.Background(), "Deploy?")
		if err != nil || got != want {
			t.Errorf("answer %q: got %v, %v; want %v", answer, got, err, want)
		}
		if out.String() != "Deploy? [y/N] " {
			t.Errorf("prompt %q", out.String())
		}
	}
}

func TestPrompterConfirmTyped(t *testing.T) {
	p := &prompter{in: strings.NewReader("web\nweb-prod\n"), out: io.Discard}
	if ok, _ := p.ConfirmTyped(context.Background(), "Replace?", "web-prod"); ok {
		t.Error("a different name counted as consent")
	}
	if ok, _ := p.ConfirmTyped(context.Background(), "Replace?", "web-prod"); !ok {
		t.Error("the typed name did not count as consent")
	}
}

// TestPrompterInterrupt: an interrupt ends the wait for an answer.
func TestPrompterInterrupt(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := &prompter{in: r, out: io.Discard}
	if ok, err := p.Confirm(ctx, "Deploy?"); ok || err != context.Canceled {
		t.Errorf("got %v, %v; want false, context.Canceled", ok, err)
	}
}
