package factpulse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

// canned is one answer of a scriptServer.
type canned struct {
	status     int
	retryAfter string
	body       string
}

// scriptServer answers its script in order, one answer per request, then success. It
// keeps the bodies it received and counts the connections opened to it.
type scriptServer struct {
	*httptest.Server

	mu     sync.Mutex
	script []canned
	bodies []string
	conns  atomic.Int32
}

func newScriptServer(t *testing.T, script ...canned) *scriptServer {
	ss := &scriptServer{script: script}
	ss.Server = httptest.NewUnstartedServer(http.HandlerFunc(ss.serve))
	ss.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			ss.conns.Add(1)
		}
	}
	ss.Start()
	t.Cleanup(ss.Close)

	return ss
}

func (ss *scriptServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)

	ss.mu.Lock()
	ss.bodies = append(ss.bodies, string(body))
	next := canned{status: successStatus(r), body: successBody(r)}
	if len(ss.script) > 0 {
		next, ss.script = ss.script[0], ss.script[1:]
	}
	ss.mu.Unlock()

	if next.retryAfter != "" {
		w.Header().Set("Retry-After", next.retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(next.status)
	_, _ = io.WriteString(w, next.body)
}

func successStatus(r *http.Request) int {
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/clients" {
		return http.StatusCreated
	}

	return http.StatusOK
}

func successBody(r *http.Request) string {
	if r.URL.Path == "/api/v1/clients" && r.Method == http.MethodGet {
		return `{"results":[` + clientJSON + `],"total":1,"page":1,"pageSize":20}`
	}
	if strings.HasSuffix(r.URL.Path, "activer") {
		return `{"uid":"` + testUID + `","isActive":true,"message":"ok"}`
	}

	return clientJSON
}

func (ss *scriptServer) requests() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()

	return len(ss.bodies)
}

// repeat returns n copies of an answer.
func repeat(n int, c canned) []canned {
	out := make([]canned, n)
	for i := range out {
		out[i] = c
	}

	return out
}

// operation is one call of the Clients service, for tables.
type operation func(ctx context.Context, c *Client) error

var (
	getOp operation = func(ctx context.Context, c *Client) error {
		_, err := c.Clients.Get(ctx, testUID)
		return err
	}
	createOp operation = func(ctx context.Context, c *Client) error {
		_, err := c.Clients.Create(ctx, ClientCreate{Name: "Boulangerie Martin"})
		return err
	}
	activateOp operation = func(ctx context.Context, c *Client) error {
		_, err := c.Clients.Activate(ctx, testUID)
		return err
	}
	updateOp operation = func(ctx context.Context, c *Client) error {
		_, err := c.Clients.Update(ctx, testUID, ClientUpdate{Name: Set("Martin & Fils")})
		return err
	}
)

// newRetryClient returns a Client of ss with short waits between attempts.
func newRetryClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()

	all := append([]Option{
		WithBaseURL(baseURL),
		WithToken(testToken),
		WithHTTPClient(closingHTTPClient(t)),
		WithRetryPolicy(fastRetries),
	}, opts...)
	c, err := New(all...)
	require.NoError(t, err)

	return c
}

func TestRetryRules(t *testing.T) {
	tests := []struct {
		name  string
		op    operation
		first canned
		want  int // requests sent
	}{
		{"get 408", getOp, canned{status: 408}, 2},
		{"get 429", getOp, canned{status: 429}, 2},
		{"get 500", getOp, canned{status: 500}, 2},
		{"get 502", getOp, canned{status: 502}, 2},
		{"get 503", getOp, canned{status: 503}, 2},
		{"get 504", getOp, canned{status: 504}, 2},
		{"get 400", getOp, canned{status: 400}, 1},
		{"get 401 with a static token", getOp, canned{status: 401}, 1},
		{"get 404", getOp, canned{status: 404}, 1},
		{"get 422", getOp, canned{status: 422, body: `{"detail":[]}`}, 1},
		{"update 503", updateOp, canned{status: 503}, 2},
		{"activate 500", activateOp, canned{status: 500}, 2},
		{"activate 502", activateOp, canned{status: 502}, 2},
		{"create 408", createOp, canned{status: 408}, 1},
		{"create 429", createOp, canned{status: 429}, 1},
		{"create 429 with Retry-After", createOp, canned{status: 429, retryAfter: "0"}, 2},
		{"create 500", createOp, canned{status: 500}, 1},
		{"create 502", createOp, canned{status: 502}, 1},
		{"create 503", createOp, canned{status: 503}, 1},
		{"create 503 with Retry-After", createOp, canned{status: 503, retryAfter: "0"}, 2},
		{"create 503 with a nonsense Retry-After", createOp,
			canned{status: 503, retryAfter: "soon"}, 1},
		{"create 504", createOp, canned{status: 504}, 1},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := newScriptServer(t, tt.first)
			c := newRetryClient(t, ss.URL)

			err := tt.op(context.Background(), c)

			assert.Equal(t, tt.want, ss.requests(), "requests sent")
			if tt.want == 2 {
				assert.NoError(t, err)
				return
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.first.status, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts)
		})
	}
}

