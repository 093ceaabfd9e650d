package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// Selection says which calls a report shows: report --problems and
// --filter. They judge whole calls (a verdict, any message's text), so
// they apply once the capture is loaded, unlike the load filters
// (session.Filter), which drop messages as they are read.
type Selection struct {
	Problems bool   // only calls whose verdict is an error: the calls that failed
	Text     string // only calls that mention it, as the call list's / filter matches
}

// IsZero reports whether sel shows every call.
func (sel Selection) IsZero() bool { return !sel.Problems && sel.Text == "" }

// Select returns the calls sel keeps, in the store's order. The text
// matches as the interface's filter does (session.Store.Mentions), and
// also a verdict's code when the text is part of one ("ack-2xx").
func Select(s *session.Store, opt analysis.Options, sel Selection) []*session.Call {
	opt = surveyed(s, opt)
	f := []byte(strings.ToLower(sel.Text))
	code := analysis.NamesCode(string(f))
	var out []*session.Call
	_ = s.Guard(func() error {
		for _, c := range s.Calls() {
			var v *analysis.Verdict
			if sel.Problems || code {
				v = analysis.VerdictOf(analysis.Diagnose(s, c, opt))
			}
			if sel.Problems && (v == nil || v.Severity < analysis.Error) {
				continue
			}
			if len(f) > 0 && !s.Mentions(c, f) && !(v != nil && strings.Contains(string(v.Code), string(f))) {
				continue
			}
			out = append(out, c)
		}
		return nil
	})
	return out
}

// TextSelected is Text for the calls Select returns, with what the
// capture shows outside any call and the totals.
func TextSelected(w io.Writer, s *session.Store, opt analysis.Options, explain bool, sel Selection) error {
	w = printableWriter{w}
	calls := Select(s, opt, sel)
	if err := TextCalls(w, s, calls, opt, explain); err != nil {
		return err
	}
	writeCaptureFindings(w, s, explain)
	what := "failed"
	switch {
	case sel.Problems && sel.Text != "":
		what = fmt.Sprintf("failed and match %q", sel.Text)
	case sel.Text != "":
		what = fmt.Sprintf("match %q", sel.Text)
	}
	_, err := fmt.Fprintf(w, "%d of %d calls %s. %s\n", len(calls), len(s.Calls()), what, Totals(s))
	return err
}
