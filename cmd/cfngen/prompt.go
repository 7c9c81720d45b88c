package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/cfngen/cfngen/deploy"
)

// prompter returns the prompter of a terminal, or nil without one: then
// nothing waits for an answer.
func (e *env) prompter() deploy.Prompter {
	if !e.terminal {
		return nil
	}
	return &prompter{in: e.stdin, out: e.stderr}
}

// prompter asks on the terminal: the question on stderr, the answer from
// stdin. An interrupt while it waits ends the wait.
type prompter struct {
	in  io.Reader
	out io.Writer
	r   *bufio.Reader
}

func (p *prompter) Confirm(ctx context.Context, question string) (bool, error) {
	answer, err := p.ask(ctx, question+" [y/N] ")
	if err != nil {
		return false, err
	}
	switch strings.ToLower(answer) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

func (p *prompter) ConfirmTyped(ctx context.Context, question, want string) (bool, error) {
	answer, err := p.ask(ctx, fmt.Sprintf("%s\nType %q to confirm: ", question, want))
	if err != nil {
		return false, err
	}
	return answer == want, nil
}

func (p *prompter) ask(ctx context.Context, prompt string) (string, error) {
	if p.r == nil {
		p.r = bufio.NewReader(p.in)
	}
	fmt.Fprint(p.out, prompt)
	type line struct {
		s   string
		err error
	}
	ch := make(chan line, 1)
	go func() {
		s, err := p.r.ReadString('\n')
		ch <- line{strings.TrimSpace(s), err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(p.out)
		return "", ctx.Err()
	case l := <-ch:
		if l.err != nil && l.s == "" {
			return "", nil // end of input: the default answer, no
		}
		return l.s, nil
	}
}
