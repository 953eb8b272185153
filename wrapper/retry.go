package factpulse

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The defaults of RetryPolicy, used where a field is zero or negative.
const (
	DefaultMaxAttempts   = 4
	DefaultBaseDelay     = 200 * time.Millisecond
	DefaultMaxDelay      = 5 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// RetryPolicy says when a failed request is sent again and how long the Client waits
// first. Pass it to WithRetryPolicy; a field that is zero or negative takes its default.
//
// A request is sent again after a connection failure or an answer of 408, 429, 502, 503
// or 504, and after a 500 when it is safe to repeat. Safe to repeat are GET, PUT and
// PATCH, and the POSTs that set a state (Activate, Deactivate). Create is not: a second
// request would make a second client. Create is sent again only when the request
// provably never reached the service (the connection could not be opened, or the host
// name did not resolve), or when the service answered 429 or 503 with a Retry-After
// header, which says it did not process the request. After a timeout or a connection
// reset once the request was sent, Create returns the error: the client may or may not
// exist, and List tells which.
//
// Between attempts the Client waits as the answer's Retry-After header says, in seconds
// ("2", "0.5") or as an HTTP date, or else BaseDelay, doubled at each retry up to
// MaxDelay, less a random part of up to half of it so that clients do not retry in step.
// A Retry-After longer than MaxRetryAfter ends the retries with an error that says how
// long the service asked to wait.
//
// The call's context bounds everything: no wait outlives it and no attempt starts after
// it ends. When it ends between attempts, the error matches the context's error with
// errors.Is and gives the last answer's *APIError to errors.As. The http.Client's
// Timeout (DefaultTimeout by default) bounds each attempt, not the whole call. When the
// attempts run out, the error is the last answer's *APIError, whose Attempts field and
// message say how many were made.
//
// A 401 answer is not retried by the policy: with WithCredentials the Client renews the
// token and sends the request once more by itself. Each retry is logged at debug level
// with the attempt, the wait and the reason, never a header, body or query value.
type RetryPolicy struct {
	// MaxAttempts is how many times a request may be sent in all, the first time
	// included. The default is DefaultMaxAttempts, 4; 1 turns retries off.
	MaxAttempts int

	// BaseDelay is the backoff before the first retry. The default is DefaultBaseDelay,
	// 200ms.
	BaseDelay time.Duration

	// MaxDelay caps the backoff between two attempts. The default is DefaultMaxDelay, 5s.
	MaxDelay time.Duration

	// MaxRetryAfter is the longest Retry-After the Client waits for. The default is
	// DefaultMaxRetryAfter, 30s.
	MaxRetryAfter time.Duration

	// ShouldRetry, when set, has the last word on each retry: it gets the attempt that
	// failed, with the Client's own decision in Attempt.Retry, and returns whether to
	// send the request again. Returning true where the Client said false may create a
	// client twice. It is not asked when no retry is possible: the attempts ran out, the
	// context ended, the body cannot be sent again, or no token could be had. It also
	// decides for the login and refresh requests of WithCredentials. The default, nil,
	// keeps the Client's decision.
	ShouldRetry func(Attempt) bool
}

// Attempt describes a request that failed, for RetryPolicy.ShouldRetry.
type Attempt struct {
	// Number counts the attempts of the call from 1.
	Number int

	// Method and Path name the request, such as "POST" and "/api/v1/clients".
	Method, Path string

	// StatusCode is the status of the answer, or 0 when none came.
	StatusCode int

	// Err says why no answer came, such as a refused connection; nil when one came.
	Err error

	// Retry is the Client's own decision, by the rules of RetryPolicy.
	Retry bool
}

// WithRetryPolicy sets when a failed request is sent again and how long the Client waits
// between attempts; see RetryPolicy for the rules. A zero field of p keeps its default.
// The default policy sends a request 4 times at most, backs off from 200ms doubling up to
// 5s, and honours a Retry-After of up to 30s. RetryPolicy{MaxAttempts: 1} turns retries
// off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) { c.retry = p }
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultMaxDelay
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}

	return p
}