func TestRetriesRunOutWithTheLastAnswer(t *testing.T) {
	page := `<html><body>` + strings.Repeat("busy ", 2000) + `</body></html>`
	ss := newScriptServer(t, repeat(10, canned{status: 502, body: page})...)
	c := newRetryClient(t, ss.URL)

	err := getOp(context.Background(), c)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.StatusCode)
	assert.Equal(t, DefaultMaxAttempts, apiErr.Attempts)
	assert.Contains(t, err.Error(), "(after 4 attempts)")
	assert.Equal(t, DefaultMaxAttempts, ss.requests())
	assert.Equal(t, int32(1), ss.conns.Load(), "drained answers let the connection be reused")
}

func TestRetryResendsTheWholeBody(t *testing.T) {
	ss := newScriptServer(t, canned{status: 502}, canned{status: 503})
	c := newRetryClient(t, ss.URL)

	require.NoError(t, updateOp(context.Background(), c))

	require.Len(t, ss.bodies, 3)
	assert.JSONEq(t, `{"name":"Martin & Fils"}`, ss.bodies[0])
	assert.Equal(t, ss.bodies[0], ss.bodies[1])
	assert.Equal(t, ss.bodies[0], ss.bodies[2])
}

func TestCreateDroppedAfterItArrivedIsNotRepeated(t *testing.T) {
	srv := factpulsetest.NewServer()
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, srv.Err())
	})
	srv.InjectFault(factpulsetest.Fault{Method: "POST", Path: "/api/v1/clients",
		Drop: factpulsetest.DropAfter})
	c := newRetryClient(t, srv.URL, WithToken(srv.AccountToken()))
	ctx := context.Background()

	_, err := c.Clients.Create(ctx, ClientCreate{Name: "Boulangerie Martin"})
	require.Error(t, err)

	page, err := c.Clients.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, page.Total, "exactly one client was made")
	assert.Equal(t, 1, srv.Stats().Requests["createClient"])
}

func TestGetDroppedIsRepeated(t *testing.T) {
	srv := factpulsetest.NewServer()
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, srv.Err())
	})
	uid := srv.AddClient("Boulangerie Martin")
	srv.InjectFault(factpulsetest.Fault{Method: "GET", Path: "/api/v1/clients/*", Times: 2,
		Drop: factpulsetest.DropAfter})
	c := newRetryClient(t, srv.URL, WithToken(srv.AccountToken()))

	got, err := c.Clients.Get(context.Background(), uid)

	require.NoError(t, err)
	assert.Equal(t, uid, got.UID)
}

// failingTransport fails the first requests with the errors it holds, as a network
// would, then sends the rest.
type failingTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	errs  []error
	calls int
}

func (ft *failingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ft.mu.Lock()
	ft.calls++
	var err error
	if len(ft.errs) > 0 {
		err, ft.errs = ft.errs[0], ft.errs[1:]
	}
	ft.mu.Unlock()

	if err != nil {
		closeBody(req)
		return nil, err
	}

	return ft.base.RoundTrip(req)
}

func TestConnectionFailures(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	noSuchHost := &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "factpulse.invalid", IsNotFound: true}}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}

	tests := []struct {
		name      string
		op        operation
		err       error
		wantCalls int // round trips, the failed one included
		wantOK    bool
	}{
		{"create, connection refused", createOp, refused, 2, true},
		{"create, unknown host", createOp, noSuchHost, 2, true},
		{"create, reset once sent", createOp, reset, 1, false},
		{"get, reset", getOp, reset, 2, true},
		{"activate, reset", activateOp, reset, 2, true},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := newScriptServer(t)
			hc := closingHTTPClient(t)
			ft := &failingTransport{base: hc.Transport, errs: []error{tt.err}}
			hc.Transport = ft
			c := newRetryClient(t, ss.URL, WithHTTPClient(hc))

			err := tt.op(context.Background(), c)

			assert.Equal(t, tt.wantCalls, ft.calls)
			if tt.wantOK {
				require.NoError(t, err)
				assert.Equal(t, 1, ss.requests())
				return
			}
			assert.ErrorIs(t, err, syscall.ECONNRESET)
			assert.Zero(t, ss.requests())
		})
	}
}

func TestConnectionRefusedRunsOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	c := newRetryClient(t, closed)

	err = getOp(context.Background(), c)

	var opErr *net.OpError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "dial", opErr.Op)
	assert.Contains(t, err.Error(), "(after 4 attempts)")
}

func TestEachAttemptHasTheHTTPClientTimeout(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done() // the first attempt hangs until the client gives up
			return
		}
		_, _ = io.WriteString(w, clientJSON)
	}))
	t.Cleanup(srv.Close)
	hc := closingHTTPClient(t)
	hc.Timeout = 50 * time.Millisecond
	c := newRetryClient(t, srv.URL, WithHTTPClient(hc))

	require.NoError(t, getOp(context.Background(), c))
	assert.Equal(t, int32(2), calls.Load())
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"1.25", 1250 * time.Millisecond, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"99999999999999999999", time.Duration(1<<63 - 1), true},
		{"", 0, false},
		{"soon", 0, false},
		{"-1", 0, false},
		{"+5", 0, false},
		{"1e3", 0, false},
		{"0x10", 0, false},
		{".5", 0, false},
		{"5.", 0, false},
		{"1.2.3", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
	}

	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.value, now)

			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// retryEvents returns the "factpulse retry" events of a JSON log.
func retryEvents(t *testing.T, log *bytes.Buffer) []map[string]any {
	t.Helper()

	var events []map[string]any
	for line := range strings.Lines(log.String()) {
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		if ev["msg"] == "factpulse retry" {
			events = append(events, ev)
		}
	}

	return events
}

func debugLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestRetryAfterSetsTheWait(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		wait       func(t *testing.T, wait time.Duration)
	}{
		{"decimal seconds", "0.5", func(t *testing.T, wait time.Duration) {
			assert.Equal(t, 500*time.Millisecond, wait)
		}},
		{"a date in the past", time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat),
			func(t *testing.T, wait time.Duration) {
				assert.Zero(t, wait)
			}},
		{"nonsense falls back to the backoff", "soon", func(t *testing.T, wait time.Duration) {
			assert.Positive(t, wait)
			assert.LessOrEqual(t, wait, fastRetries.BaseDelay)
		}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := newScriptServer(t, canned{status: 503, retryAfter: tt.retryAfter})
			var log bytes.Buffer
			c := newRetryClient(t, ss.URL, WithLogger(debugLogger(&log)))

			require.NoError(t, getOp(context.Background(), c))

			events := retryEvents(t, &log)
			require.Len(t, events, 1)
			tt.wait(t, time.Duration(events[0]["wait"].(float64)))
		})
	}
}

func TestRetryAfterBeyondTheCapStops(t *testing.T) {
	tests := []struct {
		name, retryAfter, says string
	}{
		{"seconds", "120", "wait 2m0s"},
		{"date", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat), "wait 59m"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := newScriptServer(t, canned{status: 503, retryAfter: tt.retryAfter})
			policy := fastRetries
			policy.MaxRetryAfter = time.Second
			c := newRetryClient(t, ss.URL, WithRetryPolicy(policy))

			err := getOp(context.Background(), c)

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.says)
			assert.Contains(t, err.Error(), "more than the 1s allowed")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "the last answer is kept")
			assert.Equal(t, 503, apiErr.StatusCode)
			assert.Equal(t, 1, ss.requests())
		})
	}
}

func TestDeadlineEndsTheWait(t *testing.T) {
	tests := []struct {
		name   string
		answer canned
		policy RetryPolicy
	}{
		{"Retry-After beyond the deadline", canned{status: 503, retryAfter: "10"}, fastRetries},
		{"backoff beyond the deadline", canned{status: 502},
			RetryPolicy{BaseDelay: 10 * time.Second, MaxDelay: 10 * time.Second}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := newScriptServer(t, repeat(5, tt.answer)...)
			c := newRetryClient(t, ss.URL, WithRetryPolicy(tt.policy))
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()

			err := getOp(ctx, c)

			assert.Less(t, time.Since(start), 5*time.Second, "the wait ended at the deadline")
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "the last answer is kept")
			assert.Equal(t, tt.answer.status, apiErr.StatusCode)
			assert.Contains(t, err.Error(), "deadline exceeded")
			assert.Contains(t, err.Error(), "the last answer was")
			assert.Equal(t, 1, ss.requests(), "no request after the deadline")
		})
	}
}

func TestCanceledContextSendsNothing(t *testing.T) {
	ss := newScriptServer(t)
	c := newRetryClient(t, ss.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	err := getOp(ctx, c)

	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, ss.requests())
}

