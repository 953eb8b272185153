package factpulsetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/invoicekit/factpulse-go/gen/apiserver"
)

// uuidPattern is the canonical text form of a UUID, any version.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$`)

func init() {
	// Parameters are checked with the global formats only, so the uuid check
	// has to go there; writing the table at init time races with nothing.
	openapi3.DefineStringFormatValidator("uuid", openapi3.NewCallbackValidator(checkUUID))
}

func checkUUID(s string) error {
	if !uuidPattern.MatchString(s) {
		return errors.New("not a UUID")
	}
	return nil
}

// router finds the operation of a request in the spec built into
// gen/apiserver. The spec's servers are dropped so that any host matches,
// 127.0.0.1 on any port included. The router is shared by all fakes; it is
// read-only once built.
var router = sync.OnceValue(func() routers.Router {
	doc, err := apiserver.GetSpec()
	if err != nil {
		panic(fmt.Sprintf("factpulsetest: loading the built-in OpenAPI description: %v", err))
	}
	doc.Servers = nil

	r, err := legacy.NewRouter(doc)
	if err != nil {
		panic(fmt.Sprintf("factpulsetest: routing the built-in OpenAPI description: %v", err))
	}
	return r
})

// filterOptions skip security: the fake checks tokens itself, before
// validation, as the service's security dependency does.
var filterOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	MultiError:            true,
	IncludeResponseStatus: true,
}

// serveAPI answers a request for one of the eight operations. The steps are
// those of the service: find the operation, check the token, check the
// request against the spec, run the handler. The answer is then checked
// against the spec too.
func (f *Fake) serveAPI(w *recorder, r *http.Request) {
	r = r.Clone(r.Context())
	route, params, err := router().FindRoute(r)
	if err != nil {
		routeError(w, err)
		return
	}
	f.count(operationName(route.Operation.OperationID))

	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options:    filterOptions,
	}
	f.serveOperation(w, in)

	if f.alter != nil {
		f.alter(w)
	}
	f.checkAnswer(w, in)
}

// operationName gives an operation id as openapi.yaml spells it. The spec
// built into gen/apiserver has the ids capitalised, as Go names.
func operationName(id string) string {
	if id == "" {
		return id
	}
	return strings.ToLower(id[:1]) + id[1:]
}

// routeError answers a request that matches no operation, as FastAPI does.
func routeError(w http.ResponseWriter, err error) {
	var re *routers.RouteError
	if errors.As(err, &re) && re.Reason == routers.ErrMethodNotAllowed.Error() {
		writeDetail(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	writeDetail(w, http.StatusNotFound, "Not Found")
}

// serveOperation authenticates and validates the request, then runs the
// operation's handler.
func (f *Fake) serveOperation(w http.ResponseWriter, in *openapi3filter.RequestValidationInput) {
	r := in.Request
	c, err := f.authenticate(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", "Bearer")
		writeDetail(w, http.StatusUnauthorized, err.Error())
		return
	}

	if p, ok := checkJSON(r, in.Route.Operation); !ok {
		unprocessable(p).write(w)
		return
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		unprocessable(problems(err)...).write(w)
		return
	}

	ctx := context.WithValue(r.Context(), claimsKey{}, c)
	f.api.ServeHTTP(w, r.WithContext(ctx))
}

// checkJSON reads a JSON body the way FastAPI does before validation: a body
// without a Content-Type is taken as JSON, and malformed JSON is a single
// json_invalid problem located at the byte where decoding failed.
func checkJSON(r *http.Request, op *openapi3.Operation) (problem, bool) {
	if op.RequestBody == nil || r.Body == nil {
		return problem{}, true
	}

	data, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(data))
	if len(data) == 0 {
		return problem{}, true
	}

	ct := r.Header.Get("Content-Type")
	if ct == "" {
		r.Header.Set("Content-Type", "application/json")
	} else if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
		return problem{}, true
	}

	var v any
	var syn *json.SyntaxError
	if err := json.Unmarshal(data, &v); errors.As(err, &syn) {
		pos := max(int(syn.Offset)-1, 0)
		return problem{Loc: []any{"body", pos}, Msg: "JSON decode error", Type: "json_invalid"}, false
	}
	return problem{}, true
}

// checkAnswer validates the kept answer against the spec. An answer that
// does not match is kept for Err and replaced by a 500.
func (f *Fake) checkAnswer(w *recorder, in *openapi3filter.RequestValidationInput) {
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 w.status,
		Header:                 w.header,
		Body:                   io.NopCloser(bytes.NewReader(w.body.Bytes())),
		Options:                filterOptions,
	}
	err := openapi3filter.ValidateResponse(in.Request.Context(), out)
	if err == nil {
		return
	}

	f.fail(in.Request, fmt.Errorf("answer %d does not match the spec: %w", w.status, err))
	w.reset()
	writeDetail(w, http.StatusInternalServerError, "Internal Server Error")
}

