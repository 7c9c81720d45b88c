package template

import (
	"errors"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/cfngen/cfngen/config"
)

func TestDefaultUserData(t *testing.T) {
	script, err := RenderUserData(config.Default())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(script, "#!/bin/bash\n") || !strings.HasSuffix(script, "\n") || strings.HasSuffix(script, "\n\n") {
		t.Errorf("script does not start with a shebang or end with one newline:\n%s", script)
	}
	if m := regexp.MustCompile(`(?m)[ \t]+$`).FindString(script); m != "" {
		t.Errorf("trailing whitespace in the rendered script")
	}
	token := strings.Index(script, "X-aws-ec2-metadata-token-ttl-seconds")
	firstRead := strings.Index(script, "meta instance-id")
	if token < 0 || firstRead < 0 || token > firstRead {
		t.Errorf("the IMDSv2 token is not fetched before the first metadata read")
	}
	for _, want := range []string{"packages=(httpd)", "systemctl enable --now httpd", "placement/availability-zone", "local-hostname", "local-ipv4", "'cfngen web app'"} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	if strings.Contains(script, "upgrade") {
		t.Errorf("the script upgrades packages: on Amazon Linux 2023 that stays within the AMI's release and only adds minutes and a failure point")
	}
	bashSyntax(t, script)
}

// TestUserDataQuotesPageText checks that hostile page text reaches the page
// as escaped HTML and is never run by the shell.
func TestUserDataQuotesPageText(t *testing.T) {
	c := config.Default()
	c.Instances.Page.Title = `<b>it's $(touch /tmp/pwned) & "more"</b>`
	script, err := RenderUserData(c)
	if err != nil {
		t.Fatal(err)
	}
	bashSyntax(t, script)
	var line string
	for _, l := range strings.Split(script, "\n") {
		if strings.HasPrefix(l, "title=") {
			line = l
		}
	}
	out, err := exec.Command("bash", "-c", line+`; printf %s "$title"`).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := `&lt;b&gt;it&#39;s $(touch /tmp/pwned) &amp; &#34;more&#34;&lt;/b&gt;`
	if string(out) != want {
		t.Errorf("the shell sees the title as %q, want %q", out, want)
	}
}

func bashSyntax(t *testing.T, script string) {
	t.Helper()
	cmd := exec.Command("bash", "-n")
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("bash -n: %v\n%s", err, out)
	}
}

func TestUserDataErrors(t *testing.T) {
	cases := []struct{ name, tmpl, want string }{
		{"undefined function", `{{readFile "/etc/passwd"}}`, `function "readFile" not defined`},
		{"parse error", `{{.Title`, "does not parse"},
		{"missing field", `{{.Password}}`, "can't evaluate field Password"},
		{"missing var", `{{.Vars.nope}}`, `map has no entry for key "nope"`},
		{"runaway loop", `{{define "x"}}xxxxxxxxxxxxxxxx{{template "x"}}{{end}}{{template "x"}}`, "renders to more than 16384 bytes"},
		{"too large encoded", strings.Repeat("echo 0123456789\n", 800), "base64-encoded; EC2's limit is 16384"},
		{"empty", "  \n\n", "renders to nothing"},
		{"access key", "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", "line 1 of the rendered script looks like an AWS access key ID"},
		{"private key", "echo x\ncat > k <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nEOF\n", "line 3 of the rendered script looks like a private key"},
		{"password", "DB_PASSWORD=hunter2hunter2\n", "looks like a password or API key"},
		{"control character", "echo \x1b[31m\n", "control character"},
		{"never signals", "#!/bin/sh\necho {{.Title}}\n", "never runs cfn-signal, so CloudFormation would wait 15 minutes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := config.Default()
			c.Instances.UserData, c.Instances.UserDataTemplate = "u.tmpl", tc.tmpl
			_, err := RenderUserData(c)
			var te *Error
			if !errors.As(err, &te) || te.Key != "instances.userData" {
				t.Fatalf("got %v, want an error about instances.userData", err)
			}
			if !strings.Contains(te.Reason, "u.tmpl") || !strings.Contains(te.Reason, tc.want) {
				t.Errorf("error %q does not name u.tmpl and say %q", te.Reason, tc.want)
			}
		})
	}
}

func TestUserDataTrimsTrailingWhitespace(t *testing.T) {
	c := config.Default()
	c.Instances.UserData, c.Instances.UserDataTemplate = "u.tmpl", "#!/bin/sh  \necho {{.Title}}\t\n\n\n"
	c.Instances.Signal = false
	got, err := RenderUserData(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := "#!/bin/sh\necho cfngen web app\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
