package factpulse

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
)

// maxDrain bounds how much of an unused answer is read so that its connection can be
// reused; a longer answer's connection is closed instead.
const maxDrain = 64 << 10

// transport adds the headers every request needs: Accept, User-Agent, and the bearer
// token, which goes only to the configured host and only over https or to loopback.
// When the service answers 401 and the token source can make a fresh token, it drops
// the refused token and sends the request once more.
type transport struct {
	base      http.RoundTripper
	origin    *url.URL
	tokens    TokenSource
	userAgent string
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.token(req)
	if err != nil {
		closeBody(req)
		return nil, err
	}

	resp, err := t.send(req, req.Body, tok)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !t.mayRenew(req, tok) {
		return resp, err
	}

	// The token was refused: drop it and try once more with a fresh one.
	discard(resp)
	t.tokens.(TokenInvalidator).InvalidateToken(tok)

	body, err := rewind(req)
	if err != nil {
		return nil, err
	}
	if tok, err = t.token(req); err != nil {
		if body != nil {
			_ = body.Close()
		}
		return nil, err
	}

	return t.send(req, body, tok)
}

// token returns the token req may carry, or "" when it may carry none.
func (t *transport) token(req *http.Request) (string, error) {
	if t.tokens == nil || !mayCarryToken(t.origin, req.URL) {
		return "", nil
	}

	tok, err := t.tokens.Token(req.Context())
	if err == nil {
		err = checkTokenValue(tok)
	}
	if err != nil {
		return "", &tokenError{err: err}
	}

	return tok, nil
}

// send sends a copy of req with the given body and the SDK's headers.
func (t *transport) send(req *http.Request, body io.ReadCloser, tok string) (*http.Response,
	error) {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Accept", "application/json")
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	if tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}

	countAttempt(r.Context())

	return t.base.RoundTrip(r)
}

// mayRenew reports whether a request answered 401 may be sent again with a fresh token:
// it carried a token, the source can make another, and the body can be sent again.
func (t *transport) mayRenew(req *http.Request, tok string) bool {
	if _, ok := t.tokens.(TokenInvalidator); !ok || tok == "" {
		return false
	}

	return canRewind(req)
}

// tokenError is a failure to get a token. It is never retried: the token source has
// retried already, or knows better.
type tokenError struct {
	err error
}

func (e *tokenError) Error() string {
	var authErr *AuthError
	if errors.As(e.err, &authErr) {
		return e.err.Error()
	}

	return "getting a token: " + e.err.Error()
}

func (e *tokenError) Unwrap() error {
	return e.err
}

// mayCarryToken reports whether a request to u may carry the token configured for the
// origin: same scheme, host and port, and a scheme that keeps it private.
func mayCarryToken(origin, u *url.URL) bool {
	return sameOrigin(origin, u) && secureScheme(u)
}

// sameOrigin reports whether u has the scheme, host and port of origin.
func sameOrigin(origin, u *url.URL) bool {
	return strings.EqualFold(u.Scheme, origin.Scheme) && strings.EqualFold(u.Host, origin.Host)
}

// secureScheme reports whether a token may travel to u: over https, or over http to a
// loopback address.
func secureScheme(u *url.URL) bool {
	switch strings.ToLower(u.Scheme) {
	case "https":
		return true
	case "http":
		return isLoopback(u.Hostname())
	}

	return false
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)

	return ip != nil && ip.IsLoopback()
}

// canRewind reports whether req's body can be sent again.
func canRewind(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// rewind returns a fresh copy of req's body for another attempt.
func rewind(req *http.Request) (io.ReadCloser, error) {
	if req.GetBody == nil {
		return req.Body, nil
	}

	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("rewinding the request body: %w", err)
	}

	return body, nil
}

// discard reads what is left of an unused answer, up to a bound, and closes it, so that
// its connection can be reused.
func discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	_ = resp.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// callInfo travels in a request's context and collects what the SDK learns while
// carrying one call, such as how many attempts it took.
type callInfo struct {
	attempts atomic.Int32
}

type callInfoKey struct{}

func withCallInfo(ctx context.Context) (context.Context, *callInfo) {
	info := &callInfo{}

	return context.WithValue(ctx, callInfoKey{}, info), info
}

func callInfoFrom(ctx context.Context) *callInfo {
	info, _ := ctx.Value(callInfoKey{}).(*callInfo)

	return info
}

func countAttempt(ctx context.Context) {
	if info := callInfoFrom(ctx); info != nil {
		info.attempts.Add(1)
	}
}

// attemptsOf returns how many attempts the call behind resp took, or 0 when unknown.
func attemptsOf(resp *http.Response) int {
	if resp.Request == nil {
		return 0
	}
	if info := callInfoFrom(resp.Request.Context()); info != nil {
		return int(info.attempts.Load())
	}

	return 0
}
