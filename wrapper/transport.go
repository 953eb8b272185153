package factpulse

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
)

// transport adds the headers every request needs: Accept, User-Agent, and the bearer
// token, which goes only to the configured host and only over https or to loopback.
type transport struct {
	base      http.RoundTripper
	origin    *url.URL
	tokens    TokenSource
	userAgent string
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Accept", "application/json")
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}

	if t.tokens != nil && mayCarryToken(t.origin, r.URL) {
		tok, err := t.tokens.Token(r.Context())
		if err != nil {
			closeBody(req)
			return nil, fmt.Errorf("getting a token: %w", err)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
	}

	countAttempt(r.Context())

	return t.base.RoundTrip(r)
}

// mayCarryToken reports whether a request to u may carry the token configured for the
// origin: same scheme, host and port, and a scheme that keeps it private.
func mayCarryToken(origin, u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, origin.Scheme) || !strings.EqualFold(u.Host, origin.Host) {
		return false
	}

	return secureScheme(u)
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
