package factpulse

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/invoicekit/factpulse-go/gen/apiclient"
)

// Paths of the token endpoints, below the base URL.
const (
	loginPath   = "/api/token/"
	refreshPath = "/api/token/refresh/"
)

const (
	// maxRenewMargin is how long before expiry a token is renewed at most; a short-lived
	// token is renewed when a fifth of its life is left.
	maxRenewMargin = time.Minute

	// renewRetryGap is how long a still-valid token is used without trying again after
	// an early renewal failed.
	renewRetryGap = 5 * time.Second

	// tokenFetchTimeout bounds one login or refresh, its retries included.
	tokenFetchTimeout = 2 * time.Minute

	// maxTokenAnswer bounds the body of a token endpoint's success answer.
	maxTokenAnswer = 64 << 10

	// firstFetchBackoff is how long Token returns the last failure, without a new login
	// or refresh, after one failed and left no valid token. It doubles with each failure
	// in a row.
	firstFetchBackoff = time.Second

	// maxRefusedBackoff caps that wait when the service refused the credentials.
	maxRefusedBackoff = 5 * time.Minute

	// maxFailedBackoff caps that wait after a failure that may pass, such as a network
	// error or a 5xx answer.
	maxFailedBackoff = 30 * time.Second

	// maxNumericDate is the largest JWT date read, the last second of the year 9999; a
	// later one is taken as no date.
	maxNumericDate = 253402300799
)

// Credentials are the username and password of a FactPulse account, for
// WithCredentials. They print without the password.
type Credentials struct {
	// Username is the account's login, an email address.
	Username string

	// Password is the account's password. It never appears in errors, logs or fmt output.
	Password Secret

	// ClientUID, when set, asks for client-level tokens: they may act only on that
	// client. Empty asks for account-level tokens.
	ClientUID string
}

// WithCredentials authenticates with a username and password. The Client logs in at
// POST /api/token/ when it first needs a token, renews the token at
// POST /api/token/refresh/ a little before the expiry its exp claim states, and logs in
// again when the service refuses the refresh token. However many goroutines need a
// token, one login or refresh at most is in flight. A request answered 401 is sent once
// more with a fresh token. Login and refresh go only to the base URL and never follow a
// redirect.
//
// When a login or refresh fails and leaves no valid token, the Client does not ask the
// service again on every call, which could lock the account or hit a rate limit: for a
// while, calls return that same error, an *AuthError, without a request. The wait is 1s
// after the first failure and doubles with each failure in a row, up to 5 minutes when
// the service refused the credentials and 30s for a failure that may pass, such as a
// network error or a 5xx answer. A request answered 401 does not cut the wait short; a
// successful login or refresh ends it.
//
// By default no token is sent. Of WithToken, WithTokenSource and WithCredentials, the
// last one given wins.
func WithCredentials(c Credentials) Option {
	return func(cfg *config) {
		cfg.tokens = nil
		cfg.credentials = &c
	}
}

// withClock sets the clock that token expiry is read with; tests move it forward.
func withClock(now func() time.Time) Option {
	return func(cfg *config) { cfg.now = now }
}

func (c Credentials) validate() error {
	if c.Username == "" {
		return &InputError{Field: "username", Rule: "must not be empty"}
	}
	if c.Password == "" {
		return &InputError{Field: "password", Rule: "must not be empty"}
	}
	if c.ClientUID != "" {
		if _, err := checkUID(c.ClientUID); err != nil {
			return &InputError{Field: "client uid", Rule: "must be a UUID such as " +
				"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"}
		}
	}

	return nil
}

// AuthError reports that the Client could not get a token with its Credentials.
// errors.Is(err, ErrUnauthorized) is true when the service refused the login (a 4xx
// answer other than 408 and 429). Unwrap gives the reason: an *APIError with the
// service's answer, or a network or context error. The message never holds the password.
type AuthError struct {
	// Op is what failed: "login" or "token refresh".
	Op string

	// Err is why it failed.
	Err error
}

// Error returns "<op> failed: <reason>".
func (e *AuthError) Error() string {
	return e.Op + " failed: " + strings.TrimPrefix(e.Err.Error(), "factpulse: ")
}

// Unwrap returns the reason.
func (e *AuthError) Unwrap() error {
	return e.Err
}

// Is makes errors.Is(err, ErrUnauthorized) true when the service refused the login.
func (e *AuthError) Is(target error) bool {
	return target == ErrUnauthorized && refused(e.Err)
}

// refused reports whether err is the service's answer that it will not accept what was
// sent, as opposed to a failure that may pass.
func refused(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	code := apiErr.StatusCode

	return code >= 400 && code < 500 && code != http.StatusRequestTimeout &&
		code != http.StatusTooManyRequests
}

// TokenInvalidator is implemented by a TokenSource that can make a fresh token, such as
// one that renews tokens from a vault. When the service answers 401 to a request, the
// Client calls InvalidateToken with the token it refused, asks the source for a token
// again, and sends the request once more; once only, so a source that keeps handing out
// refused tokens cannot make it loop. A TokenSource without this method gets no second
// try: the 401 is returned.
type TokenInvalidator interface {
	// InvalidateToken tells the source that the service refused token, so that the next
	// Token call must not return it.
	InvalidateToken(token string)
}

