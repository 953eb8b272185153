package factpulsetest

import (
	"context"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/invoicekit/factpulse-go/gen/apiserver"
)

// Paging defaults of listClients.
const (
	defaultPage     = 1
	defaultPageSize = 20
)

// operations is the generated router with the fake's handlers behind it.
// Requests reach it authenticated and checked against the spec.
func (f *Fake) operations() http.Handler {
	strict := apiserver.NewStrictHandlerWithOptions(handlers{f}, nil,
		apiserver.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  badBody,
			ResponseErrorHandlerFunc: f.handlerFailed,
		})
	return apiserver.HandlerWithOptions(strict, apiserver.StdHTTPServerOptions{
		ErrorHandlerFunc: badParam,
	})
}

// badBody answers a body the generated code could not decode. Validation
// catches such bodies first, so this is a fallback.
func badBody(w http.ResponseWriter, _ *http.Request, err error) {
	unprocessable(problem{Loc: []any{"body"}, Msg: "JSON decode error", Type: "json_invalid"}).
		write(w)
}

// badParam answers a parameter the generated code could not bind; a fallback
// too.
func badParam(w http.ResponseWriter, _ *http.Request, err error) {
	unprocessable(problem{Loc: []any{"path"}, Msg: err.Error(), Type: "value_error"}).write(w)
}

// handlerFailed keeps a handler's error for Err and answers 500.
func (f *Fake) handlerFailed(w http.ResponseWriter, r *http.Request, err error) {
	f.fail(r, err)
	writeDetail(w, http.StatusInternalServerError, "Internal Server Error")
}

// handlers implements the eight operations in memory.
type handlers struct{ f *Fake }

var _ apiserver.StrictServerInterface = handlers{}

type claimsKey struct{}

// tokenClaims returns the claims of the request's token.
func tokenClaims(ctx context.Context) claims {
	c, _ := ctx.Value(claimsKey{}).(claims)
	return c
}

// forbidden is the answer to a token outside its scope.
var forbidden = detail(http.StatusForbidden, "Not allowed with this token.")

// onClient runs fn on the client uid under the lock, after checking the
// token's scope: 403 when a client-level token names another client, 404 for
// an unknown client.
func (h handlers) onClient(ctx context.Context, uid uuid.UUID, fn func(*client) reply) reply {
	scope := tokenClaims(ctx).ClientUID
	if scope != "" && !strings.EqualFold(scope, uid.String()) {
		return forbidden
	}

	h.f.mu.Lock()
	defer h.f.mu.Unlock()

	c, ok := h.f.clients[uid]
	if !ok {
		return detail(http.StatusNotFound, "Client not found.")
	}
	return fn(c)
}

// ListClients serves GET /api/v1/clients, for account-level tokens.
func (h handlers) ListClients(ctx context.Context, req apiserver.ListClientsRequestObject) (
	apiserver.ListClientsResponseObject, error) {
	if tokenClaims(ctx).ClientUID != "" {
		return forbidden, nil
	}

	page, size := defaultPage, defaultPageSize
	if p := req.Params.Page; p != nil {
		page = *p
	}
	if s := req.Params.PageSize; s != nil {
		size = *s
	}

	h.f.mu.Lock()
	defer h.f.mu.Unlock()

	return reply{http.StatusOK, h.f.page(page, size)}, nil
}

// CreateClient serves POST /api/v1/clients, for account-level tokens.
func (h handlers) CreateClient(ctx context.Context, req apiserver.CreateClientRequestObject) (
	apiserver.CreateClientResponseObject, error) {
	if tokenClaims(ctx).ClientUID != "" {
		return forbidden, nil
	}

	h.f.mu.Lock()
	defer h.f.mu.Unlock()

	return reply{http.StatusCreated, h.f.addClient(*req.Body).view()}, nil
}

// GetClient serves GET /api/v1/clients/{uid}.
func (h handlers) GetClient(ctx context.Context, req apiserver.GetClientRequestObject) (
	apiserver.GetClientResponseObject, error) {
	return h.onClient(ctx, req.Uid, func(c *client) reply {
		return reply{http.StatusOK, c.view()}
	}), nil
}

// UpdateClient serves PATCH /api/v1/clients/{uid}. The spec lets name be
// null, but a client cannot lose its name: name null answers 422, as a
// FastAPI model with a required string would.
func (h handlers) UpdateClient(ctx context.Context, req apiserver.UpdateClientRequestObject) (
	apiserver.UpdateClientResponseObject, error) {
	if req.Body.Name.IsNull() {
		return unprocessable(problem{
			Loc:  []any{"body", "name"},
			Msg:  "Input should be a valid string",
			Type: "string_type",
		}), nil
	}

	return h.onClient(ctx, req.Uid, func(c *client) reply {
		c.patch(*req.Body, h.f.now())
		return reply{http.StatusOK, c.view()}
	}), nil
}

// ActivateClient serves POST /api/v1/clients/{uid}/activer.
func (h handlers) ActivateClient(ctx context.Context, req apiserver.ActivateClientRequestObject) (
	apiserver.ActivateClientResponseObject, error) {
	return h.setActive(ctx, req.Uid, true), nil
}

// DeactivateClient serves POST /api/v1/clients/{uid}/desactiver.
func (h handlers) DeactivateClient(ctx context.Context,
	req apiserver.DeactivateClientRequestObject) (apiserver.DeactivateClientResponseObject, error) {
	return h.setActive(ctx, req.Uid, false), nil
}

func (h handlers) setActive(ctx context.Context, uid uuid.UUID, active bool) reply {
	msg := "Client deactivated."
	if active {
		msg = "Client activated."
	}

	return h.onClient(ctx, uid, func(c *client) reply {
		c.active = active
		c.updated = h.f.now()
		return reply{http.StatusOK, statusView{UID: c.uid.String(), IsActive: active, Message: msg}}
	})
}

// GetPdpConfig serves GET /api/v1/clients/{uid}/pdp-config.
func (h handlers) GetPdpConfig(ctx context.Context, req apiserver.GetPdpConfigRequestObject) (
	apiserver.GetPdpConfigResponseObject, error) {
	return h.onClient(ctx, req.Uid, func(c *client) reply {
		return reply{http.StatusOK, c.pdpView()}
	}), nil
}

// UpdatePdpConfig serves PUT /api/v1/clients/{uid}/pdp-config. isActive
// defaults to true and modeSandbox to false when left out.
func (h handlers) UpdatePdpConfig(ctx context.Context,
	req apiserver.UpdatePdpConfigRequestObject) (apiserver.UpdatePdpConfigResponseObject, error) {
	return h.onClient(ctx, req.Uid, func(c *client) reply {
		h.f.configure(c, *req.Body)
		return reply{http.StatusOK, c.pdpView()}
	}), nil
}
