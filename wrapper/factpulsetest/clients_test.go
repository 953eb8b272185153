package factpulsetest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

// decode unmarshals an answer's body into a map.
func decode(t *testing.T, a answer) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(a.body), &v), a.body)
	return v
}

func TestPaging(t *testing.T) {
	srv := start(t)
	for i := range 25 {
		srv.AddClient(fmt.Sprintf("client %02d", i))
	}

	cases := []struct {
		query         string
		page, size    int
		first, length int
	}{
		{"", 1, 20, 0, 20},
		{"?page=2", 2, 20, 20, 5},
		{"?page=3", 3, 20, -1, 0},
		{"?pageSize=10&page=3", 3, 10, 20, 5},
		{"?pageSize=100", 1, 100, 0, 25},
		{"?pageSize=1&page=25", 25, 1, 24, 1},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			got := call(t, srv, "GET", "/api/v1/clients"+tc.query, srv.AccountToken(), "")
			require.Equal(t, http.StatusOK, got.status)

			v := decode(t, got)
			assert.EqualValues(t, 25, v["total"])
			assert.EqualValues(t, tc.page, v["page"])
			assert.EqualValues(t, tc.size, v["pageSize"])
			results := v["results"].([]any)
			require.Len(t, results, tc.length)
			for i, r := range results {
				want := fmt.Sprintf("client %02d", tc.first+i)
				assert.Equal(t, want, r.(map[string]any)["name"])
			}
		})
	}
}

func TestEmptyListIsAnArray(t *testing.T) {
	srv := start(t)
	got := call(t, srv, "GET", "/api/v1/clients", srv.AccountToken(), "")
	assert.JSONEq(t, `{"results":[],"total":0,"page":1,"pageSize":20}`, got.body)
}

