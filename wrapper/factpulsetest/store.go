package factpulsetest

import (
	"time"

	"github.com/google/uuid"
	"github.com/oapi-codegen/nullable"

	"github.com/invoicekit/factpulse-go/gen/apiserver"
)

// client is one client of the account, as the fake stores it.
type client struct {
	uid         uuid.UUID
	name        string
	description *string
	siret       *string
	active      bool
	created     time.Time
	updated     time.Time
	pdp         *pdpConfig
}

// pdpConfig is a client's PDP configuration.
type pdpConfig struct {
	id            int
	active        bool
	sandbox       bool
	flowURL       string
	tokenURL      string
	oauthClientID string
	secret        *string // a pointer: printing the configuration shows an address
	created       time.Time
	updated       time.Time
}

// AddClient adds an active client named name, as POST /api/v1/clients would,
// and returns its uid. It saves a round trip when a test needs clients to
// exist before it starts.
func (f *Fake) AddClient(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()

	return f.addClient(apiserver.ClientCreateRequest{Name: name}).uid.String()
}

// addClient stores a new client. The caller holds f.mu.
func (f *Fake) addClient(req apiserver.ClientCreateRequest) *client {
	now := f.now()
	c := &client{
		uid:         uuid.New(),
		name:        req.Name,
		description: valueOf(req.Description),
		siret:       valueOf(req.Siret),
		active:      true,
		created:     now,
		updated:     now,
	}
	f.clients[c.uid] = c
	f.order = append(f.order, c.uid)
	return c
}

// page returns one page of clients in the order of creation. The caller
// holds f.mu.
func (f *Fake) page(page, size int) listView {
	results := []clientView{}
	if page-1 > len(f.order)/size {
		return listView{Results: results, Total: len(f.order), Page: page, PageSize: size}
	}

	start := (page - 1) * size
	for i := start; i < len(f.order) && i < start+size; i++ {
		results = append(results, f.clients[f.order[i]].view())
	}
	return listView{Results: results, Total: len(f.order), Page: page, PageSize: size}
}

// patch applies a partial update: a property left out keeps its value, one
// sent as null is cleared. The handler has refused a null name before.
func (c *client) patch(req apiserver.ClientUpdateRequest, now time.Time) {
	if v, err := req.Name.Get(); err == nil {
		c.name = v
	}
	if req.Description.IsSpecified() {
		c.description = valueOf(req.Description)
	}
	if req.Siret.IsSpecified() {
		c.siret = valueOf(req.Siret)
	}
	c.updated = now
}

// configure creates or replaces the client's PDP configuration. A
// replacement keeps its id and creation time.
func (f *Fake) configure(c *client, req apiserver.PDPConfigUpdateRequest) {
	now := f.now()
	if c.pdp == nil {
		f.nextPDP++
		c.pdp = &pdpConfig{id: f.nextPDP, created: now}
	}

	p := c.pdp
	p.active = boolOr(req.IsActive, true)
	p.sandbox = boolOr(req.ModeSandbox, false)
	p.flowURL = req.FlowServiceUrl
	p.tokenURL = req.TokenUrl
	p.oauthClientID = req.OauthClientId
	p.secret = &req.ClientSecret
	p.updated = now
}

// view is the client on the wire. pdpIsActive and pdpIsMock are null
// without a PDP configuration; with one, pdpIsMock is false, as the fake
// never configures a mock PDP.
func (c *client) view() clientView {
	v := clientView{
		UID:          c.uid.String(),
		Name:         c.name,
		Siret:        c.siret,
		Description:  c.description,
		IsActive:     c.active,
		HasConfigPdp: c.pdp != nil,
		CreatedAt:    stamp(c.created),
		UpdatedAt:    stamp(c.updated),
	}
	if c.pdp != nil {
		v.PdpIsActive = ptr(c.pdp.active)
		v.PdpIsMock = ptr(false)
	}
	return v
}

// pdpView is the client's PDP configuration on the wire, without the secret.
func (c *client) pdpView() pdpView {
	p := c.pdp
	if p == nil {
		return pdpView{Message: ptr("No PDP configuration for this client.")}
	}
	return pdpView{
		IsConfigured:   true,
		ID:             ptr(p.id),
		IsActive:       ptr(p.active),
		ModeSandbox:    ptr(p.sandbox),
		FlowServiceURL: ptr(p.flowURL),
		TokenURL:       ptr(p.tokenURL),
		OAuthClientID:  ptr(p.oauthClientID),
		SecretStatus:   &secretView{Status: "active", Message: "A client secret is stored."},
		CreatedAt:      ptr(stamp(p.created)),
		UpdatedAt:      ptr(stamp(p.updated)),
	}
}

// valueOf turns a nullable value into a pointer: nil when null or absent.
func valueOf[T any](n nullable.Nullable[T]) *T {
	v, err := n.Get()
	if err != nil {
		return nil
	}
	return &v
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
