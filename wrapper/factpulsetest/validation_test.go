package factpulsetest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInvalidRequests(t *testing.T) {
	srv := start(t)
	uid := srv.AddClient("C")
	long := strings.Repeat("x", 256)

	cases := []struct {
		name   string
		method string
		path   string
		body   string
		want   string
	}{
		{"uid not a uuid", "GET", "/api/v1/clients/not-a-uuid", "",
			`[{"loc":["path","uid"],"msg":"Input should be a valid UUID","type":"uuid_parsing"}]`},
		{"uid not a uuid on pdp-config", "PUT", "/api/v1/clients/1234/pdp-config", pdpBody,
			`[{"loc":["path","uid"],"msg":"Input should be a valid UUID","type":"uuid_parsing"}]`},
		{"pageSize too big", "GET", "/api/v1/clients?pageSize=101", "",
			`[{"loc":["query","pageSize"],"msg":"Input should be less than or equal to 100",` +
				`"type":"less_than_equal"}]`},
		{"pageSize zero", "GET", "/api/v1/clients?pageSize=0", "",
			`[{"loc":["query","pageSize"],"msg":"Input should be greater than or equal to 1",` +
				`"type":"greater_than_equal"}]`},
		{"page zero", "GET", "/api/v1/clients?page=0", "",
			`[{"loc":["query","page"],"msg":"Input should be greater than or equal to 1",` +
				`"type":"greater_than_equal"}]`},
		{"page not a number", "GET", "/api/v1/clients?page=two", "",
			`[{"loc":["query","page"],"msg":"Input should be a valid integer, unable to parse ` +
				`string as an integer","type":"int_parsing"}]`},
		{"no body", "POST", "/api/v1/clients", "",
			`[{"loc":["body"],"msg":"Field required","type":"missing"}]`},
		{"name missing", "POST", "/api/v1/clients", `{"siret":"12345678901234"}`,
			`[{"loc":["body","name"],"msg":"Field required","type":"missing"}]`},
		{"bad json", "POST", "/api/v1/clients", `{"name": "A",}`,
			`[{"loc":["body",13],"msg":"JSON decode error","type":"json_invalid"}]`},
		{"siret pattern", "POST", "/api/v1/clients", `{"name":"A","siret":"123"}`,
			`[{"loc":["body","siret"],"msg":"String should match pattern '^\\d{14}$'",` +
				`"type":"string_pattern_mismatch"}]`},
		{"name too short", "POST", "/api/v1/clients", `{"name":""}`,
			`[{"loc":["body","name"],"msg":"String should have at least 1 character",` +
				`"type":"string_too_short"}]`},
		{"name too long", "PATCH", "/api/v1/clients/" + uid, `{"name":"` + long + `"}`,
			`[{"loc":["body","name"],"msg":"String should have at most 255 characters",` +
				`"type":"string_too_long"}]`},
		{"name null", "PATCH", "/api/v1/clients/" + uid, `{"name":null}`,
			`[{"loc":["body","name"],"msg":"Input should be a valid string","type":"string_type"}]`},
		{"wrong type", "PATCH", "/api/v1/clients/" + uid, `{"description":5}`,
			`[{"loc":["body","description"],"msg":"Input should be a valid string",` +
				`"type":"string_type"}]`},
		{"not an object", "POST", "/api/v1/clients", `["A"]`,
			`[{"loc":["body"],"msg":"Input should be a valid dictionary or object to extract ` +
				`fields from","type":"model_attributes_type"}]`},
		{"pdp fields missing", "PUT", "/api/v1/clients/" + uid + "/pdp-config",
			`{"flowServiceUrl":"f","tokenUrl":"t"}`,
			`[{"loc":["body","oauthClientId"],"msg":"Field required","type":"missing"},` +
				`{"loc":["body","clientSecret"],"msg":"Field required","type":"missing"}]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, srv, tc.method, tc.path, srv.AccountToken(), tc.body)

			assert.Equal(t, http.StatusUnprocessableEntity, got.status)
			assert.JSONEq(t, `{"detail":`+tc.want+`}`, got.body)
		})
	}
}

func TestUnknownRoutes(t *testing.T) {
	srv := start(t)

	got := call(t, srv, "GET", "/api/v1/nothing", srv.AccountToken(), "")
	assert.Equal(t, http.StatusNotFound, got.status)
	assert.JSONEq(t, `{"detail":"Not Found"}`, got.body)

	got = call(t, srv, "DELETE", "/api/v1/clients", srv.AccountToken(), "")
	assert.Equal(t, http.StatusMethodNotAllowed, got.status)
	assert.JSONEq(t, `{"detail":"Method Not Allowed"}`, got.body)
}

func TestBodyWithoutContentTypeIsJSON(t *testing.T) {
	srv := start(t)
	req, err := http.NewRequest("POST", srv.URL+"/api/v1/clients", strings.NewReader(`{"name":"A"}`))
	assert.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+srv.AccountToken())

	resp, err := srv.Client().Do(req)
	assert.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
}
