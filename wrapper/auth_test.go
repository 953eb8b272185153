package factpulse

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

const (
	authUser     = "compta@boulangerie-martin.fr"
	authPassword = "pw-Sesame-4711"
)

// fastRetries keeps the waits of tests short.
var fastRetries = RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 4 * time.Millisecond}

// testClock is a clock that only moves when a test says so.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Now()}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()

	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()

	c.now = c.now.Add(d)
}

// newAuthFake starts the fake with one login, on the given clock.
func newAuthFake(t *testing.T, clock *testClock,
	opts ...factpulsetest.Option) *factpulsetest.Server {
	t.Helper()

	all := append([]factpulsetest.Option{
		factpulsetest.WithUser(authUser, authPassword),
		factpulsetest.WithClock(clock.Now),
	}, opts...)
	srv := factpulsetest.NewServer(all...)
	t.Cleanup(func() {
		srv.Close()
		require.NoError(t, srv.Err())
	})

	return srv
}

// newLoginClient returns a Client that logs in to baseURL with creds, reading token
// expiry on clock.
func newLoginClient(t *testing.T, baseURL string, clock *testClock, creds Credentials,
	opts ...Option) *Client {
	t.Helper()

	all := append([]Option{
		WithBaseURL(baseURL),
		WithCredentials(creds),
		WithHTTPClient(closingHTTPClient(t)),
		WithRetryPolicy(fastRetries),
		withClock(clock.Now),
	}, opts...)
	c, err := New(all...)
	require.NoError(t, err)

	return c
}

// closingHTTPClient returns an HTTP client with its own connections, closed when the
// test ends.
func closingHTTPClient(t *testing.T) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)

	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func accountCreds() Credentials {
	return Credentials{Username: authUser, Password: authPassword}
}

// tokensOf returns the token source behind a Client made with WithCredentials.
func tokensOf(t *testing.T, c *Client) *loginTokens {
	t.Helper()

	tr := c.api.Client.(*retrier).hc.Transport.(*transport)
	s, ok := tr.tokens.(*loginTokens)
	require.True(t, ok, "the client logs in")

	return s
}

// settled waits for a token fetch in flight to end and returns the current token.
func settled(t *testing.T, s *loginTokens) string {
	t.Helper()

	var tok string
	require.Eventually(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		tok = s.access
		return s.fetch == nil
	}, 5*time.Second, time.Millisecond)

	return tok
}

// bearers returns the tokens that requests to path carried, in order.
func bearers(srv *factpulsetest.Server, path string) []string {
	var out []string
	for _, r := range srv.Requests() {
		if r.Path == path {
			out = append(out, strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		}
	}

	return out
}

func TestCredentialsLogInOnce(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	c := newLoginClient(t, srv.URL, clock, accountCreds())
	ctx := context.Background()

	created, err := c.Clients.Create(ctx, ClientCreate{Name: "Boulangerie Martin"})
	require.NoError(t, err)
	_, err = c.Clients.Get(ctx, created.UID)
	require.NoError(t, err)

	stats := srv.Stats()
	assert.Equal(t, 1, stats.Logins, "one login serves both calls")
	assert.Equal(t, 0, stats.Refreshes)

	var login map[string]any
	for _, r := range srv.Requests() {
		if r.Path == "/api/token/" {
			require.NoError(t, json.Unmarshal(r.Body, &login))
			assert.Empty(t, r.Header.Get("Authorization"), "a login carries no token")
		}
	}
	assert.Equal(t, map[string]any{"username": authUser, "password": authPassword}, login)
}

func TestCredentialsWithClientUIDGetClientLevelToken(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	uid := srv.AddClient("Boulangerie Martin")
	creds := accountCreds()
	creds.ClientUID = uid
	c := newLoginClient(t, srv.URL, clock, creds)
	ctx := context.Background()

	got, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)
	assert.Equal(t, uid, got.UID)

	_, err = c.Clients.List(ctx, nil)
	assert.ErrorIs(t, err, ErrForbidden, "a client-level token may not list the account")

	for _, r := range srv.Requests() {
		if r.Path == "/api/token/" {
			assert.Contains(t, string(r.Body), `"client_uid":"`+uid+`"`)
		}
	}
}

