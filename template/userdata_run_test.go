package template

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cfngen/cfngen/config"
)

// The built-in user data runs here under bash with fakes on PATH: curl
// answers as IMDSv2 and as the local web server, dnf fails as often as a
// test asks, systemctl "starts" httpd, cfn-signal records its arguments.
// Every fake appends a line to the calls file, so tests see the order.
var fakes = map[string]string{
	"curl": `#!/bin/bash
method=GET url="" header="" out=""
while [ $# -gt 0 ]; do
  case $1 in
    -X) method=$2; shift ;;
    -H) header=$2; shift ;;
    -o) out=$2; shift ;;
    --retry|--retry-delay|--max-time) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
reply() { if [ -n "$out" ]; then printf %s "$1" > "$out"; else printf %s "$1"; fi; }
fail() { echo "curl-fail $url" >> "$FAKE/calls"; echo "curl: ($1) $2" >&2; exit "$1"; }
case $url in
  http://169.254.169.254/latest/api/token)
    [ "$method" = PUT ] || fail 22 "token: want PUT"
    [ ! -e "$FAKE/imds-down" ] || fail 22 "The requested URL returned error: 500"
    reply TOKEN ;;
  http://169.254.169.254/latest/meta-data/*)
    [ "$header" = "X-aws-ec2-metadata-token: TOKEN" ] || fail 22 "The requested URL returned error: 401"
    key=${url#http://169.254.169.254/latest/meta-data/}
    [ -f "$FAKE/meta/$key" ] || fail 22 "The requested URL returned error: 404"
    reply "$(cat "$FAKE/meta/$key")" ;;
  http://127.0.0.1:80/*)
    [ -e "$FAKE/httpd-running" ] || fail 7 "Failed to connect to 127.0.0.1 port 80"
    n=$(cat "$FAKE/page-fails")
    if [ "$n" != 0 ]; then
      [ "$n" = always ] || echo $((n - 1)) > "$FAKE/page-fails"
      fail 7 "Failed to connect to 127.0.0.1 port 80"
    fi
    path=${url#http://127.0.0.1:80}
    case ${path%%\?*} in
      /|/index.html) reply "$(cat "$FAKE/www/index.html")" ;;
      *) fail 22 "The requested URL returned error: 404" ;;
    esac ;;
  *) fail 6 "Could not resolve host: $url" ;;
esac
echo "curl-ok $url" >> "$FAKE/calls"
`,
	"dnf": `#!/bin/bash
echo "dnf $*" >> "$FAKE/calls"
n=$(cat "$FAKE/dnf-fails")
if [ "$n" != 0 ]; then
  [ "$n" = always ] || echo $((n - 1)) > "$FAKE/dnf-fails"
  echo "Errors during downloading metadata for repository 'amazonlinux'" >&2
  exit 1
fi
`,
	"systemctl": `#!/bin/bash
echo "systemctl $*" >> "$FAKE/calls"
[ "$*" != "enable --now httpd" ] || touch "$FAKE/httpd-running"
`,
	"cfn-signal": `#!/bin/bash
echo "cfn-signal $*" >> "$FAKE/calls"
`,
}

// userDataRun is one run of the script.
type userDataRun struct {
	fake   string
	code   int
	output string
	calls  []string
}

func (r *userDataRun) signals() []string {
	var out []string
	for _, c := range r.calls {
		if s, ok := strings.CutPrefix(c, "cfn-signal "); ok {
			out = append(out, s)
		}
	}
	return out
}

func (r *userDataRun) count(prefix string) int {
	n := 0
	for _, c := range r.calls {
		if strings.HasPrefix(c, prefix) {
			n++
		}
	}
	return n
}

// index returns the position of the first call that starts with prefix,
// or -1.
func (r *userDataRun) index(prefix string) int {
	return slices.IndexFunc(r.calls, func(c string) bool { return strings.HasPrefix(c, prefix) })
}

