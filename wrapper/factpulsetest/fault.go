package factpulsetest

import (
	"io"
	"net/http"
	"strings"
	"time"
)

// DropMode says whether and when a fault closes the connection without an
// answer.
//
// Go's http.Transport sends a GET again by itself when a reused keep-alive
// connection closes before any answer; a test that wants its client to see
// a dropped GET should use a fresh connection or set [Fault.Times] to 2.
type DropMode int

const (
	// DropNone keeps the connection.
	DropNone DropMode = iota

	// DropBefore closes the connection before the fake handles the request:
	// nothing changes.
	DropBefore

	// DropAfter handles the request, so state changes, then closes the
	// connection instead of answering.
	DropAfter
)

// Fault makes the fake misbehave as a network or a proxy would, for the
// requests it matches. Faults act before authentication and validation.
// The zero Fault matches the next request and does nothing to it.
type Fault struct {
	// Method matches the request method; empty matches any.
	Method string

	// Path matches the request path exactly, or as a prefix when it ends
	// with "*" ("/api/v1/clients/*"); empty matches any.
	Path string

	// Times is how many matching requests the fault applies to: 0 means
	// one, a negative value every one until [Fake.ClearFaults].
	Times int

	// Status, when not zero, is the answer's status; the request is not
	// handled. Status is ignored when Drop is set.
	Status int

	// RetryAfter, when not empty, is sent as the Retry-After header with
	// Status: a number of seconds or an HTTP date.
	RetryAfter string

	// Body is the answer's body with Status. When empty, the body is
	// {"detail": "<status text>"}.
	Body string

	// ContentType is the answer's Content-Type with Status. When empty, it
	// is text/html for a Body that starts with "<", else application/json.
	ContentType string

	// Latency delays the request before anything else happens. The delay
	// ends early when the request's context ends, and the request is then
	// dropped.
	Latency time.Duration

	// Drop closes the connection before or after the request is handled.
	Drop DropMode
}

// pending is a fault with the number of requests it still applies to; a
// negative count never runs out.
type pending struct {
	Fault
	left int
}

// InjectFault adds a fault. Faults are tried in the order they were added;
// the first that matches a request applies to it, and only that one.
func (f *Fake) InjectFault(ft Fault) {
	left := ft.Times
	if left == 0 {
		left = 1
	}

	f.mu.Lock()
	defer f.mu.Unlock()

	f.faults = append(f.faults, &pending{Fault: ft, left: left})
}

// ClearFaults removes all faults that have not run out.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	defer f.mu.Unlock()

	f.faults = nil
}

// takeFault finds the fault for a request and counts the use.
func (f *Fake) takeFault(r *http.Request) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()

	for i, p := range f.faults {
		if !p.matches(r) {
			continue
		}
		if p.left--; p.left == 0 {
			f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
		}
		f.stats.Faults++
		return p.Fault, true
	}
	return Fault{}, false
}

func (ft Fault) matches(r *http.Request) bool {
	if ft.Method != "" && !strings.EqualFold(ft.Method, r.Method) {
		return false
	}
	if prefix, ok := strings.CutSuffix(ft.Path, "*"); ok {
		return strings.HasPrefix(r.URL.Path, prefix)
	}
	return ft.Path == "" || ft.Path == r.URL.Path
}

// before applies the part of the fault that comes before the handler. It
// reports whether the request is done with.
func (ft Fault) before(w http.ResponseWriter, r *http.Request) bool {
	if ft.Latency > 0 && !sleep(r, ft.Latency) {
		drop(w, r)
		return true
	}

	switch {
	case ft.Drop == DropBefore:
		io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		drop(w, r)
		return true
	case ft.Drop == DropNone && ft.Status != 0:
		ft.answer(w)
		return true
	}
	return false
}

// answer writes the fault's canned answer.
func (ft Fault) answer(w http.ResponseWriter) {
	body, ct := ft.Body, ft.ContentType
	if body == "" {
		body = `{"detail":"` + http.StatusText(ft.Status) + `"}`
	}
	if ct == "" {
		ct = "application/json"
		if strings.HasPrefix(strings.TrimSpace(body), "<") {
			ct = "text/html; charset=utf-8"
		}
	}

	w.Header().Set("Content-Type", ct)
	if ft.RetryAfter != "" {
		w.Header().Set("Retry-After", ft.RetryAfter)
	}
	w.WriteHeader(ft.Status)
	io.WriteString(w, body)
}

// sleep waits d, or less if the request's context ends first. It reports
// whether the whole delay passed.
func sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()

	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// drop closes the client's connection without an answer. Where the
// ResponseWriter cannot be hijacked (HTTP/2, a recorder), it aborts the
// handler instead, which net/http turns into a reset stream or a closed
// connection.
func drop(w http.ResponseWriter, _ *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}

	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
