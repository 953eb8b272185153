package factpulse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAPIErrorShapes sends the answers a client meets in practice and checks what the
// caller gets: an *APIError with the status, the right errors.Is answer and the detail.
func TestAPIErrorShapes(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		is          error
		detail      string
		problems    []Problem
		msgHas      string
	}{
		{
			name: "not found", status: 404, contentType: "application/json",
			body: `{"detail":"Client not found"}`, is: ErrNotFound, detail: "Client not found",
			msgHas: "404 Not Found: Client not found",
		},
		{
			name: "unauthorized", status: 401, contentType: "application/json",
			body: `{"detail":"Invalid token"}`, is: ErrUnauthorized, detail: "Invalid token",
		},
		{
			name: "forbidden", status: 403, contentType: "application/json",
			body: `{"detail":"Access denied"}`, is: ErrForbidden, detail: "Access denied",
		},
		{
			name: "validation with string and integer loc items", status: 422,
			contentType: "application/json",
			body: `{"detail":[{"loc":["body","siret"],"msg":"bad siret","type":"string_pattern_mismatch",
				"input":"TOPSECRET"},{"loc":["body","lines",0],"msg":"bad line","type":"x"}]}`,
			is: ErrValidation,
			problems: []Problem{
				{Location: []any{"body", "siret"}, Message: "bad siret",
					Type: "string_pattern_mismatch"},
				{Location: []any{"body", "lines", 0}, Message: "bad line", Type: "x"},
			},
			msgHas: "body.siret: bad siret; body.lines.0: bad line",
		},
		{
			name: "HTML page from a proxy", status: 502, contentType: "text/html",
			body:   "<html><body><h1>502 Bad Gateway</h1></body></html>",
			msgHas: "502 Bad Gateway (text/html body that is not a service error)",
		},
		{
			name: "empty body", status: 500, msgHas: "500 Internal Server Error (empty body)",
		},
		{
			name: "plain text", status: 503, contentType: "text/plain", body: "overloaded",
			msgHas: "503 Service Unavailable (text/plain body",
		},
		{
			name: "JSON without detail", status: 400, contentType: "application/json",
			body: `{"error":"nope"}`, msgHas: "400 Bad Request (application/json body",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWireServer(t, tt.status, tt.contentType, tt.body)
			c := newTestClient(t, ws.URL, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))

			got, err := c.Clients.Get(context.Background(), testUID)
			require.Error(t, err)
			assert.Nil(t, got)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.detail, apiErr.Detail)
			assert.Equal(t, tt.problems, apiErr.Problems)
			assert.Equal(t, "GET", apiErr.Method)
			assert.Equal(t, "/api/v1/clients/"+testUID, apiErr.Path)
			assert.Equal(t, 1, apiErr.Attempts)
			if tt.is != nil {
				assert.ErrorIs(t, err, tt.is)
			}
			for _, other := range []error{ErrNotFound, ErrUnauthorized, ErrForbidden,
				ErrValidation, ErrInvalidInput} {
				if other != tt.is {
					assert.NotErrorIs(t, err, other)
				}
			}
			assert.Contains(t, err.Error(), tt.msgHas)

			var syntax *json.SyntaxError
			assert.False(t, errors.As(err, &syntax), "no bare JSON syntax error")
			assert.NotContains(t, string(apiErr.Body), "TOPSECRET")
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "TOPSECRET")
		})
	}
}