func TestConcurrentCallersShareOneRefresh(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	uid := srv.AddClient("Boulangerie Martin")
	c := newLoginClient(t, srv.URL, clock, accountCreds())
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)
	clock.Advance(31 * time.Minute)

	// Slow the refresh down so that the callers pile up behind it.
	srv.InjectFault(factpulsetest.Fault{Path: "/api/token/refresh/", Latency: 20 * time.Millisecond})

	const callers = 20
	start := make(chan struct{})
	errs := make(chan error, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			<-start
			_, err := c.Clients.Get(ctx, uid)
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)

	for err := range errs {
		assert.NoError(t, err)
	}
	stats := srv.Stats()
	assert.Equal(t, 1, stats.Refreshes, "one refresh for all the callers")
	assert.Equal(t, 1, stats.Logins)
	assert.Len(t, bearers(srv, "/api/v1/clients/"+uid), callers+1, "no call was sent twice")
}

func TestEarlyRefresh(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	uid := srv.AddClient("Boulangerie Martin")
	c := newLoginClient(t, srv.URL, clock, accountCreds())
	s := tokensOf(t, c)
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)
	first := settled(t, s)

	// 30 seconds before expiry the token is still used, and renewed behind the call.
	clock.Advance(29*time.Minute + 30*time.Second)
	_, err = c.Clients.Get(ctx, uid)
	require.NoError(t, err)
	second := settled(t, s)
	_, err = c.Clients.Get(ctx, uid)
	require.NoError(t, err)

	assert.NotEqual(t, first, second, "the token was renewed")
	assert.Equal(t, []string{first, first, second}, bearers(srv, "/api/v1/clients/"+uid))
	assert.Equal(t, 1, srv.Stats().Refreshes)
	assert.Equal(t, 1, srv.Stats().Logins)
}

func TestFailedEarlyRefreshKeepsValidToken(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	uid := srv.AddClient("Boulangerie Martin")
	c := newLoginClient(t, srv.URL, clock, accountCreds())
	s := tokensOf(t, c)
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)
	first := settled(t, s)

	srv.InjectFault(factpulsetest.Fault{Path: "/api/token/refresh/", Status: 503, Times: -1})
	clock.Advance(29*time.Minute + 30*time.Second)
	for range 3 {
		_, err = c.Clients.Get(ctx, uid)
		require.NoError(t, err, "the token is still valid")
		settled(t, s)
	}

	assert.Equal(t, []string{first, first, first, first}, bearers(srv, "/api/v1/clients/"+uid))
	assert.Equal(t, DefaultMaxAttempts, srv.Stats().Faults,
		"one early refresh (with its retries), then a pause before the next")
	assert.Equal(t, 1, srv.Stats().Logins, "a 503 is no reason to log in again")

	// Once the token has expired, the failure reaches the caller.
	clock.Advance(time.Minute)
	_, err = c.Clients.Get(ctx, uid)

	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	assert.Equal(t, "token refresh", authErr.Op)
	assert.NotErrorIs(t, err, ErrUnauthorized, "the service did not refuse the credentials")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
}

func TestRefusedRefreshFallsBackToOneLogin(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock, factpulsetest.WithTokenLifetimes(30*time.Minute, time.Hour))
	uid := srv.AddClient("Boulangerie Martin")
	c := newLoginClient(t, srv.URL, clock, accountCreds())
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)
	clock.Advance(2 * time.Hour)
	_, err = c.Clients.Get(ctx, uid)
	require.NoError(t, err)

	stats := srv.Stats()
	assert.Equal(t, 1, stats.Refreshes)
	assert.Equal(t, 1, stats.FailedRefreshes, "the refresh token had expired")
	assert.Equal(t, 2, stats.Logins)
	assert.Equal(t, 0, stats.FailedLogins)
}

