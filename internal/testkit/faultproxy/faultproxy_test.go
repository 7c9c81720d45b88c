package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
)

// TestPlanIsDeterministic: the same seed gives the same faults, another seed
// others, and the shares come out about as configured.
func TestPlanIsDeterministic(t *testing.T) {
	cfg := Config{Seed: 7, Throttle: 0.3, Error500: 0.05, Error503: 0.05, MaxDelay: 40 * time.Millisecond}
	other := cfg
	other.Seed = 8
	const n = 2000
	counts := map[Outcome]int{}
	differ := 0
	for i := range n {
		o1, d1 := Plan(cfg, "DescribeStacks", i)
		o2, d2 := Plan(cfg, "DescribeStacks", i)
		if o1 != o2 || d1 != d2 {
			t.Fatalf("request %d: %s %s, then %s %s with the same seed", i, o1, d1, o2, d2)
		}
		if o3, _ := Plan(other, "DescribeStacks", i); o3 != o1 {
			differ++
		}
		if d1 < 0 || d1 > cfg.MaxDelay || o1.IsFault() && d1 != 0 {
			t.Fatalf("request %d: %s with delay %s", i, o1, d1)
		}
		counts[o1]++
	}
	if differ == 0 {
		t.Error("seeds 7 and 8 give the same faults")
	}
	for o, want := range map[Outcome]float64{Throttled: 0.3, Error500: 0.05, Error503: 0.05, Forwarded: 0.6} {
		if got := float64(counts[o]) / n; got < want-0.04 || got > want+0.04 {
			t.Errorf("%s: share %.3f, want about %.2f", o, got, want)
		}
	}
	// The actions have their own sequences.
	same := 0
	for i := range 200 {
		a, _ := Plan(cfg, "DescribeStacks", i)
		b, _ := Plan(cfg, "CreateChangeSet", i)
		if a == b {
			same++
		}
	}
	if same == 200 {
		t.Error("DescribeStacks and CreateChangeSet get the same faults")
	}
}

func TestAction(t *testing.T) {
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}}
	action, params := Action(form, []byte("Action=CreateChangeSet&Version=2010-05-15&ClientToken=abc"))
	if action != "CreateChangeSet" || params.Get("ClientToken") != "abc" {
		t.Errorf("form body: %q %v", action, params)
	}
	json := http.Header{"X-Amz-Target": {"DynamoDB_20120810.PutItem"}, "Content-Type": {"application/x-amz-json-1.0"}}
	if action, params := Action(json, []byte(`{}`)); action != "PutItem" || params != nil {
		t.Errorf("JSON target: %q %v", action, params)
	}
	if action, _ := Action(http.Header{}, []byte("x")); action != "" {
		t.Errorf("REST request: %q", action)
	}
}

const describeStacksXML = `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
<DescribeStacksResult><Stacks><member><StackName>s1</StackName><StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/s1/1</StackId>
<StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime></member></Stacks></DescribeStacksResult>
<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></DescribeStacksResponse>`

