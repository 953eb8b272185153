package contract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Level is how serious a change is: checker.ERR breaks users, checker.WARN may break
// them, checker.INFO does not.
type Level = checker.Level

// Change is one difference between two versions of a spec, as the gate reports it.
type Change struct {
	Level       Level
	ID          string // oasdiff's check id, such as "request-property-became-required"
	Method      string
	Path        string
	OperationID string
	Text        string

	// Line is where the change is in the revised spec, or where its operation is when
	// the changed element exists only in the base; 0 when unknown.
	Line int

	// BaseLine is where the changed element is in the base spec; 0 when unknown.
	BaseLine int
}

// Breaking reports whether the change breaks the SDK's users.
func (c Change) Breaking() bool {
	return c.Level >= checker.ERR
}

// Operation names the change's operation, such as "POST /api/v1/clients
// (createClient)", or returns "" for a change outside operations.
func (c Change) Operation() string {
	if c.Path == "" {
		return ""
	}

	op := strings.TrimSpace(c.Method + " " + c.Path)
	if c.OperationID != "" {
		op += " (" + c.OperationID + ")"
	}

	return op
}

// Result is the outcome of comparing two specs.
type Result struct {
	Base     string
	Revision string

	// Changes lists every change, most severe first.
	Changes []Change

	// Added and Removed list the operations, as "METHOD /path", found only in the
	// revision or only in the base.
	Added   []string
	Removed []string
}

// Count returns how many changes are at the given level.
func (r *Result) Count(level Level) int {
	n := 0
	for _, c := range r.Changes {
		if c.Level == level {
			n++
		}
	}

	return n
}

// Fails reports whether any change is at least as severe as level.
func (r *Result) Fails(level Level) bool {
	return slices.ContainsFunc(r.Changes, func(c Change) bool { return c.Level >= level })
}

// CompareOption adjusts how Compare diffs two specs.
type CompareOption func(*diff.Config)

// IgnoreDocumentation makes Compare disregard what only documents the API: summaries,
// descriptions, titles, examples and tags.
func IgnoreDocumentation() CompareOption {
	return func(c *diff.Config) {
		for _, e := range []string{
			diff.ExcludeSummaryOption, diff.ExcludeDescriptionOption, diff.ExcludeTitleOption,
			diff.ExcludeExamplesOption, diff.ExcludeTagsOption,
		} {
			c.ExcludeElements.Add(e)
		}
	}
}

// Compare returns what changed from base to revision, judged by oasdiff's checks with
// this project's severity levels (see SeverityLevels).
func Compare(base, revision *Spec, opts ...CompareOption) (*Result, error) {
	levels, err := SeverityLevels()
	if err != nil {
		return nil, err
	}

	cfg := diff.NewConfig()
	for _, opt := range opts {
		opt(cfg)
	}

	baseInfo := &load.SpecInfo{Spec: base.Doc, Source: load.NewSource(base.Name)}
	revInfo := &load.SpecInfo{Spec: revision.Doc, Source: load.NewSource(revision.Name)}
	report, sources, err := diff.GetWithOperationsSourcesMap(cfg, baseInfo, revInfo)
	if err != nil {
		return nil, fmt.Errorf("diff %s with %s: %w", base.Name, revision.Name, err)
	}

	checks := checker.NewConfig(checker.GetAllChecks(), checker.WithSeverityLevels(levels))
	found := checker.CheckBackwardCompatibilityUntilLevel(checks, report, sources, checker.INFO)

	result := &Result{Base: base.Name, Revision: revision.Name}
	result.Changes = toChanges(found, revision)
	if report != nil && report.EndpointsDiff != nil {
		result.Added = endpointNames(report.EndpointsDiff.Added)
		result.Removed = endpointNames(report.EndpointsDiff.Deleted)
	}

	return result, nil
}

// toChanges converts oasdiff's changes, most severe first, and finds their lines.
func toChanges(found checker.Changes, revision *Spec) []Change {
	localizer := checker.NewDefaultLocalizer()
	changes := make([]Change, 0, len(found))

	for _, f := range found {
		c := Change{
			Level:       f.GetLevel(),
			ID:          f.GetId(),
			Method:      f.GetOperation(),
			Path:        f.GetPath(),
			OperationID: f.GetOperationId(),
			Text:        f.GetUncolorizedText(localizer),
			Line:        sourceLine(f.GetRevisionSource()),
			BaseLine:    sourceLine(f.GetBaseSource()),
		}
		if c.Line == 0 {
			c.Line = operationLine(revision, c.Method, c.Path)
		}
		changes = append(changes, c)
	}

	slices.SortStableFunc(changes, func(a, b Change) int { return int(b.Level) - int(a.Level) })

	return changes
}

// sourceLine returns the line a source names, or 0 when there is none.
func sourceLine(s *checker.Source) int {
	if s == nil {
		return 0
	}

	return s.Line
}

// operationLine returns the line of the operation at method and path in spec, or 0
// when spec has no such operation.
func operationLine(spec *Spec, method, path string) int {
	if spec.Doc.Paths == nil || path == "" {
		return 0
	}

	item := spec.Doc.Paths.Value(path)
	if item == nil {
		return 0
	}

	op := item.GetOperation(strings.ToUpper(method))
	if op == nil || op.Origin == nil || op.Origin.Key == nil {
		return 0
	}

	return op.Origin.Key.Line
}

// endpointNames formats endpoints as "METHOD /path".
func endpointNames(endpoints diff.Endpoints) []string {
	names := make([]string, 0, len(endpoints))
	for _, e := range endpoints {
		names = append(names, e.Method+" "+e.Path)
	}

	slices.Sort(names)

	return names
}
