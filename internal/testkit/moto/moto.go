// Package moto runs the moto server, a local fake of the AWS APIs, for
// end-to-end tests, and builds AWS configurations that talk only to it.
//
// Tests use the server named by CFNGEN_MOTO_ENDPOINT (make test starts one);
// without it, [Start] runs moto_server on a free loopback port.
package moto

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// EnvEndpoint names the variable that points tests at a running server.
const EnvEndpoint = "CFNGEN_MOTO_ENDPOINT"

// Region is the region every test client uses.
const Region = "us-east-1"

const installHint = "moto_server not found on PATH: install it with `pip install 'moto[server]==5.2.1'` " +
	"(or run `make test`, which starts one)"

// Start returns the endpoint of a moto server and a function that stops it.
// It reuses the server named by CFNGEN_MOTO_ENDPOINT when set; otherwise it
// starts moto_server on a free loopback port and waits until it answers.
func Start() (endpoint string, stop func(), err error) {
	if e := os.Getenv(EnvEndpoint); e != "" {
		u, err := url.Parse(e)
		if err != nil || u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" {
			return "", nil, fmt.Errorf("%s=%q: want a loopback URL such as http://127.0.0.1:5000", EnvEndpoint, e)
		}
		return e, func() {}, wait(e, 30*time.Second)
	}
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return "", nil, errors.New(installHint)
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start moto_server: %w", err)
	}
	stop = func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	endpoint = "http://127.0.0.1:" + strconv.Itoa(port)
	if err := wait(endpoint, 60*time.Second); err != nil {
		stop()
		return "", nil, err
	}
	return endpoint, stop, nil
}

// Server is the moto server the tests of one package share. It starts on
// first use, so that a run of tests that need none (such as make golden)
// starts none; TestMain stops it after the tests.
type Server struct {
	once     sync.Once
	endpoint string
	stop     func()
	err      error
}

// Endpoint returns the server's endpoint, starting it on the first call;
// the test fails when it cannot.
func (s *Server) Endpoint(t testing.TB) string {
	t.Helper()
	s.once.Do(func() { s.endpoint, s.stop, s.err = Start() })
	if s.err != nil {
		t.Fatal(s.err)
	}
	return s.endpoint
}

// Config returns an AWS configuration for the server, as [Config] does,
// starting the server on the first call; the test fails when it cannot.
func (s *Server) Config(t testing.TB) aws.Config {
	t.Helper()
	cfg, err := Config(context.Background(), s.Endpoint(t))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// Run runs the tests of m, then stops the server if one of them started
// it, and returns m's exit code: TestMain calls os.Exit(server.Run(m)).
func (s *Server) Run(m interface{ Run() int }) int {
	code := m.Run()
	if s.stop != nil {
		s.stop()
	}
	return code
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// wait polls the server's API root until it answers or the time is up.
func wait(endpoint string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(endpoint + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("moto server at %s did not answer within %s: %w", endpoint, limit, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Unset lists the variables that would point an SDK away from the test
// credentials; callers remove them from the environment.
var Unset = []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"}

// SetEnv sets, for the current process, the variables that keep an AWS SDK
// (or the aws CLI) on loopback: test credentials, the region, the endpoint,
// and no probing of the instance metadata address.
func SetEnv(endpoint string) {
	for k, v := range Env(endpoint) {
		os.Setenv(k, v)
	}
	for _, k := range Unset {
		os.Unsetenv(k)
	}
}

// Env returns the variables that SetEnv sets.
func Env(endpoint string) map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":           "test",
		"AWS_SECRET_ACCESS_KEY":       "test",
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  Region,
		"AWS_DEFAULT_REGION":          Region,
		"AWS_ENDPOINT_URL":            endpoint,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
		"AWS_PROFILE":                 "",
	}
}

// Config returns an AWS configuration with test credentials and every
// service pointed at endpoint. It does not read the environment's profile.
func Config(ctx context.Context, endpoint string) (aws.Config, error) {
	os.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return config.LoadDefaultConfig(ctx,
		config.WithRegion(Region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")),
		config.WithBaseEndpoint(endpoint),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
	)
}

// NewAccount returns cfg with the credentials of a session in a new
// account of its own (STS AssumeRole into a random account ID), so that
// a test sees only what it creates: moto keeps one state per account.
func NewAccount(ctx context.Context, cfg aws.Config) (aws.Config, string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return aws.Config{}, "", err
	}
	account := fmt.Sprintf("9%011d", binary.BigEndian.Uint64(b[:])%100_000_000_000)
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn: aws.String("arn:aws:iam::" + account + ":role/cfngen-test"), RoleSessionName: aws.String("cfngen-test"),
	})
	if err != nil {
		return aws.Config{}, "", fmt.Errorf("assume a role in account %s: %w", account, err)
	}
	c := cfg.Copy()
	cr := out.Credentials
	c.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(cr.AccessKeyId), aws.ToString(cr.SecretAccessKey), aws.ToString(cr.SessionToken))
	return c, account, nil
}
