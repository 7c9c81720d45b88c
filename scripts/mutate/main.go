// Command mutate measures whether the tests fail for the right reason. It
// plants each bug of [mutants], one at a time, in a copy of HEAD or -rev
// (git archive, so nothing uncommitted), runs the tests of the bug's area
// without -update, and says for each bug whether a test of behaviour
// caught it, only a golden file (a drift check: it passes once someone
// runs make golden), or nothing. It ends with the behavioural score.
//
// Run it with a moto server, as make mutate does:
//
//	scripts/with-moto go run ./scripts/mutate [-run REGEXP] [-rev COMMIT] [-list]
//
// A bug whose old text no longer occurs exactly once in its file, or that
// does not build, stops the run before any test: the list cannot rot
// silently.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// mutant is one planted bug: in file, the text old becomes new.
type mutant struct {
	area       string // config, template, cfnyaml or deploy: which tests run
	file       string
	old, new   string
	whatItDoes string
}

// suite is one go test run of an area.
type suite struct {
	pkgs []string
	run  string // -run pattern; "" for every test
}

// areas are the tests run for a bug of each area: the packages that
// depend on it, without the slowest end-to-end tests of cmd/cfngen, of
// which only those about consent run for deploy.
var areas = map[string][]suite{
	"config":   {{pkgs: []string{"./config", "./template", "./golden"}}},
	"template": {{pkgs: []string{"./template", "./golden"}}},
	"cfnyaml":  {{pkgs: []string{"./internal/cfnyaml", "./template", "./golden"}}},
	"deploy": {
		{pkgs: []string{"./deploy"}},
		{pkgs: []string{"./cmd/cfngen"}, run: "^(TestRemovalNeedsConsent|TestReplacementNeedsConsent|TestDeployEndToEnd|TestExplainConsent|TestReviewThenExecute)$"},
	},
}

// goldenMark is in the message of every golden mismatch
// (internal/testkit/golden), before and after it named the tests of
// behaviour.
const goldenMark = "differs from the output"

func main() {
	only := flag.String("run", "", "plant only the bugs whose name matches this regular expression")
	list := flag.Bool("list", false, "check and list the bugs, and run nothing")
	rev := flag.String("rev", "HEAD", "the commit to copy and plant the bugs in (its tests are the ones scored)")
	flag.Parse()
	if err := run(*only, *rev, *list); err != nil {
		fmt.Fprintln(os.Stderr, "mutate: error:", err)
		os.Exit(1)
	}
}

func run(only, rev string, list bool) error {
	re, err := regexp.Compile(only)
	if err != nil {
		return err
	}
	root, err := output("git", "rev-parse", "--show-toplevel")
	if err != nil {
		return err
	}
	root = strings.TrimSpace(root)
	head, err := output("git", "-C", root, "rev-parse", "--short", rev)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "cfngen-mutate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	archive := exec.Command("sh", "-c", `git -C "$1" archive "$3" | tar -x -C "$2"`, "sh", root, dir, rev)
	if out, err := archive.CombinedOutput(); err != nil {
		return fmt.Errorf("copying HEAD: %v\n%s", err, out)
	}

	var chosen []mutant
	var stale []string
	for _, m := range mutants {
		if !re.MatchString(name(m)) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, m.file))
		if err != nil {
			return err
		}
		if n := strings.Count(string(b), m.old); n != 1 {
			stale = append(stale, fmt.Sprintf("%s: %s: the old text occurs %d times, want once:\n%s", name(m), m.file, n, m.old))
		}
		if !areaKnown(m.area) {
			stale = append(stale, fmt.Sprintf("%s: unknown area %q", name(m), m.area))
		}
		chosen = append(chosen, m)
	}
	if len(stale) > 0 {
		return fmt.Errorf("the list of bugs is out of date; fix scripts/mutate/mutants.go:\n%s", strings.Join(stale, "\n"))
	}
	if list {
		for i, m := range chosen {
			fmt.Printf("%2d %-8s %-26s %s\n", i+1, m.area, m.file, m.whatItDoes)
		}
		return nil
	}
	if os.Getenv("CFNGEN_MOTO_ENDPOINT") == "" {
		return errors.New("no moto server: run it as make mutate (scripts/with-moto go run ./scripts/mutate)")
	}

	fmt.Printf("mutate: %d bugs on %s %s, %s\n", len(chosen), rev, strings.TrimSpace(head), time.Now().UTC().Format("2006-01-02 15:04 MST"))
	// The copy must pass before any bug is planted.
	for area := range areas {
		if !slices.ContainsFunc(chosen, func(m mutant) bool { return m.area == area }) {
			continue
		}
		if r := test(dir, area); r.failed() {
			return fmt.Errorf("the tests of %s fail on %s without a bug:\n%s", area, rev, r.log)
		}
	}
	var behavioural, goldenOnly, survived int
	for i, m := range chosen {
		path := filepath.Join(dir, m.file)
		orig, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(strings.Replace(string(orig), m.old, m.new, 1)), 0o644); err != nil {
			return err
		}
		start := time.Now()
		r := test(dir, m.area)
		if err := os.WriteFile(path, orig, 0o644); err != nil {
			return err
		}
		if r.buildFailed {
			return fmt.Errorf("%s does not build; a bug must build:\n%s", name(m), r.log)
		}
		verdict := "SURVIVED"
		switch {
		case len(r.behaviour) > 0:
			verdict, behavioural = "caught", behavioural+1
		case len(r.golden) > 0:
			verdict, goldenOnly = "GOLDEN ONLY", goldenOnly+1
		default:
			survived++
		}
		fmt.Printf("%2d %-11s %-8s %-26s %s (%s)\n", i+1, verdict, m.area, m.file, m.whatItDoes, time.Since(start).Round(time.Second))
		if len(r.behaviour) > 0 {
			fmt.Printf("   by %s\n", clip(r.behaviour))
		} else if len(r.golden) > 0 {
			fmt.Printf("   only by %s\n", clip(r.golden))
		}
	}
	fmt.Printf("behavioural score: %d of %d caught by a test of behaviour in the same run (%.0f%%); %d caught only by a golden file, %d survived\n",
		behavioural, len(chosen), 100*float64(behavioural)/float64(max(len(chosen), 1)), goldenOnly, survived)
	return nil
}

