package contract

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oasdiff/oasdiff/checker"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLatestBaseline checks that baselines compare by version number, not by name.
func TestLatestBaseline(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string // "" when an error is wanted
	}{
		{"one", []string{"v1.0.0.yaml"}, "v1.0.0.yaml"},
		{"numeric order", []string{"v1.9.0.yaml", "v1.10.0.yaml", "v1.2.3.yaml"}, "v1.10.0.yaml"},
		{"major wins", []string{"v2.0.0.yaml", "v1.99.99.yaml"}, "v2.0.0.yaml"},
		{"other names ignored", []string{"v1.0.0.yaml", "v9.yaml", "vnext.yaml"}, "v1.0.0.yaml"},
		{"none", []string{"notes.yaml"}, ""},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
			}

			got, err := LatestBaseline(dir)
			if tt.want == "" {
				assert.ErrorIs(t, err, errNoBaseline)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, filepath.Join(dir, tt.want), got)
		})
	}
}

// TestLoadBase checks that a base is read from a file, from a git revision, and that
// anything else is an error that names it.
func TestLoadBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}

	dir := t.TempDir()
	spec, err := os.ReadFile(realSpec)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "openapi.yaml"), spec, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "copy.yaml"), spec, 0o644))
	gitIn(t, dir, "init", "-q")
	gitIn(t, dir, "add", "openapi.yaml")
	gitIn(t, dir, "commit", "-q", "-m", "spec")

	tests := []struct {
		base     string
		wantName string
		wantErr  string
	}{
		{"copy.yaml", "copy.yaml", ""},
		{"HEAD", "HEAD:./openapi.yaml", ""},
		{"HEAD:openapi.yaml", "HEAD:openapi.yaml", ""},
		{"no-such-ref", "", `base "no-such-ref" is neither a file nor a git revision`},
	}

	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			got, err := LoadBase(dir, tt.base, "openapi.yaml")
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, got.Name)
			assert.NotNil(t, got.Doc.Paths.Value("/api/v1/clients"))
		})
	}
}

// gitIn runs git in dir with a throwaway identity.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()

	args = append([]string{"-C", dir, "-c", "user.name=test", "-c", "user.email=test@invalid",
		"-c", "commit.gpgsign=false"}, args...)
	out, err := exec.Command("git", args...).CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

// TestParseRejectsInvalid checks that a document that cannot be loaded is an error
// naming it.
func TestParseRejectsInvalid(t *testing.T) {
	_, err := Parse("broken.yaml", []byte("openapi: 3.0.3\npaths: [\n"))
	assert.ErrorContains(t, err, "broken.yaml")
}

// TestSeverityLevels checks the shipped overrides and the parser's errors.
func TestSeverityLevels(t *testing.T) {
	levels, err := SeverityLevels()
	require.NoError(t, err)
	assert.Equal(t, checker.ERR, levels["response-optional-property-removed"])

	tests := []struct {
		text, wantErr string
	}{
		{"# only a comment\n\n", ""},
		{"response-optional-property-removed warn\n", ""},
		{"no-such-check err\n", `line 1: unknown check id "no-such-check"`},
		{"\nresponse-optional-property-removed\n", "line 2: want"},
		{"response-optional-property-removed fatal\n", "line 1: invalid level"},
	}
	for _, tt := range tests {
		_, err := parseSeverityLevels(tt.text)
		if tt.wantErr == "" {
			assert.NoError(t, err, "text %q", tt.text)
		} else {
			assert.ErrorContains(t, err, tt.wantErr, "text %q", tt.text)
		}
	}
}
