package factpulse

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testUID   = "3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"
	testToken = "header.payload.signature-of-test-token"
)

const clientJSON = `{"uid":"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f","name":"Boulangerie Martin",
"siret":"12345678901234","description":null,"isActive":true,"hasConfigPdp":false,
"pdpIsActive":null,"pdpIsMock":null,"hasConfigChorus":false,
"createdAt":"2000-01-23T04:56:07.000+00:00","updatedAt":"2000-01-23T04:56:07.000+00:00"}`

const pdpJSON = `{"isConfigured":true,"id":7,"isActive":true,"modeSandbox":false,
"flowServiceUrl":"https://pdp.test/flow","tokenUrl":"https://pdp.test/token",
"oauthClientId":"cid","secretStatus":{"status":"active","message":"stored"},
"lastTestAt":null,"lastTestSuccess":null,"lastTestError":null,
"createdAt":"2000-01-23T04:56:07.000+00:00","updatedAt":"2000-01-23T04:56:07.000+00:00",
"message":null}`

// recorded is what a wireServer saw of one request.
type recorded struct {
	method, path, rawQuery string
	header                 http.Header
	body                   string
}

// wireServer answers every request with one canned answer and records what it got.
type wireServer struct {
	*httptest.Server

	mu       sync.Mutex
	requests []recorded
}

func newWireServer(t *testing.T, status int, contentType, body string) *wireServer {
	t.Helper()

	ws := &wireServer{}
	ws.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ws.mu.Lock()
		ws.requests = append(ws.requests, recorded{r.Method, r.URL.Path, r.URL.RawQuery,
			r.Header.Clone(), string(b)})
		ws.mu.Unlock()

		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(ws.Close)

	return ws
}

func (ws *wireServer) only(t *testing.T) recorded {
	t.Helper()

	ws.mu.Lock()
	defer ws.mu.Unlock()
	require.Len(t, ws.requests, 1, "requests sent")

	return ws.requests[0]
}

func (ws *wireServer) count() int {
	ws.mu.Lock()
	defer ws.mu.Unlock()

	return len(ws.requests)
}

func newTestClient(t *testing.T, baseURL string, opts ...Option) *Client {
	t.Helper()

	all := append([]Option{WithBaseURL(baseURL), WithToken(testToken)}, opts...)
	c, err := New(all...)
	require.NoError(t, err)

	return c
}

func ptr[T any](v T) *T { return &v }