// target is a fake CloudFormation endpoint that answers DescribeStacks and
// counts the requests that reach it. It checks that the proxy forwarded
// the form body intact.
func target(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if err := r.ParseForm(); err != nil || r.PostForm.Get("Action") != "DescribeStacks" || r.PostForm.Get("StackName") != "s1" {
			t.Errorf("target got %v %v", r.PostForm, err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, describeStacksXML)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

func start(t *testing.T, targetURL string, cfg Config) *Proxy {
	t.Helper()
	p, err := Start(targetURL, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// client is a CloudFormation client of the SDK that talks to endpoint only,
// with the given retryer.
func client(endpoint string, retryer aws.Retryer) *cloudformation.Client {
	return cloudformation.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return retryer },
	})
}

var describe = &cloudformation.DescribeStacksInput{StackName: aws.String("s1")}

// TestFaultsAsTheSDKSeesThem: each injected fault reaches a real
// CloudFormation client as the API error it imitates, which the standard
// retryer retries (and counts as throttling for Throttled); the target
// never sees a faulted request.
func TestFaultsAsTheSDKSeesThem(t *testing.T) {
	for _, tc := range []struct {
		outcome  Outcome
		cfg      Config
		status   int
		code     string
		throttle bool
	}{
		{Throttled, Config{Throttle: 1}, 400, "Throttling", true},
		{Error500, Config{Error500: 1}, 500, "InternalFailure", false},
		{Error503, Config{Error503: 1}, 503, "ServiceUnavailable", false},
	} {
		t.Run(string(tc.outcome), func(t *testing.T) {
			url, reached := target(t)
			p := start(t, url, tc.cfg)
			_, err := client(p.URL, aws.NopRetryer{}).DescribeStacks(context.Background(), describe)
			var ae smithy.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("got %v, want an API error", err)
			}
			if ae.ErrorCode() != tc.code {
				t.Errorf("code %q, want %q (message %q)", ae.ErrorCode(), tc.code, ae.ErrorMessage())
			}
			if tc.throttle && ae.ErrorMessage() != "Rate exceeded" {
				t.Errorf("message %q, want Rate exceeded", ae.ErrorMessage())
			}
			var re *awshttp.ResponseError
			if !errors.As(err, &re) || re.HTTPStatusCode() != tc.status {
				t.Errorf("HTTP status of %v: want %d", err, tc.status)
			}
			if !retry.NewStandard().IsErrorRetryable(err) {
				t.Errorf("the standard retryer does not retry %v", err)
			}
			if got := retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) == aws.TrueTernary; got != tc.throttle {
				t.Errorf("counted as throttling: %v, want %v", got, tc.throttle)
			}
			if reached.Load() != 0 {
				t.Errorf("the target saw %d requests, want 0", reached.Load())
			}
			if p.Faults() != 1 || p.Count("DescribeStacks", tc.outcome) != 1 {
				t.Errorf("log %+v, want one %s", p.Log(), tc.outcome)
			}
		})
	}
}

// TestEC2FaultsAsTheSDKSeesThem: EC2 has an error document of its own;
// its client reads an injected throttle as RequestLimitExceeded, which the
// standard retryer retries as throttling.
func TestEC2FaultsAsTheSDKSeesThem(t *testing.T) {
	url, reached := target(t)
	p := start(t, url, Config{Throttle: 1})
	c := ec2.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(p.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	})
	_, err := c.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "RequestLimitExceeded" || ae.ErrorMessage() != "Rate exceeded" {
		t.Fatalf("got %v, want RequestLimitExceeded: Rate exceeded", err)
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
		t.Errorf("not counted as throttling: %v", err)
	}
	if reached.Load() != 0 || p.Count("DescribeVpcs", Throttled) != 1 {
		t.Errorf("target saw %d requests; log %+v", reached.Load(), p.Log())
	}
}

// TestRetriedThroughFaults: with the standard retryer (no backoff, for
// speed) every call succeeds, each reaches the target once, and every fault
// cost exactly one retry. No action gets more than MaxConsecutive faults in
// a row.
func TestRetriedThroughFaults(t *testing.T) {
	url, reached := target(t)
	p := start(t, url, Config{Seed: 3, Throttle: 0.5, Error500: 0.1, Error503: 0.1, MaxConsecutive: 2, MaxDelay: 2 * time.Millisecond})
	var attempts atomic.Int64
	r := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 3 // MaxConsecutive 2 + 1
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
	c := cloudformation.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(p.URL),
		Retryer:      func() aws.Retryer { return r },
		HTTPClient:   countingClient{awshttp.NewBuildableClient(), &attempts},
	})
	const calls = 40
	for i := range calls {
		out, err := c.DescribeStacks(context.Background(), describe)
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if len(out.Stacks) != 1 || out.Stacks[0].StackStatus != "CREATE_COMPLETE" {
			t.Fatalf("call %d: %+v", i, out.Stacks)
		}
	}
	if reached.Load() != calls {
		t.Errorf("the target saw %d requests, want %d", reached.Load(), calls)
	}
	faults := p.Faults()
	if faults == 0 {
		t.Fatal("no faults injected")
	}
	if got := attempts.Load(); got != calls+int64(faults) {
		t.Errorf("%d attempts for %d calls and %d faults", got, calls, faults)
	}
	run := 0
	for _, e := range p.Log() {
		if e.Outcome.IsFault() {
			run++
		} else {
			run = 0
		}
		if run > 2 {
			t.Fatalf("more than MaxConsecutive=2 faults in a row: %+v", p.Log())
		}
	}
}