// backoff returns the wait after the nth attempt when the answer set none: BaseDelay
// doubled n-1 times, at most MaxDelay, less a random part of up to half.
func (p RetryPolicy) backoff(n int) time.Duration {
	d := min(p.BaseDelay, p.MaxDelay)
	for i := 1; i < n && d < p.MaxDelay; i++ {
		if d > p.MaxDelay/2 {
			d = p.MaxDelay
			break
		}
		d *= 2
	}

	return d - rand.N(d/2+1)
}

// retrier sends a request through hc as many times as its policy allows. It is the
// generated client's HttpRequestDoer, so the http.Client's Timeout bounds each attempt.
type retrier struct {
	hc     *http.Client
	policy RetryPolicy
	logger *slog.Logger
}

// outcome is what one attempt gave: an answer or an error, and whether the request was
// written to a connection (tracked only for requests that are not safe to repeat).
type outcome struct {
	resp  *http.Response
	err   error
	wrote bool
}

// Do sends req until it gets an answer not worth retrying, the attempts run out, or the
// context ends. A response it returns has an unread body; every other one it drained
// and closed.
func (r *retrier) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var last error // the last answer set aside, as an error

	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, stopped(err, last)
		}

		out := r.attempt(req, n)
		retry, reason := r.decide(req, n, out)
		if !retry {
			return finish(ctx, out, n, last)
		}

		wait, err := r.delay(n, out.resp)
		last = out.setAside()
		if err != nil {
			return nil, stopped(err, last)
		}

		r.logger.DebugContext(ctx, "factpulse retry", "method", req.Method,
			"path", req.URL.Path, "attempt", n, "wait", wait, "reason", reason)

		if err := sleep(ctx, wait); err != nil {
			return nil, stopped(err, last)
		}
	}
}

// attempt sends req once, with a fresh copy of its body after the first attempt.
func (r *retrier) attempt(req *http.Request, n int) outcome {
	var wrote atomic.Bool
	areq := req
	if !safeToRepeat(req) {
		trace := &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
		}
		areq = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	}

	if n > 1 {
		body, err := rewind(req)
		if err != nil {
			return outcome{err: err}
		}
		areq = areq.WithContext(areq.Context())
		areq.Body = body
	}

	resp, err := r.hc.Do(areq)

	return outcome{resp: resp, err: err, wrote: wrote.Load()}
}

// decide says whether to send req again after its nth attempt, and why.
func (r *retrier) decide(req *http.Request, n int, out outcome) (bool, string) {
	if out.err == nil && out.resp.StatusCode < 400 {
		return false, ""
	}

	var tokErr *tokenError
	if n >= r.policy.MaxAttempts || req.Context().Err() != nil || !canRewind(req) ||
		errors.As(out.err, &tokErr) {
		return false, ""
	}

	retry, reason := classify(req, out)
	if r.policy.ShouldRetry != nil {
		retry = r.policy.ShouldRetry(attemptInfo(req, n, out, retry))
	}

	return retry, reason
}

// classify applies the rules of RetryPolicy to one failed attempt.
func classify(req *http.Request, out outcome) (bool, string) {
	safe := safeToRepeat(req)
	if out.err != nil {
		return safe || neverSent(out), failureReason(out.err)
	}

	code := out.resp.StatusCode
	reason := "status " + strconv.Itoa(code)
	switch code {
	case http.StatusInternalServerError, http.StatusRequestTimeout,
		http.StatusBadGateway, http.StatusGatewayTimeout:
		return safe, reason
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		_, unprocessed := parseRetryAfter(out.resp.Header.Get("Retry-After"), time.Now())
		return safe || unprocessed, reason
	}

	return false, reason
}

func attemptInfo(req *http.Request, n int, out outcome, retry bool) Attempt {
	a := Attempt{Number: n, Method: req.Method, Path: req.URL.Path, Err: out.err,
		Retry: retry}
	if out.resp != nil {
		a.StatusCode = out.resp.StatusCode
	}

	return a
}