// loginTokens is the TokenSource behind WithCredentials.
type loginTokens struct {
	creds      Credentials
	doer       apiclient.HttpRequestDoer // sends login and refresh, without a token
	loginURL   string
	refreshURL string
	now        func() time.Time

	mu      sync.Mutex
	access  string
	refresh string
	renewAt time.Time // when to renew access early; zero when it has no expiry
	expires time.Time // when access stops being valid; zero when it has no expiry
	retryAt time.Time // no early renewal before this, after one failed
	fetch   *tokenFetch

	failed    error     // the last fetch's error, while it left no valid token
	failures  int       // the fetches in a row that failed and left no valid token
	failUntil time.Time // no new fetch before this while failed is set
}

// tokenFetch is a login or refresh in flight. Its fields are set before done closes.
type tokenFetch struct {
	done  chan struct{}
	token string
	err   error
}

// tokenPair is the answer of the token endpoints; refresh is empty after a refresh
// that does not rotate the refresh token.
type tokenPair struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh"`
}

func newLoginTokens(creds Credentials, origin *url.URL, doer apiclient.HttpRequestDoer,
	now func() time.Time) *loginTokens {
	base := strings.TrimSuffix(origin.String(), "/")

	return &loginTokens{
		creds:      creds,
		doer:       doer,
		loginURL:   base + loginPath,
		refreshURL: base + refreshPath,
		now:        now,
	}
}

// Token returns the current access token while it is valid. When none is, it waits for
// the login or refresh in flight, starting one if needed, or for ctx to end. Soon after
// a failed one it returns that failure instead; see WithCredentials.
func (s *loginTokens) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	tok, f, err := s.current()
	s.mu.Unlock()
	if f == nil {
		return tok, err
	}

	select {
	case <-f.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if f.err == nil {
		return f.token, nil
	}

	return s.stillValid(f.err)
}

// current returns the token to use now or, when there is none, the fetch to wait for,
// or the last fetch's error while its backoff lasts. It starts a fetch when none runs
// and the token is missing, expired or due for renewal. The caller holds s.mu.
func (s *loginTokens) current() (string, *tokenFetch, error) {
	now := s.now()

	if s.access != "" && (s.renewAt.IsZero() || now.Before(s.renewAt)) {
		return s.access, nil, nil
	}

	if s.valid(now) {
		if s.fetch == nil && !now.Before(s.retryAt) {
			s.start()
		}
		return s.access, nil, nil
	}

	if s.fetch == nil {
		if s.failed != nil && now.Before(s.failUntil) {
			return "", nil, s.failed
		}
		s.start()
	}

	return "", s.fetch, nil
}

// valid reports whether there is an access token that has not expired at now. The
// caller holds s.mu.
func (s *loginTokens) valid(now time.Time) bool {
	return s.access != "" && (s.expires.IsZero() || now.Before(s.expires))
}

// stillValid returns the current token if it has not expired, else err: a failed
// renewal does not stop the use of a token that the service still accepts.
func (s *loginTokens) stillValid(err error) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.valid(s.now()) {
		return s.access, nil
	}

	return "", err
}

// start runs a login or refresh in its own goroutine and context, so that it outlives
// the caller that started it (others may be waiting for it) and takes none of that
// call's values, such as its trace hooks. The caller holds s.mu.
func (s *loginTokens) start() {
	f := &tokenFetch{done: make(chan struct{})}
	s.fetch = f
	refresh := s.refresh

	go s.run(f, refresh)
}

func (s *loginTokens) run(f *tokenFetch, refresh string) {
	ctx, cancel := context.WithTimeout(context.Background(), tokenFetchTimeout)
	defer cancel()
	ctx, _ = withCallInfo(ctx)

	sent := s.now()
	pair, err := s.obtain(ctx, refresh)

	s.mu.Lock()
	s.fetch = nil
	if err != nil {
		f.err = err
		s.fetchFailed(err)
	} else {
		f.token = pair.Access
		s.store(pair, sent)
	}
	s.mu.Unlock()

	close(f.done)
}

// fetchFailed records a failed login or refresh. A token that is still valid is used
// on, and its renewal tried again after renewRetryGap. With none left, Token returns err
// without a new fetch until the backoff has passed. The caller holds s.mu.
func (s *loginTokens) fetchFailed(err error) {
	now := s.now()
	s.retryAt = now.Add(renewRetryGap)
	if s.valid(now) {
		return
	}

	s.failures++
	s.failed = err
	s.failUntil = now.Add(fetchBackoff(s.failures, refused(err)))
}

// fetchBackoff returns how long to wait after the given number of failed fetches in a
// row: firstFetchBackoff, doubled for each failure after the first, up to
// maxRefusedBackoff when the service refused the credentials, else maxFailedBackoff.
func fetchBackoff(failures int, refused bool) time.Duration {
	limit := maxFailedBackoff
	if refused {
		limit = maxRefusedBackoff
	}

	d := firstFetchBackoff
	for i := 1; i < failures && d < limit; i++ {
		d *= 2
	}

	return min(d, limit)
}

