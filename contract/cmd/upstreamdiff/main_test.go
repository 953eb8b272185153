package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata is where the small documents of the contract package's tests live.
const testdata = "../../testdata/upstream"

// TestRun checks the exit codes and the report, for files and for a URL.
func TestRun(t *testing.T) {
	published, err := os.ReadFile(testdata + "/published.json")
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write(published)
	}))
	defer srv.Close()

	tests := []struct {
		name       string
		upstream   string
		wantCode   int
		wantOut    []string
		wantStderr string
	}{
		{
			name:     "file",
			upstream: "published.json",
			wantOut: []string{"lacks: 2\n  + GET /api/v1/stats/clients\n" +
				"  + POST /api/v1/clients/{uid}/archiver\n", "ok: 0 breaking, 0 warning, 5 info."},
		},
		{
			name:     "url",
			upstream: srv.URL + "/openapi.json",
			wantOut:  []string{"+ POST /api/v1/clients/{uid}/archiver"},
		},
		{
			name:     "only noise",
			upstream: "published-same.json",
			wantOut:  []string{"ok: 0 breaking, 0 warning, 0 info."},
		},
		{
			name:       "missing flag",
			wantCode:   2,
			wantStderr: "-upstream is required",
		},
		{
			name:       "missing file",
			upstream:   "absent.json",
			wantCode:   2,
			wantStderr: "read published document",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			args := []string{"-dir", testdata, "-spec", "ours.yaml", "-timeout", "5s"}
			if tt.upstream != "" {
				args = append(args, "-upstream", tt.upstream)
			}

			code := run(args, &stdout, &stderr)

			assert.Equal(t, tt.wantCode, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
			for _, want := range tt.wantOut {
				assert.Contains(t, stdout.String(), want)
			}
			assert.Contains(t, stderr.String(), tt.wantStderr)
		})
	}
}
