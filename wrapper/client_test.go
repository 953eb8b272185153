package factpulse

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsBadBaseURLs(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		rule string
	}{
		{"relative", []Option{WithBaseURL("/api")}, "absolute http or https"},
		{"other scheme", []Option{WithBaseURL("ftp://factpulse.fr")}, "absolute http or https"},
		{"user info", []Option{WithBaseURL("https://u:p@factpulse.fr")}, "user info"},
		{"query", []Option{WithBaseURL("https://factpulse.fr?x=1")}, "query"},
		{"token over plain http", []Option{WithBaseURL("http://factpulse.fr"),
			WithToken("t")}, "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts...)

			assert.Nil(t, c)
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, "base URL", inErr.Field)
			assert.Contains(t, inErr.Rule, tt.rule)
			assert.NotContains(t, err.Error(), "u:p")
		})
	}
}

func TestNewAcceptsPlainHTTPToLoopback(t *testing.T) {
	for _, base := range []string{"http://127.0.0.1:8001", "http://localhost:8001",
		"http://[::1]:8001", "https://factpulse.fr"} {
		_, err := New(WithBaseURL(base), WithToken("t"))
		assert.NoError(t, err, base)
	}
}

func TestDefaults(t *testing.T) {
	c, err := New()
	require.NoError(t, err)

	assert.Equal(t, DefaultBaseURL+"/", c.api.Server)
	r, ok := c.api.Client.(*retrier)
	require.True(t, ok, "the generated client sends through the retry layer")
	assert.Equal(t, DefaultTimeout, r.hc.Timeout, "the default HTTP client has a timeout")
}

func TestCallerHTTPClientIsNotModified(t *testing.T) {
	ws := newWireServer(t, 200, "application/json", clientJSON)
	mine := &http.Client{Timeout: 3 * time.Second}

	c := newTestClient(t, ws.URL, WithHTTPClient(mine), WithUserAgent("billing-svc/2.1"))
	_, err := c.Clients.Get(context.Background(), testUID)

	require.NoError(t, err)
	assert.Nil(t, mine.Transport, "the caller's client keeps its transport")
	assert.Equal(t, "billing-svc/2.1", ws.only(t).header.Get("User-Agent"))
}

func TestNoTokenSendsNoAuthorization(t *testing.T) {
	ws := newWireServer(t, 200, "application/json", clientJSON)
	c, err := New(WithBaseURL(ws.URL))
	require.NoError(t, err)

	_, err = c.Clients.Get(context.Background(), testUID)

	require.NoError(t, err)
	assert.Empty(t, ws.only(t).header.Get("Authorization"))
}

// TestSecretsNeverPrint formats every value that holds a secret with the verbs people
// use in logs, and logs a failing call, and looks for the secret in the output.
func TestSecretsNeverPrint(t *testing.T) {
	const secret = "pdp-secret-value-42"
	const token = "eyJhbGciOi.token-secret-value"

	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ws := newWireServer(t, 422, "application/json",
		`{"detail":[{"loc":["body","clientSecret"],"msg":"bad","type":"x","input":"`+
			secret+`"}]}`)
	c := newTestClient(t, ws.URL, WithToken(token), WithLogger(logger))

	update := PDPConfigUpdate{FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c",
		ClientSecret: secret}
	_, err := c.Clients.SetPDPConfig(context.Background(), testUID, update)
	require.Error(t, err)
	logger.Debug("user logs the update", "update", update, "secret", update.ClientSecret)

	values := []any{c, *c, c.Clients, update, &update, update.ClientSecret, err,
		WithToken(token), staticToken(token)}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for i, v := range values {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, secret, "value %d with %s", i, verb)
			assert.NotContains(t, out, token, "value %d with %s", i, verb)
		}
	}
	assert.NotContains(t, logs.String(), secret)
	assert.NotContains(t, logs.String(), token)
	assert.Contains(t, logs.String(), "[REDACTED]", "the logged update shows the mark")
	assert.Contains(t, ws.only(t).body, secret, "the secret itself is sent")
}