func TestExpiredTokenAnswered401IsRenewedOnce(t *testing.T) {
	clientClock, serverClock := newTestClock(), newTestClock()
	srv := newAuthFake(t, serverClock)
	uid := srv.AddClient("Boulangerie Martin")
	c := newLoginClient(t, srv.URL, clientClock, accountCreds())
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)

	// The service's clock runs ahead: it finds the token expired before the client does.
	serverClock.Advance(31 * time.Minute)
	_, err = c.Clients.Get(ctx, uid)
	require.NoError(t, err)

	sent := bearers(srv, "/api/v1/clients/"+uid)
	require.Len(t, sent, 3, "the refused call was sent once more")
	assert.Equal(t, sent[0], sent[1])
	assert.NotEqual(t, sent[1], sent[2])
	assert.Equal(t, 1, srv.Stats().Refreshes)
	assert.Equal(t, 1, srv.Stats().Logins)
}

func TestFailedLoginIsAnAuthError(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	creds := Credentials{Username: authUser, Password: "not-the-password-1234"}
	c := newLoginClient(t, srv.URL, clock, creds)

	_, err := c.Clients.List(context.Background(), nil)

	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnauthorized)
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	assert.Equal(t, "login", authErr.Op)
	assert.Contains(t, err.Error(), "login failed")
	assert.Contains(t, err.Error(), "401 Unauthorized")
	assert.NotContains(t, err.Error(), "not-the-password-1234")
	assert.NotContains(t, fmt.Sprintf("%+v %#v", err, err), "not-the-password-1234")

	stats := srv.Stats()
	assert.Equal(t, 1, stats.Logins, "a refused login is not retried")
	assert.Empty(t, bearers(srv, "/api/v1/clients"), "no API call without a token")
}

func TestLoginThatCannotBeReachedIsNotUnauthorized(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	srv.InjectFault(factpulsetest.Fault{Path: "/api/token/", Status: 503, Times: -1})
	c := newLoginClient(t, srv.URL, clock, accountCreds())

	_, err := c.Clients.List(context.Background(), nil)

	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	assert.NotErrorIs(t, err, ErrUnauthorized)
	assert.Contains(t, err.Error(), "login failed")
	assert.Contains(t, err.Error(), "after 4 attempts")
	assert.Equal(t, DefaultMaxAttempts, srv.Stats().Faults, "the login was retried")
}

// authStub is a service of our own for the auth rules the fake cannot show: tokens
// without an exp claim, and a login or refresh or API that refuses on demand. It counts
// each kind of request.
type authStub struct {
	*httptest.Server

	laterLogins   atomic.Int32 // the status of every login but the first; 0 answers 200
	refreshStatus atomic.Int32 // the status of every refresh; 0 answers 200
	refuse        sync.Map     // tokens the API answers 401 to
	refuseAll     atomic.Bool

	logins, refreshes, calls atomic.Int32
	issued                   atomic.Int32
}

func newAuthStub(t *testing.T) *authStub {
	st := &authStub{}
	st.Server = httptest.NewServer(http.HandlerFunc(st.serve))
	t.Cleanup(st.Close)

	return st
}

// stubToken makes a JWT-shaped token without an exp claim.
func stubToken(n int32) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf(`{"n":%d}`, n)))
	return "eyJhbGciOiJub25lIn0." + payload + ".sig"
}

