package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repo lays out a scratch repository: the real spec as the v1.0.0 baseline, and the
// real spec changed by edit as openapi.yaml.
func repo(t *testing.T, edit func(string) string) string {
	t.Helper()

	data, err := os.ReadFile("../../../openapi.yaml")
	require.NoError(t, err)

	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "api", "baseline"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "api", "baseline", "v1.0.0.yaml"), data, 0o644))

	edited := edit(string(data))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "openapi.yaml"), []byte(edited), 0o644))

	return dir
}

// makeSiretRequired makes the optional siret of ClientCreateRequest required.
func makeSiretRequired(spec string) string {
	return strings.Replace(spec, "      required: [name]\n", "      required: [name, siret]\n", 1)
}

// requiredLine returns the line of the real spec that makeSiretRequired changes.
func requiredLine(t *testing.T) int {
	t.Helper()

	data, err := os.ReadFile("../../../openapi.yaml")
	require.NoError(t, err)

	before, _, found := strings.Cut(string(data), "      required: [name]\n")
	require.True(t, found, "the spec no longer has ClientCreateRequest's required list")

	return strings.Count(before, "\n") + 1
}

// TestRun checks the exit codes and what the command prints.
func TestRun(t *testing.T) {
	line := requiredLine(t)
	tests := []struct {
		name       string
		edit       func(string) string
		args       []string
		wantCode   int
		wantOut    []string
		wantStderr string
	}{
		{
			name:     "unchanged passes",
			edit:     func(s string) string { return s },
			wantCode: 0,
			wantOut:  []string{"api/baseline/v1.0.0.yaml (base)", "ok: 0 breaking"},
		},
		{
			name:     "breaking edit fails",
			edit:     makeSiretRequired,
			wantCode: 1,
			wantOut: []string{"request-property-became-required",
				fmt.Sprintf("at openapi.yaml:%d\n", line)},
			wantStderr: "breaks users of api/baseline/v1.0.0.yaml",
		},
		{
			name:     "annotations",
			edit:     makeSiretRequired,
			args:     []string{"-github"},
			wantCode: 1,
			wantOut:  []string{fmt.Sprintf("::error file=openapi.yaml,line=%d,", line)},
		},
		{
			name:       "missing base",
			edit:       func(s string) string { return s },
			args:       []string{"-base", "missing.yaml"},
			wantCode:   2,
			wantStderr: `base "missing.yaml" is neither a file nor a git revision`,
		},
		{
			name:       "bad level",
			edit:       func(s string) string { return s },
			args:       []string{"-fail-on", "sometimes"},
			wantCode:   2,
			wantStderr: "-fail-on",
		},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GITHUB_ACTIONS", "")
			dir := repo(t, tt.edit)
			var stdout, stderr strings.Builder

			code := run(append([]string{"-dir", dir}, tt.args...), &stdout, &stderr)

			assert.Equal(t, tt.wantCode, code, "stdout:\n%s\nstderr:\n%s", &stdout, &stderr)
			for _, want := range tt.wantOut {
				assert.Contains(t, stdout.String(), want)
			}
			assert.Contains(t, stderr.String(), tt.wantStderr)
		})
	}
}

// TestRunAnnotatesOnGitHubActions checks that GITHUB_ACTIONS=true turns annotations on.
func TestRunAnnotatesOnGitHubActions(t *testing.T) {
	t.Setenv("GITHUB_ACTIONS", "true")
	var stdout, stderr strings.Builder

	code := run([]string{"-dir", repo(t, makeSiretRequired)}, &stdout, &stderr)

	assert.Equal(t, 1, code)
	assert.Contains(t, stdout.String(), "::error file=openapi.yaml,")
}
