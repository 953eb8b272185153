// Package contract compares versions of the factpulse-go OpenAPI spec and tells which
// changes would break the SDK's users. It is the library behind `make contract-diff` and
// `make upstream-diff`, built on oasdiff.
//
// The package lives in its own Go module, so that oasdiff and its dependencies never
// reach the module graph of programs that import the SDK. Run its commands from this
// directory:
//
//	go run ./cmd/contractdiff -dir .. -base api/baseline/v1.0.0.yaml
//	go run ./cmd/upstreamdiff -dir .. -upstream published.json
package contract

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/flatten/commonparams"
)

// Spec is a loaded OpenAPI document and the name it is reported under.
type Spec struct {
	// Name says where the document came from, such as "openapi.yaml" or
	// "origin/main:openapi.yaml".
	Name string

	// Doc is the document with every $ref resolved and the origin of each element
	// recorded, so that changes can name a line.
	Doc *openapi3.T
}

// Parse loads an OpenAPI document from data and reports it under name. Parameters
// declared for a whole path are moved into each of its operations, so that moving one
// between the two places is no difference.
func Parse(name string, data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true

	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	commonparams.Move(doc)

	return &Spec{Name: name, Doc: doc}, nil
}

// LoadFile loads the OpenAPI document in the file at path and reports it under name.
func LoadFile(name, path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}

	return Parse(name, data)
}

// LoadRevision loads the spec as it is at a git revision of the repository in dir. The
// revision is a ref such as "origin/main" or "v1.0.0", in which case specPath names the
// file relative to dir, or a full "ref:path" object name.
func LoadRevision(dir, revision, specPath string) (*Spec, error) {
	object := revision
	if !strings.Contains(revision, ":") {
		object = revision + ":./" + filepath.ToSlash(specPath)
	}

	cmd := exec.Command("git", "-C", dir, "show", object)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr

	data, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		return nil, fmt.Errorf("git show %s: %w: %s", object, err, msg)
	}

	return Parse(object, data)
}

// LoadBase loads the spec to compare against. Base is a file path (relative to dir) or
// a git revision; a file wins when both exist. specPath is the spec's path relative to
// dir, used to find it inside a revision.
func LoadBase(dir, base, specPath string) (*Spec, error) {
	path := base
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, base)
	}

	info, err := os.Stat(path)
	if err == nil && !info.IsDir() {
		return LoadFile(base, path)
	}

	spec, gitErr := LoadRevision(dir, base, specPath)
	if gitErr != nil {
		return nil, fmt.Errorf("base %q is neither a file nor a git revision: %w", base, gitErr)
	}

	return spec, nil
}

// errNoBaseline is returned when the baseline directory holds no released spec.
var errNoBaseline = errors.New("no baseline spec named vMAJOR.MINOR.PATCH.yaml")

// LatestBaseline returns the path of the newest released baseline in dir, a file named
// after its release such as v1.2.0.yaml. Versions compare by number, so v1.10.0 is
// newer than v1.9.0.
func LatestBaseline(dir string) (string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "v*.yaml"))
	if err != nil {
		return "", fmt.Errorf("list baselines in %s: %w", dir, err)
	}

	best, bestVersion := "", [3]int{-1, -1, -1}
	for _, p := range paths {
		v, ok := parseVersion(strings.TrimSuffix(filepath.Base(p), ".yaml"))
		if ok && newer(v, bestVersion) {
			best, bestVersion = p, v
		}
	}

	if best == "" {
		return "", fmt.Errorf("%s: %w", dir, errNoBaseline)
	}

	return best, nil
}

// parseVersion reads "v1.2.3" into its three numbers.
func parseVersion(s string) ([3]int, bool) {
	var v [3]int

	parts := strings.Split(strings.TrimPrefix(s, "v"), ".")
	if len(parts) != 3 || !strings.HasPrefix(s, "v") {
		return v, false
	}

	for i, part := range parts {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return v, false
		}
		v[i] = n
	}

	return v, true
}

// newer reports whether version a is newer than version b.
func newer(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}

	return false
}
