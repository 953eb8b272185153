package contract

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sdk is the SDK's module path.
const sdk = "github.com/invoicekit/factpulse-go"

// oasdiffModule is the module that must stay out of the SDK's module graph.
const oasdiffModule = "github.com/oasdiff/oasdiff"

// TestSDKModuleGraphHasNoOasdiff proves that oasdiff stays in this tooling module: a
// scratch program that imports the SDK from the local checkout has no oasdiff in its
// module graph, and the SDK's go.mod does not name it.
func TestSDKModuleGraphHasNoOasdiff(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module with the go command")
	}

	root, err := filepath.Abs("..")
	require.NoError(t, err)

	sdkGoMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	assert.NotContains(t, string(sdkGoMod), oasdiffModule)

	tests := []struct {
		pkg         string
		module      string // the local module that pkg is in
		wantOasdiff bool
	}{
		{sdk + "/wrapper", sdk, false},
		{sdk + "/gen/apiclient", sdk, false},
		// The control: importing this tooling module does bring oasdiff, so the check
		// above can see it.
		{sdk + "/contract", sdk + "/contract", true},
	}

	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			modules := consumerModules(t, root, tt.pkg)

			assert.Contains(t, modules, tt.module)
			assert.Equal(t, tt.wantOasdiff, slices.Contains(modules, oasdiffModule),
				"modules: %v", modules)
		})
	}
}

// consumerModules writes a program that imports pkg from the local checkout at root,
// tidies its module, which drops the requirements it does not use, and returns the
// module paths that `go list -m all` lists for it.
func consumerModules(t *testing.T, root, pkg string) []string {
	t.Helper()

	dir := t.TempDir()
	goMod := "module example.com/consumer\n\ngo 1.26.0\n\n" +
		"require github.com/invoicekit/factpulse-go v0.0.0-00010101000000-000000000000\n" +
		"require github.com/invoicekit/factpulse-go/contract v0.0.0-00010101000000-000000000000\n\n" +
		"replace github.com/invoicekit/factpulse-go => " + root + "\n" +
		"replace github.com/invoicekit/factpulse-go/contract => " + filepath.Join(root, "contract") + "\n"
	main := "package main\n\nimport _ \"" + pkg + "\"\n\nfunc main() {}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(goMod), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644))

	goIn(t, dir, "mod", "tidy")
	out := goIn(t, dir, "list", "-m", "all")

	var modules []string
	scanner := bufio.NewScanner(strings.NewReader(out))
	for scanner.Scan() {
		if fields := strings.Fields(scanner.Text()); len(fields) > 0 {
			modules = append(modules, fields[0])
		}
	}

	return modules
}

// goIn runs the go command in dir, outside any workspace, and returns its output.
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()

	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")

	out, err := cmd.Output()
	var stderr string
	if exitErr, ok := err.(*exec.ExitError); ok {
		stderr = string(exitErr.Stderr)
	}
	require.NoError(t, err, "go %v: %s", args, stderr)

	return string(out)
}