func (st *authStub) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/token/":
		status := int32(0)
		if st.logins.Add(1) > 1 {
			status = st.laterLogins.Load()
		}
		st.answerTokens(w, status, true)
	case "/api/token/refresh/":
		st.refreshes.Add(1)
		st.answerTokens(w, st.refreshStatus.Load(), false)
	default:
		st.calls.Add(1)
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if _, refused := st.refuse.Load(tok); refused || st.refuseAll.Load() {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"detail":"Invalid token"}`)
			return
		}
		_, _ = io.WriteString(w, clientJSON)
	}
}

func (st *authStub) answerTokens(w http.ResponseWriter, status int32, withRefresh bool) {
	if status != 0 {
		w.WriteHeader(int(status))
		_, _ = io.WriteString(w, `{"detail":"No active account found with the given credentials"}`)
		return
	}

	pair := map[string]string{"access": stubToken(st.issued.Add(1))}
	if withRefresh {
		pair["refresh"] = "refresh-" + stubToken(st.issued.Load())
	}
	_ = json.NewEncoder(w).Encode(pair)
}

func (st *authStub) counts() [3]int32 {
	return [3]int32{st.logins.Load(), st.refreshes.Load(), st.calls.Load()}
}

func TestTokenWithoutExpiryIsUsedUntilRefused(t *testing.T) {
	st := newAuthStub(t)
	clock := newTestClock()
	c := newLoginClient(t, st.URL, clock, accountCreds())
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, testUID)
	require.NoError(t, err)
	clock.Advance(10 * 365 * 24 * time.Hour)
	_, err = c.Clients.Get(ctx, testUID)
	require.NoError(t, err)
	assert.Equal(t, [3]int32{1, 0, 2}, st.counts(), "logins, refreshes, calls")

	st.refuse.Store(stubToken(1), true)
	_, err = c.Clients.Get(ctx, testUID)
	require.NoError(t, err)
	assert.Equal(t, [3]int32{1, 1, 4}, st.counts(), "the refused call was renewed and resent")
}

func TestUnauthorizedNeverLoops(t *testing.T) {
	tests := []struct {
		name          string
		opts          []Option
		loginStatus   int32 // the status of logins after the first
		refreshStatus int32
		want          [3]int32 // logins, refreshes, calls
		authErr       bool
	}{
		{
			name: "static token: no retry",
			opts: []Option{WithToken("dashboard-token")},
			want: [3]int32{0, 0, 1},
		},
		{
			name: "token source: no retry",
			opts: []Option{WithTokenSource(staticToken("from-a-vault"))},
			want: [3]int32{0, 0, 1},
		},
		{
			name: "credentials: one refresh, one resend",
			want: [3]int32{1, 1, 2},
		},
		{
			name:          "credentials, refresh refused: one login, one resend",
			refreshStatus: 401,
			want:          [3]int32{2, 1, 2},
		},
		{
			name:          "credentials, refresh and login refused: stop",
			refreshStatus: 401, loginStatus: 401,
			want:    [3]int32{2, 1, 1},
			authErr: true,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newAuthStub(t)
			st.refuseAll.Store(true)
			st.laterLogins.Store(tt.loginStatus)
			st.refreshStatus.Store(tt.refreshStatus)
			c := newLoginClient(t, st.URL, newTestClock(), accountCreds(), tt.opts...)

			_, err := c.Clients.Get(context.Background(), testUID)

			require.Error(t, err)
			assert.ErrorIs(t, err, ErrUnauthorized)
			assert.Equal(t, tt.want, st.counts(), "logins, refreshes, calls")

			var authErr *AuthError
			assert.Equal(t, tt.authErr, errors.As(err, &authErr))
		})
	}
}

func TestTokenStaysOnItsOrigin(t *testing.T) {
	tests := []struct {
		name      string
		landing   func(t *testing.T, origin string, serve http.Handler) string
		wantToken bool
	}{
		{
			name:      "same origin",
			landing:   func(_ *testing.T, origin string, _ http.Handler) string { return origin },
			wantToken: true,
		},
		{
			name: "another port",
			landing: func(t *testing.T, _ string, serve http.Handler) string {
				return startOn(t, "127.0.0.1:0", serve)
			},
		},
		{
			name: "localhost instead of 127.0.0.1",
			landing: func(_ *testing.T, origin string, _ http.Handler) string {
				return strings.Replace(origin, "127.0.0.1", "localhost", 1)
			},
		},
		{
			name: "another loopback address",
			landing: func(t *testing.T, _ string, serve http.Handler) string {
				return startOn(t, "127.0.0.2:0", serve)
			},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make(chan string, 1)
			landing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen <- r.Header.Get("Authorization")
				_, _ = io.WriteString(w, clientJSON)
			})

			var target string
			mux := http.NewServeMux()
			mux.Handle("GET /landing/", landing)
			mux.HandleFunc("GET /api/v1/clients/{uid}", func(w http.ResponseWriter,
				r *http.Request) {
				http.Redirect(w, r, target+"/landing/"+r.PathValue("uid"),
					http.StatusTemporaryRedirect)
			})
			origin := startOn(t, "127.0.0.1:0", mux)
			target = tt.landing(t, origin, landing)

			c, err := New(WithBaseURL(origin), WithToken("dashboard-token"),
				WithHTTPClient(closingHTTPClient(t)))
			require.NoError(t, err)
			_, err = c.Clients.Get(context.Background(), testUID)
			require.NoError(t, err)

			if tt.wantToken {
				assert.Equal(t, "Bearer dashboard-token", <-seen)
			} else {
				assert.Empty(t, <-seen, "no token after a redirect to "+target)
			}
		})
	}
}

// startOn serves h on addr, a loopback address, until the test ends, and returns its
// base URL. It skips the test when the address cannot be used.
func startOn(t *testing.T, addr string, h http.Handler) string {
	t.Helper()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)

	return srv.URL
}

func TestLoginFollowsNoRedirect(t *testing.T) {
	var elsewhere atomic.Int32
	other := startOn(t, "127.0.0.1:0", http.HandlerFunc(func(http.ResponseWriter,
		*http.Request) {
		elsewhere.Add(1)
	}))
	origin := startOn(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		http.Redirect(w, r, other+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	c := newLoginClient(t, origin, newTestClock(), accountCreds())

	_, err := c.Clients.List(context.Background(), nil)

	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTemporaryRedirect, apiErr.StatusCode)
	assert.Zero(t, elsewhere.Load(), "the password went nowhere else")
}

func TestCredentialsAreChecked(t *testing.T) {
	tests := []struct {
		name  string
		base  string
		creds Credentials
		field string
	}{
		{"no username", "", Credentials{Password: "pw"}, "username"},
		{"no password", "", Credentials{Username: authUser}, "password"},
		{"client uid not a UUID", "",
			Credentials{Username: authUser, Password: "pw", ClientUID: "42"}, "client uid"},
		{"plain http to another host", "http://factpulse.example:8001", accountCreds(),
			"base URL"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []Option{WithCredentials(tt.creds)}
			if tt.base != "" {
				opts = append(opts, WithBaseURL(tt.base))
			}

			c, err := New(opts...)

			assert.Nil(t, c)
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, tt.field, inErr.Field)
		})
	}
}

func TestCredentialsNeverPrint(t *testing.T) {
	creds := Credentials{Username: authUser, Password: authPassword}
	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("creds", "creds", creds)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("creds", "creds", creds)
	asJSON, err := json.Marshal(creds)
	require.NoError(t, err)

	for _, out := range []string{
		fmt.Sprint(creds), fmt.Sprintf("%+v", creds), fmt.Sprintf("%#v", creds),
		fmt.Sprintf("%s", creds), fmt.Sprintf("%v", &creds), logged.String(),
		string(asJSON),
	} {
		assert.NotContains(t, out, authPassword)
		assert.Contains(t, out, authUser)
	}
}

func TestRefusedLoginBacksOff(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	creds := Credentials{Username: authUser, Password: "not-the-password-1234"}
	c := newLoginClient(t, srv.URL, clock, creds)
	ctx := context.Background()

	get := func() {
		t.Helper()
		_, err := c.Clients.Get(ctx, testUID)
		require.ErrorIs(t, err, ErrUnauthorized)
		var authErr *AuthError
		require.ErrorAs(t, err, &authErr)
		assert.Equal(t, "login", authErr.Op)
	}

	for range 20 {
		get()
	}
	assert.Equal(t, 1, srv.Stats().Logins, "the refused password was sent once")

	clock.Advance(time.Second)
	get()
	assert.Equal(t, 2, srv.Stats().Logins, "one login once the wait has passed")

	// The wait doubles with each failure in a row.
	clock.Advance(time.Second)
	get()
	assert.Equal(t, 2, srv.Stats().Logins, "the second wait is 2s")
	clock.Advance(time.Second)
	get()
	assert.Equal(t, 3, srv.Stats().Logins)
	assert.Empty(t, bearers(srv, "/api/v1/clients/"+testUID), "no API call without a token")
}

func TestFailingRefreshBacksOff(t *testing.T) {
	clock := newTestClock()
	srv := newAuthFake(t, clock)
	uid := srv.AddClient("Boulangerie Martin")
	c := newLoginClient(t, srv.URL, clock, accountCreds())
	ctx := context.Background()

	_, err := c.Clients.Get(ctx, uid)
	require.NoError(t, err)

	// The token expires while the refresh endpoint is down.
	expireWhileDown := func() {
		t.Helper()
		srv.InjectFault(factpulsetest.Fault{Path: "/api/token/refresh/", Status: 503, Times: -1})
		clock.Advance(31 * time.Minute)
		for range 20 {
			_, err := c.Clients.Get(ctx, uid)
			var authErr *AuthError
			require.ErrorAs(t, err, &authErr)
			assert.Equal(t, "token refresh", authErr.Op)
			assert.NotErrorIs(t, err, ErrUnauthorized)
		}
	}

	expireWhileDown()
	assert.Equal(t, DefaultMaxAttempts, srv.Stats().Faults, "one refresh, with its retries")

	srv.ClearFaults()
	clock.Advance(time.Second)
	_, err = c.Clients.Get(ctx, uid)
	require.NoError(t, err, "the refresh is tried again once the wait has passed")

	// A success resets the wait to one second.
	expireWhileDown()
	assert.Equal(t, 2*DefaultMaxAttempts, srv.Stats().Faults)
	clock.Advance(time.Second)
	_, err = c.Clients.Get(ctx, uid)
	require.Error(t, err)
	assert.Equal(t, 3*DefaultMaxAttempts, srv.Stats().Faults)
	assert.Equal(t, 1, srv.Stats().Logins, "a 503 is no reason to log in again")
}

func TestUnauthorizedAnswerDoesNotBypassBackoff(t *testing.T) {
	st := newAuthStub(t)
	st.refuseAll.Store(true)
	st.laterLogins.Store(401)
	st.refreshStatus.Store(401)
	c := newLoginClient(t, st.URL, newTestClock(), accountCreds())

	for range 5 {
		_, err := c.Clients.Get(context.Background(), testUID)
		require.ErrorIs(t, err, ErrUnauthorized)
	}

	assert.Equal(t, [3]int32{2, 1, 1}, st.counts(), "logins, refreshes, calls")
}

func TestFetchBackoff(t *testing.T) {
	tests := []struct {
		failures int
		refused  bool
		want     time.Duration
	}{
		{1, true, time.Second},
		{2, true, 2 * time.Second},
		{9, true, 256 * time.Second},
		{10, true, 5 * time.Minute},
		{1000, true, 5 * time.Minute},
		{1, false, time.Second},
		{5, false, 16 * time.Second},
		{6, false, 30 * time.Second},
		{1000, false, 30 * time.Second},
	}

	for _, tt := range tests {
		assert.Equal(t, tt.want, fetchBackoff(tt.failures, tt.refused),
			"failures %d, refused %t", tt.failures, tt.refused)
	}
}

func TestTokenIsChecked(t *testing.T) {
	const secret = "secret-dashboard-token-4711"
	tests := []struct {
		name  string
		token string
		rule  string
	}{
		{"empty", "", "must not be empty"},
		{"line feed", secret + "\n", "control character"},
		{"header injection", secret + "\r\nX-Admin: yes", "control character"},
		{"NUL", "\x00" + secret, "control character"},
		{"tab", "secret\tdashboard", "control character"},
		{"unit separator", secret + "\x1f", "control character"},
		{"DEL", secret + "\x7f", "control character"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(WithToken(tt.token))

			assert.Nil(t, c)
			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, "token", inErr.Field)
			assert.Contains(t, inErr.Rule, tt.rule)
			assert.ErrorIs(t, err, ErrInvalidInput)
			assert.NotContains(t, err.Error(), "secret")
		})
	}

	for _, ok := range []string{"eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "a-b_c~d+e/f=", "jeton-é"} {
		_, err := New(WithToken(ok))
		assert.NoError(t, err, "%q", ok)
	}
	_, err := New(WithToken(""), WithCredentials(accountCreds()))
	assert.NoError(t, err, "the last of WithToken and WithCredentials wins")
}

// testJWT makes an unsigned JWT with the given claims.
func testJWT(claims string) string {
	return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(claims)) +
		".sig"
}

func TestLifetime(t *testing.T) {
	sent := time.Unix(1_700_000_000, 0)
	at := func(d time.Duration) int64 { return sent.Add(d).Unix() }
	tests := []struct {
		name             string
		claims           string
		renewAt, expires time.Time // zero when the token has no expiry
	}{
		{"iat and exp, measured from sent",
			fmt.Sprintf(`{"iat":%d,"exp":%d}`, at(-2*time.Hour), at(-90*time.Minute)),
			sent.Add(29 * time.Minute), sent.Add(30 * time.Minute)},
		{"exp only", fmt.Sprintf(`{"exp":%d}`, at(10*time.Minute)),
			sent.Add(9 * time.Minute), sent.Add(10 * time.Minute)},
		{"exp only, short-lived", fmt.Sprintf(`{"exp":%d}`, at(time.Minute)),
			sent.Add(48 * time.Second), sent.Add(time.Minute)},
		{"exp with a fraction", fmt.Sprintf(`{"exp":%d.5}`, at(10*time.Minute)),
			sent.Add(9*time.Minute + 500*time.Millisecond),
			sent.Add(10*time.Minute + 500*time.Millisecond)},
		{"no exp", `{"sub":"42"}`, time.Time{}, time.Time{}},
		{"exp past by our clock, which runs ahead",
			fmt.Sprintf(`{"exp":%d}`, at(-10*time.Minute)), time.Time{}, time.Time{}},
		{"exp at sent", fmt.Sprintf(`{"exp":%d}`, at(0)), time.Time{}, time.Time{}},
		{"exp too large for int64 milliseconds", `{"exp":1e17}`, time.Time{}, time.Time{}},
		{"exp huge", `{"exp":1e300}`, time.Time{}, time.Time{}},
		{"exp hugely negative", `{"exp":-1e300}`, time.Time{}, time.Time{}},
		{"iat huge is ignored",
			fmt.Sprintf(`{"iat":1e300,"exp":%d}`, at(10*time.Minute)),
			sent.Add(9 * time.Minute), sent.Add(10 * time.Minute)},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			renewAt, expires := lifetime(testJWT(tt.claims), sent)

			assert.True(t, tt.renewAt.Equal(renewAt), "renewAt %v, want %v", renewAt,
				tt.renewAt)
			assert.True(t, tt.expires.Equal(expires), "expires %v, want %v", expires,
				tt.expires)
			assert.True(t, renewAt.IsZero() || renewAt.After(sent),
				"a fresh token is not due for renewal")
		})
	}
}
