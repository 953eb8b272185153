package factpulsetest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

// operation is one of the eight operations, as a request on client uid.
type operation struct {
	name    string
	method  string
	path    func(uid string) string
	body    string
	success int
	account bool // only account-level tokens may call it
}

var operations = []operation{
	{"listClients", "GET", func(string) string { return "/api/v1/clients" }, "", 200, true},
	{"createClient", "POST", func(string) string { return "/api/v1/clients" },
		`{"name":"New"}`, 201, true},
	{"getClient", "GET", clientPath(""), "", 200, false},
	{"updateClient", "PATCH", clientPath(""), `{"name":"Renamed"}`, 200, false},
	{"activateClient", "POST", clientPath("/activer"), "", 200, false},
	{"deactivateClient", "POST", clientPath("/desactiver"), "", 200, false},
	{"getPdpConfig", "GET", clientPath("/pdp-config"), "", 200, false},
	{"updatePdpConfig", "PUT", clientPath("/pdp-config"), pdpBody, 200, false},
}

const pdpBody = `{"flowServiceUrl":"https://pdp.example/flow",` +
	`"tokenUrl":"https://pdp.example/token","oauthClientId":"id-1","clientSecret":"s3cret-value"}`

func clientPath(suffix string) func(string) string {
	return func(uid string) string { return "/api/v1/clients/" + uid + suffix }
}

func TestScopes(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithClock(clk.Now))
	own := srv.AddClient("Own")
	other := srv.AddClient("Other")
	expired := srv.AccountToken()
	clk.Add(factpulsetest.DefaultAccessLifetime)

	tokens := []struct {
		name  string
		token string
		want  func(operation) int
	}{
		{"account", srv.AccountToken(), func(op operation) int { return op.success }},
		{"own client", srv.ClientToken(own), func(op operation) int {
			if op.account {
				return http.StatusForbidden
			}
			return op.success
		}},
		{"other client", srv.ClientToken(other), func(operation) int { return http.StatusForbidden }},
		{"no token", "", func(operation) int { return http.StatusUnauthorized }},
		{"expired", expired, func(operation) int { return http.StatusUnauthorized }},
		{"bad signature", factpulsetest.New().AccountToken(),
			func(operation) int { return http.StatusUnauthorized }},
		{"not a jwt", "abc.def", func(operation) int { return http.StatusUnauthorized }},
	}
	for _, tok := range tokens {
		for _, op := range operations {
			t.Run(tok.name+"/"+op.name, func(t *testing.T) {
				got := call(t, srv, op.method, op.path(own), tok.token, op.body)

				assert.Equal(t, tok.want(op), got.status, got.body)
				if got.status >= 400 {
					assertDetail(t, got.body)
				}
				if got.status == http.StatusUnauthorized {
					assert.Equal(t, "Bearer", got.header.Get("WWW-Authenticate"))
				}
			})
		}
	}
}

func TestUnauthorizedDetails(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithClock(clk.Now))
	expired := srv.AccountToken()
	clk.Add(time.Hour)

	for token, want := range map[string]string{
		"":                     `{"detail":"Not authenticated"}`,
		"abc":                  `{"detail":"Invalid token"}`,
		expired:                `{"detail":"Token has expired"}`,
		srv.AccountToken()[1:]: `{"detail":"Invalid token"}`,
	} {
		got := call(t, srv, "GET", "/api/v1/clients", token, "")
		assert.Equal(t, http.StatusUnauthorized, got.status)
		assert.JSONEq(t, want, got.body)
	}
}

func TestUnknownClientIsNotFound(t *testing.T) {
	srv := start(t)
	unknown := "3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"

	for _, op := range operations {
		if op.account {
			continue
		}
		t.Run(op.name, func(t *testing.T) {
			got := call(t, srv, op.method, op.path(unknown), srv.AccountToken(), op.body)
			assert.Equal(t, http.StatusNotFound, got.status)
			assert.JSONEq(t, `{"detail":"Client not found."}`, got.body)
		})
	}
}

func TestRefreshTokenIsNotAnAccessToken(t *testing.T) {
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"))
	tokens := login(t, srv, `{"username":"ann@example.com","password":"pw"}`)

	got := call(t, srv, "GET", "/api/v1/clients", tokens.Refresh, "")
	assert.Equal(t, http.StatusUnauthorized, got.status)
}
