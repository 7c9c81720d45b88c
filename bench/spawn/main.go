// Command spawn runs a command with its own standard files and
// environment and writes the command's wall time, CPU time and max RSS
// (nanoseconds, nanoseconds, bytes) to a file; it exits with the command's
// code. bench measures every command under it, a process small enough
// not to count in the command's max RSS.
//
//	spawn REPORT NAME [ARG...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: spawn REPORT NAME [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "spawn:", err)
		os.Exit(1)
	}
	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss * 1024 // KiB on Linux
		if runtime.GOOS == "darwin" {
			maxRSS = ru.Maxrss // bytes on macOS
		}
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if err := os.WriteFile(os.Args[1], fmt.Appendf(nil, "%d %d %d", wall, cpu, maxRSS), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "spawn:", err)
		os.Exit(1)
	}
	os.Exit(cmd.ProcessState.ExitCode())
}
