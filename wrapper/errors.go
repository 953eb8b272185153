package factpulse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Sentinel errors that errors.Is matches against an *APIError or an *InputError.
var (
	// ErrNotFound matches an answer with status 404: no such client in the account.
	ErrNotFound = errors.New("factpulse: not found")

	// ErrUnauthorized matches an answer with status 401: the token is missing, invalid or
	// expired, and also a failed login.
	ErrUnauthorized = errors.New("factpulse: unauthorized")

	// ErrForbidden matches an answer with status 403: the token may not act on this client.
	ErrForbidden = errors.New("factpulse: forbidden")

	// ErrValidation matches an answer with status 422: the service rejected the input.
	ErrValidation = errors.New("factpulse: validation failed")

	// ErrInvalidInput matches an *InputError: the SDK refused the input before sending it.
	ErrInvalidInput = errors.New("factpulse: invalid input")
)

// maxErrorBody bounds how much of an error answer's body an APIError keeps.
const maxErrorBody = 8 << 10

// maxParsedErrorBody bounds how much of an error answer is read to understand it. It is
// larger than what is kept so that a long validation answer can still be parsed, and
// the inputs it echoes removed, before it is cut.
const maxParsedErrorBody = 1 << 20

// APIError is an answer from the service that is not the success the operation documents:
// a 4xx or 5xx status, an unexpected status, or a body that could not be decoded. Use
// errors.As to get at it and errors.Is with ErrNotFound, ErrUnauthorized, ErrForbidden or
// ErrValidation to classify it.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int

	// Method and Path name the request that got the answer, such as
	// "GET" and "/api/v1/clients/3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f".
	Method, Path string

	// Detail is the service's own explanation: the "detail" text of its JSON error body.
	// It is empty when the body had none (an HTML page from a proxy, an empty body).
	Detail string

	// Problems lists what a 422 answer found wrong with the input, in the service's order.
	Problems []Problem

	// Body is the start of the raw answer body, at most 8 KiB, kept for diagnosis. Values
	// that a validation answer echoes back ("input") are removed from it, because they may
	// be secrets the caller sent.
	Body []byte

	// ContentType is the Content-Type header of the answer.
	ContentType string

	// Attempts is how many times the request was sent before this answer; 0 when unknown.
	Attempts int

	// Err is the reason the body could not be used, such as a JSON syntax error on a
	// success status, or nil.
	Err error
}

// Problem is one entry of a 422 answer: where the bad value is and what is wrong with it.
type Problem struct {
	// Location is the path to the bad value as the service gives it; each item is a
	// string or an int, such as ["body", "siret"] or ["body", "lines", 0].
	Location []any

	// Message says what is wrong, in the service's words.
	Message string

	// Type is the service's code for the problem, such as "string_pattern_mismatch".
	Type string
}

// Field returns the location as a dotted path, such as "body.siret" or "query.pageSize".
func (p Problem) Field() string {
	parts := make([]string, len(p.Location))
	for i, item := range p.Location {
		parts[i] = fmt.Sprint(item)
	}

	return strings.Join(parts, ".")
}

// String returns the problem as "field: message".
func (p Problem) String() string {
	return p.Field() + ": " + p.Message
}

// Error describes the answer in one line: request, status, and the service's explanation.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("factpulse: ")
	if e.Method != "" {
		fmt.Fprintf(&b, "%s %s: ", e.Method, e.Path)
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))

	switch {
	case len(e.Problems) > 0:
		msgs := make([]string, len(e.Problems))
		for i, p := range e.Problems {
			msgs[i] = p.String()
		}
		b.WriteString(": " + strings.Join(msgs, "; "))
	case e.Detail != "":
		b.WriteString(": " + e.Detail)
	case e.Err != nil:
		fmt.Fprintf(&b, ": %v", e.Err)
	case len(e.Body) == 0:
		b.WriteString(" (empty body)")
	default:
		fmt.Fprintf(&b, " (%s body that is not a service error)", describeType(e.ContentType))
	}

	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}

	return b.String()
}

// GoString keeps %#v from dumping the raw body.
func (e *APIError) GoString() string {
	return "&factpulse.APIError{" + strconv.Quote(e.Error()) + "}"
}

