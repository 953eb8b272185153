package factpulse

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/invoicekit/factpulse-go/gen/apiclient"
)

// maxSuccessBody bounds the body of a success answer the SDK will read.
const maxSuccessBody = 16 << 20

// Client talks to the FactPulse API. Create one with New and share it: it is safe for
// concurrent use.
type Client struct {
	// Clients holds the Client Management operations.
	Clients *ClientsService

	api     *apiclient.Client
	baseURL string
	logger  *slog.Logger
}

// New returns a Client configured by opts. It fails with an *InputError when the base URL
// is not an absolute http or https URL, when a token would travel over plain http to a
// host that is not loopback, when the token of WithToken is empty or holds a control
// character, or when the Credentials are incomplete.
func New(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}

	withToken := cfg.tokens != nil || cfg.credentials != nil
	origin, err := parseBaseURL(cfg.baseURL, withToken)
	if err != nil {
		return nil, err
	}

	tokens, err := tokenSourceFor(cfg, origin)
	if err != nil {
		return nil, err
	}

	doer := &retrier{
		hc:     httpClientFor(cfg, origin, tokens),
		policy: cfg.retry.withDefaults(),
		logger: cfg.logger,
	}
	api, err := apiclient.NewClient(origin.String(), apiclient.WithHTTPClient(doer))
	if err != nil {
		return nil, fmt.Errorf("factpulse: %w", err)
	}

	c := &Client{api: api, baseURL: origin.String(), logger: cfg.logger}
	c.Clients = &ClientsService{client: c}

	return c, nil
}

// tokenSourceFor returns the token source the options chose, or an *InputError when the
// token of WithToken cannot be sent. For Credentials it is one that logs in through its
// own HTTP client, which carries no token and follows no redirect, so that the password
// goes nowhere but the base URL.
func tokenSourceFor(cfg config, origin *url.URL) (TokenSource, error) {
	if err := checkToken(cfg.tokens); err != nil {
		return nil, err
	}
	if cfg.credentials == nil {
		return cfg.tokens, nil
	}
	if err := cfg.credentials.validate(); err != nil {
		return nil, err
	}

	hc := httpClientFor(cfg, origin, nil)
	hc.CheckRedirect = func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}
	doer := &retrier{hc: hc, policy: cfg.retry.withDefaults(), logger: cfg.logger}

	return newLoginTokens(*cfg.credentials, origin, doer, cfg.now), nil
}

// String describes the client without any credential.
func (c *Client) String() string {
	return "factpulse.Client(" + c.baseURL + ")"
}

// GoString keeps %#v from printing the client's insides.
func (c *Client) GoString() string {
	return c.String()
}

func parseBaseURL(raw string, withToken bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &InputError{Field: "base URL", Rule: "must be an absolute http or https URL"}
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, &InputError{Field: "base URL",
			Rule: "must not carry user info, a query or a fragment"}
	}
	if withToken && !secureScheme(u) {
		return nil, &InputError{Field: "base URL",
			Rule: "must use https to carry a token (plain http only to loopback)"}
	}

	return u, nil
}

// httpClientFor copies the caller's HTTP client, or makes one, and wraps its transport so
// that requests carry the SDK's headers and, to the origin only, tokens from ts.
func httpClientFor(cfg config, origin *url.URL, ts TokenSource) *http.Client {
	hc := &http.Client{Timeout: DefaultTimeout}
	if cfg.httpClient != nil {
		copied := *cfg.httpClient
		hc = &copied
	}

	hc.CheckRedirect = redirectPolicy(origin, hc.CheckRedirect)

	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &transport{
		base:      base,
		origin:    origin,
		tokens:    ts,
		userAgent: cfg.userAgent,
	}

	return hc
}

// maxRedirects is how many redirects one request may follow, as net/http allows by default.
const maxRedirects = 10

// redirectPolicy returns a redirect policy that follows a redirect only when it repeats
// the request as it was: a 301, 302 or 303 that would turn a PUT, PATCH or POST into a
// GET, or a 307 or 308 that would send a body (a PDP client secret, say) to another
// origin than the base URL, ends the request, and its answer is returned as it is, an
// *APIError for the caller. Other redirects follow next, the caller's own policy, or the
// default limit of 10.
func redirectPolicy(origin *url.URL, next func(*http.Request, []*http.Request) error) func(
	*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if req.Method != via[0].Method {
			return http.ErrUseLastResponse
		}
		if req.GetBody != nil && !sameOrigin(origin, req.URL) {
			return http.ErrUseLastResponse
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}

		return nil
	}
}

// sendFunc sends one generated request with the given context.
type sendFunc func(ctx context.Context) (*http.Response, error)

// call sends a request, checks its status and decodes the answer into out. It returns an
// *APIError for any answer but the expected one, and never leaves out half-filled
// without an error.
func (c *Client) call(ctx context.Context, op string, want int, send sendFunc, out any) error {
	ctx, _ = withCallInfo(ctx)
	start := time.Now()

	resp, err := send(ctx)
	if err != nil {
		c.logger.DebugContext(ctx, "factpulse call failed", "op", op, "error", err)
		return callError(op, err)
	}
	defer resp.Body.Close()

	c.logger.DebugContext(ctx, "factpulse call", "op", op, "status", resp.StatusCode,
		"attempts", attemptsOf(resp), "duration", time.Since(start))

	if resp.StatusCode != want {
		return errorFromResponse(resp)
	}

	return decodeSuccess(resp, out)
}

// callError names the operation in a call that got no answer to decode. A failure to get
// a token is returned as it is: it is about the credentials, not the operation.
func callError(op string, err error) error {
	var tokErr *tokenError
	if errors.As(err, &tokErr) {
		var authErr *AuthError
		if errors.As(tokErr.err, &authErr) {
			return fmt.Errorf("factpulse: %w", authErr)
		}
	}

	return fmt.Errorf("factpulse: %s: %w", op, err)
}

// decodeSuccess reads a success answer into out. A body that is not a JSON object becomes
// an *APIError that keeps the status and the start of the body.
func decodeSuccess(resp *http.Response, out any) error {
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSuccessBody+1))
	if err != nil {
		e := newAPIError(resp, body)
		e.Err = fmt.Errorf("reading the answer: %w", err)
		return e
	}

	if len(body) > maxSuccessBody {
		e := newAPIError(resp, body)
		e.Err = errors.New("answer larger than 16 MiB")
		return e
	}

	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		e := newAPIError(resp, body)
		e.Err = errors.New("answer is not a JSON object")
		return e
	}

	if err := json.Unmarshal(trimmed, out); err != nil {
		e := newAPIError(resp, body)
		e.Err = fmt.Errorf("decoding the answer: %w", err)
		return e
	}

	if err := shapeOf(out).check(trimmed); err != nil {
		e := newAPIError(resp, body)
		e.Err = err
		return e
	}

	return nil
}
