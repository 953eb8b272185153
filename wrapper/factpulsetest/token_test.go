package factpulsetest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

type tokenPair struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh"`
}

// login logs in with body and expects success.
func login(t *testing.T, srv *factpulsetest.Server, body string) tokenPair {
	t.Helper()
	got := call(t, srv, "POST", "/api/token/", "", body)
	require.Equal(t, http.StatusOK, got.status, got.body)

	var p tokenPair
	require.NoError(t, json.Unmarshal([]byte(got.body), &p))
	return p
}

// payload decodes a JWT's claims, without checking the signature.
func payload(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)

	var claims map[string]any
	require.NoError(t, json.Unmarshal(raw, &claims))
	return claims
}

func TestTokenClaims(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithClock(clk.Now))
	start := float64(clk.Now().Unix())

	account := payload(t, srv.AccountToken())
	assert.Equal(t, "access", account["token_type"])
	assert.Equal(t, start, account["iat"])
	assert.Equal(t, start+30*60, account["exp"])
	assert.NotContains(t, account, "client_uid")
	assert.Contains(t, account, "user_id")
	assert.Contains(t, account, "username")
	assert.NotEmpty(t, account["jti"])

	uid := srv.AddClient("C")
	client := payload(t, srv.ClientToken(uid))
	assert.Equal(t, uid, client["client_uid"])

	header, err := base64.RawURLEncoding.DecodeString(strings.Split(srv.AccountToken(), ".")[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"alg":"HS256","typ":"JWT"}`, string(header))
}

func TestLogin(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"), factpulsetest.WithClock(clk.Now))
	uid := srv.AddClient("C")

	tokens := login(t, srv, `{"username":"ann@example.com","password":"pw"}`)
	access, refresh := payload(t, tokens.Access), payload(t, tokens.Refresh)
	assert.Equal(t, "access", access["token_type"])
	assert.Equal(t, "refresh", refresh["token_type"])
	assert.Equal(t, "ann@example.com", access["username"])
	assert.Equal(t, float64(clk.Now().Add(7*24*time.Hour).Unix()), refresh["exp"])
	assert.Equal(t, 200, call(t, srv, "GET", "/api/v1/clients", tokens.Access, "").status)

	scoped := login(t, srv, `{"username":"ann@example.com","password":"pw","client_uid":"`+uid+`"}`)
	assert.Equal(t, uid, payload(t, scoped.Access)["client_uid"])
	assert.Equal(t, uid, payload(t, scoped.Refresh)["client_uid"])
	assert.Equal(t, 403, call(t, srv, "GET", "/api/v1/clients", scoped.Access, "").status)
	assert.Equal(t, 200, call(t, srv, "GET", "/api/v1/clients/"+uid, scoped.Access, "").status)
}

func TestLoginFailures(t *testing.T) {
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"))

	cases := []struct {
		name   string
		method string
		body   string
		status int
	}{
		{"wrong password", "POST", `{"username":"ann@example.com","password":"no"}`, 401},
		{"unknown user", "POST", `{"username":"bob@example.com","password":"pw"}`, 401},
		{"unknown client", "POST", `{"username":"ann@example.com","password":"pw",` +
			`"client_uid":"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"}`, 400},
		{"malformed client", "POST", `{"username":"ann@example.com","password":"pw",` +
			`"client_uid":"x"}`, 400},
		{"missing password", "POST", `{"username":"ann@example.com"}`, 400},
		{"bad json", "POST", `{"username"`, 400},
		{"wrong method", "GET", "", 405},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, srv, tc.method, "/api/token/", "", tc.body)
			assert.Equal(t, tc.status, got.status)
			assertDetail(t, got.body)
		})
	}

	stats := srv.Stats()
	assert.Equal(t, len(cases), stats.Logins)
	assert.Equal(t, len(cases), stats.FailedLogins)
}

func TestRefresh(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"), factpulsetest.WithClock(clk.Now))
	tokens := login(t, srv, `{"username":"ann@example.com","password":"pw"}`)
	clk.Add(31 * time.Minute)
	require.Equal(t, 401, call(t, srv, "GET", "/api/v1/clients", tokens.Access, "").status)

	got := call(t, srv, "POST", "/api/token/refresh/", "", `{"refresh":"`+tokens.Refresh+`"}`)
	require.Equal(t, 200, got.status, got.body)
	var fresh struct{ Access string }
	require.NoError(t, json.Unmarshal([]byte(got.body), &fresh))
	assert.NotContains(t, got.body, `"refresh"`)
	assert.Equal(t, 200, call(t, srv, "GET", "/api/v1/clients", fresh.Access, "").status)
	assert.Equal(t, "ann@example.com", payload(t, fresh.Access)["username"])

	stats := srv.Stats()
	assert.Equal(t, 1, stats.Logins)
	assert.Equal(t, 1, stats.Refreshes)
	assert.Equal(t, 0, stats.FailedRefreshes)
}

func TestRefreshFailures(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"), factpulsetest.WithClock(clk.Now))
	tokens := login(t, srv, `{"username":"ann@example.com","password":"pw"}`)

	invalid := `{"detail":"Token is invalid or expired","code":"token_not_valid"}`
	cases := []struct {
		name   string
		body   string
		status int
		want   string
	}{
		{"access token", `{"refresh":"` + tokens.Access + `"}`, 401, invalid},
		{"foreign token", `{"refresh":"` + factpulsetest.New().AccountToken() + `"}`, 401, invalid},
		{"garbage", `{"refresh":"x.y.z"}`, 401, invalid},
		{"missing", `{}`, 400, `{"detail":"refresh is required."}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, srv, "POST", "/api/token/refresh/", "", tc.body)
			assert.Equal(t, tc.status, got.status)
			assert.JSONEq(t, tc.want, got.body)
		})
	}

	clk.Add(7 * 24 * time.Hour)
	got := call(t, srv, "POST", "/api/token/refresh/", "", `{"refresh":"`+tokens.Refresh+`"}`)
	assert.Equal(t, 401, got.status)
	assert.JSONEq(t, invalid, got.body)
	assert.Equal(t, len(cases)+1, srv.Stats().FailedRefreshes)
}

func TestTokensExpireInMilliseconds(t *testing.T) {
	srv := start(t, factpulsetest.WithUser("ann@example.com", "pw"),
		factpulsetest.WithTokenLifetimes(20*time.Millisecond, 60*time.Millisecond))
	tokens := login(t, srv, `{"username":"ann@example.com","password":"pw"}`)

	exp := payload(t, tokens.Access)["exp"].(float64)
	iat := payload(t, tokens.Access)["iat"].(float64)
	assert.InDelta(t, 0.020, exp-iat, 0.0005)
	assert.Equal(t, 200, call(t, srv, "GET", "/api/v1/clients", tokens.Access, "").status)

	time.Sleep(25 * time.Millisecond)
	assert.Equal(t, 401, call(t, srv, "GET", "/api/v1/clients", tokens.Access, "").status)
	got := call(t, srv, "POST", "/api/token/refresh/", "", `{"refresh":"`+tokens.Refresh+`"}`)
	assert.Equal(t, 200, got.status)

	time.Sleep(40 * time.Millisecond)
	got = call(t, srv, "POST", "/api/token/refresh/", "", `{"refresh":"`+tokens.Refresh+`"}`)
	assert.Equal(t, 401, got.status)
}
