// Command contractdiff compares the repository's openapi.yaml with a base version of it
// and fails when the change would break the SDK's users. The base is a file or a git
// revision; without one it is the newest released baseline in api/baseline.
//
// Usage, from the contract directory (`make contract-diff` does this):
//
//	go run ./cmd/contractdiff -dir .. [-base FILE|REV] [-github] [-fail-on err|warn]
//
// It exits 1 on a change at the -fail-on level or above, 2 when it cannot run.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/invoicekit/factpulse-go/contract"
	"github.com/oasdiff/oasdiff/checker"
)

// options are the command's flags.
type options struct {
	dir       string
	spec      string
	base      string
	baselines string
	github    bool
	failOn    string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, compares the specs and reports, returning the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}

	failOn, err := checker.NewLevel(opts.failOn)
	if err != nil {
		fmt.Fprintf(stderr, "contractdiff: -fail-on: %v\n", err)
		return 2
	}

	result, err := compare(opts)
	if err != nil {
		fmt.Fprintf(stderr, "contractdiff: %v\n", err)
		return 2
	}

	if err := report(stdout, result, opts); err != nil {
		fmt.Fprintf(stderr, "contractdiff: write report: %v\n", err)
		return 2
	}

	if result.Fails(failOn) {
		fmt.Fprintf(stderr, "contractdiff: %s breaks users of %s. Undo the edit, or make "+
			"it a new major version (README.md, \"When the API changes\").\n",
			result.Revision, result.Base)
		return 1
	}

	return 0
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var opts options

	fs := flag.NewFlagSet("contractdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.dir, "dir", ".", "repository root; relative paths and git revisions "+
		"are resolved there")
	fs.StringVar(&opts.spec, "spec", "openapi.yaml", "the revised spec, relative to -dir")
	fs.StringVar(&opts.base, "base", "", "base spec: a file relative to -dir or a git "+
		"revision such as origin/main (default: newest baseline in -baselines)")
	fs.StringVar(&opts.baselines, "baselines", "api/baseline", "directory of released "+
		"baselines named vX.Y.Z.yaml, relative to -dir")
	fs.BoolVar(&opts.github, "github", os.Getenv("GITHUB_ACTIONS") == "true",
		"also print GitHub Actions annotations (default true when GITHUB_ACTIONS=true)")
	fs.StringVar(&opts.failOn, "fail-on", "err", "exit 1 on a change at this level or "+
		"above: err or warn")

	return opts, fs.Parse(args)
}

// compare loads the base and revised specs and compares them.
func compare(opts options) (*contract.Result, error) {
	base, err := loadBase(opts)
	if err != nil {
		return nil, err
	}

	revision, err := contract.LoadFile(opts.spec, filepath.Join(opts.dir, opts.spec))
	if err != nil {
		return nil, err
	}

	return contract.Compare(base, revision)
}

// loadBase loads -base, or the newest baseline when -base is empty.
func loadBase(opts options) (*contract.Spec, error) {
	if opts.base != "" {
		return contract.LoadBase(opts.dir, opts.base, opts.spec)
	}

	path, err := contract.LatestBaseline(filepath.Join(opts.dir, opts.baselines))
	if err != nil {
		return nil, err
	}

	name, err := filepath.Rel(opts.dir, path)
	if err != nil {
		name = path
	}

	return contract.LoadFile(filepath.ToSlash(name), path)
}

// report writes the result as text, followed by annotations when asked.
func report(w io.Writer, result *contract.Result, opts options) error {
	if err := contract.WriteText(w, result, opts.spec); err != nil {
		return err
	}

	if !opts.github {
		return nil
	}

	return contract.WriteAnnotations(w, result, opts.spec)
}
