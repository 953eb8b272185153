package factpulse

import (
	"context"
	"net/http"

	"github.com/invoicekit/factpulse-go/gen/apiclient"
)

// ClientsService holds the Client Management operations: the clients of an account, their
// status and their PDP configuration. Get it from Client.Clients.
//
// List and Create need an account-level token. The other operations act on one client and
// accept an account-level token or that client's own client-level token.
type ClientsService struct {
	client *Client
}

// List returns one page of the account's clients. A nil opts asks for the first page of
// the service's default size. To walk every page, use All.
//
// It calls GET /api/v1/clients and needs an account-level token.
func (s *ClientsService) List(ctx context.Context, opts *ListOptions) (*ClientPage, error) {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if err := o.validate(); err != nil {
		return nil, err
	}

	params := &apiclient.ListClientsParams{}
	if o.Page != 0 {
		params.Page = &o.Page
	}
	if o.PageSize != 0 {
		params.PageSize = &o.PageSize
	}

	var out apiclient.ClientListResponse
	send := func(ctx context.Context) (*http.Response, error) {
		return s.client.api.ListClients(ctx, params)
	}
	if err := s.client.call(ctx, "list clients", http.StatusOK, send, &out); err != nil {
		return nil, err
	}

	return pageFromList(out), nil
}

// Get returns one client.
//
// It calls GET /api/v1/clients/{uid}.
func (s *ClientsService) Get(ctx context.Context, uid string) (*ClientInfo, error) {
	id, err := checkUID(uid)
	if err != nil {
		return nil, err
	}

	var out apiclient.ClientDetail
	send := func(ctx context.Context) (*http.Response, error) {
		return s.client.api.GetClient(ctx, id)
	}
	if err := s.client.call(ctx, "get client", http.StatusOK, send, &out); err != nil {
		return nil, err
	}

	info := clientFromDetail(out)

	return &info, nil
}

// Create adds a client to the account and returns it as stored.
//
// It calls POST /api/v1/clients and needs an account-level token. Create is not safe to
// repeat: each successful call makes a new client. So it is sent again only when the
// request provably never reached the service (the connection could not be opened) or the
// service answered 429 or 503 with a Retry-After header. After a timeout or a dropped
// connection once the request was sent, Create returns the error and the client may or
// may not exist: List tells which. See RetryPolicy.
func (s *ClientsService) Create(ctx context.Context, c ClientCreate) (*ClientInfo, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}

	body := createToWire(c)
	var out apiclient.ClientDetail
	send := func(ctx context.Context) (*http.Response, error) {
		return s.client.api.CreateClient(ctx, body)
	}
	if err := s.client.call(ctx, "create client", http.StatusCreated, send, &out); err != nil {
		return nil, err
	}

	info := clientFromDetail(out)

	return &info, nil
}

// Update changes the properties that u sets or clears, leaves the others alone, and
// returns the client after the change.
//
// It calls PATCH /api/v1/clients/{uid}.
func (s *ClientsService) Update(ctx context.Context, uid string, u ClientUpdate) (*ClientInfo,
	error) {
	id, err := checkUID(uid)
	if err != nil {
		return nil, err
	}
	if err := u.validate(); err != nil {
		return nil, err
	}

	body := updateToWire(u)
	var out apiclient.ClientDetail
	send := func(ctx context.Context) (*http.Response, error) {
		return s.client.api.UpdateClient(ctx, id, body)
	}
	if err := s.client.call(ctx, "update client", http.StatusOK, send, &out); err != nil {
		return nil, err
	}

	info := clientFromDetail(out)

	return &info, nil
}

// Activate marks a client active again, so it can use the service's other APIs.
//
// It calls POST /api/v1/clients/{uid}/activer.
func (s *ClientsService) Activate(ctx context.Context, uid string) (*ActivationResult, error) {
	return s.setActive(ctx, uid, "activate client", s.client.api.ActivateClient)
}

// Deactivate marks a client inactive: it can no longer use the service's other APIs
// (AFNOR, Chorus Pro and the rest), while these Client Management operations still work
// on it.
//
// It calls POST /api/v1/clients/{uid}/desactiver.
func (s *ClientsService) Deactivate(ctx context.Context, uid string) (*ActivationResult, error) {
	return s.setActive(ctx, uid, "deactivate client", s.client.api.DeactivateClient)
}

type activationCall func(context.Context, apiclient.ClientUID,
	...apiclient.RequestEditorFn) (*http.Response, error)

func (s *ClientsService) setActive(ctx context.Context, uid, op string,
	do activationCall) (*ActivationResult, error) {
	id, err := checkUID(uid)
	if err != nil {
		return nil, err
	}

	var out apiclient.ClientActivateResponse
	send := func(ctx context.Context) (*http.Response, error) {
		return do(ctx, id)
	}
	if err := s.client.call(ctx, op, http.StatusOK, send, &out); err != nil {
		return nil, err
	}

	return activationFromWire(out), nil
}

// PDPConfig returns the client's PDP configuration. A client without one gets a PDPConfig
// whose Configured is false. The client secret is never returned.
//
// It calls GET /api/v1/clients/{uid}/pdp-config.
func (s *ClientsService) PDPConfig(ctx context.Context, uid string) (*PDPConfig, error) {
	id, err := checkUID(uid)
	if err != nil {
		return nil, err
	}

	var out apiclient.PDPConfigResponse
	send := func(ctx context.Context) (*http.Response, error) {
		return s.client.api.GetPdpConfig(ctx, id)
	}
	if err := s.client.call(ctx, "get PDP config", http.StatusOK, send, &out); err != nil {
		return nil, err
	}

	return pdpConfigFromWire(out), nil
}

// SetPDPConfig creates or replaces the client's PDP configuration and returns it as
// stored, without the secret.
//
// It calls PUT /api/v1/clients/{uid}/pdp-config.
func (s *ClientsService) SetPDPConfig(ctx context.Context, uid string,
	cfg PDPConfigUpdate) (*PDPConfig, error) {
	id, err := checkUID(uid)
	if err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}

	body := pdpUpdateToWire(cfg)
	var out apiclient.PDPConfigResponse
	send := func(ctx context.Context) (*http.Response, error) {
		return s.client.api.UpdatePdpConfig(ctx, id, body)
	}
	if err := s.client.call(ctx, "set PDP config", http.StatusOK, send, &out); err != nil {
		return nil, err
	}

	return pdpConfigFromWire(out), nil
}
