package main

import (
	"golang.org/x/term"
)

func isTerminal(f any) bool {
	if fd, ok := f.(interface{ Fd() uintptr }); ok {
		return term.IsTerminal(int(fd.Fd()))
	}
	return false
}

// color reports whether progress may use colour: on a terminal, unless
// NO_COLOR is set.
func (e *env) color() bool { return e.terminal && e.getenv("NO_COLOR") == "" }
