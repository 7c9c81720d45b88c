package main

// The README is a contract: these tests run what it shows and check what it
// promises. How the README's fenced blocks are read (follow these rules to
// add or change a block; a block that breaks them fails the test):
//
//   - ```sh: each command (a line; a line ending in \ goes on with the
//     next) runs with bash in a work directory and must exit 0. Comment
//     lines are skipped; a trailing # comment is bash's.
//   - ```console: each "$ " line is a command, all run in one bash session;
//     the lines after a command, when there are any, must be its output
//     (stdout and stderr), exactly. A command that exits non-zero must be
//     followed by "$ echo $?" to show its code.
//   - ```yaml whose first line is "# FILE": written to FILE in the work
//     directory before any command runs, so that commands can name it. The
//     one named prod.yaml (the config example) must also be
//     golden/readme.config.yaml, byte for byte.
//   - ``` (no language) holding "cfngen" lines: the usage block; it must be
//     the Usage lines of `cfngen -h`, each the usage line of its command's -h.
//   - other blocks are not run.
//
// What the commands find:
//
//   - cfngen is this package's cfngen (testscript.Main in main_test.go puts
//     it on PATH); `go run ./cmd/cfngen` runs the same.
//   - make TARGET is a dry run: `make -n TARGET` in the repository must
//     print a recipe (make test would run this test again).
//   - cfngen and aws talk to a moto server started for this test alone, so
//     stack names run as written. Each "## " section starts with an empty
//     account and a fresh work directory holding the README's files; within
//     a section, blocks run in order and what one creates the next finds.
//     Each command's -h example runs the same way,
//     in an empty account and a fresh work directory holding the README's
//     files; outputs finds the stack it names deployed first (the built-in
//     stack), destroy a stack of one resource (moto cannot delete the
//     built-in stack's VPC: see the moto notes).
//   - deploy and destroy without --yes ask: they run on a terminal
//     (script(1)) and get the answer a user would type: y, or the stack's
//     name.

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/cfngen/cfngen/cfnrules"
	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/internal/testkit/moto"
	"github.com/cfngen/cfngen/template"
)

const readmePath = "../../README.md"

// block is a fenced block of the README.
type block struct {
	lang    string   // the first word of the info string
	line    int      // line of the opening fence
	section string   // the "## " heading above it
	lines   []string // the content
}

func (b block) String() string { return fmt.Sprintf("README.md:%d (```%s)", b.line, b.lang) }

// file returns the name a yaml block gives itself in its first line.
func (b block) file() string {
	if b.lang != "yaml" || len(b.lines) == 0 {
		return ""
	}
	name, ok := strings.CutPrefix(b.lines[0], "# ")
	if !ok || strings.ContainsAny(name, " \t:") {
		return ""
	}
	return name
}

func readmeText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var fence = regexp.MustCompile("^```\\s*(\\S*)")

func readmeBlocks(t *testing.T) []block {
	t.Helper()
	var blocks []block
	var cur *block
	section := ""
	for i, l := range strings.Split(readmeText(t), "\n") {
		switch m := fence.FindStringSubmatch(l); {
		case cur == nil && strings.HasPrefix(l, "## "):
			section = l
		case cur == nil && m != nil:
			cur = &block{lang: m[1], line: i + 1, section: section}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.lines = append(cur.lines, l)
		}
	}
	if cur != nil {
		t.Fatalf("README.md:%d: the block is never closed", cur.line)
	}
	return blocks
}

