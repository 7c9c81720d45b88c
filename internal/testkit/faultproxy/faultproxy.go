// Package faultproxy is a reverse proxy for tests that stands in front of
// an AWS API endpoint, such as a moto server, and misbehaves the way a busy
// AWS endpoint does: it answers a share of the requests itself with
// throttling errors or with 500 and 503 responses, delays the others, and
// holds chosen requests for a while so that a test has a window in which to
// interrupt the client.
//
// Every decision is deterministic: the random faults of a [Config] depend
// only on its Seed, the request's action and how many requests of that
// action came before, so a run can be reproduced. The proxy logs every
// request with its outcome ([Proxy.Log], [Proxy.Count]) for the tests'
// assertions.
//
// Faults are injected before forwarding: a faulted request never reaches the
// target, which is what throttling at the front door looks like, and a
// retry of it is safe against any server. Failing a request after it was
// forwarded (a lost response to a write) would rely on the target honouring
// ClientToken / ClientRequestToken idempotency, which moto does not
// implement: the retry would create a second change set. The proxy
// therefore never does that.
package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Outcome is what the proxy did with a request.
type Outcome string

// The outcomes. Throttled, Error500 and Error503 are the injected faults.
const (
	Forwarded Outcome = "forwarded" // passed to the target, possibly after a delay or a hold
	Throttled Outcome = "throttled" // answered 400 Throttling "Rate exceeded"
	Error500  Outcome = "500"       // answered 500 InternalFailure
	Error503  Outcome = "503"       // answered 503 ServiceUnavailable
	Dropped   Outcome = "dropped"   // the client went away during a hold; not forwarded
	Lost      Outcome = "lost"      // forwarded and answered, but the client went away while the answer was held
)

// IsFault reports whether the outcome is an injected fault.
func (o Outcome) IsFault() bool {
	return o == Throttled || o == Error500 || o == Error503
}

// Config is the fault plan.
type Config struct {
	// Seed makes the random faults reproducible.
	Seed uint64

	// Throttle, Error500 and Error503 are the shares (0 to 1, summing to at
	// most 1) of requests answered with that fault.
	Throttle, Error500, Error503 float64

	// MaxDelay delays each forwarded request by a random time from 0 to
	// MaxDelay.
	MaxDelay time.Duration

	// MaxConsecutive bounds the faults in a row for one action: the next
	// request of that action is forwarded. It keeps a call within the
	// client's retry attempts, so that every fault is retried exactly once.
	// 0 means 3.
	MaxConsecutive int

	// Actions limits the random faults and delays to these actions; empty:
	// all. Requests whose action is unknown (REST protocols such as S3's,
	// whose error format the proxy does not write) are never faulted.
	Actions []string

	// Rules hold chosen requests. A request that a rule matches gets no
	// random fault or delay.
	Rules []*Rule
}

// Rule picks out requests of one action to hold them before forwarding,
// such as "hold the first DescribeStacks after ExecuteChangeSet for 5s",
// or to hold or rewrite the target's answer. A Rule belongs to one Proxy.
type Rule struct {
	Action string // the action held; "*": every action
	// After, when set, makes the rule apply only once a request of this
	// action has been forwarded and answered.
	After string
	// Skip lets the first Skip requests that the rule would apply to pass
	// untouched, so that a test can pick out the n-th request.
	Skip int
	// Times is how many requests the rule applies to; 0: all.
	Times int
	// Hold is how long a request is held before it is forwarded. When the
	// client goes away first, the request is dropped and never reaches the
	// target.
	Hold time.Duration
	// HoldAnswer makes Hold apply to the target's answer instead: the
	// target has acted on the request, and when the client goes away
	// during the hold its answer is lost (Outcome Lost).
	HoldAnswer bool
	// Rewrite, when set, changes the body of the target's answer, for
	// example to show a stack as still in progress.
	Rewrite func(body []byte) []byte

	once     sync.Once
	held     chan struct{} // closed by the first hold
	heldOnce sync.Once
	skipped  int // requests let pass so far; guarded by the Proxy's mu
	matched  int // requests matched so far; guarded by the Proxy's mu
}

// Held returns a channel that is closed when the rule first holds a
// request, or with HoldAnswer an answer.
func (r *Rule) Held() <-chan struct{} {
	r.init()
	return r.held
}

func (r *Rule) init() { r.once.Do(func() { r.held = make(chan struct{}) }) }

func (r *Rule) holding() { r.heldOnce.Do(func() { close(r.held) }) }