// obtain refreshes the token when it has a refresh token, and logs in when it has none
// or the service refuses it. It makes one refresh and one login at most.
func (s *loginTokens) obtain(ctx context.Context, refresh string) (tokenPair, error) {
	if refresh != "" {
		pair, err := s.post(ctx, "token refresh", s.refreshURL, map[string]string{
			"refresh": refresh,
		})
		if err == nil || !refused(err) {
			return pair, err
		}
	}

	body := map[string]string{
		"username": s.creds.Username,
		"password": string(s.creds.Password),
	}
	if s.creds.ClientUID != "" {
		body["client_uid"] = s.creds.ClientUID
	}

	return s.post(ctx, "login", s.loginURL, body)
}

// post sends a JSON body to a token endpoint and reads the tokens it answers with.
func (s *loginTokens) post(ctx context.Context, op, target string, body any) (tokenPair,
	error) {
	payload, err := json.Marshal(body)
	if err != nil {
		return tokenPair{}, &AuthError{Op: op, Err: err}
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target,
		bytes.NewReader(payload))
	if err != nil {
		return tokenPair{}, &AuthError{Op: op, Err: err}
	}
	req.Header.Set("Content-Type", "application/json")

	resp, err := s.doer.Do(req)
	if err != nil {
		return tokenPair{}, &AuthError{Op: op, Err: err}
	}
	defer resp.Body.Close()

	pair, err := readTokens(resp)
	if err != nil {
		return tokenPair{}, &AuthError{Op: op, Err: err}
	}

	return pair, nil
}

// readTokens reads a token endpoint's answer: an *APIError for any status but 200, and
// an error when the access token is missing.
func readTokens(resp *http.Response) (tokenPair, error) {
	if resp.StatusCode != http.StatusOK {
		return tokenPair{}, errorFromResponse(resp)
	}

	var pair tokenPair
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenAnswer))
	if err == nil {
		err = json.Unmarshal(body, &pair)
	}
	if err != nil || pair.Access == "" {
		e := newAPIError(resp, nil)
		e.Err = errors.New("answer holds no access token")
		return tokenPair{}, e
	}

	return pair, nil
}

// store keeps a new token pair obtained by a request sent at sent. The caller holds s.mu.
func (s *loginTokens) store(pair tokenPair, sent time.Time) {
	s.access = pair.Access
	if pair.Refresh != "" {
		s.refresh = pair.Refresh
	}
	s.renewAt, s.expires = lifetime(pair.Access, sent)
	s.retryAt = time.Time{}
	s.failed, s.failures, s.failUntil = nil, 0, time.Time{}
}

// InvalidateToken forgets the access token if it is still the current one, so that the
// next Token call renews it. The refresh token is kept, and so is the backoff after a
// failed fetch.
func (s *loginTokens) InvalidateToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.access == token {
		s.access = ""
	}
}

// lifetime returns when a token obtained at sent is due for renewal and when it expires,
// by our clock, or zero times when it states no expiry. With an iat claim the lifetime
// is measured from sent, so a clock that differs from the service's does not matter.
// Without one, a token whose exp is not after sent by our clock, which runs ahead of the
// service's, is taken as stating no expiry: it is used until the service refuses it.
func lifetime(token string, sent time.Time) (renewAt, expires time.Time) {
	iat, exp, ok := tokenTimes(token)
	if !ok {
		return time.Time{}, time.Time{}
	}

	expires = exp
	if !iat.IsZero() && exp.After(iat) {
		expires = sent.Add(exp.Sub(iat))
	}
	if !expires.After(sent) {
		return time.Time{}, time.Time{}
	}
	margin := min(maxRenewMargin, expires.Sub(sent)/5)

	return expires.Add(-margin), expires
}

// tokenTimes reads the iat and exp claims of a JWT without verifying it; ok is false
// when the token is not a JWT or states no usable exp. iat is zero when absent or not
// usable.
func tokenTimes(token string) (iat, exp time.Time, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, time.Time{}, false
	}

	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, time.Time{}, false
	}

	var claims struct {
		IssuedAt *float64 `json:"iat"`
		Expires  *float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Expires == nil {
		return time.Time{}, time.Time{}, false
	}

	if claims.IssuedAt != nil {
		iat, _ = unixSeconds(*claims.IssuedAt)
	}
	exp, ok = unixSeconds(*claims.Expires)

	return iat, exp, ok
}

// unixSeconds converts a JWT NumericDate, which may have a fraction, to a time; ok is
// false for a value that is not finite or not between 0 and maxNumericDate.
func unixSeconds(secs float64) (t time.Time, ok bool) {
	if math.IsNaN(secs) || secs < 0 || secs > maxNumericDate {
		return time.Time{}, false
	}

	return time.UnixMilli(int64(secs * 1000)), true
}
