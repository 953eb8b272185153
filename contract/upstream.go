package contract

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// maxDocumentSize bounds how much of a published document is read.
const maxDocumentSize = 32 << 20

// Fetch returns the document at source: an http or https URL, fetched with client, or
// else a file path.
func Fetch(ctx context.Context, client *http.Client, source string) ([]byte, error) {
	if !strings.HasPrefix(source, "http://") && !strings.HasPrefix(source, "https://") {
		data, err := os.ReadFile(source)
		if err != nil {
			return nil, fmt.Errorf("read published document: %w", err)
		}
		return data, nil
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch published document: %w", err)
	}
	req.Header.Set("Accept", "application/json, application/yaml")

	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch published document: %w", err)
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch published document %s: status %s", source, resp.Status)
	}

	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDocumentSize))
	if err != nil {
		return nil, fmt.Errorf("read published document %s: %w", source, err)
	}

	return data, nil
}

// AsOpenAPI30 rewrites the document's "openapi" version to 3.0.3. The service declares
// 3.1.0 while writing 3.0 (nullable: true, no type arrays), and reading it as 3.1 would
// misread those keywords. Only the version's characters change, so every line of the
// document stays where it was, and reports can point at it.
func AsOpenAPI30(data []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse published document: %w", err)
	}

	if len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("published document is not a mapping")
	}

	top := root.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "openapi" {
			return replaceScalar(data, top.Content[i+1], "3.0.3")
		}
	}

	return nil, fmt.Errorf("published document has no openapi version")
}

// replaceScalar returns data with the scalar that node was read from replaced by value,
// quoted if the original was.
func replaceScalar(data []byte, node *yaml.Node, value string) ([]byte, error) {
	lines := strings.SplitAfter(string(data), "\n")
	if node.Line < 1 || node.Line > len(lines) {
		return nil, fmt.Errorf("openapi version: line %d is outside the document", node.Line)
	}

	line := lines[node.Line-1]
	col := node.Column - 1

	quoted := node.Style == yaml.DoubleQuotedStyle || node.Style == yaml.SingleQuotedStyle
	width := len(node.Value)
	if quoted {
		width += 2
	}

	if col < 0 || col+width > len(line) {
		return nil, fmt.Errorf("openapi version: column %d is outside line %d", node.Column, node.Line)
	}

	if quoted {
		value = line[col:col+1] + value + line[col:col+1]
	}

	lines[node.Line-1] = line[:col] + value + line[col+width:]

	return []byte(strings.Join(lines, "")), nil
}

// Selection picks the operations of one part of an API: those whose path starts with
// PathPrefix, and those tagged Tag. An empty field selects nothing by itself.
type Selection struct {
	PathPrefix string
	Tag        string
}

// matches reports whether the operation at path belongs to the selection.
func (s Selection) matches(path string, op *openapi3.Operation) bool {
	if s.PathPrefix != "" && (path == s.PathPrefix || strings.HasPrefix(path, s.PathPrefix+"/")) {
		return true
	}

	return s.Tag != "" && slices.Contains(op.Tags, s.Tag)
}

// Select returns a copy of doc that keeps only the selected operations and the
// component schemas they reach, following $refs through properties, items and
// compositions. Components of other parts of the API would otherwise show up as
// differences.
func Select(doc *openapi3.T, sel Selection) *openapi3.T {
	out := *doc
	out.Paths = openapi3.NewPaths()
	reached := map[string]bool{}

	for path, item := range doc.Paths.Map() {
		kept := &openapi3.PathItem{Parameters: item.Parameters, Extensions: item.Extensions}
		for method, op := range item.Operations() {
			if sel.matches(path, op) {
				kept.SetOperation(method, op)
				markOperation(op, item.Parameters, reached)
			}
		}
		if len(kept.Operations()) > 0 {
			out.Paths.Set(path, kept)
		}
	}

	out.Components = keepSchemas(doc.Components, reached)

	return &out
}

// keepSchemas copies components with only the reached schemas. Other kinds of
// components are kept: after loading, operations hold their resolved values anyway.
func keepSchemas(c *openapi3.Components, reached map[string]bool) *openapi3.Components {
	if c == nil {
		return nil
	}

	out := *c
	out.Schemas = openapi3.Schemas{}
	for name, ref := range c.Schemas {
		if reached[name] {
			out.Schemas[name] = ref
		}
	}

	return &out
}

// markOperation marks the schemas that an operation and its path's parameters reach.
func markOperation(op *openapi3.Operation, params openapi3.Parameters, reached map[string]bool) {
	w := &walker{reached: reached, seen: map[*openapi3.Schema]bool{}}

	for _, params := range []openapi3.Parameters{params, op.Parameters} {
		for _, p := range params {
			if p.Value != nil {
				w.schema(p.Value.Schema)
				w.content(p.Value.Content)
			}
		}
	}

	if op.RequestBody != nil && op.RequestBody.Value != nil {
		w.content(op.RequestBody.Value.Content)
	}

	if op.Responses == nil {
		return
	}
	for _, resp := range op.Responses.Map() {
		if resp.Value == nil {
			continue
		}
		w.content(resp.Value.Content)
		for _, h := range resp.Value.Headers {
			if h.Value != nil {
				w.schema(h.Value.Schema)
			}
		}
	}
}

// walker follows schema references and records the component names it meets.
type walker struct {
	reached map[string]bool
	seen    map[*openapi3.Schema]bool
}

// content walks the schema of each media type.
func (w *walker) content(c openapi3.Content) {
	for _, mt := range c {
		if mt != nil {
			w.schema(mt.Schema)
		}
	}
}

// schema records ref's component name, then walks every schema that ref's value holds.
// A schema already walked is skipped, so recursive schemas end.
func (w *walker) schema(ref *openapi3.SchemaRef) {
	if ref == nil {
		return
	}

	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		w.reached[name] = true
	}

	s := ref.Value
	if s == nil || w.seen[s] {
		return
	}
	w.seen[s] = true

	for _, p := range s.Properties {
		w.schema(p)
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, sub := range list {
			w.schema(sub)
		}
	}
	w.schema(s.Items)
	w.schema(s.Not)
	w.schema(s.AdditionalProperties.Schema)
}

// matchOperationIDs gives each operation of published that shares its method and path
// with one of ours our operation id, so that differently generated ids are no
// difference. It replaces the operations with copies, leaving the ones it was given
// untouched; the published document's other operations keep their ids.
func matchOperationIDs(ours, published *openapi3.T) {
	for path, item := range published.Paths.Map() {
		mine := ours.Paths.Value(path)
		if mine == nil {
			continue
		}

		for method, op := range item.Operations() {
			if match := mine.GetOperation(method); match != nil {
				renamed := *op
				renamed.OperationID = match.OperationID
				item.SetOperation(method, &renamed)
			}
		}
	}
}

// CompareUpstream compares our spec with the service's published document, both cut
// down to the selection. Documentation (summaries, descriptions, examples, tags) and
// operation ids are ignored; a breaking change is one where the service no longer
// honours what our spec promises.
func CompareUpstream(ours, published *Spec, sel Selection) (*Result, error) {
	mine := &Spec{Name: ours.Name, Doc: Select(ours.Doc, sel)}
	theirs := &Spec{Name: published.Name, Doc: Select(published.Doc, sel)}

	matchOperationIDs(mine.Doc, theirs.Doc)

	return Compare(mine, theirs, IgnoreDocumentation())
}
