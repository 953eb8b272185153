package factpulse

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// DefaultBaseURL is the production service, used unless WithBaseURL says otherwise.
const DefaultBaseURL = "https://factpulse.fr"

// DefaultTimeout bounds one HTTP exchange of the default HTTP client.
const DefaultTimeout = 30 * time.Second

// Version is the SDK's version, sent in the default User-Agent.
const Version = "0.1.0"

// Option configures a Client. Pass options to New.
type Option func(*config)

type config struct {
	baseURL     string
	tokens      TokenSource
	credentials *Credentials
	httpClient  *http.Client
	userAgent   string
	logger      *slog.Logger
	retry       RetryPolicy
	now         func() time.Time
}

func defaultConfig() config {
	return config{
		baseURL:   DefaultBaseURL,
		userAgent: "factpulse-go/" + Version,
		logger:    slog.New(slog.DiscardHandler),
		now:       time.Now,
	}
}

// TokenSource supplies the bearer token for each request. Implementations must be safe
// for concurrent use; Token should return quickly when it has a valid token at hand.
type TokenSource interface {
	// Token returns a token to send as "Authorization: Bearer <token>".
	Token(ctx context.Context) (string, error)
}

// staticToken is a TokenSource that always returns the same token.
type staticToken string

func (t staticToken) Token(context.Context) (string, error) {
	return string(t), nil
}

// Format keeps the token out of fmt output, whatever the verb.
func (t staticToken) Format(f fmt.State, _ rune) {
	fmt.Fprint(f, "factpulse.staticToken("+redacted+")")
}

// WithBaseURL sets the service's address, such as "http://127.0.0.1:8001" for a local
// fake. The default is DefaultBaseURL. Tokens are only sent over https, or over plain
// http to a loopback address.
func WithBaseURL(baseURL string) Option {
	return func(c *config) { c.baseURL = baseURL }
}

// WithToken authenticates every request with a fixed bearer token, such as one made on
// the service's dashboard. By default no token is sent. New fails with an *InputError
// when token is empty or holds a control character, such as a line break, that no
// header may carry. A request answered 401 is not retried: the token cannot be renewed.
// Of WithToken, WithTokenSource and WithCredentials, the last one given wins.
func WithToken(token string) Option {
	return func(c *config) {
		c.tokens = staticToken(token)
		c.credentials = nil
	}
}

// checkToken returns an *InputError when the token of WithToken, if any, cannot be sent:
// it is empty or is not a valid header value. The error never holds the token.
func checkToken(ts TokenSource) error {
	tok, ok := ts.(staticToken)
	if !ok {
		return nil
	}

	return checkTokenValue(string(tok))
}

// checkTokenValue refuses a token that cannot travel in an Authorization header: an
// empty one, or one with a control character. The error never holds the token.
func checkTokenValue(tok string) error {
	if tok == "" {
		return &InputError{Field: "token", Rule: "must not be empty"}
	}

	for i := range len(tok) {
		if b := tok[i]; b < 0x20 || b == 0x7f {
			return &InputError{Field: "token",
				Rule: "must not hold a control character, such as a line break"}
		}
	}

	return nil
}

// WithTokenSource authenticates every request with a token from ts. The SDK asks ts for
// a token before each request. A request answered 401 is sent once more with a fresh
// token only when ts is also a TokenInvalidator. Of
// WithToken, WithTokenSource and WithCredentials, the last one given wins.
func WithTokenSource(ts TokenSource) Option {
	return func(c *config) {
		c.tokens = ts
		c.credentials = nil
	}
}

// WithHTTPClient sets the HTTP client that carries requests. The SDK copies it and wraps
// its Transport (http.DefaultTransport when nil); the caller's client is not modified.
// The default is a client with DefaultTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.httpClient = hc }
}

// WithUserAgent sets the User-Agent header. The default names the SDK and its version,
// such as "factpulse-go/0.1.0".
func WithUserAgent(ua string) Option {
	return func(c *config) { c.userAgent = ua }
}

// WithLogger sets where the SDK logs. It logs only at debug level, never a header value,
// token, password or client secret. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}