// delay returns how long to wait after the nth attempt: what the answer's Retry-After
// says, else the backoff. It fails when Retry-After asks for more than the policy allows.
func (r *retrier) delay(n int, resp *http.Response) (time.Duration, error) {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			if d > r.policy.MaxRetryAfter {
				return 0, &retryAfterError{wait: d, limit: r.policy.MaxRetryAfter}
			}
			return d, nil
		}
	}

	return r.policy.backoff(n), nil
}

// setAside drains and closes the answer of an attempt that will be retried, and returns
// it as the error the caller gets if no later attempt does better.
func (o outcome) setAside() error {
	if o.resp == nil {
		return o.err
	}

	last := errorFromResponse(o.resp)
	discard(o.resp)

	return last
}

// finish returns the outcome of the attempt that is not retried, as the caller gets it.
func finish(ctx context.Context, out outcome, n int, last error) (*http.Response, error) {
	if out.err == nil {
		return out.resp, nil
	}

	if ctxErr := ctx.Err(); ctxErr != nil && last != nil {
		return nil, stopped(ctxErr, last)
	}

	var tokErr *tokenError
	if errors.As(out.err, &tokErr) {
		return nil, tokErr
	}

	if n > 1 {
		return nil, fmt.Errorf("%w (after %d attempts)", out.err, n)
	}

	return nil, out.err
}

// safeToRepeat reports whether sending req twice does what sending it once does.
func safeToRepeat(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut,
		http.MethodPatch, http.MethodDelete:
		return true
	case http.MethodPost:
		p := req.URL.Path
		return strings.HasSuffix(p, "/activer") || strings.HasSuffix(p, "/desactiver") ||
			strings.HasSuffix(p, loginPath) || strings.HasSuffix(p, refreshPath)
	}

	return false
}

// neverSent reports whether an attempt failed before any of it reached the service: the
// connection could not be opened or the host name did not resolve.
func neverSent(out outcome) bool {
	if out.wrote {
		return false
	}

	var opErr *net.OpError
	var dnsErr *net.DNSError

	return (errors.As(out.err, &opErr) && opErr.Op == "dial") || errors.As(out.err, &dnsErr)
}

// failureReason describes a failed attempt for the log, without the request's URL.
func failureReason(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}

	return err.Error()
}

// parseRetryAfter reads a Retry-After value: seconds, whole or decimal, or an HTTP date,
// where a past date means now. ok is false for anything else.
func parseRetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	v = strings.TrimSpace(v)
	if d, ok := parseSeconds(v); ok {
		return d, true
	}

	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}

	return max(t.Sub(now), 0), true
}

// parseSeconds reads digits with an optional fraction, such as "120" or "0.5", as seconds.
// Values beyond any sensible cap come out as the longest duration.
func parseSeconds(v string) (time.Duration, bool) {
	whole, frac, dotted := strings.Cut(v, ".")
	if !allDigits(whole) || (dotted && !allDigits(frac)) {
		return 0, false
	}
	if len(strings.TrimLeft(whole, "0")) > 9 {
		return math.MaxInt64, true
	}

	secs, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, false
	}

	return time.Duration(secs * float64(time.Second)), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}

	return s != ""
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}

	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// stoppedError ends a call that was waiting to retry: the context ended, or the service
// asked for a longer wait than the policy allows. It matches both its cause and the
// last answer with errors.Is and errors.As.
type stoppedError struct {
	cause error
	last  error
}

// stopped returns the error for a call that stopped for cause, keeping the last answer
// when there was one.
func stopped(cause, last error) error {
	if last == nil {
		return cause
	}

	return &stoppedError{cause: cause, last: last}
}

func (e *stoppedError) Error() string {
	return e.cause.Error() + "; the last answer was " +
		strings.TrimPrefix(e.last.Error(), "factpulse: ")
}

func (e *stoppedError) Unwrap() []error {
	return []error{e.cause, e.last}
}

// retryAfterError says the service asked to wait longer than the policy allows.
type retryAfterError struct {
	wait, limit time.Duration
}

func (e *retryAfterError) Error() string {
	return fmt.Sprintf("the service asked to wait %v before a retry, more than the %v allowed",
		e.wait.Round(time.Millisecond), e.limit)
}