// Entry is one request seen by the proxy.
type Entry struct {
	Action  string
	Params  url.Values // the query protocol's form parameters; nil for other protocols
	Outcome Outcome
	ByRule  bool // a Rule matched it: held it, or rewrote the answer
	Status  int  // the status the client got; 0 when dropped
}

// Proxy is a running proxy. Its zero value is not usable: call [Start].
type Proxy struct {
	// URL is the proxy's base URL, to give the client as its endpoint.
	URL string

	srv       *httptest.Server
	rp        *httputil.ReverseProxy
	cfg       Config
	closed    chan struct{}
	closeOnce sync.Once

	mu          sync.Mutex
	log         []Entry
	seen        map[string]int  // requests per action so far
	consecutive map[string]int  // faults in a row per action
	answered    map[string]bool // actions forwarded and answered
}

// Start starts a proxy to target, an http:// base URL, on a loopback port.
func Start(target string, cfg Config) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: target %q: want an http:// URL", target)
	}
	if s := cfg.Throttle + cfg.Error500 + cfg.Error503; s > 1 || cfg.Throttle < 0 || cfg.Error500 < 0 || cfg.Error503 < 0 {
		return nil, fmt.Errorf("faultproxy: fault shares must be between 0 and 1 in sum, got %g", s)
	}
	if cfg.MaxConsecutive <= 0 {
		cfg.MaxConsecutive = 3
	}
	for _, r := range cfg.Rules {
		r.init()
	}
	p := &Proxy{
		cfg:         cfg,
		closed:      make(chan struct{}),
		seen:        map[string]int{},
		consecutive: map[string]int{},
		answered:    map[string]bool{},
	}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) { pr.SetURL(u) },
		// Quietly: the client of a lost answer has gone away.
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) { w.WriteHeader(http.StatusBadGateway) },
		ModifyResponse: func(resp *http.Response) error {
			st, _ := resp.Request.Context().Value(stateKey{}).(*reqState)
			if st == nil {
				return nil
			}
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				// Before the client can see the answer, so that its next
				// request finds the action answered.
				p.mu.Lock()
				p.answered[st.action] = true
				p.mu.Unlock()
			}
			if st.rule != nil && st.rule.HoldAnswer {
				st.rule.holding()
				t := time.NewTimer(st.rule.Hold)
				defer t.Stop()
				select {
				case <-t.C:
				case <-resp.Request.Context().Done():
					st.lost = true
					return resp.Request.Context().Err()
				case <-p.closed:
					st.lost = true
					return errors.New("faultproxy: closed")
				}
			}
			if st.rule == nil || st.rule.Rewrite == nil {
				return nil
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			body = st.rule.Rewrite(body)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		},
	}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	return p, nil
}

// Close drops the requests on hold, stops the proxy and waits for its
// requests to end. It may be called more than once.
func (p *Proxy) Close() {
	p.closeOnce.Do(func() {
		close(p.closed)
		p.srv.Close()
	})
}

type stateKey struct{}

// reqState goes with a forwarded request to ModifyResponse.
type reqState struct {
	action string
	rule   *Rule
	lost   bool // the answer was held and the client went away
}

// decision is what to do with one request.
type decision struct {
	outcome Outcome
	delay   time.Duration
	rule    *Rule
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		http.Error(w, "faultproxy: read request: "+err.Error(), http.StatusBadRequest)
		return
	}
	// Give the body back for forwarding.
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	action, params := Action(r.Header, body)

	d := p.decide(action)
	entry := Entry{Action: action, Params: params, Outcome: d.outcome, ByRule: d.rule != nil}
	if d.outcome.IsFault() {
		entry.Status = writeFault(w, r.Header, d.outcome)
		p.record(entry)
		return
	}
	wait := d.delay
	if d.rule != nil && !d.rule.HoldAnswer {
		wait = d.rule.Hold
		d.rule.holding()
	}
	st := &reqState{action: action, rule: d.rule}
	r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			entry.Outcome = Dropped
			p.record(entry)
			return
		case <-p.closed:
			t.Stop()
			entry.Outcome = Dropped
			p.record(entry)
			panic(http.ErrAbortHandler) // closes the connection without an answer
		}
	}
	sw := &statusWriter{ResponseWriter: w}
	p.rp.ServeHTTP(sw, r)
	entry.Status = sw.status
	if st.lost {
		entry.Outcome, entry.Status = Lost, 0
	}
	p.record(entry)
}

