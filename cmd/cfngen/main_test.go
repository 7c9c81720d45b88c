package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/cfngen/cfngen/internal/testkit/moto"
)

func TestMain(m *testing.M) {
	testscript.Main(withMoto{m}, map[string]func(){"cfngen": main})
}

// motoServer is the moto server of the tests that deploy, started on first use.
var motoServer moto.Server

// withMoto stops the moto server, if a test started one, after the tests.
type withMoto struct{ m *testing.M }

func (w withMoto) Run() int { return motoServer.Run(w.m) }

// TestScripts runs the CLI scripts in testdata/script: what a user types,
// what lands on stdout and stderr, and the exit codes.
func TestScripts(t *testing.T) {
	goldenDir, err := filepath.Abs("../../golden")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("GOLDEN", goldenDir)
			e.Setenv("NO_COLOR", "1")
			// Any AWS call a script makes by mistake goes nowhere.
			e.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			e.Setenv("AWS_ACCESS_KEY_ID", "test")
			e.Setenv("AWS_SECRET_ACCESS_KEY", "test")
			e.Setenv("AWS_REGION", moto.Region)
			e.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": exits,
		},
	})
}

// exits CODE PROGRAM [ARGS...] runs a program and checks its exit code.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
