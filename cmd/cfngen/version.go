package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is set at build time: go build -ldflags "-X main.Version=v1.2.3".
var Version = ""

const versionUsage = `usage: cfngen version

Version prints cfngen's version and the Go version it was built with.

Example:
  cfngen version
`

func version(ctx context.Context, e *env, args []string) error {
	fs := newFlags("version")
	if err := parse(e, fs, versionUsage, args); err != nil {
		return err
	}
	v := Version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	fmt.Fprintf(e.stdout, "cfngen %s %s\n", v, runtime.Version())
	return nil
}