type countingClient struct {
	c aws.HTTPClient
	n *atomic.Int64
}

func (c countingClient) Do(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.c.Do(r)
}

// TestRuleHoldsAfterAction: a rule with After and Times holds only the
// first request of its action that comes after the named action was
// answered; it gets no random fault; its Rewrite changes the answer.
func TestRuleHoldsAfterAction(t *testing.T) {
	var reached atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		r.ParseForm()
		w.Header().Set("Content-Type", "text/xml")
		switch r.PostForm.Get("Action") {
		case "DescribeStacks":
			io.WriteString(w, describeStacksXML)
		default:
			a := r.PostForm.Get("Action")
			fmt.Fprintf(w, "<%sResponse><%sResult></%sResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></%sResponse>", a, a, a, a)
		}
	}))
	defer srv.Close()
	rule := &Rule{
		Action: "DescribeStacks", After: "ExecuteChangeSet", Times: 1, Hold: time.Millisecond,
		Rewrite: func(b []byte) []byte {
			return []byte(strings.Replace(string(b), "CREATE_COMPLETE", "CREATE_IN_PROGRESS", 1))
		},
	}
	p := start(t, srv.URL, Config{Throttle: 1, Actions: []string{"DescribeStacks"}, MaxConsecutive: 100, Rules: []*Rule{rule}})
	c := client(p.URL, aws.NopRetryer{})
	ctx := context.Background()

	// Before ExecuteChangeSet: the rule does not apply; the plan throttles.
	if _, err := c.DescribeStacks(ctx, describe); err == nil {
		t.Fatal("DescribeStacks before ExecuteChangeSet was not throttled")
	}
	select {
	case <-rule.Held():
		t.Fatal("the rule held a request before ExecuteChangeSet")
	default:
	}
	// ExecuteChangeSet is not in Actions: forwarded.
	if _, err := c.ExecuteChangeSet(ctx, &cloudformation.ExecuteChangeSetInput{ChangeSetName: aws.String("cs")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeStacks(ctx, describe)
	if err != nil {
		t.Fatalf("the held DescribeStacks: %v", err)
	}
	if s := out.Stacks[0].StackStatus; s != "CREATE_IN_PROGRESS" {
		t.Errorf("rewritten status %s, want CREATE_IN_PROGRESS", s)
	}
	select {
	case <-rule.Held():
	default:
		t.Error("Held() not closed after the rule held a request")
	}
	// Times: 1: the next one is the plan's again.
	if _, err := c.DescribeStacks(ctx, describe); err == nil {
		t.Error("the second DescribeStacks after ExecuteChangeSet was not throttled")
	}
	p.Close()
	var got []string
	for _, e := range p.Log() {
		got = append(got, fmt.Sprintf("%s:%s:%v", e.Action, e.Outcome, e.ByRule))
	}
	want := "DescribeStacks:throttled:false ExecuteChangeSet:forwarded:false DescribeStacks:forwarded:true DescribeStacks:throttled:false"
	if strings.Join(got, " ") != want {
		t.Errorf("log\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if reached.Load() != 2 {
		t.Errorf("the target saw %d requests, want 2", reached.Load())
	}
}

// TestHoldDropsWhenClientLeaves: a client that gives up during a hold (an
// interrupted CLI) leaves a dropped request that never reaches the target.
func TestHoldDropsWhenClientLeaves(t *testing.T) {
	url, reached := target(t)
	rule := &Rule{Action: "DescribeStacks", Hold: time.Hour}
	p := start(t, url, Config{Rules: []*Rule{rule}})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-rule.Held()
		cancel()
	}()
	_, err := client(p.URL, aws.NopRetryer{}).DescribeStacks(ctx, describe)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	p.Close() // waits for the handler
	if n := p.Count("DescribeStacks", Dropped); n != 1 {
		t.Errorf("log %+v, want one dropped DescribeStacks", p.Log())
	}
	if reached.Load() != 0 {
		t.Errorf("the target saw %d requests, want 0", reached.Load())
	}
}

// TestHoldAnswerLosesIt: with HoldAnswer the target acts on the request,
// and a client that gives up during the hold never gets the answer.
func TestHoldAnswerLosesIt(t *testing.T) {
	url, reached := target(t)
	rule := &Rule{Action: "DescribeStacks", Hold: time.Hour, HoldAnswer: true}
	p := start(t, url, Config{Rules: []*Rule{rule}})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-rule.Held()
		cancel()
	}()
	_, err := client(p.URL, aws.NopRetryer{}).DescribeStacks(ctx, describe)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	p.Close()
	if n := p.Count("DescribeStacks", Lost); n != 1 {
		t.Errorf("log %+v, want one lost DescribeStacks", p.Log())
	}
	if reached.Load() != 1 {
		t.Errorf("the target saw %d requests, want 1", reached.Load())
	}
}