func TestShouldRetryHasTheLastWord(t *testing.T) {
	var seen []Attempt
	var mu sync.Mutex
	record := func(verdict bool) func(Attempt) bool {
		return func(a Attempt) bool {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, a)
			return verdict
		}
	}

	tests := []struct {
		name   string
		op     operation
		first  canned
		hook   func(Attempt) bool
		want   int
		wanted Attempt
	}{
		{"veto a retry", getOp, canned{status: 503}, record(false), 1,
			Attempt{Number: 1, Method: "GET", Path: "/api/v1/clients/" + testUID,
				StatusCode: 503, Retry: true}},
		{"allow a retry", createOp, canned{status: 502}, record(true), 2,
			Attempt{Number: 1, Method: "POST", Path: "/api/v1/clients", StatusCode: 502}},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen = nil
			ss := newScriptServer(t, tt.first)
			policy := fastRetries
			policy.ShouldRetry = tt.hook
			c := newRetryClient(t, ss.URL, WithRetryPolicy(policy))

			_ = tt.op(context.Background(), c)

			assert.Equal(t, tt.want, ss.requests())
			assert.Equal(t, []Attempt{tt.wanted}, seen)
		})
	}
}

func TestTokenFailureIsNotRetried(t *testing.T) {
	ss := newScriptServer(t)
	vaultDown := errors.New("vault unreachable")
	c := newRetryClient(t, ss.URL, WithTokenSource(failingSource{vaultDown}))

	err := getOp(context.Background(), c)

	assert.ErrorIs(t, err, vaultDown)
	assert.Contains(t, err.Error(), "getting a token: vault unreachable")
	assert.Zero(t, ss.requests())
}

func TestBadTokenFromASourceIsNotSentNorRetried(t *testing.T) {
	ss := newScriptServer(t)
	c := newRetryClient(t, ss.URL, WithTokenSource(fixedSource("tok\r\nX-Evil: 1")))

	err := getOp(context.Background(), c)

	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.NotContains(t, err.Error(), "X-Evil")
	assert.Zero(t, ss.requests())
}

type fixedSource string

func (s fixedSource) Token(context.Context) (string, error) { return string(s), nil }

type failingSource struct{ err error }

func (s failingSource) Token(context.Context) (string, error) { return "", s.err }

func TestEachRetryIsOneQuietLogEvent(t *testing.T) {
	ss := newScriptServer(t, canned{status: 503, body: `{"detail":"body-text-42"}`},
		canned{status: 429})
	var log bytes.Buffer
	c := newRetryClient(t, ss.URL, WithLogger(debugLogger(&log)),
		WithToken("token-never-logged"))

	_, err := c.Clients.List(context.Background(), &ListOptions{Page: 7, PageSize: 33})
	require.NoError(t, err)

	events := retryEvents(t, &log)
	require.Len(t, events, 2)
	for i, ev := range events {
		assert.Equal(t, "DEBUG", ev["level"])
		assert.Equal(t, float64(i+1), ev["attempt"])
		assert.Contains(t, ev, "wait")
		assert.Equal(t, "/api/v1/clients", ev["path"])
		delete(ev, "time")
		delete(ev, "wait")
		assert.Len(t, ev, 6, "level, msg, method, path, attempt, reason: %v", ev)
	}
	assert.Equal(t, "status 503", events[0]["reason"])
	assert.Equal(t, "status 429", events[1]["reason"])
	for _, secret := range []string{"token-never-logged", "Bearer", "page=", "pageSize=",
		"body-text-42"} {
		assert.NotContains(t, log.String(), secret)
	}
}

func TestBackoff(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	ceilings := []time.Duration{100, 200, 400, 800, 1000, 1000, 1000}

	for i, ceiling := range ceilings {
		ceiling *= time.Millisecond
		for range 50 {
			d := p.backoff(i + 1)
			assert.GreaterOrEqual(t, d, ceiling/2, "attempt %d", i+1)
			assert.LessOrEqual(t, d, ceiling, "attempt %d", i+1)
		}
	}
	assert.LessOrEqual(t, p.backoff(1000), time.Second, "no overflow")
}

func TestRetryPolicyDefaults(t *testing.T) {
	want := RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond,
		MaxDelay: 5 * time.Second, MaxRetryAfter: 30 * time.Second}

	assert.Equal(t, want, RetryPolicy{}.withDefaults())
	assert.Equal(t, want, RetryPolicy{MaxAttempts: -1, BaseDelay: -1, MaxDelay: -1,
		MaxRetryAfter: -1}.withDefaults())
}
