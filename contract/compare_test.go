package contract

import (
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realSpec is the repository's spec, the one every variant below starts from.
const realSpec = "../openapi.yaml"

// loadReal loads a fresh copy of the repository's spec under name.
func loadReal(t *testing.T, name string) *Spec {
	t.Helper()

	data, err := os.ReadFile(realSpec)
	require.NoError(t, err)

	spec, err := Parse(name, data)
	require.NoError(t, err)

	return spec
}

// schema returns the named component schema of doc, failing the test when it is absent.
func schema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()

	ref, ok := doc.Components.Schemas[name]
	require.True(t, ok, "spec has no schema %s", name)

	return ref.Value
}

// TestCompareGate proves which edits of the spec the gate lets through: additive ones
// pass, edits that break the SDK's users fail with the check that caught them.
func TestCompareGate(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(t *testing.T, doc *openapi3.T)
		breaking  bool
		wantID    string // a check id the result must hold; "" for none
		wantAdded string // an operation the result must list as added
	}{
		{
			name:     "unchanged",
			edit:     func(*testing.T, *openapi3.T) {},
			breaking: false,
		},
		{
			name: "new optional response property",
			edit: func(t *testing.T, doc *openapi3.T) {
				s := schema(t, doc, "ClientDetail")
				s.Properties["nickname"] = openapi3.NewStringSchema().NewRef()
			},
			breaking: false,
			wantID:   "response-optional-property-added",
		},
		{
			name: "new optional request property",
			edit: func(t *testing.T, doc *openapi3.T) {
				s := schema(t, doc, "ClientCreateRequest")
				s.Properties["reference"] = openapi3.NewStringSchema().NewRef()
			},
			breaking: false,
			wantID:   "new-optional-request-property",
		},
		{
			name: "new endpoint",
			edit: func(t *testing.T, doc *openapi3.T) {
				get := doc.Paths.Value("/api/v1/clients/{uid}").Get
				op := *get
				op.OperationID = "getChorusConfig"
				item := &openapi3.PathItem{Get: &op}
				item.Parameters = doc.Paths.Value("/api/v1/clients/{uid}").Parameters
				doc.Paths.Set("/api/v1/clients/{uid}/chorus-config", item)
			},
			breaking:  false,
			wantID:    "endpoint-added",
			wantAdded: "GET /api/v1/clients/{uid}/chorus-config",
		},
		{
			name: "optional request property made required",
			edit: func(t *testing.T, doc *openapi3.T) {
				s := schema(t, doc, "ClientCreateRequest")
				s.Required = append(s.Required, "siret")
			},
			breaking: true,
			wantID:   "request-property-became-required",
		},
		{
			name: "optional response property removed",
			edit: func(t *testing.T, doc *openapi3.T) {
				delete(schema(t, doc, "PDPConfigResponse").Properties, "message")
			},
			breaking: true,
			wantID:   "response-optional-property-removed",
		},
		{
			name: "required response property removed",
			edit: func(t *testing.T, doc *openapi3.T) {
				s := schema(t, doc, "ClientActivateResponse")
				delete(s.Properties, "message")
				s.Required = []string{"uid", "isActive"}
			},
			breaking: true,
			wantID:   "response-required-property-removed",
		},
		{
			name: "endpoint removed",
			edit: func(t *testing.T, doc *openapi3.T) {
				doc.Paths.Delete("/api/v1/clients/{uid}/desactiver")
			},
			breaking: true,
			wantID:   "api-path-removed-without-deprecation",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := loadReal(t, "base.yaml")
			revision := loadReal(t, "openapi.yaml")
			tt.edit(t, revision.Doc)

			result, err := Compare(base, revision)
			require.NoError(t, err)

			assert.Equal(t, tt.breaking, result.Fails(checker.ERR), "changes: %+v", result.Changes)
			if tt.wantID != "" {
				assert.Contains(t, ids(result.Changes), tt.wantID)
			}
			if tt.wantAdded != "" {
				assert.Contains(t, result.Added, tt.wantAdded)
			}
		})
	}
}

// ids lists the check ids of changes.
func ids(changes []Change) []string {
	out := make([]string, 0, len(changes))
	for _, c := range changes {
		out = append(out, c.ID)
	}

	return out
}

// TestCompareUnchangedHasNoChanges guards against noise: the spec compared with itself
// reports nothing at all, not even information.
func TestCompareUnchangedHasNoChanges(t *testing.T) {
	result, err := Compare(loadReal(t, "base.yaml"), loadReal(t, "openapi.yaml"))
	require.NoError(t, err)

	assert.Empty(t, result.Changes)
	assert.Empty(t, result.Added)
	assert.Empty(t, result.Removed)
}

// TestCompareRemovalNamesLines checks that a removed response property is reported at
// its operation's line in the revision and at its own line in the base.
func TestCompareRemovalNamesLines(t *testing.T) {
	base := loadReal(t, "base.yaml")
	revision := loadReal(t, "openapi.yaml")
	delete(schema(t, revision.Doc, "PDPConfigResponse").Properties, "message")

	result, err := Compare(base, revision)
	require.NoError(t, err)
	require.NotEmpty(t, result.Changes)

	for _, c := range result.Changes {
		assert.Positive(t, c.Line, "%s has no line in the revision", c.ID)
		assert.Positive(t, c.BaseLine, "%s has no line in the base", c.ID)
	}
}