// problems turns kin-openapi's request errors into FastAPI's 422 entries.
func problems(err error) []problem {
	if me, ok := err.(openapi3.MultiError); ok {
		var out []problem
		for _, e := range me {
			out = append(out, problems(e)...)
		}
		return out
	}

	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return []problem{{Loc: []any{"body"}, Msg: err.Error(), Type: "value_error"}}
	}
	if re.Parameter != nil {
		return []problem{paramProblem(re)}
	}
	return bodyProblems(re)
}

// paramProblem describes an invalid path or query parameter.
func paramProblem(re *openapi3filter.RequestError) problem {
	p := re.Parameter
	loc := []any{p.In, p.Name}

	var se *openapi3.SchemaError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return problem{Loc: loc, Msg: "Field required", Type: "missing"}
	case errors.As(re.Err, &se):
		typ, msg := describe(se)
		return problem{Loc: loc, Msg: msg, Type: typ}
	}

	typ, msg := describeType(p.Schema.Value)
	if typ == "int_type" {
		typ, msg = "int_parsing", msg+", unable to parse string as an integer"
	}
	return problem{Loc: loc, Msg: msg, Type: typ}
}

// bodyProblems describes an invalid body: one entry per schema error.
func bodyProblems(re *openapi3filter.RequestError) []problem {
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return []problem{{Loc: []any{"body"}, Msg: "Field required", Type: "missing"}}
	}

	var out []problem
	for _, se := range schemaErrors(re.Err) {
		typ, msg := describe(se)
		out = append(out, problem{Loc: bodyLoc(se.JSONPointer()), Msg: msg, Type: typ})
	}
	if len(out) == 0 {
		out = append(out, problem{
			Loc:  []any{"body"},
			Msg:  notAnObject,
			Type: "model_attributes_type",
		})
	}
	return out
}

// schemaErrors collects the schema errors inside err.
func schemaErrors(err error) []*openapi3.SchemaError {
	if se, ok := err.(*openapi3.SchemaError); ok {
		return []*openapi3.SchemaError{se}
	}
	me, ok := err.(openapi3.MultiError)
	if !ok {
		return nil
	}

	var out []*openapi3.SchemaError
	for _, e := range me {
		out = append(out, schemaErrors(e)...)
	}
	return out
}

// bodyLoc makes a FastAPI location from a JSON pointer: array indexes
// become integers.
func bodyLoc(pointer []string) []any {
	loc := []any{"body"}
	for _, part := range pointer {
		if n, err := strconv.Atoi(part); err == nil {
			loc = append(loc, n)
			continue
		}
		loc = append(loc, part)
	}
	return loc
}

// describe gives the pydantic error type and message of a schema error.
func describe(se *openapi3.SchemaError) (typ, msg string) {
	s := se.Schema
	switch se.SchemaField {
	case "required":
		return "missing", "Field required"
	case "minLength":
		return "string_too_short", fmt.Sprintf("String should have at least %d %s",
			s.MinLength, plural(s.MinLength, "character"))
	case "maxLength":
		return "string_too_long", fmt.Sprintf("String should have at most %d %s",
			*s.MaxLength, plural(*s.MaxLength, "character"))
	case "pattern":
		return "string_pattern_mismatch", fmt.Sprintf("String should match pattern '%s'", s.Pattern)
	case "minimum":
		return "greater_than_equal", fmt.Sprintf("Input should be greater than or equal to %g", *s.Min)
	case "maximum":
		return "less_than_equal", fmt.Sprintf("Input should be less than or equal to %g", *s.Max)
	case "format":
		if s.Format == "uuid" {
			return "uuid_parsing", "Input should be a valid UUID"
		}
		return "value_error", "Value error, invalid " + s.Format
	case "type", "nullable":
		return describeType(s)
	}
	return "value_error", "Value error, " + se.Reason
}

// describeType gives the pydantic error for a value of the wrong type.
func describeType(s *openapi3.Schema) (typ, msg string) {
	switch {
	case s.Type.Is(openapi3.TypeString):
		return "string_type", "Input should be a valid string"
	case s.Type.Is(openapi3.TypeBoolean):
		return "bool_type", "Input should be a valid boolean"
	case s.Type.Is(openapi3.TypeInteger):
		return "int_type", "Input should be a valid integer"
	case s.Type.Is(openapi3.TypeArray):
		return "list_type", "Input should be a valid list"
	}
	return "model_attributes_type", notAnObject
}

const notAnObject = "Input should be a valid dictionary or object to extract fields from"

func plural(n uint64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
