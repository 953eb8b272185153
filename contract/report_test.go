package contract

import (
	"strings"
	"testing"

	"github.com/oasdiff/oasdiff/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleResult holds one change of each level.
func sampleResult() *Result {
	return &Result{
		Base:     "api/baseline/v1.0.0.yaml",
		Revision: "openapi.yaml",
		Changes: []Change{
			{Level: checker.ERR, ID: "request-property-became-required", Method: "POST",
				Path: "/api/v1/clients", OperationID: "createClient",
				Text: "the request property `siret` became required", Line: 336},
			{Level: checker.WARN, ID: "some-warning", Text: "50%, or: more\nlines", BaseLine: 9},
			{Level: checker.INFO, ID: "endpoint-added", Method: "GET", Path: "/x", Text: "endpoint added"},
		},
	}
}

// TestWriteText checks the terminal report of each change and the summary line.
func TestWriteText(t *testing.T) {
	var b strings.Builder
	require.NoError(t, WriteText(&b, sampleResult(), "openapi.yaml"))
	out := b.String()

	for _, want := range []string{
		"Comparing api/baseline/v1.0.0.yaml (base) with openapi.yaml.",
		"ERROR   request-property-became-required\n        POST /api/v1/clients (createClient)\n",
		"at openapi.yaml:336\n",
		"at openapi.yaml (base api/baseline/v1.0.0.yaml:9)\n",
		"FAIL: 1 breaking, 1 warning, 1 info.",
	} {
		assert.Contains(t, out, want)
	}
}

// TestWriteAnnotations checks the workflow commands: one per change, the kind by level,
// line 1 when none is known, and escaped values.
func TestWriteAnnotations(t *testing.T) {
	var b strings.Builder
	require.NoError(t, WriteAnnotations(&b, sampleResult(), "openapi.yaml"))

	want := []string{
		"::error file=openapi.yaml,line=336,title=contract%3A request-property-became-required::" +
			"POST /api/v1/clients (createClient): the request property `siret` became required " +
			"[request-property-became-required]",
		"::warning file=openapi.yaml,line=1,title=contract%3A some-warning::" +
			"50%25, or: more%0Alines [some-warning]",
		"::notice file=openapi.yaml,line=1,title=contract%3A endpoint-added::" +
			"GET /x: endpoint added [endpoint-added]",
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", b.String())
}

// TestSummaryPasses checks the summary of a result without breaking changes.
func TestSummaryPasses(t *testing.T) {
	assert.Equal(t, "ok: 0 breaking, 0 warning, 0 info.", Summary(&Result{}))
}
