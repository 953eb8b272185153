package contract

import (
	"fmt"
	"io"
	"strings"

	"github.com/oasdiff/oasdiff/checker"
)

// WriteText writes the result for a person at a terminal: each change with its level,
// check id, operation and line in file, then a summary line.
func WriteText(w io.Writer, r *Result, file string) error {
	p := &printer{w: w}
	p.printf("Comparing %s (base) with %s.\n", r.Base, r.Revision)

	for _, c := range r.Changes {
		p.printf("\n%-7s %s\n", strings.ToUpper(c.Level.String()), c.ID)
		if op := c.Operation(); op != "" {
			p.printf("        %s\n", op)
		}
		p.printf("        %s\n", c.Text)
		p.printf("        %s\n", where(c, file, r.Base))
	}

	p.printf("\n%s\n", Summary(r))

	return p.err
}

// where says where a change is: its line in file, and its line in base when the
// element was removed.
func where(c Change, file, base string) string {
	at := "at " + file
	if c.Line > 0 {
		at = fmt.Sprintf("at %s:%d", file, c.Line)
	}

	if c.BaseLine > 0 && c.BaseLine != c.Line {
		at += fmt.Sprintf(" (base %s:%d)", base, c.BaseLine)
	}

	return at
}

// Summary counts the result's changes in one line and says whether they pass.
func Summary(r *Result) string {
	errs, warns, infos := r.Count(checker.ERR), r.Count(checker.WARN), r.Count(checker.INFO)

	counts := fmt.Sprintf("%d breaking, %d warning, %d info", errs, warns, infos)
	if errs > 0 {
		return "FAIL: " + counts + "."
	}

	return "ok: " + counts + "."
}

// WriteAnnotations writes one GitHub Actions workflow command for each change, so that
// the pull request shows it on the line of file it concerns: errors for breaking
// changes, warnings for possible ones and notices for the rest.
func WriteAnnotations(w io.Writer, r *Result, file string) error {
	p := &printer{w: w}

	for _, c := range r.Changes {
		line := max(c.Line, 1)

		msg := c.Text + " [" + c.ID + "]"
		if op := c.Operation(); op != "" {
			msg = op + ": " + msg
		}

		p.printf("::%s file=%s,line=%d,title=%s::%s\n", annotationKind(c.Level),
			escapeProperty(file), line, escapeProperty("contract: "+c.ID), escapeData(msg))
	}

	return p.err
}

// annotationKind maps a level to a workflow command.
func annotationKind(l Level) string {
	switch {
	case l >= checker.ERR:
		return "error"
	case l == checker.WARN:
		return "warning"
	default:
		return "notice"
	}
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").
		Replace(s)
}

// printer writes formatted text and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

// printf writes unless an earlier write failed.
func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