// decide picks the outcome of the next request of action. Rules come
// first; then the random plan, from a generator seeded with the Seed, the
// action and the request's number for that action.
func (p *Proxy) decide(action string) decision {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.seen[action]
	p.seen[action]++
	for _, r := range p.cfg.Rules {
		if r.Action != action && r.Action != "*" || r.After != "" && !p.answered[r.After] || r.Times > 0 && r.matched >= r.Times {
			continue
		}
		if r.skipped < r.Skip {
			r.skipped++
			continue
		}
		r.matched++
		return decision{outcome: Forwarded, rule: r}
	}
	if action == "" || len(p.cfg.Actions) > 0 && !slices.Contains(p.cfg.Actions, action) {
		return decision{outcome: Forwarded}
	}
	out, delay := Plan(p.cfg, action, n)
	if out.IsFault() {
		if p.consecutive[action] >= p.cfg.MaxConsecutive {
			out = Forwarded
		} else {
			p.consecutive[action]++
		}
	}
	if !out.IsFault() {
		p.consecutive[action] = 0
	}
	return decision{outcome: out, delay: delay}
}

// Plan returns the random part of the decision for the n-th request (from
// 0) of action: a fault, or Forwarded with a delay. It ignores Rules,
// Actions and MaxConsecutive.
func Plan(cfg Config, action string, n int) (Outcome, time.Duration) {
	h := fnv.New64a()
	h.Write([]byte(action))
	rng := rand.New(rand.NewPCG(cfg.Seed, h.Sum64()^uint64(n)*0x9e3779b97f4a7c15))
	x, y := rng.Float64(), rng.Float64()
	switch {
	case x < cfg.Throttle:
		return Throttled, 0
	case x < cfg.Throttle+cfg.Error500:
		return Error500, 0
	case x < cfg.Throttle+cfg.Error500+cfg.Error503:
		return Error503, 0
	}
	return Forwarded, time.Duration(y * float64(cfg.MaxDelay))
}

func (p *Proxy) record(e Entry) {
	p.mu.Lock()
	p.log = append(p.log, e)
	p.mu.Unlock()
}

// Log returns the requests seen so far, in the order they ended.
func (p *Proxy) Log() []Entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Entry(nil), p.log...)
}

// Count returns how many requests of action ("" for all) ended with one of
// outcomes (none: any outcome).
func (p *Proxy) Count(action string, outcomes ...Outcome) int {
	n := 0
	for _, e := range p.Log() {
		if (action == "" || e.Action == action) && (len(outcomes) == 0 || slices.Contains(outcomes, e.Outcome)) {
			n++
		}
	}
	return n
}

// Faults returns how many faults were injected.
func (p *Proxy) Faults() int {
	return p.Count("", Throttled, Error500, Error503)
}

// Action returns the AWS action of a request and, for the query protocol
// (form body with Action=...; CloudFormation, EC2, IAM, ELBv2), its
// parameters. The JSON protocols name it in X-Amz-Target
// ("Service_20xx.Action"). Other requests (REST protocols such as S3) get
// "".
func Action(h http.Header, body []byte) (string, url.Values) {
	if t := h.Get("X-Amz-Target"); t != "" {
		return t[strings.LastIndex(t, ".")+1:], nil
	}
	if strings.HasPrefix(h.Get("Content-Type"), "application/x-www-form-urlencoded") {
		v, err := url.ParseQuery(string(body))
		if err == nil {
			return v.Get("Action"), v
		}
	}
	return "", nil
}

// writeFault answers with a fault in the request's protocol and returns
// the status.
func writeFault(w http.ResponseWriter, h http.Header, o Outcome) int {
	status, code, msg, typ := http.StatusBadRequest, "Throttling", "Rate exceeded", "Sender"
	switch o {
	case Error500:
		status, code, msg, typ = http.StatusInternalServerError, "InternalFailure", "injected internal failure", "Receiver"
	case Error503:
		status, code, msg, typ = http.StatusServiceUnavailable, "ServiceUnavailable", "injected service unavailable", "Receiver"
	}
	reqID := fmt.Sprintf("faultproxy-%d", time.Now().UnixNano())
	w.Header().Set("X-Amzn-Requestid", reqID)
	if h.Get("X-Amz-Target") != "" {
		if o == Throttled {
			code = "ThrottlingException"
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amzn-Errortype", code)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, code, msg)
		return status
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	if strings.Contains(h.Get("Authorization"), "/ec2/aws4_request") {
		// EC2's query protocol has an error document of its own.
		if o == Throttled {
			code = "RequestLimitExceeded"
		}
		fmt.Fprintf(w, "<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>", code, msg, reqID)
		return status
	}
	fmt.Fprintf(w, "<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>",
		typ, code, msg, reqID)
	return status
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}