func name(m mutant) string { return m.area + "/" + m.whatItDoes }

func areaKnown(a string) bool { _, ok := areas[a]; return ok }

func clip(tests []string) string {
	if len(tests) > 4 {
		return strings.Join(tests[:4], ", ") + fmt.Sprintf(" and %d more", len(tests)-4)
	}
	return strings.Join(tests, ", ")
}

func output(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out), nil
}

// result is what the tests of an area said.
type result struct {
	behaviour, golden []string // failed leaf tests, as package.Test/sub
	pkgFailed         bool     // a package failed outside any test (a panic, TestMain)
	buildFailed       bool
	log               string
}

func (r result) failed() bool {
	return r.pkgFailed || r.buildFailed || len(r.behaviour)+len(r.golden) > 0
}

// event is a line of go test -json.
type event struct {
	Action, Package, Test, Output string
}

// test runs the suites of area in dir, one package at a time (the machine
// is shared), and sorts the failed tests: a leaf test whose output has a
// golden mismatch is a golden catch, any other failed leaf test a
// behavioural one.
func test(dir, area string) result {
	var r result
	var log bytes.Buffer
	for _, s := range areas[area] {
		args := []string{"test", "-count=1", "-p", "1", "-timeout", "15m", "-json"}
		if s.run != "" {
			args = append(args, "-run", s.run)
		}
		cmd := exec.Command("go", append(args, s.pkgs...)...)
		cmd.Dir = dir
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			r.buildFailed, r.log = true, err.Error()
			return r
		}
		outputs := map[string]*strings.Builder{}
		var failed []string
		failedPkgs := map[string]bool{}
		testsFailed := map[string]bool{}
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var e event
			if json.Unmarshal(sc.Bytes(), &e) != nil {
				continue
			}
			key := e.Package + "." + e.Test
			switch e.Action {
			case "output":
				if outputs[key] == nil {
					outputs[key] = &strings.Builder{}
				}
				outputs[key].WriteString(e.Output)
				if strings.Contains(e.Output, "[build failed]") || strings.Contains(e.Output, "[setup failed]") {
					r.buildFailed = true
				}
			case "build-fail":
				r.buildFailed = true
			case "fail":
				if e.Test == "" {
					failedPkgs[e.Package] = true
				} else {
					failed = append(failed, key)
					testsFailed[e.Package] = true
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		log.WriteString(stderr.String())
		for _, t := range failed {
			leaf := !slices.ContainsFunc(failed, func(o string) bool { return strings.HasPrefix(o, t+"/") })
			if !leaf {
				continue
			}
			out := ""
			if b := outputs[t]; b != nil {
				out = b.String()
			}
			log.WriteString(out)
			if strings.Contains(out, goldenMark) {
				r.golden = append(r.golden, short(t))
			} else {
				r.behaviour = append(r.behaviour, short(t))
			}
		}
		for pkg := range failedPkgs {
			if !testsFailed[pkg] {
				r.pkgFailed = true
				if b := outputs[pkg+"."]; b != nil {
					log.WriteString(b.String())
				}
			}
		}
	}
	if r.pkgFailed && !r.buildFailed {
		r.behaviour = append(r.behaviour, "a package's run (a panic or TestMain)")
	}
	r.log = log.String()
	return r
}

// short drops the module path from a test's name.
func short(t string) string {
	return strings.TrimPrefix(t, "github.com/cfngen/cfngen/")
}