// TestRulePicksTheNthRequest: "*" with Skip picks a request by its place,
// whatever its action.
func TestRulePicksTheNthRequest(t *testing.T) {
	url, reached := target(t)
	rule := &Rule{Action: "*", Skip: 2, Times: 1, Hold: time.Hour}
	p := start(t, url, Config{Rules: []*Rule{rule}})
	c := client(p.URL, aws.NopRetryer{})
	for i := range 2 {
		if _, err := c.DescribeStacks(context.Background(), describe); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	select {
	case <-rule.Held():
		t.Fatal("held before the third request")
	default:
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-rule.Held()
		cancel()
	}()
	if _, err := c.DescribeStacks(ctx, describe); !errors.Is(err, context.Canceled) {
		t.Fatalf("third request: %v, want it held and cancelled", err)
	}
	if _, err := c.DescribeStacks(context.Background(), describe); err != nil {
		t.Fatalf("fourth request: %v", err)
	}
	p.Close()
	if reached.Load() != 3 || p.Count("", Dropped) != 1 {
		t.Errorf("target saw %d requests; log %+v", reached.Load(), p.Log())
	}
}

// TestCloseEndsHolds: Close does not wait for a hold to run out.
func TestCloseEndsHolds(t *testing.T) {
	url, reached := target(t)
	rule := &Rule{Action: "DescribeStacks", Hold: time.Hour}
	p := start(t, url, Config{Rules: []*Rule{rule}})
	errc := make(chan error, 1)
	go func() {
		_, err := client(p.URL, aws.NopRetryer{}).DescribeStacks(context.Background(), describe)
		errc <- err
	}()
	<-rule.Held()
	p.Close()
	if err := <-errc; err == nil {
		t.Error("the held call succeeded after Close")
	}
	if reached.Load() != 0 || p.Count("", Dropped) != 1 {
		t.Errorf("target saw %d requests; log %+v", reached.Load(), p.Log())
	}
}

// TestUnknownActionsPass: a request without a query or JSON action (S3's
// REST protocol) is forwarded even when every request is to be faulted.
func TestUnknownActionsPass(t *testing.T) {
	var reached atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	defer srv.Close()
	p := start(t, srv.URL, Config{Throttle: 1})
	resp, err := http.Get(p.URL + "/bucket/key")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || reached.Load() != 1 || p.Faults() != 0 {
		t.Errorf("status %d, target reached %d times, %d faults", resp.StatusCode, reached.Load(), p.Faults())
	}
}

func TestStartRejects(t *testing.T) {
	for _, tc := range []struct {
		target string
		cfg    Config
	}{
		{"127.0.0.1:5000", Config{}},
		{"http://127.0.0.1:1", Config{Throttle: 0.8, Error500: 0.3}},
		{"http://127.0.0.1:1", Config{Throttle: -0.1}},
	} {
		if p, err := Start(tc.target, tc.cfg); err == nil {
			p.Close()
			t.Errorf("Start(%q, %+v) accepted", tc.target, tc.cfg)
		}
	}
}
