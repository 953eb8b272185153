package contract

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/oasdiff/oasdiff/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clients selects the Client Management operations the way the command does by default.
var clients = Selection{PathPrefix: "/api/v1/clients", Tag: "Client Management"}

// loadPublished reads a published document from testdata the way the command does.
func loadPublished(t *testing.T, data []byte) *Spec {
	t.Helper()

	data, err := AsOpenAPI30(data)
	require.NoError(t, err)

	spec, err := Parse("published.json", data)
	require.NoError(t, err)

	return spec
}

// readTestdata returns a file of testdata/upstream.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()

	data, err := os.ReadFile("testdata/upstream/" + name)
	require.NoError(t, err)

	return data
}

// TestCompareUpstream compares a small spec of ours with small published documents:
// differences that are only generated names, wording, tags, the 3.1 header and where a
// parameter is declared make no noise; real differences are reported.
func TestCompareUpstream(t *testing.T) {
	tests := []struct {
		name        string
		file        string
		edit        func(string) string // changes the published document's text
		breaking    bool
		wantIDs     []string
		wantAdded   []string
		wantRemoved []string
		wantNoText  string // a word no change may mention
	}{
		{
			name: "only noise",
			file: "published-same.json",
		},
		{
			name:      "new operations and properties",
			file:      "published.json",
			wantIDs:   []string{"endpoint-added", "response-optional-property-added"},
			wantAdded: []string{"GET /api/v1/stats/clients", "POST /api/v1/clients/{uid}/archiver"},
			// Invoices are another part of the API: neither the operation nor its
			// schema may show up.
			wantNoText: "invoice",
		},
		{
			name: "response property removed",
			file: "published-same.json",
			edit: func(s string) string {
				return strings.Replace(s, `"siret": {"type": "string", "nullable": true, `+
					`"title": "Siret", "example": "12345678901234"}`, `"x": {}`, 1)
			},
			breaking: true,
			wantIDs:  []string{"response-optional-property-removed"},
		},
		{
			name: "operation gone",
			file: "published-same.json",
			edit: func(s string) string {
				return strings.Replace(s, `"/api/v1/clients/{uid}": {`, `"/api/v1/other/{uid}": {`, 1)
			},
			breaking:    true,
			wantIDs:     []string{"api-path-removed-without-deprecation"},
			wantRemoved: []string{"GET /api/v1/clients/{uid}"},
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := string(readTestdata(t, tt.file))
			if tt.edit != nil {
				edited := tt.edit(text)
				require.NotEqual(t, text, edited, "the edit changed nothing")
				text = edited
			}

			ours, err := LoadFile("ours.yaml", "testdata/upstream/ours.yaml")
			require.NoError(t, err)

			result, err := CompareUpstream(ours, loadPublished(t, []byte(text)), clients)
			require.NoError(t, err)

			assert.Equal(t, tt.breaking, result.Fails(checker.ERR), "changes: %+v", result.Changes)
			assertSubset(t, tt.wantIDs, ids(result.Changes))
			assert.Equal(t, tt.wantAdded, nilIfEmpty(result.Added))
			assert.Equal(t, tt.wantRemoved, nilIfEmpty(result.Removed))
			if tt.wantIDs == nil {
				assert.Empty(t, result.Changes)
			}
			for _, c := range result.Changes {
				if tt.wantNoText != "" {
					assert.NotContains(t, strings.ToLower(c.Text+" "+c.Path), tt.wantNoText)
				}
			}
		})
	}
}

// assertSubset checks that every wanted item is in got.
func assertSubset(t *testing.T, want, got []string) {
	t.Helper()

	for _, w := range want {
		assert.Contains(t, got, w)
	}
}

// nilIfEmpty returns nil for an empty list, so that lists compare with a nil want.
func nilIfEmpty(list []string) []string {
	if len(list) == 0 {
		return nil
	}

	return list
}

// TestSelectFollowsRefs checks that a selection keeps the schemas its operations reach,
// through nested $refs, and drops the rest.
func TestSelectFollowsRefs(t *testing.T) {
	published := loadPublished(t, readTestdata(t, "published.json"))

	selected := Select(published.Doc, clients)

	var names []string
	for name := range selected.Components.Schemas {
		names = append(names, name)
	}
	assert.ElementsMatch(t, []string{"ClientListResponse", "ClientSummary", "ClientDetail",
		"Address"}, names)
	assert.Nil(t, selected.Paths.Value("/api/v1/invoices"))
	assert.NotNil(t, selected.Paths.Value("/api/v1/stats/clients"), "kept by its tag")
	assert.NotNil(t, published.Doc.Paths.Value("/api/v1/invoices"), "the original is untouched")
}

// TestAsOpenAPI30 checks that the version is rewritten in JSON and YAML alike and that
// no line moves.
func TestAsOpenAPI30(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"json", "{\n  \"openapi\": \"3.1.0\",\n  \"info\": {}\n}\n",
			"{\n  \"openapi\": \"3.0.3\",\n  \"info\": {}\n}\n"},
		{"yaml", "info: {}\nopenapi: 3.1.0\npaths: {}\n", "info: {}\nopenapi: 3.0.3\npaths: {}\n"},
		{"yaml quoted", "openapi: '3.1.0'\n", "openapi: '3.0.3'\n"},
		{"already 3.0", "openapi: 3.0.3\n", "openapi: 3.0.3\n"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AsOpenAPI30([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

// TestAsOpenAPI30Rejects checks the errors for documents that are no OpenAPI mapping.
func TestAsOpenAPI30Rejects(t *testing.T) {
	for _, in := range []string{"[1, 2]", "info: {}\n", "{"} {
		_, err := AsOpenAPI30([]byte(in))
		assert.Error(t, err, "input %q", in)
	}
}

// TestFetch checks that a published document is read from a file and from a URL, and
// that a failing server is an error that names the status.
func TestFetch(t *testing.T) {
	body := readTestdata(t, "published.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/openapi.json" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	client := &http.Client{Timeout: 5 * time.Second}

	got, err := Fetch(ctx, client, srv.URL+"/openapi.json")
	require.NoError(t, err)
	assert.Equal(t, body, got)

	got, err = Fetch(ctx, client, "testdata/upstream/published.json")
	require.NoError(t, err)
	assert.Equal(t, body, got)

	_, err = Fetch(ctx, client, srv.URL+"/missing.json")
	assert.ErrorContains(t, err, "404")
}
