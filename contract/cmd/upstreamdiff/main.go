// Command upstreamdiff compares the service's own published OpenAPI document with the
// repository's openapi.yaml, in the Client Management operations only, and reports new
// operations, new or changed properties and breaking changes. Operations are matched by
// method and path; operation ids, summaries, descriptions, examples and tags are
// ignored. A document that declares openapi 3.1 but is written in 3.0 is read as 3.0.3.
//
// Usage, from the contract directory (`make upstream-diff UPSTREAM=...` does this):
//
//	go run ./cmd/upstreamdiff -dir .. -upstream FILE|URL [-timeout 30s]
//
// It exits 1 when the published document breaks what our spec promises, 2 when it
// cannot run.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/invoicekit/factpulse-go/contract"
	"github.com/oasdiff/oasdiff/checker"
)

// options are the command's flags.
type options struct {
	dir      string
	spec     string
	upstream string
	prefix   string
	tag      string
	timeout  time.Duration
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, compares the documents and reports, returning the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return 2
	}

	result, err := compare(opts)
	if err != nil {
		fmt.Fprintf(stderr, "upstreamdiff: %v\n", err)
		return 2
	}

	if err := report(stdout, result); err != nil {
		fmt.Fprintf(stderr, "upstreamdiff: write report: %v\n", err)
		return 2
	}

	if result.Fails(checker.ERR) {
		return 1
	}

	return 0
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var opts options

	fs := flag.NewFlagSet("upstreamdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.dir, "dir", ".", "repository root; -spec and a file -upstream are "+
		"resolved there")
	fs.StringVar(&opts.spec, "spec", "openapi.yaml", "our spec, relative to -dir")
	fs.StringVar(&opts.upstream, "upstream", "", "the service's published document: "+
		"a file or an http(s) URL (required)")
	fs.StringVar(&opts.prefix, "prefix", "/api/v1/clients", "keep operations under this path")
	fs.StringVar(&opts.tag, "tag", "Client Management", "keep operations with this tag too")
	fs.DurationVar(&opts.timeout, "timeout", 30*time.Second, "time limit for fetching a URL")

	if err := fs.Parse(args); err != nil {
		return opts, err
	}

	if opts.upstream == "" {
		fmt.Fprintln(stderr, "upstreamdiff: -upstream is required")
		return opts, fmt.Errorf("-upstream is required")
	}

	return opts, nil
}

// compare loads both documents and compares their selected operations.
func compare(opts options) (*contract.Result, error) {
	ours, err := contract.LoadFile(opts.spec, filepath.Join(opts.dir, opts.spec))
	if err != nil {
		return nil, err
	}

	published, err := loadPublished(opts)
	if err != nil {
		return nil, err
	}

	sel := contract.Selection{PathPrefix: opts.prefix, Tag: opts.tag}

	return contract.CompareUpstream(ours, published, sel)
}

// loadPublished fetches the published document and reads it as OpenAPI 3.0.
func loadPublished(opts options) (*contract.Spec, error) {
	source := opts.upstream
	if !isURL(source) && !filepath.IsAbs(source) {
		source = filepath.Join(opts.dir, source)
	}

	ctx, cancel := context.WithTimeout(context.Background(), opts.timeout)
	defer cancel()

	data, err := contract.Fetch(ctx, &http.Client{Timeout: opts.timeout}, source)
	if err != nil {
		return nil, err
	}

	data, err = contract.AsOpenAPI30(data)
	if err != nil {
		return nil, err
	}

	return contract.Parse(opts.upstream, data)
}

// isURL reports whether source names an http or https URL.
func isURL(source string) bool {
	u, err := url.Parse(source)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https")
}

// report writes the new and missing operations, then every change.
func report(w io.Writer, result *contract.Result) error {
	var err error
	printf := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}

	printf("Operations the published document has and our spec lacks: %d\n", len(result.Added))
	for _, op := range result.Added {
		printf("  + %s\n", op)
	}

	printf("Operations our spec has and the published document lacks: %d\n", len(result.Removed))
	for _, op := range result.Removed {
		printf("  - %s\n", op)
	}
	printf("\n")

	if err != nil {
		return err
	}

	return contract.WriteText(w, result, result.Revision)
}