// TestBodiesNeverFollowARedirectAway sends a PDP configuration, with its secret, to a base
// URL that redirects to another origin: nothing reaches the other origin, and the caller
// gets the redirect as an *APIError, never the other origin's answer as a success.
func TestBodiesNeverFollowARedirectAway(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{"301 would turn the PUT into a GET", http.StatusMovedPermanently},
		{"302 would turn the PUT into a GET", http.StatusFound},
		{"303 would turn the PUT into a GET", http.StatusSeeOther},
		{"307 keeps the body", http.StatusTemporaryRedirect},
		{"308 keeps the body", http.StatusPermanentRedirect},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := newWireServer(t, 200, "application/json", pdpJSON)
			origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				http.Redirect(w, r, other.URL+r.URL.Path, tt.status)
			}))
			t.Cleanup(origin.Close)
			c := newTestClient(t, origin.URL)

			_, err := c.Clients.SetPDPConfig(context.Background(), testUID, PDPConfigUpdate{
				FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c", ClientSecret: "s"})

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Zero(t, other.count(), "nothing reaches the other origin")
		})
	}
}

func TestRedirectsWithinTheOriginAreFollowed(t *testing.T) {
	var hits int
	mux := http.NewServeMux()
	mux.HandleFunc("PUT /api/v1/clients/{uid}/pdp-config", func(w http.ResponseWriter,
		r *http.Request) {
		hits++
		http.Redirect(w, r, "/moved/"+r.PathValue("uid"), http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("PUT /moved/{uid}", func(w http.ResponseWriter, r *http.Request) {
		hits++
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, pdpJSON)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)

	cfg, err := c.Clients.SetPDPConfig(context.Background(), testUID, PDPConfigUpdate{
		FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c", ClientSecret: "s"})

	require.NoError(t, err)
	assert.True(t, cfg.Configured)
	assert.Equal(t, 2, hits)
}

// TestRedirectThatChangesTheMethodIsNotASuccess checks that a PATCH redirected with a 302,
// which net/http would repeat as a GET, returns the redirect as an error instead of the
// GET's answer as if the update had been made.
func TestRedirectThatChangesTheMethodIsNotASuccess(t *testing.T) {
	var patched, got int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPatch && r.URL.Query().Get("moved") == "":
			http.Redirect(w, r, r.URL.Path+"?moved=1", http.StatusFound)
			return
		case r.Method == http.MethodPatch:
			patched++
		default:
			got++
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, clientJSON)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)

	_, err := c.Clients.Update(context.Background(), testUID, ClientUpdate{Name: Set("N")})

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
	assert.Zero(t, got, "no GET was sent in place of the PATCH")
	assert.Zero(t, patched)
}

// rotatingSource hands out "old" until it is told the token was refused, then "new";
// stuck sources keep handing out "old".
type rotatingSource struct {
	mu          sync.Mutex
	invalidated []string
	stuck       bool
}

func (s *rotatingSource) Token(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if len(s.invalidated) > 0 && !s.stuck {
		return "new", nil
	}
	return "old", nil
}

func (s *rotatingSource) InvalidateToken(tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	s.invalidated = append(s.invalidated, tok)
}

// plainSource is a TokenSource that cannot make a fresh token.
type plainSource struct{}

func (plainSource) Token(context.Context) (string, error) { return "old", nil }

func TestCallerTokenSourceAndA401(t *testing.T) {
	tests := []struct {
		name     string
		source   TokenSource
		wantErr  bool
		requests int
	}{
		{"an invalidator gets a second try", &rotatingSource{}, false, 2},
		{"a stuck invalidator gets one second try only", &rotatingSource{stuck: true},
			true, 2},
		{"a plain source gets none", plainSource{}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			requests := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				mu.Lock()
				requests++
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				if r.Header.Get("Authorization") != "Bearer new" {
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = io.WriteString(w, `{"detail":"Token expired"}`)
					return
				}
				_, _ = io.WriteString(w, clientJSON)
			}))
			t.Cleanup(srv.Close)
			c, err := New(WithBaseURL(srv.URL), WithTokenSource(tt.source))
			require.NoError(t, err)

			_, err = c.Clients.Get(context.Background(), testUID)

			if tt.wantErr {
				assert.ErrorIs(t, err, ErrUnauthorized)
			} else {
				assert.NoError(t, err)
			}
			assert.Equal(t, tt.requests, requests)
			if rs, ok := tt.source.(*rotatingSource); ok {
				assert.Equal(t, []string{"old"}, rs.invalidated)
			}
		})
	}
}