// commands returns the commands of an sh block: continuation lines joined,
// blank and comment lines dropped.
func commands(lines []string) []string {
	var cmds []string
	var cur string
	for _, l := range lines {
		cur += l
		if strings.HasSuffix(cur, `\`) {
			cur = strings.TrimSuffix(cur, `\`) + " "
			continue
		}
		if s := strings.TrimSpace(cur); s != "" && !strings.HasPrefix(s, "#") {
			cmds = append(cmds, s)
		}
		cur = ""
	}
	return cmds
}

// shell runs README commands against a moto server of its own.
type shell struct {
	t        *testing.T
	endpoint string
	env      []string
	dir      string // the work directory
	repo     string
	prelude  string
}

func newShell(t *testing.T) *shell {
	t.Helper()
	for _, tool := range []string{"bash", "script", "aws", "dot", "jq", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found on PATH; the README's commands need it (see the README's Set up section)", tool)
		}
	}
	if _, err := exec.LookPath("cfngen"); err != nil {
		t.Fatalf("cfngen is not on PATH: %v (testscript.Main puts it there)", err)
	}
	// A server of our own, not the one make test shares with the other
	// packages: the README's stack names then run as written.
	t.Setenv(moto.EnvEndpoint, "")
	endpoint, stop, err := moto.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, moto.EnvEndpoint+"=") {
			env = append(env, kv)
		}
	}
	for k, v := range moto.Env(endpoint) {
		if !slices.Contains(moto.Unset, k) {
			env = append(env, k+"="+v)
		}
	}
	env = append(env, "NO_COLOR=1", "REPO="+repo)
	return &shell{
		t: t, endpoint: endpoint, env: env, repo: repo,
		// go run ./cmd/cfngen is cfngen; make is a dry run in the repository.
		prelude: `set -o pipefail
go() { if [ "$1" = run ] && [ "$2" = ./cmd/cfngen ]; then shift 2; cfngen "$@"; else command go "$@"; fi; }
make() { command make --no-print-directory -n -C "$REPO" "$@"; }
`,
	}
}

// fresh empties the account and gives the shell a new work directory
// holding the README's files.
func (s *shell) fresh(files map[string][]byte) {
	s.t.Helper()
	resp, err := http.Post(s.endpoint+"/moto-api/reset", "", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	s.dir = s.t.TempDir()
	for name, data := range files {
		p := filepath.Join(s.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			s.t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			s.t.Fatal(err)
		}
	}
}

// run runs a bash script in the work directory, on a terminal that gets
// answer as typed input when answer is set, and returns its output and
// exit code.
func (s *shell) run(script, answer string) (string, int) {
	s.t.Helper()
	f := filepath.Join(s.t.TempDir(), "cmd.sh")
	if err := os.WriteFile(f, []byte(s.prelude+script+"\n"), 0o644); err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command("bash", f)
	if answer != "" {
		cmd = exec.Command("script", "-qefc", "bash "+f, "/dev/null")
		cmd.Stdin = strings.NewReader(answer + "\n")
	}
	cmd.Dir, cmd.Env = s.dir, s.env
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatal(err)
	}
	return string(out), code
}

var (
	asks      = regexp.MustCompile(`^(cfngen|go run \./cmd/cfngen) (deploy|destroy)\b`)
	stackFlag = regexp.MustCompile(`--stack-name[ =](\S+)`)
	cfgFlag   = regexp.MustCompile(`(?:-c|--config)[ =](\S+)`)
)

// stackOf returns the stack a cfngen command works on.
func (s *shell) stackOf(cmd string) string {
	if m := stackFlag.FindStringSubmatch(cmd); m != nil {
		return m[1]
	}
	if m := cfgFlag.FindStringSubmatch(cmd); m != nil {
		c, err := config.Load(filepath.Join(s.dir, m[1]))
		if err != nil {
			s.t.Fatalf("%s: %v", cmd, err)
		}
		return c.StackName
	}
	return config.Default().StackName
}

// answer returns what a user types when cmd asks, or "" when it does not.
func (s *shell) answer(cmd string) string {
	m := asks.FindStringSubmatch(cmd)
	if m == nil || strings.Contains(cmd, "--yes") || strings.Contains(cmd, "--no-execute") || strings.Contains(cmd, " -h") {
		return ""
	}
	if m[2] == "destroy" {
		return s.stackOf(cmd)
	}
	return "y"
}

// sh runs the commands of an sh block; each must exit 0.
func (s *shell) sh(where string, cmds []string) {
	s.t.Helper()
	for _, c := range cmds {
		out, code := s.run(c, s.answer(c))
		if code != 0 {
			s.t.Errorf("%s: `%s` exited %d:\n%s", where, c, code, out)
			continue
		}
		if strings.HasPrefix(c, "make ") && (strings.TrimSpace(out) == "" || strings.Contains(out, "Nothing to be done")) {
			s.t.Errorf("%s: `%s` has no recipe:\n%s", where, c, out)
		}
	}
}

const mark = "@@cfngen-readme@@"

// console runs a console block as one session and compares outputs.
func (s *shell) console(b block) {
	s.t.Helper()
	type step struct {
		cmd  string
		want []string
	}
	var steps []step
	for _, l := range b.lines {
		if c, ok := strings.CutPrefix(l, "$ "); ok {
			steps = append(steps, step{cmd: c})
		} else if len(steps) == 0 {
			s.t.Fatalf("%s: output before the first $ command", b)
		} else {
			steps[len(steps)-1].want = append(steps[len(steps)-1].want, l)
		}
	}
	var script strings.Builder
	for _, st := range steps {
		// The code of each command is kept for the next one's $?.
		fmt.Fprintf(&script, "{ %s\n} 2>&1; __rc=$?; printf '\\n%s %%d\\n' \"$__rc\"; (exit $__rc)\n", st.cmd, mark)
	}
	out, _ := s.run(script.String(), "")
	parts := strings.Split(out, "\n"+mark+" ")
	if len(parts) != len(steps)+1 {
		s.t.Fatalf("%s: the session ended early:\n%s", b, out)
	}
	for i, st := range steps {
		got := parts[i]
		if i > 0 {
			_, got, _ = strings.Cut(got, "\n") // the code of the step before
		}
		codeText, _, _ := strings.Cut(parts[i+1], "\n")
		code, _ := strconv.Atoi(codeText)
		if code != 0 && (i+1 >= len(steps) || steps[i+1].cmd != "echo $?") {
			s.t.Errorf("%s: `%s` exited %d, and the block does not show it with `$ echo $?`:\n%s", b, st.cmd, code, got)
		}
		want := strings.Join(st.want, "\n")
		if len(st.want) > 0 && strings.TrimRight(got, "\n") != want {
			s.t.Errorf("%s: `%s` printed:\n%s\nthe README shows:\n%s", b, st.cmd, got, want)
		}
	}
}

// examples returns the example commands of a -h text.
func examples(help string) []string {
	_, ex, ok := strings.Cut(help, "\nExample:\n")
	if !ok {
		return nil
	}
	var cmds []string
	for _, l := range strings.Split(ex, "\n") {
		c, ok := strings.CutPrefix(l, "  ")
		if !ok {
			break
		}
		cmds = append(cmds, strings.TrimSpace(c))
	}
	return cmds
}

// helpCommands are the commands whose -h texts hold examples; "" is cfngen -h.
var helpCommands = []string{"", "synth", "validate", "deploy", "diff", "outputs", "destroy", "graph", "version"}

func help(t *testing.T, command string) string {
	t.Helper()
	args := []string{"-h"}
	if command != "" {
		args = []string{command, "-h"}
	}
	code, out, errOut := cli(t, args...)
	if code != 0 || errOut != "" {
		t.Fatalf("cfngen %s -h: exit %d\n%s", command, code, errOut)
	}
	return out
}

// TestREADME runs every command of the README's sh and console blocks, in
// order, then each command's -h example; see the rules at the top.
func TestREADME(t *testing.T) {
	blocks := readmeBlocks(t)
	files := map[string][]byte{}
	for _, b := range blocks {
		if name := b.file(); name != "" {
			files[name] = []byte(strings.Join(b.lines, "\n") + "\n")
		}
	}
	if files["prod.yaml"] == nil {
		t.Fatal("the README has no yaml block named # prod.yaml, the config example its commands use")
	}
	s := newShell(t)
	ran, section := 0, "-"
	for _, b := range blocks {
		if b.section != section && (b.lang == "sh" || b.lang == "console") {
			s.fresh(files)
			section = b.section
		}
		switch b.lang {
		case "sh":
			cmds := commands(b.lines)
			s.sh(b.String(), cmds)
			ran += len(cmds)
		case "console":
			s.console(b)
			ran++
		}
	}
	if ran < 15 {
		t.Errorf("ran %d README commands and sessions; the README lost its examples or the harness its blocks", ran)
	}

	for _, c := range helpCommands {
		cmds := examples(help(t, c))
		if len(cmds) == 0 {
			t.Errorf("cfngen %s -h shows no example", c)
			continue
		}
		s.fresh(files)
		for _, cmd := range cmds {
			var setup string
			switch {
			case strings.HasPrefix(cmd, "cfngen outputs"):
				setup = "cfngen deploy --yes --stack-name " + s.stackOf(cmd)
			case strings.Contains(cmd, " --against "):
				// A previous template: the built-in stack's.
				setup = "cfngen -o " + strings.Fields(strings.SplitN(cmd, " --against ", 2)[1])[0]
			case strings.HasPrefix(cmd, "cfngen destroy"):
				setup = "printf 'Resources:\\n  Topic:\\n    Type: AWS::SNS::Topic\\n' > one.yaml && " +
					"aws cloudformation deploy --template-file one.yaml --stack-name " + s.stackOf(cmd)
			}
			if setup == "" {
				continue
			}
			if out, code := s.run(setup, ""); code != 0 {
				t.Fatalf("setting up the stack that `%s` needs: exit %d\n%s", cmd, code, out)
			}
		}
		s.sh(fmt.Sprintf("cfngen %s -h", c), cmds)
	}
}

// TestREADMEUsage: the usage block is the Usage lines of cfngen -h, and
// each line is the usage line of its command's -h.
func TestREADMEUsage(t *testing.T) {
	var usage *block
	for _, b := range readmeBlocks(t) {
		if b.lang == "" && len(b.lines) > 0 && strings.HasPrefix(b.lines[0], "cfngen ") {
			usage = &b
			break
		}
	}
	if usage == nil {
		t.Fatal("the README has no usage block (``` with cfngen lines)")
	}
	_, list, _ := strings.Cut(help(t, ""), "\nUsage:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	var main []string
	for _, l := range strings.Split(list, "\n") {
		main = append(main, strings.TrimPrefix(l, "  "))
	}
	if !slices.Equal(main, usage.lines) {
		t.Errorf("%s differs from cfngen -h:\n%s\ncfngen -h:\n%s", usage, strings.Join(usage.lines, "\n"), strings.Join(main, "\n"))
	}
	for _, l := range usage.lines {
		name := strings.Fields(l)[1]
		if name == "[synth]" {
			name = "synth"
		}
		if lines := usageLines(help(t, name)); !slices.Contains(lines, l) {
			t.Errorf("the usage line of %s is %q; cfngen %s -h says %q", name, l, name, lines)
		}
	}
}

// usageLines returns the usage lines at the top of a -h text: the one
// after "usage: " and those indented under it.
func usageLines(help string) []string {
	first, rest, _ := strings.Cut(help, "\n")
	lines := []string{strings.TrimPrefix(first, "usage: ")}
	for _, l := range strings.Split(rest, "\n") {
		more, ok := strings.CutPrefix(l, "       ")
		if !ok {
			break
		}
		lines = append(lines, more)
	}
	return lines
}

// TestREADMEPromises checks what the README says in prose against the code.
func TestREADMEPromises(t *testing.T) {
	text := readmeText(t)
	flat := strings.Join(strings.Fields(text), " ") // prose, whatever its line breaks

	// The config example is a golden config.
	for _, b := range readmeBlocks(t) {
		if b.file() == "prod.yaml" {
			golden, err := os.ReadFile("../../golden/readme.config.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if string(golden) != strings.Join(b.lines, "\n")+"\n" {
				t.Errorf("%s differs from golden/readme.config.yaml; copy the block there and run make golden", b)
			}
		}
	}

	// The ceiling of instances.count with the default network, as the
	// config example and the prose say it.
	m := regexp.MustCompile(`count: \d+ +# 1 to (\d+) with the default network`).FindStringSubmatch(text)
	prose := regexp.MustCompile("stack take (\\d+), so `instances.count` goes up to (\\d+)").FindStringSubmatch(flat)
	if m == nil || prose == nil {
		t.Fatal("the README no longer states the ceiling of instances.count (the config example and the Auto Scaling paragraph)")
	}
	ceiling, _ := strconv.Atoi(m[1])
	if prose[2] != m[1] || prose[1] != strconv.Itoa(cfnrules.MaxResources-ceiling) {
		t.Errorf("the README's ceilings disagree: %q, %q", m[0], prose[0])
	}
	c := config.Default()
	c.Instances.Count = ceiling
	if _, err := template.Build(c); err != nil {
		t.Errorf("instances.count %d, the README's ceiling: %v", ceiling, err)
	}
	c.Instances.Count = ceiling + 1
	if _, err := template.Build(c); err == nil || !strings.Contains(err.Error(), "instances.count: the template would hold 501 resources, 1 over CloudFormation's limit of 500") {
		t.Errorf("instances.count %d, one over the README's ceiling: %v", ceiling+1, err)
	}

	// The retryer.
	if want := fmt.Sprintf("with up to %d attempts per call (the SDK's default is %d)", maxAttempts, retry.DefaultMaxAttempts); !strings.Contains(flat, want) {
		t.Errorf("the README does not say %q", want)
	}

	// make golden is what the Makefile runs, and runs every package with
	// golden files: those whose tests define -update.
	out, err := exec.Command("make", "--no-print-directory", "-n", "-C", "../..", "golden").Output()
	if err != nil {
		t.Fatal(err)
	}
	recipe := strings.TrimSpace(string(out))
	if !regexp.MustCompile(`(?m)^make golden .*: ` + regexp.QuoteMeta(recipe) + `;`).MatchString(text) {
		t.Errorf("the README's make golden line does not say what make golden runs: %s", out)
	}
	updateFlag := regexp.MustCompile(`flag\.Bool\("update"`)
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != "../.." && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir // .git
		case d.IsDir() || !strings.HasSuffix(path, "_test.go"):
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pkg := "./" + filepath.ToSlash(filepath.Dir(strings.TrimPrefix(path, "../../")))
		if updateFlag.Match(src) && !slices.Contains(strings.Fields(recipe), pkg) {
			t.Errorf("%s defines -update, but make golden does not test %s: %s", path, pkg, recipe)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The layout names every folder.
	_, layout, _ := strings.Cut(text, "\nLayout: ")
	layout, _, _ = strings.Cut(layout, "\n\n")
	var folders []string
	for _, parent := range []string{"", "internal", "internal/testkit"} {
		entries, err := os.ReadDir(filepath.Join("../..", parent))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !e.IsDir() || e.Name() == "bin" || strings.HasPrefix(e.Name(), ".") && e.Name() != ".ci" {
				continue // bin is the build's output
			}
			folders = append(folders, filepath.Join(parent, e.Name()))
		}
	}
	for _, f := range folders {
		if f == "internal" {
			continue // its folders are named one by one
		}
		name := f
		if f == "cmd" {
			name = "cmd/cfngen"
		}
		if !strings.Contains(strings.ReplaceAll(layout, "\n", " "), "`"+name+"` (") {
			t.Errorf("the README's layout paragraph does not name `%s` (with what it holds)", name)
		}
	}

	// Every deploy flag of the table exists.
	deployHelp := help(t, "deploy")
	_, deploySection, _ := strings.Cut(text, "\n### deploy\n")
	deploySection, _, _ = strings.Cut(deploySection, "\n### ")
	for _, f := range regexp.MustCompile("(?m)^\\| `(-[-a-z0-9]+)`").FindAllStringSubmatch(deploySection, -1) {
		name := strings.TrimLeft(f[1], "-")
		if !strings.Contains(deployHelp, "\n  -"+name+" ") && !strings.Contains(deployHelp, "\n  -"+name+"\n") && !strings.Contains(deployHelp, "\n  -"+name+"\t") {
			t.Errorf("the README's deploy table lists %s, which deploy -h does not", f[1])
		}
	}
	if !bytes.Contains([]byte(deploySection), []byte("| `--yes` |")) {
		t.Error("the README lost its deploy flag table")
	}
}
