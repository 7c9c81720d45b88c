package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
	"testing"

	"github.com/cfngen/cfngen/deploy"
)

func TestRerun(t *testing.T) {
	for _, tc := range []struct {
		args, drop, add []string
		want            string
	}{
		{[]string{"--stack-name", "web"}, nil, []string{"--yes"}, "cfngen deploy --stack-name web --yes"},
		{[]string{"--yes", "-c", "my dir/prod.yaml"}, nil, []string{"--yes", "--allow-replacement"}, "cfngen deploy -c 'my dir/prod.yaml' --yes --allow-replacement"},
		{[]string{"-yes=true", "--param", "Name=it's"}, nil, []string{"--yes"}, `cfngen deploy --param 'Name=it'\''s' --yes`},
		{[]string{"--exit-code", "--call-timeout", "1s", "--stack-name", "web"}, []string{"exit-code", "call-timeout"}, []string{"--call-timeout", "2m"},
			"cfngen deploy --stack-name web --call-timeout 2m"},
		{[]string{"--allow-replacement"}, []string{"allow-replacement"}, []string{"--no-execute"}, "cfngen deploy --no-execute"},
	} {
		if got := rerun("deploy", tc.args, tc.drop, tc.add...); got != tc.want {
			t.Errorf("rerun(%q, drop %q, add %q) = %s\nwant %s", tc.args, tc.drop, tc.add, got, tc.want)
		}
	}
}

func TestExplainConsent(t *testing.T) {
	args := []string{"--stack-name", "web"}
	for _, tc := range []struct {
		err  error
		want []string
	}{
		{&deploy.ConsentError{Needed: deploy.ToExecute, StackName: "web", ChangeSet: "cs"},
			[]string{"to execute it: cfngen deploy --stack-name web --yes", "to keep it for review: cfngen deploy --stack-name web --no-execute"}},
		{&deploy.ConsentError{Needed: deploy.ToReplace, StackName: "web", ChangeSet: "cs"},
			[]string{"to execute it all the same: cfngen deploy --stack-name web --yes --allow-replacement"}},
		{&deploy.ConsentError{Needed: deploy.ToRecreate, StackName: "web", Status: "ROLLBACK_COMPLETE"},
			[]string{"to delete it and create it again: cfngen deploy --stack-name web --recreate --yes"}},
		{&deploy.ConsentError{Needed: deploy.ToExecute, Declined: true, StackName: "web", ChangeSet: "cs"}, nil},
		{&deploy.ConsentError{Needed: deploy.ToBroaden, StackName: "web", ChangeSet: "cs", Broadening: []string{"+ rule"}},
			[]string{"to execute it all the same: cfngen deploy --stack-name web --yes --allow-broadening"}},
		{&deploy.ConsentError{Needed: deploy.ToReplace, StackName: "web", ChangeSet: "cs", Risky: []deploy.Change{{Action: "Remove"}}, Broadening: []string{"+ rule"}},
			[]string{"to execute it all the same: cfngen deploy --stack-name web --yes --allow-replacement --allow-broadening"}},
		{&deploy.ProtectedError{StackName: "web"}, []string{
			"to turn it off: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name web",
			"or with the next deploy: cfngen deploy --stack-name web --no-termination-protection"}},
	} {
		err := explain("deploy", args, &awsFlags{}, "us-east-1", tc.err)
		var ex *explained
		errors.As(err, &ex)
		var got []string
		if ex != nil {
			got = ex.hints
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%v: hints %q, want %q", tc.err, got, tc.want)
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%v: explained error does not wrap it", tc.err)
		}
	}
}