// TestUndecodableSuccess checks that a success status with a body that is not the
// documented JSON gives an error that keeps the status and the body, never a nil result
// with a nil error.
func TestUndecodableSuccess(t *testing.T) {
	tests := []struct {
		name, contentType, body string
	}{
		{"HTML", "text/html", "<html>login portal</html>"},
		{"empty", "application/json", ""},
		{"null", "application/json", "null"},
		{"truncated", "application/json", `{"uid":"3f0c`},
		{"wrong type", "application/json", `{"uid":"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f",
			"name":12}`},
		{"array", "application/json", `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWireServer(t, 200, tt.contentType, tt.body)
			c := newTestClient(t, ws.URL)

			got, err := c.Clients.Get(context.Background(), testUID)
			require.Error(t, err)
			assert.Nil(t, got)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.StatusCode)
			assert.Equal(t, tt.body, string(apiErr.Body))
			assert.Error(t, apiErr.Err)
		})
	}
}

func TestAPIErrorBodyIsBounded(t *testing.T) {
	ws := newWireServer(t, 500, "text/html", strings.Repeat("x", 1<<20))
	c := newTestClient(t, ws.URL, WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))

	_, err := c.Clients.Get(context.Background(), testUID)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, maxErrorBody)
}

// TestInputChecked checks that bad input is refused with the field and the rule named,
// before any request leaves.
func TestInputChecked(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("é", 256)
	tests := []struct {
		name  string
		call  func(c *Client) error
		field string
		rule  string
	}{
		{"uid not a uuid", func(c *Client) error {
			_, err := c.Clients.Get(ctx, "not-a-uuid")
			return err
		}, "uid", "must be a UUID"},
		{"uid without hyphens", func(c *Client) error {
			_, err := c.Clients.Activate(ctx, strings.ReplaceAll(testUID, "-", ""))
			return err
		}, "uid", "must be a UUID"},
		{"uid in braces", func(c *Client) error {
			_, err := c.Clients.Deactivate(ctx, "{"+testUID[:34]+"}")
			return err
		}, "uid", "must be a UUID"},
		{"empty uid", func(c *Client) error {
			_, err := c.Clients.PDPConfig(ctx, "")
			return err
		}, "uid", "must be a UUID"},
		{"empty name", func(c *Client) error {
			_, err := c.Clients.Create(ctx, ClientCreate{})
			return err
		}, "name", "must not be empty"},
		{"name too long", func(c *Client) error {
			_, err := c.Clients.Create(ctx, ClientCreate{Name: long})
			return err
		}, "name", "at most 255"},
		{"short siret", func(c *Client) error {
			_, err := c.Clients.Create(ctx, ClientCreate{Name: "a", SIRET: ptr("1234")})
			return err
		}, "siret", "exactly 14 digits"},
		{"siret with letters", func(c *Client) error {
			_, err := c.Clients.Update(ctx, testUID, ClientUpdate{SIRET: Set("1234567890123A")})
			return err
		}, "siret", "exactly 14 digits"},
		{"siret with non-ASCII digits", func(c *Client) error {
			_, err := c.Clients.Update(ctx, testUID,
				ClientUpdate{SIRET: Set("١٢٣٤٥٦٧٨٩٠١٢٣٤")})
			return err
		}, "siret", "exactly 14 digits"},
		{"update to empty name", func(c *Client) error {
			_, err := c.Clients.Update(ctx, testUID, ClientUpdate{Name: Set("")})
			return err
		}, "name", "must not be empty"},
		{"description too long", func(c *Client) error {
			_, err := c.Clients.Create(ctx, ClientCreate{Name: "a",
				Description: ptr(strings.Repeat("d", 1001))})
			return err
		}, "description", "at most 1000"},
		{"page size above 100", func(c *Client) error {
			_, err := c.Clients.List(ctx, &ListOptions{PageSize: 101})
			return err
		}, "pageSize", "from 1 to 100"},
		{"negative page", func(c *Client) error {
			_, err := c.Clients.List(ctx, &ListOptions{Page: -1})
			return err
		}, "page", "at least 1"},
		{"name that is not UTF-8", func(c *Client) error {
			_, err := c.Clients.Create(ctx, ClientCreate{Name: "Boulangerie \xff"})
			return err
		}, "name", "valid UTF-8"},
		{"description that is not UTF-8", func(c *Client) error {
			_, err := c.Clients.Update(ctx, testUID, ClientUpdate{Description: Set("caf\xe9")})
			return err
		}, "description", "valid UTF-8"},
		{"Latin-1 PDP secret", func(c *Client) error {
			_, err := c.Clients.SetPDPConfig(ctx, testUID, PDPConfigUpdate{
				FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c",
				ClientSecret: "s3cr\xe9t"})
			return err
		}, "clientSecret", "valid UTF-8"},
		{"PDP config without secret", func(c *Client) error {
			_, err := c.Clients.SetPDPConfig(ctx, testUID, PDPConfigUpdate{
				FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c"})
			return err
		}, "clientSecret", "is required"},
		{"PDP config without token URL", func(c *Client) error {
			_, err := c.Clients.SetPDPConfig(ctx, testUID, PDPConfigUpdate{
				FlowServiceURL: "f", OAuthClientID: "c", ClientSecret: "s"})
			return err
		}, "tokenUrl", "is required"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWireServer(t, 200, "application/json", clientJSON)
			c := newTestClient(t, ws.URL)

			err := tt.call(c)

			var inErr *InputError
			require.ErrorAs(t, err, &inErr)
			assert.Equal(t, tt.field, inErr.Field)
			assert.Contains(t, inErr.Rule, tt.rule)
			assert.Contains(t, err.Error(), tt.field)
			assert.ErrorIs(t, err, ErrInvalidInput)
			assert.Zero(t, ws.count(), "no request may be sent")
		})
	}
}

func TestInputAtTheLimitsIsSent(t *testing.T) {
	ws := newWireServer(t, 201, "application/json", clientJSON)
	c := newTestClient(t, ws.URL)

	name := strings.Repeat("é", 255)
	_, err := c.Clients.Create(context.Background(), ClientCreate{Name: name,
		Description: ptr(strings.Repeat("d", 1000)), SIRET: ptr("00000000000000")})
	require.NoError(t, err)

	var sent map[string]string
	require.NoError(t, json.Unmarshal([]byte(ws.only(t).body), &sent))
	assert.Equal(t, name, sent["name"], "the name is sent exactly as given")
}

func TestUppercaseUIDIsAccepted(t *testing.T) {
	ws := newWireServer(t, 200, "application/json", clientJSON)
	c := newTestClient(t, ws.URL)

	_, err := c.Clients.Get(context.Background(), strings.ToUpper(testUID))

	require.NoError(t, err)
	assert.Equal(t, "/api/v1/clients/"+testUID, ws.only(t).path)
}

// TestLongValidationAnswerIsScrubbed sends a 422 far longer than what an APIError keeps,
// whose entries echo the request, secret included, as FastAPI does for missing fields.
func TestLongValidationAnswerIsScrubbed(t *testing.T) {
	const secret = "pdp-client-secret-4711"
	var items []map[string]any
	for i := range 40 {
		items = append(items, map[string]any{
			"type": "missing", "loc": []any{"body", fmt.Sprint("f", i)}, "msg": "Field required",
			"input": map[string]any{"clientSecret": secret, "pad": strings.Repeat("x", 200)},
		})
	}
	body, err := json.Marshal(map[string]any{"detail": items})
	require.NoError(t, err)
	require.Greater(t, len(body), maxErrorBody)

	ws := newWireServer(t, 422, "application/json", string(body))
	c := newTestClient(t, ws.URL)
	_, err = c.Clients.SetPDPConfig(context.Background(), testUID, PDPConfigUpdate{
		FlowServiceURL: "f", TokenURL: "t", OAuthClientID: "c", ClientSecret: secret})

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Problems, 40)
	assert.NotContains(t, string(apiErr.Body), secret)
	assert.LessOrEqual(t, len(apiErr.Body), maxErrorBody)
}

// TestUnparsableJSONErrorKeepsNoBody checks that an error answer that says it is JSON but
// cannot be parsed, so cannot be scrubbed, is not kept.
func TestUnparsableJSONErrorKeepsNoBody(t *testing.T) {
	body := `{"detail":[{"loc":["body","clientSecret"],"input":"s3cret",` +
		strings.Repeat(" ", maxParsedErrorBody)
	ws := newWireServer(t, 422, "application/json", body)
	c := newTestClient(t, ws.URL)

	_, err := c.Clients.Get(context.Background(), testUID)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 422, apiErr.StatusCode)
	assert.Empty(t, apiErr.Body)
	assert.ErrorIs(t, err, ErrValidation)
}

// TestSuccessLackingRequiredPropertiesIsAnError checks that a success answer without the
// properties the spec requires is refused, rather than handed out as a client with a
// zero uid and no name.
func TestSuccessLackingRequiredPropertiesIsAnError(t *testing.T) {
	tests := []struct {
		name, body, want string
		call             func(c *Client) error
	}{
		{"empty client", `{}`, "uid, name, isActive", func(c *Client) error {
			_, err := c.Clients.Get(context.Background(), testUID)
			return err
		}},
		{"null uid", strings.Replace(clientJSON, `"uid":"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"`,
			`"uid":null`, 1), "required uid", func(c *Client) error {
			_, err := c.Clients.Get(context.Background(), testUID)
			return err
		}},
		{"list item without a name", `{"results":[{"uid":"` + testUID + `"}],"total":1,
			"page":1,"pageSize":20}`, "results[0].name", func(c *Client) error {
			_, err := c.Clients.List(context.Background(), nil)
			return err
		}},
		{"PDP answer without isConfigured", `{"message":"x"}`, "isConfigured",
			func(c *Client) error {
				_, err := c.Clients.PDPConfig(context.Background(), testUID)
				return err
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ws := newWireServer(t, 200, "application/json", tt.body)
			c := newTestClient(t, ws.URL)

			err := tt.call(c)

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 200, apiErr.StatusCode)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
