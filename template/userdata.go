package template

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"

	"github.com/cfngen/cfngen/config"
	"github.com/cfngen/cfngen/template/internal/text/template"
)

//go:embed userdata/web.sh.tmpl
var defaultUserData string

// MaxUserData is EC2's limit on user data, base64-encoded.
const MaxUserData = 16 << 10

// UserData is what a user-data template sees.
type UserData struct {
	StackName string            // the config's stackName
	Title     string            // instances.page.title
	Heading   string            // instances.page.heading
	Port      int               // the port the load balancer sends traffic to
	Vars      map[string]string // instances.vars

	HealthCheckPath string // the path the load balancer checks
	// Signal is instances.signal: the script must then run cfn-signal,
	// with success once it serves and failure otherwise.
	Signal bool
	// RepoWaitSeconds is how long the built-in script waits for the
	// package repositories: a third of the signal timeout, 1 to 5 minutes,
	// so that a failure signal comes before CloudFormation gives up.
	RepoWaitSeconds int
}

// funcs are the functions a user-data template may call besides text/template's own.
var funcs = template.FuncMap{
	"shell": shellQuote,
}

// secrets match values that must not ship in user data, which any process
// on the instance can read from the metadata service.
var secrets = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`), "an AWS access key ID"},
	{regexp.MustCompile(`(?i)aws_secret_access_key\s*[=:]`), "an AWS secret access key"},
	{regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`), "a private key"},
	{regexp.MustCompile(`(?i)(password|passwd|secret|api[_-]?key)\s*[=:]\s*['"]?[A-Za-z0-9/+=_\-]{8,}`), "a password or API key"},
}

// RenderUserData renders the instances' user-data script from the built-in
// template or the config's instances.userData file. Trailing whitespace is
// removed from every line. Problems are [*Error]s about instances.userData.
func RenderUserData(c *config.Config) (string, error) {
	fail := func(format string, args ...any) error {
		return errorAt(c, "instances.userData", format, args...)
	}
	src, name := defaultUserData, "built-in"
	if c.Instances.UserData != "" {
		src, name = c.Instances.UserDataTemplate, c.Instances.UserData
	}
	tmpl, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", fail("%s does not parse: %v", name, strings.TrimPrefix(err.Error(), "template: "))
	}
	out := &limitWriter{max: MaxUserData}
	err = tmpl.Execute(out, UserData{
		StackName:       c.StackName,
		Title:           c.Instances.Page.Title,
		Heading:         c.Instances.Page.Heading,
		Port:            targetPort,
		Vars:            c.Instances.Vars,
		HealthCheckPath: c.LoadBalancer.HealthCheckPath,
		Signal:          c.Instances.Signal,
		RepoWaitSeconds: min(300, max(60, c.Instances.SignalTimeoutMinutes*60/3)),
	})
	if errors.Is(err, errTooLarge) {
		return "", fail("%s renders to more than %d bytes", name, MaxUserData)
	}
	if err != nil {
		return "", fail("%s: %v", name, strings.TrimPrefix(err.Error(), "template: "))
	}
	script := trimLines(out.String())
	if n := base64.StdEncoding.EncodedLen(len(script)); n > MaxUserData {
		return "", fail("%s renders to %d bytes base64-encoded; EC2's limit is %d", name, n, MaxUserData)
	}
	if strings.TrimSpace(script) == "" {
		return "", fail("%s renders to nothing", name)
	}
	for _, s := range secrets {
		if loc := s.re.FindStringIndex(script); loc != nil {
			line := strings.Count(script[:loc[0]], "\n") + 1
			return "", fail("%s: line %d of the rendered script looks like %s; pass secrets through Secrets Manager or SSM, not user data", name, line, s.what)
		}
	}
	if i := strings.IndexFunc(script, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }); i >= 0 {
		return "", fail("%s: the rendered script holds a control character at byte %d", name, i)
	}
	if c.Instances.Signal && !strings.Contains(script, "cfn-signal") {
		return "", fail("%s never runs cfn-signal, so CloudFormation would wait %d minutes for a signal and fail; "+
			"signal as the built-in script does (see .Signal), or set instances.signal: false", name, c.Instances.SignalTimeoutMinutes)
	}
	return script, nil
}

// trimLines removes trailing whitespace from each line and ends the text
// with exactly one newline.
func trimLines(s string) string {
	lines := strings.Split(strings.TrimRight(s, " \t\r\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.Join(lines, "\n") + "\n"
}

// shellQuote quotes s as one word for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

var errTooLarge = errors.New("too large")

// limitWriter collects output and fails once it passes max bytes, which
// stops a runaway template.
type limitWriter struct {
	bytes.Buffer
	max int
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.Len()+len(p) > w.max {
		return 0, errTooLarge
	}
	return w.Buffer.Write(p)
}