func TestRerunExecute(t *testing.T) {
	got := rerunExecute("cfngen-1", "web", []string{"--no-execute", "-c", "x.yaml", "--region", "eu-west-1", "--endpoint-url=http://127.0.0.1:5000", "-profile", "dev"})
	if want := "cfngen execute cfngen-1 --stack-name web --region eu-west-1 --endpoint-url=http://127.0.0.1:5000 -profile dev"; got != want {
		t.Errorf("rerunExecute = %s\nwant %s", got, want)
	}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, 0, ""},
		{&stdoutClosed{syscall.EPIPE}, 141, ""},
		{fmt.Errorf("write change set: %w", &stdoutClosed{syscall.EPIPE}), 141, ""},
		{context.Canceled, 130, "cfngen: interrupted\n"},
		{&explained{err: errors.New("boom"), detail: "sdk words", hints: []string{"do this"}}, 1,
			"cfngen: error: boom\ncfngen: detail: sdk words\ncfngen: hint: do this\n"},
		{&explained{err: fmt.Errorf("x: %w", context.Canceled), hints: []string{"wait: cfngen deploy"}}, 130,
			"cfngen: interrupted\ncfngen: hint: wait: cfngen deploy\n"},
	} {
		var b bytes.Buffer
		if code := exitCode(&b, tc.err); code != tc.code || b.String() != tc.stderr {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.err, code, b.String(), tc.code, tc.stderr)
		}
	}
}

// TestPipeWriter: only a write to a closed pipe is marked.
func TestPipeWriter(t *testing.T) {
	w := &pipeWriter{errWriter{syscall.EPIPE}}
	var closed *stdoutClosed
	if _, err := w.Write([]byte("x")); !errors.As(err, &closed) {
		t.Errorf("EPIPE: %v, want stdoutClosed", err)
	}
	w = &pipeWriter{errWriter{syscall.ENOSPC}}
	if _, err := w.Write([]byte("x")); errors.As(err, &closed) || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("ENOSPC: %v", err)
	}
}

type errWriter struct{ err error }

func (w errWriter) Write([]byte) (int, error) { return 0, w.err }

// callError is what deploy returns for a call that failed with err.
func callError(t *testing.T, err error) error {
	t.Helper()
	// The deploy package builds CallErrors; a Deployer over a client that
	// fails every call returns one.
	d := &deploy.Deployer{CFN: &noAWS{err: err}}
	_, got := d.Outputs(context.Background(), "web")
	var ce *deploy.CallError
	if !errors.As(got, &ce) {
		t.Fatalf("Outputs: %v, want a CallError", got)
	}
	return got
}

func TestExplainCallErrors(t *testing.T) {
	unknownHost := &url.Error{Op: "Post", URL: "https://cloudformation.xx-nowhere-1.amazonaws.com/",
		Err: &net.DNSError{Err: "no such host", Name: "cloudformation.xx-nowhere-1.amazonaws.com", IsNotFound: true}}
	noCreds := errors.New("operation error CloudFormation: DescribeStacks, get identity: get credentials: failed to refresh cached credentials, no EC2 IMDS role found")
	for _, tc := range []struct {
		name   string
		err    error
		flags  awsFlags
		hint   string
		detail bool
	}{
		{"unknown region", unknownHost, awsFlags{}, `"xx-nowhere-1" may not be an AWS region; list them: aws ec2 describe-regions --region us-east-1 --query 'Regions[].RegionName' --output text`, false},
		{"unknown host of an endpoint", unknownHost, awsFlags{endpoint: "https://cloudformation.xx-nowhere-1.amazonaws.com"}, "", false},
		{"no credentials", noCreds, awsFlags{verbose: true}, "to store credentials for cfngen and the aws CLI: aws configure", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := explain("outputs", []string{"--stack-name", "web"}, &tc.flags, "xx-nowhere-1", callError(t, tc.err))
			var ex *explained
			errors.As(err, &ex)
			var hint, detail string
			if ex != nil {
				if len(ex.hints) > 0 {
					hint = ex.hints[0]
				}
				detail = ex.detail
			}
			if hint != tc.hint {
				t.Errorf("hint %q, want %q", hint, tc.hint)
			}
			if (detail != "") != tc.detail || tc.detail && detail != tc.err.Error() {
				t.Errorf("detail %q", detail)
			}
		})
	}
}