// runUserData renders c's built-in script, points its paths at a temporary
// directory and the fakes, and runs it. dnfFails and pageFails are how
// often dnf and the local page fail first ("always" for ever); repoWait
// replaces the script's bound on the package repositories.
func runUserData(t *testing.T, c *config.Config, dnfFails, pageFails string, repoWait int, imdsDown bool) *userDataRun {
	t.Helper()
	script, err := RenderUserData(c)
	if err != nil {
		t.Fatal(err)
	}
	fake := t.TempDir()
	bin := filepath.Join(fake, "bin")
	for _, d := range []string{bin, filepath.Join(fake, "www"), filepath.Join(fake, "meta", "placement"), filepath.Join(fake, "meta", "tags", "instance")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(path, data string, mode os.FileMode) {
		if err := os.WriteFile(filepath.Join(fake, path), []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range fakes {
		write(filepath.Join("bin", name), body, 0o755)
	}
	for k, v := range map[string]string{
		"instance-id":                 "i-0123456789abcdef0",
		"placement/availability-zone": "eu-west-1b",
		"placement/region":            "eu-west-1",
		"local-hostname":              "ip-10-0-2-17.eu-west-1.compute.internal",
		"local-ipv4":                  "10.0.2.17",
		"tags/instance/aws:cloudformation:stack-name": "web-stack",
		"tags/instance/aws:cloudformation:logical-id": "Instance1",
	} {
		write(filepath.Join("meta", k), v, 0o644)
	}
	write("dnf-fails", dnfFails, 0o644)
	write("page-fails", pageFails, 0o644)
	write("calls", "", 0o644)
	if imdsDown {
		write("imds-down", "", 0o644)
	}

	for _, s := range []struct{ name, value string }{
		{"log", filepath.Join(fake, "userdata.log")},
		{"console", filepath.Join(fake, "console")},
		{"docroot", filepath.Join(fake, "www")},
		{"cfn_signal", filepath.Join(bin, "cfn-signal")},
		{"repo_wait", fmt.Sprint(repoWait)},
		{"retry_delay", "0.02"},
	} {
		re := regexp.MustCompile(`(?m)^` + s.name + `=.*$`)
		if n := len(re.FindAllString(script, -1)); n != 1 {
			t.Fatalf("the script sets %s on %d lines, want 1", s.name, n)
		}
		script = re.ReplaceAllLiteralString(script, s.name+"="+s.value)
	}
	write("userdata.sh", script, 0o755)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // a hang guard, not a measure
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(fake, "userdata.sh"))
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "FAKE="+fake)
	out, err := cmd.CombinedOutput()
	r := &userDataRun{fake: fake, output: string(out)}
	if ctx.Err() != nil {
		t.Fatalf("the script did not finish: %v\n%s", ctx.Err(), out)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	calls, err := os.ReadFile(filepath.Join(fake, "calls"))
	if err != nil {
		t.Fatal(err)
	}
	r.calls = strings.Split(strings.TrimSpace(string(calls)), "\n")
	return r
}

const wantSuccess = "--success true --stack web-stack --resource Instance1 --region eu-west-1 --id i-0123456789abcdef0"

// TestUserDataServesThenSignals: dnf fails twice and the page needs a
// few tries; the script waits for both, writes the metadata into the page
// before httpd starts, and signals success once, after the page answered.
func TestUserDataServesThenSignals(t *testing.T) {
	c := config.Default()
	c.Instances.Page.Title = `Tom & "Jerry"`
	r := runUserData(t, c, "2", "3", 60, false)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.output)
	}
	if n := r.count("dnf "); n != 3 {
		t.Errorf("dnf ran %d times, want 3 (2 failures, then success)", n)
	}
	page, err := os.ReadFile(filepath.Join(r.fake, "www", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>Tom &amp; &#34;Jerry&#34;</title>", "<h1>" + config.Default().Instances.Page.Heading + "</h1>",
		"<p><b>Instance ID:</b> i-0123456789abcdef0</p>", "<p><b>Availability Zone:</b> eu-west-1b</p>",
		"<p><b>Private hostname:</b> ip-10-0-2-17.eu-west-1.compute.internal</p>", "<p><b>Private IPv4:</b> 10.0.2.17</p>"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q:\n%s", want, page)
		}
	}
	if got := r.signals(); !slices.Equal(got, []string{wantSuccess}) {
		t.Errorf("signals %q, want one: %q", got, wantSuccess)
	}
	start, served, signal := r.index("systemctl enable --now httpd"), r.index("curl-ok http://127.0.0.1:80/"), r.index("cfn-signal")
	if !(start >= 0 && start < served && served < signal) {
		t.Errorf("want httpd started, then the page served, then the signal; calls:\n%s", strings.Join(r.calls, "\n"))
	}
	if n := r.count("curl-fail http://127.0.0.1:80/"); n != 3 {
		t.Errorf("the page failed %d times before it answered, want 3", n)
	}
	log, _ := os.ReadFile(filepath.Join(r.fake, "userdata.log"))
	if !strings.Contains(string(log), "cfngen-userdata: serving / on port 80") {
		t.Errorf("the log does not say it serves:\n%s", log)
	}
}