// Unwrap returns the decoding error, if any.
func (e *APIError) Unwrap() error {
	return e.Err
}

// Is reports whether the answer's status is the one target stands for.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrValidation:
		return e.StatusCode == http.StatusUnprocessableEntity
	}

	return false
}

// Temporary reports whether the same request may succeed later: 408, 429 and 5xx answers.
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusRequestTimeout ||
		e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

func describeType(contentType string) string {
	if contentType == "" {
		return "untyped"
	}
	if i := strings.IndexByte(contentType, ';'); i >= 0 {
		contentType = contentType[:i]
	}

	return strings.TrimSpace(contentType)
}

// errorFromResponse reads an answer that is not the expected success and turns it into
// an *APIError. It leaves the body for the caller to close.
func errorFromResponse(resp *http.Response) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxParsedErrorBody))

	return newAPIError(resp, body)
}

// newAPIError builds the error for an answer whose body has already been read. It
// understands both of the service's JSON error shapes and keeps anything else as raw
// bytes, except an error answer that claims to be JSON but cannot be parsed: its inputs
// could not be removed, so none of it is kept.
func newAPIError(resp *http.Response, body []byte) *APIError {
	e := &APIError{
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
	}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		e.Path = resp.Request.URL.Path
	}
	e.Attempts = attemptsOf(resp)

	var shape struct {
		Detail json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &shape) != nil {
		if resp.StatusCode < 400 || !looksLikeJSON(e.ContentType, body) {
			e.Body = bounded(body)
		}

		return e
	}
	if len(shape.Detail) == 0 {
		e.Body = bounded(body)

		return e
	}

	if json.Unmarshal(shape.Detail, &e.Detail) != nil {
		e.Problems = parseProblems(shape.Detail)
	}
	e.Body = bounded(scrubInputs(body))

	return e
}

// wireProblem is one validation problem as the service sends it. Other members that the
// service may add (the rejected input among them) are deliberately not decoded.
type wireProblem struct {
	Loc  []json.RawMessage `json:"loc"`
	Msg  string            `json:"msg"`
	Type string            `json:"type"`
}

func parseProblems(raw json.RawMessage) []Problem {
	var items []wireProblem
	if json.Unmarshal(raw, &items) != nil {
		return nil
	}

	problems := make([]Problem, 0, len(items))
	for _, it := range items {
		problems = append(problems, Problem{
			Location: parseLocation(it.Loc),
			Message:  it.Msg,
			Type:     it.Type,
		})
	}

	return problems
}

// parseLocation turns loc items into strings and ints; anything else is kept as its JSON.
func parseLocation(items []json.RawMessage) []any {
	loc := make([]any, 0, len(items))
	for _, raw := range items {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			loc = append(loc, s)
			continue
		}

		var n int
		if json.Unmarshal(raw, &n) == nil {
			loc = append(loc, n)
			continue
		}

		loc = append(loc, string(raw))
	}

	return loc
}

// scrubInputs removes the "input" and "ctx" members that validation answers may carry, since
// they echo what the caller sent. A body it cannot parse is returned as it is.
func scrubInputs(body []byte) []byte {
	var doc struct {
		Detail []map[string]json.RawMessage `json:"detail"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return body
	}

	for _, item := range doc.Detail {
		delete(item, "input")
		delete(item, "ctx")
	}

	out, err := json.Marshal(doc)
	if err != nil {
		return body
	}

	return out
}

// looksLikeJSON reports whether an answer says it is JSON or starts like JSON.
func looksLikeJSON(contentType string, body []byte) bool {
	trimmed := bytes.TrimSpace(body)

	return strings.Contains(contentType, "json") ||
		(len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '['))
}

func bounded(body []byte) []byte {
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}

	return bytes.Clone(body)
}

// InputError reports input that the SDK refused before sending any request. errors.Is
// matches it with ErrInvalidInput.
type InputError struct {
	// Field names the bad input as the API names it, such as "uid", "siret" or "pageSize".
	Field string

	// Rule says what the value must be, such as "must be 14 digits".
	Rule string
}

// Error returns "factpulse: invalid <field>: <rule>".
func (e *InputError) Error() string {
	return "factpulse: invalid " + e.Field + ": " + e.Rule
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool {
	return target == ErrInvalidInput
}
