package factpulsetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

// start runs a fake server for one test and checks, when the test ends,
// that the fake found no fault in its own answers.
func start(t *testing.T, opts ...factpulsetest.Option) *factpulsetest.Server {
	t.Helper()
	srv := factpulsetest.NewServer(opts...)
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, srv.Err())
	})
	return srv
}

// answer is what a call got back.
type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request; token and body may be empty.
func call(t *testing.T, srv *factpulsetest.Server, method, path, token, body string) answer {
	t.Helper()
	a, err := send(srv, method, path, token, body)
	require.NoError(t, err)
	return a
}

// send is call without a *testing.T, for goroutines other than the test's own, where
// require may not stop the test.
func send(srv *factpulsetest.Server, method, path, token, body string) (answer, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	if err != nil {
		return answer{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	resp, err := srv.Client().Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()

	b, err := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}, err
}

// clock is a settable clock for WithClock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock {
	return &clock{now: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// assertDetail checks that body is the service's {"detail": "text"} shape.
func assertDetail(t *testing.T, body string) {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	require.Len(t, v, 1, body)
	text, ok := v["detail"].(string)
	assert.True(t, ok && text != "", body)
}