// TestUserDataReposNeverAnswer: dnf fails for ever; the script gives up
// at its bound and signals failure, naming the step, and never httpd.
func TestUserDataReposNeverAnswer(t *testing.T) {
	r := runUserData(t, config.Default(), "always", "0", 3, false)
	if r.code == 0 {
		t.Fatalf("exit 0 though dnf never succeeded\n%s", r.output)
	}
	if got := r.signals(); !slices.Equal(got, []string{strings.Replace(wantSuccess, "true", "false", 1)}) {
		t.Errorf("signals %q, want one failure signal", got)
	}
	if n := r.count("dnf "); n < 2 {
		t.Errorf("dnf ran %d times, want retries", n)
	}
	if r.index("systemctl") >= 0 {
		t.Errorf("httpd started without its package")
	}
	want := "cfngen-userdata: FAILED: installing httpd: dnf kept failing for 3 s; are the package repositories reachable?"
	if !strings.Contains(r.output, want) {
		t.Errorf("output does not say %q:\n%s", want, r.output)
	}
	console, _ := os.ReadFile(filepath.Join(r.fake, "console"))
	if !strings.Contains(string(console), want) {
		t.Errorf("the console does not say why")
	}
}

// TestUserDataPageNeverAnswers: httpd starts but the page never answers:
// failure, after the script's own tries.
func TestUserDataPageNeverAnswers(t *testing.T) {
	r := runUserData(t, config.Default(), "0", "always", 60, false)
	if r.code == 0 {
		t.Fatalf("exit 0 though the page never answered\n%s", r.output)
	}
	if got := r.signals(); len(got) != 1 || !strings.HasPrefix(got[0], "--success false") {
		t.Errorf("signals %q, want one failure signal", got)
	}
	if n := r.count("curl-fail http://127.0.0.1:80/"); n != 30 {
		t.Errorf("the page was tried %d times, want 30", n)
	}
	if !strings.Contains(r.output, "FAILED: waiting for the page at http://localhost:80/") {
		t.Errorf("output does not name the step:\n%s", r.output)
	}
}

// TestUserDataMetadataFailsLoudly: without a token the script stops at
// once and says so; it cannot signal, not knowing its stack.
func TestUserDataMetadataFailsLoudly(t *testing.T) {
	r := runUserData(t, config.Default(), "0", "0", 60, true)
	if r.code == 0 {
		t.Fatalf("exit 0 without instance metadata\n%s", r.output)
	}
	if !strings.Contains(r.output, "FAILED: reading the instance metadata") || !strings.Contains(r.output, "error: 500") {
		t.Errorf("output does not say what failed:\n%s", r.output)
	}
	if len(r.signals()) != 0 || r.index("dnf") >= 0 {
		t.Errorf("went on after the metadata failed: %q", r.calls)
	}
}

// TestUserDataWithoutSignals: instances.signal false serves the page and
// sends nothing, and reads no tags.
func TestUserDataWithoutSignals(t *testing.T) {
	c := config.Default()
	c.Instances.Signal = false
	c.LoadBalancer.HealthCheckPath = "/index.html"
	r := runUserData(t, c, "0", "0", 60, false)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.output)
	}
	if len(r.signals()) != 0 || r.index("curl-ok http://169.254.169.254/latest/meta-data/tags/") >= 0 {
		t.Errorf("signalled or read tags: %q", r.calls)
	}
	if r.index("curl-ok http://127.0.0.1:80/index.html") < 0 {
		t.Errorf("did not check the health-check path: %q", r.calls)
	}
}
