package factpulsetest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

func TestFaultStatus(t *testing.T) {
	page := "<html><body><h1>502 Bad Gateway</h1></body></html>"
	cases := []struct {
		name   string
		fault  factpulsetest.Fault
		status int
		ct     string
		after  string
		body   string
	}{
		{"json default body", factpulsetest.Fault{Status: 503, RetryAfter: "2"},
			503, "application/json", "2", `{"detail":"Service Unavailable"}`},
		{"html page", factpulsetest.Fault{Status: 502, Body: page},
			502, "text/html; charset=utf-8", "", page},
		{"own body and type", factpulsetest.Fault{Status: 429, Body: "slow down",
			ContentType: "text/plain", RetryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"},
			429, "text/plain", "Wed, 21 Oct 2015 07:28:00 GMT", "slow down"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t)
			srv.InjectFault(tc.fault)

			got := call(t, srv, "GET", "/api/v1/clients", "", "")
			assert.Equal(t, tc.status, got.status)
			assert.Equal(t, tc.ct, got.header.Get("Content-Type"))
			assert.Equal(t, tc.after, got.header.Get("Retry-After"))
			assert.Equal(t, tc.body, got.body)

			again := call(t, srv, "GET", "/api/v1/clients", srv.AccountToken(), "")
			assert.Equal(t, http.StatusOK, again.status, "a fault applies once by default")
			assert.Equal(t, 1, srv.Stats().Faults)
			assert.Equal(t, 1, srv.Stats().Requests["listClients"])
		})
	}
}

func TestFaultMatching(t *testing.T) {
	srv := start(t)
	uid := srv.AddClient("C")
	tok := srv.AccountToken()
	srv.InjectFault(factpulsetest.Fault{Method: "POST", Path: "/api/v1/clients/*", Times: 2,
		Status: 500})
	srv.InjectFault(factpulsetest.Fault{Path: "/api/token/refresh/", Times: -1, Status: 504})

	assert.Equal(t, 200, call(t, srv, "GET", "/api/v1/clients/"+uid, tok, "").status)
	assert.Equal(t, 500, call(t, srv, "POST", "/api/v1/clients/"+uid+"/activer", tok, "").status)
	assert.Equal(t, 500, call(t, srv, "POST", "/api/v1/clients/"+uid+"/desactiver", tok, "").status)
	assert.Equal(t, 200, call(t, srv, "POST", "/api/v1/clients/"+uid+"/activer", tok, "").status)
	for range 3 {
		assert.Equal(t, 504, call(t, srv, "POST", "/api/token/refresh/", "", `{}`).status)
	}

	srv.ClearFaults()
	assert.Equal(t, 400, call(t, srv, "POST", "/api/token/refresh/", "", `{}`).status)
	assert.Equal(t, 5, srv.Stats().Faults)
}

func TestFaultLatency(t *testing.T) {
	srv := start(t)
	srv.InjectFault(factpulsetest.Fault{Latency: 50 * time.Millisecond})

	begin := time.Now()
	got := call(t, srv, "GET", "/api/v1/clients", srv.AccountToken(), "")
	assert.Equal(t, http.StatusOK, got.status)
	assert.GreaterOrEqual(t, time.Since(begin), 50*time.Millisecond)
}

func TestFaultLatencyHonoursContext(t *testing.T) {
	srv := start(t)
	srv.InjectFault(factpulsetest.Fault{Latency: time.Minute})

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", srv.URL+"/api/v1/clients", nil)
	require.NoError(t, err)

	begin := time.Now()
	_, err = srv.Client().Do(req)
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the delayed handler did not end with its request")
	}
	assert.Less(t, time.Since(begin), 5*time.Second)
}

// freshClient uses a new connection for each request, so that net/http does
// not resend a GET whose kept-alive connection was closed.
func freshClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestFaultDropBefore(t *testing.T) {
	srv := start(t)
	srv.InjectFault(factpulsetest.Fault{Method: "POST", Drop: factpulsetest.DropBefore})

	req, err := http.NewRequest("POST", srv.URL+"/api/v1/clients", strings.NewReader(`{"name":"A"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.AccountToken())
	_, err = freshClient().Do(req)
	require.Error(t, err)

	list := call(t, srv, "GET", "/api/v1/clients", srv.AccountToken(), "")
	assert.Contains(t, list.body, `"total":0`, "the request was not handled")
	assert.Zero(t, srv.Stats().Requests["createClient"])
}

func TestFaultDropAfter(t *testing.T) {
	srv := start(t)
	srv.InjectFault(factpulsetest.Fault{Method: "POST", Drop: factpulsetest.DropAfter,
		Status: 503})

	req, err := http.NewRequest("POST", srv.URL+"/api/v1/clients", strings.NewReader(`{"name":"A"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.AccountToken())
	resp, err := freshClient().Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	require.Error(t, err)

	list := call(t, srv, "GET", "/api/v1/clients", srv.AccountToken(), "")
	assert.Contains(t, list.body, `"total":1`, "the request was handled")
	assert.Equal(t, 1, srv.Stats().Requests["createClient"])
}

func TestFaultDropWithoutHijackerAborts(t *testing.T) {
	f := factpulsetest.New()
	f.InjectFault(factpulsetest.Fault{Drop: factpulsetest.DropBefore})
	req, err := http.NewRequest("GET", "/api/v1/clients", nil)
	require.NoError(t, err)

	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		f.ServeHTTP(nopWriter{}, req)
	})
}

type nopWriter struct{}

func (nopWriter) Header() http.Header         { return http.Header{} }
func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (nopWriter) WriteHeader(int)             {}
