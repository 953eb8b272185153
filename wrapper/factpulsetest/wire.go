package factpulsetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/invoicekit/factpulse-go/gen/apiserver"
)

// stampLayout is the service's timestamp form: 2000-01-23T04:56:07.000+00:00.
const stampLayout = "2006-01-02T15:04:05.000-07:00"

// stamp is a time written in stampLayout, in UTC. The generated models hold
// time.Time, which encodes UTC as "Z"; the fake answers with its own views
// instead, which also send every property, null included, as FastAPI does.
type stamp time.Time

func (s stamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(s).UTC().Format(stampLayout) + `"`), nil
}

// clientView is ClientDetail and ClientSummary on the wire.
type clientView struct {
	UID             string  `json:"uid"`
	Name            string  `json:"name"`
	Siret           *string `json:"siret"`
	Description     *string `json:"description"`
	IsActive        bool    `json:"isActive"`
	HasConfigPdp    bool    `json:"hasConfigPdp"`
	PdpIsActive     *bool   `json:"pdpIsActive"`
	PdpIsMock       *bool   `json:"pdpIsMock"`
	HasConfigChorus bool    `json:"hasConfigChorus"`
	CreatedAt       stamp   `json:"createdAt"`
	UpdatedAt       stamp   `json:"updatedAt"`
}

// listView is ClientListResponse on the wire.
type listView struct {
	Results  []clientView `json:"results"`
	Total    int          `json:"total"`
	Page     int          `json:"page"`
	PageSize int          `json:"pageSize"`
}

// statusView is ClientActivateResponse on the wire.
type statusView struct {
	UID      string `json:"uid"`
	IsActive bool   `json:"isActive"`
	Message  string `json:"message"`
}

// pdpView is PDPConfigResponse on the wire. It has no place for the secret.
type pdpView struct {
	IsConfigured    bool        `json:"isConfigured"`
	ID              *int        `json:"id"`
	IsActive        *bool       `json:"isActive"`
	ModeSandbox     *bool       `json:"modeSandbox"`
	FlowServiceURL  *string     `json:"flowServiceUrl"`
	TokenURL        *string     `json:"tokenUrl"`
	OAuthClientID   *string     `json:"oauthClientId"`
	SecretStatus    *secretView `json:"secretStatus"`
	LastTestAt      *stamp      `json:"lastTestAt"`
	LastTestSuccess *bool       `json:"lastTestSuccess"`
	LastTestError   *string     `json:"lastTestError"`
	CreatedAt       *stamp      `json:"createdAt"`
	UpdatedAt       *stamp      `json:"updatedAt"`
	Message         *string     `json:"message"`
}

// secretView is SecretStatus on the wire.
type secretView struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

// detailBody is the service's error body other than 422: {"detail": "..."}.
type detailBody struct {
	Detail string `json:"detail"`
}

// problem is one entry of a 422 body, FastAPI's ValidationError. Loc items
// are strings or integers.
type problem struct {
	Loc  []any  `json:"loc"`
	Msg  string `json:"msg"`
	Type string `json:"type"`
}

// problemsBody is the 422 body, FastAPI's HTTPValidationError.
type problemsBody struct {
	Detail []problem `json:"detail"`
}

// reply is an answer of any of the eight operations: a status and a body
// to encode as JSON. It implements every Visit...Response interface of the
// strict server, so the handlers can return it for any status.
type reply struct {
	status int
	body   any
}

var (
	_ apiserver.ListClientsResponseObject      = reply{}
	_ apiserver.CreateClientResponseObject     = reply{}
	_ apiserver.GetClientResponseObject        = reply{}
	_ apiserver.UpdateClientResponseObject     = reply{}
	_ apiserver.ActivateClientResponseObject   = reply{}
	_ apiserver.DeactivateClientResponseObject = reply{}
	_ apiserver.GetPdpConfigResponseObject     = reply{}
	_ apiserver.UpdatePdpConfigResponseObject  = reply{}
)

func (r reply) write(w http.ResponseWriter) error {
	_, err := writeJSONErr(w, r.status, r.body)
	return err
}

func (r reply) VisitListClientsResponse(w http.ResponseWriter) error      { return r.write(w) }
func (r reply) VisitCreateClientResponse(w http.ResponseWriter) error     { return r.write(w) }
func (r reply) VisitGetClientResponse(w http.ResponseWriter) error        { return r.write(w) }
func (r reply) VisitUpdateClientResponse(w http.ResponseWriter) error     { return r.write(w) }
func (r reply) VisitActivateClientResponse(w http.ResponseWriter) error   { return r.write(w) }
func (r reply) VisitDeactivateClientResponse(w http.ResponseWriter) error { return r.write(w) }
func (r reply) VisitGetPdpConfigResponse(w http.ResponseWriter) error     { return r.write(w) }
func (r reply) VisitUpdatePdpConfigResponse(w http.ResponseWriter) error  { return r.write(w) }

// detail makes a {"detail": "..."} reply.
func detail(status int, text string) reply {
	return reply{status: status, body: detailBody{Detail: text}}
}

// unprocessable makes a 422 reply.
func unprocessable(ps ...problem) reply {
	return reply{status: http.StatusUnprocessableEntity, body: problemsBody{Detail: ps}}
}

// writeJSON writes a JSON answer and returns its status.
func writeJSON(w http.ResponseWriter, status int, body any) int {
	writeJSONErr(w, status, body)
	return status
}

// writeDetail writes a {"detail": "..."} answer and returns its status.
func writeDetail(w http.ResponseWriter, status int, text string) int {
	return writeJSON(w, status, detailBody{Detail: text})
}

func writeJSONErr(w http.ResponseWriter, status int, body any) (int, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		return 0, err
	}

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return w.Write(buf.Bytes())
}

// recorder keeps an answer until the fake decides what to do with it: check
// it against the spec, send it, or drop the connection instead.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder {
	return &recorder{header: make(http.Header)}
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// reset forgets what was written, to write another answer.
func (r *recorder) reset() {
	clear(r.header)
	r.status = 0
	r.body.Reset()
}

// copyTo sends the kept answer.
func (r *recorder) copyTo(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}
