package factpulsetest

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Paths of the token endpoints. They are not in the OpenAPI description, so
// the fake serves them outside the validated router.
const (
	loginPath   = "/api/token/"
	refreshPath = "/api/token/refresh/"
)

// maxRecorded is how many requests [Fake.Requests] keeps, the most recent.
const maxRecorded = 1000

// Fake is the in-memory service. It is an [http.Handler] and is safe for
// concurrent use. Make one with [New], or with [NewServer] to also listen.
type Fake struct {
	cfg config
	key []byte
	api http.Handler

	mu       sync.Mutex
	clients  map[uuid.UUID]*client
	order    []uuid.UUID
	nextPDP  int
	faults   []*pending
	stats    Stats
	requests []RecordedRequest
	errs     []error

	// alter, when set by a test of this package, changes each answer of the
	// validated router before it is checked against the spec.
	alter func(*recorder)
}

// Stats counts what reached a [Fake]. The counts start at zero in [New].
type Stats struct {
	// Logins counts POST /api/token/ requests, whatever the answer.
	Logins int

	// FailedLogins counts the logins that did not answer 200.
	FailedLogins int

	// Refreshes counts POST /api/token/refresh/ requests, whatever the answer.
	Refreshes int

	// FailedRefreshes counts the refreshes that did not answer 200.
	FailedRefreshes int

	// Requests counts the requests that reached each operation, by the
	// operation id of openapi.yaml ("listClients", "getClient", ...),
	// whatever the answer. A request a fault answered did not reach it.
	Requests map[string]int

	// Faults counts the requests an injected fault delayed, answered or
	// dropped.
	Faults int
}

// RecordedRequest is one request as the fake received it, before any fault.
// Header and Body hold what the client sent, the Authorization header and
// PDP client secrets included: do not print them where logs are kept.
type RecordedRequest struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     []byte
}

// New returns a Fake with no clients. It panics only if the OpenAPI
// description built into gen/apiserver cannot be loaded, which is a bug.
func New(opts ...Option) *Fake {
	f := &Fake{
		cfg:     defaults(),
		key:     make([]byte, 32),
		clients: make(map[uuid.UUID]*client),
		stats:   Stats{Requests: make(map[string]int)},
	}
	for _, opt := range opts {
		opt(&f.cfg)
	}

	rand.Read(f.key) // never fails, by the crypto/rand documentation
	f.api = f.operations()
	return f
}

// ServeHTTP answers one request: an injected fault when one matches, else
// the token endpoints or the eight operations of the API.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.record(r)

	ft, faulted := f.takeFault(r)
	if faulted && ft.before(w, r) {
		return
	}

	rec := f.answer(r)
	if faulted && ft.Drop == DropAfter {
		drop(w, r)
		return
	}
	rec.copyTo(w)
}

// answer runs the request through the fake and keeps the answer.
func (f *Fake) answer(r *http.Request) *recorder {
	rec := newRecorder()
	switch r.URL.Path {
	case loginPath:
		f.login(rec, r)
	case refreshPath:
		f.refresh(rec, r)
	default:
		f.serveAPI(rec, r)
	}
	return rec
}

// Err returns the errors the fake found in its own answers since [New]:
// answers that do not match the OpenAPI description, and handler failures.
// Each such answer went out as a 500. Err returns nil when there was none;
// a test should check it when it ends.
func (f *Fake) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()

	return errors.Join(f.errs...)
}

// fail keeps an error for [Fake.Err].
func (f *Fake) fail(r *http.Request, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()

	f.errs = append(f.errs, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
}

// Stats returns a copy of the counts so far.
func (f *Fake) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()

	s := f.stats
	s.Requests = maps.Clone(f.stats.Requests)
	return s
}

// Requests returns the requests received so far, oldest first, up to the
// 1000 most recent.
func (f *Fake) Requests() []RecordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()

	return slices.Clone(f.requests)
}

// record keeps a copy of the request and puts its body back for the
// handlers; a request without a body gets an empty one.
func (f *Fake) record(r *http.Request) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rr := RecordedRequest{
		Method:   r.Method,
		Path:     r.URL.Path,
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Body:     body,
	}

	f.mu.Lock()
	defer f.mu.Unlock()

	if len(f.requests) == maxRecorded {
		f.requests = slices.Delete(f.requests, 0, 1)
	}
	f.requests = append(f.requests, rr)
}

// count adds one to the counter of an operation.
func (f *Fake) count(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()

	f.stats.Requests[op]++
}

// now reads the fake's clock.
func (f *Fake) now() time.Time {
	return f.cfg.now()
}