// TestWire checks the exact request each operation sends and that the answer is decoded.
func TestWire(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		status    int
		answer    string
		call      func(c *Client) (any, error)
		method    string
		path      string
		query     string
		body      string // expected JSON body; "" means no body
		checkResp func(t *testing.T, got any)
	}{
		{
			name:   "list with defaults",
			status: 200, answer: `{"results":[` + clientJSON + `],"total":1,"page":1,"pageSize":20}`,
			call:   func(c *Client) (any, error) { return c.Clients.List(ctx, nil) },
			method: "GET", path: "/api/v1/clients",
			checkResp: func(t *testing.T, got any) {
				p := got.(*ClientPage)
				assert.Equal(t, 1, p.Total)
				assert.Equal(t, 20, p.PageSize)
				require.Len(t, p.Clients, 1)
				assert.Equal(t, testUID, p.Clients[0].UID)
			},
		},
		{
			name:   "list page 3 of 50",
			status: 200, answer: `{"results":[],"total":0,"page":3,"pageSize":50}`,
			call: func(c *Client) (any, error) {
				return c.Clients.List(ctx, &ListOptions{Page: 3, PageSize: 50})
			},
			method: "GET", path: "/api/v1/clients", query: "page=3&pageSize=50",
		},
		{
			name:   "get",
			status: 200, answer: clientJSON,
			call:   func(c *Client) (any, error) { return c.Clients.Get(ctx, testUID) },
			method: "GET", path: "/api/v1/clients/" + testUID,
			checkResp: func(t *testing.T, got any) {
				ci := got.(*ClientInfo)
				assert.Equal(t, "Boulangerie Martin", ci.Name)
				assert.Equal(t, ptr("12345678901234"), ci.SIRET)
				assert.Nil(t, ci.Description)
				assert.Nil(t, ci.PDPActive)
				assert.True(t, ci.Active)
				assert.Equal(t, 2000, ci.CreatedAt.Year())
			},
		},
		{
			name:   "create with name only",
			status: 201, answer: clientJSON,
			call: func(c *Client) (any, error) {
				return c.Clients.Create(ctx, ClientCreate{Name: "Boulangerie Martin"})
			},
			method: "POST", path: "/api/v1/clients", body: `{"name":"Boulangerie Martin"}`,
		},
		{
			name:   "create with every field",
			status: 201, answer: clientJSON,
			call: func(c *Client) (any, error) {
				return c.Clients.Create(ctx, ClientCreate{Name: "B", Description: ptr(""),
					SIRET: ptr("12345678901234")})
			},
			method: "POST", path: "/api/v1/clients",
			body: `{"name":"B","description":"","siret":"12345678901234"}`,
		},
		{
			name:   "update sets, clears and leaves alone",
			status: 200, answer: clientJSON,
			call: func(c *Client) (any, error) {
				return c.Clients.Update(ctx, testUID, ClientUpdate{
					Name: Set("New"), Description: Clear[string]()})
			},
			method: "PATCH", path: "/api/v1/clients/" + testUID,
			body: `{"name":"New","description":null}`,
		},
		{
			name:   "update with nothing set sends an empty object",
			status: 200, answer: clientJSON,
			call: func(c *Client) (any, error) {
				return c.Clients.Update(ctx, testUID, ClientUpdate{})
			},
			method: "PATCH", path: "/api/v1/clients/" + testUID, body: `{}`,
		},
		{
			name:   "activate",
			status: 200, answer: `{"uid":"` + testUID + `","isActive":true,"message":"ok"}`,
			call:   func(c *Client) (any, error) { return c.Clients.Activate(ctx, testUID) },
			method: "POST", path: "/api/v1/clients/" + testUID + "/activer",
			checkResp: func(t *testing.T, got any) {
				assert.Equal(t, &ActivationResult{UID: testUID, Active: true, Message: "ok"}, got)
			},
		},
		{
			name:   "deactivate",
			status: 200, answer: `{"uid":"` + testUID + `","isActive":false,"message":"ok"}`,
			call:   func(c *Client) (any, error) { return c.Clients.Deactivate(ctx, testUID) },
			method: "POST", path: "/api/v1/clients/" + testUID + "/desactiver",
			checkResp: func(t *testing.T, got any) {
				assert.False(t, got.(*ActivationResult).Active)
			},
		},
		{
			name:   "get PDP config",
			status: 200, answer: pdpJSON,
			call:   func(c *Client) (any, error) { return c.Clients.PDPConfig(ctx, testUID) },
			method: "GET", path: "/api/v1/clients/" + testUID + "/pdp-config",
			checkResp: func(t *testing.T, got any) {
				cfg := got.(*PDPConfig)
				assert.True(t, cfg.Configured)
				assert.Equal(t, ptr(7), cfg.ID)
				assert.Equal(t, "cid", cfg.OAuthClientID)
				assert.Equal(t, &SecretStatus{Status: "active", Message: "stored"},
					cfg.SecretStatus)
				assert.Nil(t, cfg.LastTestAt)
			},
		},
		{
			name:   "set PDP config with defaults left to the service",
			status: 200, answer: pdpJSON,
			call: func(c *Client) (any, error) {
				return c.Clients.SetPDPConfig(ctx, testUID, PDPConfigUpdate{
					FlowServiceURL: "https://pdp.test/flow", TokenURL: "https://pdp.test/token",
					OAuthClientID: "cid", ClientSecret: "s3cr3t"})
			},
			method: "PUT", path: "/api/v1/clients/" + testUID + "/pdp-config",
			body: `{"flowServiceUrl":"https://pdp.test/flow","tokenUrl":"https://pdp.test/token",
				"oauthClientId":"cid","clientSecret":"s3cr3t"}`,
		},
		{
			name:   "set PDP config with every field",
			status: 200, answer: pdpJSON,
			call: func(c *Client) (any, error) {
				return c.Clients.SetPDPConfig(ctx, testUID, PDPConfigUpdate{
					Active: ptr(false), Sandbox: ptr(true),
					FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c", ClientSecret: "s"})
			},
			method: "PUT", path: "/api/v1/clients/" + testUID + "/pdp-config",
			body: `{"isActive":false,"modeSandbox":true,"flowServiceUrl":"f","tokenUrl":"t",
				"oauthClientId":"c","clientSecret":"s"}`,
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWireServer(t, tt.status, "application/json", tt.answer)
			c := newTestClient(t, ws.URL)

			got, err := tt.call(c)
			require.NoError(t, err)
			require.NotNil(t, got)

			req := ws.only(t)
			assert.Equal(t, tt.method, req.method)
			assert.Equal(t, tt.path, req.path)
			assert.Equal(t, tt.query, req.rawQuery)
			assert.Equal(t, "application/json", req.header.Get("Accept"))
			assert.Equal(t, "Bearer "+testToken, req.header.Get("Authorization"))
			assert.Equal(t, "factpulse-go/"+Version, req.header.Get("User-Agent"))
			if tt.body == "" {
				assert.Empty(t, req.body)
				assert.Empty(t, req.header.Get("Content-Type"))
			} else {
				assert.JSONEq(t, tt.body, req.body)
				assert.Equal(t, "application/json", req.header.Get("Content-Type"))
			}
			if tt.checkResp != nil {
				tt.checkResp(t, got)
			}
		})
	}
}

// TestPartialUpdateOnTheWire proves the three states of a Patch: a property left alone is
// absent from the JSON, a cleared one is null, a set one carries its value.
func TestPartialUpdateOnTheWire(t *testing.T) {
	tests := []struct {
		name   string
		update ClientUpdate
		body   string
	}{
		{"left alone", ClientUpdate{}, `{}`},
		{"set to null", ClientUpdate{SIRET: Clear[string]()}, `{"siret":null}`},
		{"set to a value", ClientUpdate{SIRET: Set("98765432109876")},
			`{"siret":"98765432109876"}`},
		{"set to the empty string", ClientUpdate{Description: Set("")}, `{"description":""}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWireServer(t, 200, "application/json", clientJSON)
			c := newTestClient(t, ws.URL)

			_, err := c.Clients.Update(context.Background(), testUID, tt.update)
			require.NoError(t, err)

			assert.JSONEq(t, tt.body, ws.only(t).body)
			assert.Equal(t, tt.body, ws.only(t).body, "exact bytes")
		})
	}
}
