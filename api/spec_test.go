package api

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specPath is the spec that gen/ is generated from.
const specPath = "../openapi.yaml"

// checkSpec loads an OpenAPI document and returns every problem found in it: it must be
// valid OpenAPI 3.0 with every example matching its schema, and each operation must
// have an operation id, a summary, a declared tag and its own security requirement.
// Security is required on the operation itself, not inherited from the document, so
// that a reader of one operation sees its authentication.
func checkSpec(data []byte) error {
	loader := openapi3.NewLoader()

	doc, err := loader.LoadFromData(data)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}

	err = doc.Validate(context.Background(),
		openapi3.EnableExamplesValidation(),
		openapi3.EnableSchemaFormatValidation(),
		openapi3.EnableSchemaPatternValidation(),
		openapi3.EnableSchemaDefaultsValidation(),
	)
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}

	return checkOperations(doc)
}

// checkOperations returns what each operation lacks, all problems joined.
func checkOperations(doc *openapi3.T) error {
	declared := make([]string, 0, len(doc.Tags))
	for _, tag := range doc.Tags {
		declared = append(declared, tag.Name)
	}

	var problems []error
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, p := range operationProblems(op, declared) {
				problems = append(problems, fmt.Errorf("%s %s: %s", method, path, p))
			}
		}
	}

	return errors.Join(problems...)
}

// operationProblems lists what one operation lacks.
func operationProblems(op *openapi3.Operation, declaredTags []string) []string {
	var problems []string

	if op.OperationID == "" {
		problems = append(problems, "no operationId")
	}
	if strings.TrimSpace(op.Summary) == "" {
		problems = append(problems, "no summary")
	}
	if len(op.Tags) == 0 {
		problems = append(problems, "no tag")
	}
	for _, tag := range op.Tags {
		if !slices.Contains(declaredTags, tag) {
			problems = append(problems, fmt.Sprintf("tag %q is not declared in tags", tag))
		}
	}
	if op.Security == nil || len(*op.Security) == 0 {
		problems = append(problems, "no security requirement")
	}

	return problems
}

// TestSpecIsValid checks the repository's spec.
func TestSpecIsValid(t *testing.T) {
	data, err := os.ReadFile(specPath)
	require.NoError(t, err)

	assert.NoError(t, checkSpec(data))
}

// TestSpecCheckCatchesBrokenSpecs proves that checkSpec can fail: each case breaks a
// copy of the real spec in one small way, and the check must say what is wrong.
func TestSpecCheckCatchesBrokenSpecs(t *testing.T) {
	tests := []struct {
		name    string
		old     string // text of the real spec to replace, first occurrence only
		new     string
		wantErr string
	}{
		{
			name:    "missing operation id",
			old:     "      operationId: getClient\n",
			wantErr: "GET /api/v1/clients/{uid}: no operationId",
		},
		{
			name:    "missing summary",
			old:     "      summary: Activate a client\n",
			wantErr: "POST /api/v1/clients/{uid}/activer: no summary",
		},
		{
			name:    "missing tag",
			old:     "      tags: [Client Management]\n      summary: List clients\n",
			new:     "      summary: List clients\n",
			wantErr: "GET /api/v1/clients: no tag",
		},
		{
			name:    "undeclared tag",
			old:     "      tags: [Client Management]\n      summary: Create a client\n",
			new:     "      tags: [Clients]\n      summary: Create a client\n",
			wantErr: `POST /api/v1/clients: tag "Clients" is not declared`,
		},
		{
			name:    "missing security",
			old:     "      security:\n        - HTTPBearer: []\n",
			wantErr: "GET /api/v1/clients: no security requirement",
		},
		{
			name:    "security switched off",
			old:     "      security:\n        - HTTPBearer: []\n",
			new:     "      security: []\n",
			wantErr: "GET /api/v1/clients: no security requirement",
		},
		{
			name:    "request example of the wrong type",
			old:     "              siret: \"12345678901234\"\n",
			new:     "              siret: 12345678901234\n",
			wantErr: `invalid example: Error at "/siret": value must be a string`,
		},
		{
			name:    "request example breaking a pattern",
			old:     "              siret: \"12345678901234\"\n",
			new:     "              siret: \"1234\"\n",
			wantErr: "doesn't match the regular expression",
		},
		{
			name:    "schema example with a bad date",
			old:     "        createdAt: \"2000-01-23T04:56:07.000+00:00\"\n",
			new:     "        createdAt: \"yesterday\"\n",
			wantErr: `doesn't match the format "date-time"`,
		},
		{
			name:    "property example of the wrong type",
			old:     "          example: active\n",
			new:     "          example: 42\n",
			wantErr: "invalid example: value must be a string",
		},
		{
			name:    "unknown type",
			old:     "        total:\n          type: integer\n",
			new:     "        total:\n          type: int\n",
			wantErr: `unsupported 'type' value "int"`,
		},
		{
			name:    "dangling reference",
			old:     "$ref: \"#/components/schemas/ClientListResponse\"",
			new:     "$ref: \"#/components/schemas/ClientList\"",
			wantErr: "ClientList",
		},
		{
			name:    "missing title",
			old:     "  title: FactPulse Client Management\n",
			wantErr: "title",
		},
	}

	data, err := os.ReadFile(specPath)
	require.NoError(t, err)
	spec := string(data)
	if checkSpec(data) != nil {
		t.Skip("openapi.yaml itself fails the check; TestSpecIsValid says why")
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, spec, tt.old, "the real spec changed: update this case")
			broken := strings.Replace(spec, tt.old, tt.new, 1)

			err := checkSpec([]byte(broken))

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