func TestTimestampWireForm(t *testing.T) {
	clk := newClock()
	clk.Add(123 * time.Millisecond)
	srv := start(t, factpulsetest.WithClock(clk.Now))

	got := call(t, srv, "POST", "/api/v1/clients", srv.AccountToken(), `{"name":"A"}`)
	require.Equal(t, http.StatusCreated, got.status)
	assert.Contains(t, got.body, `"createdAt":"2025-03-04T05:06:07.123+00:00"`)
	assert.Contains(t, got.body, `"updatedAt":"2025-03-04T05:06:07.123+00:00"`)

	uid := decode(t, got)["uid"].(string)
	got = call(t, srv, "PUT", "/api/v1/clients/"+uid+"/pdp-config", srv.AccountToken(), pdpBody)
	assert.Contains(t, got.body, `"createdAt":"2025-03-04T05:06:07.123+00:00"`)

	stampRE := regexp.MustCompile(`"(createdAt|updatedAt)":"([^"]*)"`)
	stamps := stampRE.FindAllStringSubmatch(got.body, -1)
	require.Len(t, stamps, 2)
	for _, s := range stamps {
		assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`, s[2])
	}
}

func TestClientLifecycle(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithClock(clk.Now))
	tok := srv.AccountToken()

	got := call(t, srv, "POST", "/api/v1/clients", tok,
		`{"name":"Boulangerie","description":"Bakery","siret":"12345678901234"}`)
	require.Equal(t, http.StatusCreated, got.status)
	created := decode(t, got)
	uid := created["uid"].(string)
	assert.Equal(t, map[string]any{
		"uid": uid, "name": "Boulangerie", "description": "Bakery", "siret": "12345678901234",
		"isActive": true, "hasConfigPdp": false, "pdpIsActive": nil, "pdpIsMock": nil,
		"hasConfigChorus": false,
		"createdAt":       "2025-03-04T05:06:07.000+00:00", "updatedAt": "2025-03-04T05:06:07.000+00:00",
	}, created)

	clk.Add(time.Second)
	got = call(t, srv, "POST", "/api/v1/clients/"+uid+"/desactiver", tok, "")
	assert.JSONEq(t, `{"uid":"`+uid+`","isActive":false,"message":"Client deactivated."}`, got.body)
	client := decode(t, call(t, srv, "GET", "/api/v1/clients/"+uid, tok, ""))
	assert.Equal(t, false, client["isActive"])
	assert.Equal(t, "2025-03-04T05:06:08.000+00:00", client["updatedAt"])

	got = call(t, srv, "POST", "/api/v1/clients/"+uid+"/activer", srv.ClientToken(uid), "")
	assert.JSONEq(t, `{"uid":"`+uid+`","isActive":true,"message":"Client activated."}`, got.body)
}

func TestPartialUpdate(t *testing.T) {
	clk := newClock()
	srv := start(t, factpulsetest.WithClock(clk.Now))
	tok := srv.AccountToken()
	got := call(t, srv, "POST", "/api/v1/clients", tok,
		`{"name":"A","description":"D","siret":"12345678901234"}`)
	uid := decode(t, got)["uid"].(string)

	cases := []struct {
		name string
		body string
		want map[string]any
	}{
		{"absent keeps", `{}`,
			map[string]any{"name": "A", "description": "D", "siret": "12345678901234"}},
		{"value sets", `{"name":"B","siret":"98765432109876"}`,
			map[string]any{"name": "B", "description": "D", "siret": "98765432109876"}},
		{"null clears", `{"description":null}`,
			map[string]any{"name": "B", "description": nil, "siret": "98765432109876"}},
		{"null clears siret, value sets description", `{"siret":null,"description":"E"}`,
			map[string]any{"name": "B", "description": "E", "siret": nil}},
	}
	for _, tc := range cases {
		clk.Add(time.Second)
		got := call(t, srv, "PATCH", "/api/v1/clients/"+uid, tok, tc.body)
		require.Equal(t, http.StatusOK, got.status, tc.name)

		v := decode(t, got)
		for k, want := range tc.want {
			assert.Equal(t, want, v[k], "%s: %s", tc.name, k)
		}
		assert.Equal(t, clk.Now().Format("2006-01-02T15:04:05.000+00:00"), v["updatedAt"], tc.name)
		assert.Equal(t, "2025-03-04T05:06:07.000+00:00", v["createdAt"], tc.name)
	}
}

func TestPDPConfig(t *testing.T) {
	srv := start(t)
	uid := srv.AddClient("C")
	tok := srv.ClientToken(uid)

	got := call(t, srv, "GET", "/api/v1/clients/"+uid+"/pdp-config", tok, "")
	require.Equal(t, http.StatusOK, got.status)
	none := decode(t, got)
	assert.Equal(t, false, none["isConfigured"])
	assert.NotEmpty(t, none["message"])
	assert.Nil(t, none["id"])
	client := decode(t, call(t, srv, "GET", "/api/v1/clients/"+uid, tok, ""))
	assert.Equal(t, false, client["hasConfigPdp"])
	assert.Nil(t, client["pdpIsActive"])
	assert.Nil(t, client["pdpIsMock"])

	got = call(t, srv, "PUT", "/api/v1/clients/"+uid+"/pdp-config", tok, pdpBody)
	require.Equal(t, http.StatusOK, got.status)
	cfg := decode(t, got)
	assert.Equal(t, true, cfg["isConfigured"])
	assert.Equal(t, true, cfg["isActive"])
	assert.Equal(t, false, cfg["modeSandbox"])
	assert.Equal(t, "https://pdp.example/flow", cfg["flowServiceUrl"])
	assert.Equal(t, "https://pdp.example/token", cfg["tokenUrl"])
	assert.Equal(t, "id-1", cfg["oauthClientId"])
	assert.Equal(t, map[string]any{"status": "active", "message": "A client secret is stored."},
		cfg["secretStatus"])
	assert.NotNil(t, cfg["id"])
	assert.Equal(t, cfg, decode(t, call(t, srv, "GET", "/api/v1/clients/"+uid+"/pdp-config", tok, "")))

	client = decode(t, call(t, srv, "GET", "/api/v1/clients/"+uid, tok, ""))
	assert.Equal(t, true, client["hasConfigPdp"])
	assert.Equal(t, true, client["pdpIsActive"])
	assert.Equal(t, false, client["pdpIsMock"])
	assert.Equal(t, false, client["hasConfigChorus"])

	inactive := `{"isActive":false,"modeSandbox":true,"flowServiceUrl":"f","tokenUrl":"t",` +
		`"oauthClientId":"o","clientSecret":"other-secret"}`
	cfg2 := decode(t, call(t, srv, "PUT", "/api/v1/clients/"+uid+"/pdp-config", tok, inactive))
	assert.Equal(t, false, cfg2["isActive"])
	assert.Equal(t, true, cfg2["modeSandbox"])
	assert.Equal(t, cfg["id"], cfg2["id"])
	client = decode(t, call(t, srv, "GET", "/api/v1/clients/"+uid, tok, ""))
	assert.Equal(t, false, client["pdpIsActive"])
}

func TestSecretNeverReturned(t *testing.T) {
	srv := start(t)
	uid := srv.AddClient("C")
	tok := srv.AccountToken()
	call(t, srv, "PUT", "/api/v1/clients/"+uid+"/pdp-config", tok, pdpBody)

	for _, op := range operations {
		got := call(t, srv, op.method, op.path(uid), tok, op.body)
		assert.NotContains(t, got.body, "s3cret-value", op.name)
		assert.NotContains(t, got.body, "clientSecret", op.name)
	}
	bad := `{"flowServiceUrl":"f","tokenUrl":"t","oauthClientId":5,"clientSecret":"s3cret-value"}`
	got := call(t, srv, "PUT", "/api/v1/clients/"+uid+"/pdp-config", tok, bad)
	assert.Equal(t, http.StatusUnprocessableEntity, got.status)
	assert.NotContains(t, got.body, "s3cret-value")
}

func TestHugePageIsEmptyNotAPanic(t *testing.T) {
	srv := start(t)
	srv.AddClient("one")

	got := call(t, srv, "GET", "/api/v1/clients?page=92233720368547760&pageSize=100",
		srv.AccountToken(), "")

	assert.Equal(t, http.StatusOK, got.status)
	assert.Contains(t, got.body, `"results":[]`)
	assert.Contains(t, got.body, `"total":1`)
}
