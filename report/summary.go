package report

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// A capture of a busy server has hundreds of thousands of calls: before
// reading any of them, an engineer wants to know what went wrong how
// often. The summary runs the analysis on every call and prints, per
// finding, how many calls have it and the first of them, and the calls
// per state. It is also how the analysis' cost is measured on its own:
// it writes almost nothing.

// CodeCount is how many calls have a finding, and the first of them.
type CodeCount struct {
	Code     analysis.Code     `json:"code"`
	Severity analysis.Severity `json:"severity"`
	Calls    int               `json:"calls"`
	Findings int               `json:"findings"`
	First    int               `json:"first_call"` // its number (Seq+1), as in the text report
	FirstID  string            `json:"first_call_id"`
}

// StateCount is how many calls ended in a state.
type StateCount struct {
	State string `json:"state"`
	Calls int    `json:"calls"`
}

// Tally is the summary of a store.
type Tally struct {
	Verdicts []CodeCount  `json:"verdicts"` // calls grouped by their verdict, in the order of Findings
	States   []StateCount `json:"states"`   // most calls first
	Findings []CodeCount  `json:"findings"` // errors first, then warnings, then the rest; most calls first
}

// Summarise analyses every call, on every core. The order does not
// matter to a tally, and the analysis reads nothing from a mapped
// capture (session/authblock.go): the goroutines take chunks of calls
// as they finish the last, with no window to wait for.
func Summarise(s *session.Store, opt analysis.Options) (Tally, error) {
	return summarise(s, opt, nil)
}

// summarise is Summarise telling pages how many calls are done. The
// analysis leaves a mapped capture alone but for the rare checks that
// need a whole request (a candidate password's digest is computed over
// its method and body): those pages go back once too many are resident.
func summarise(s *session.Store, opt analysis.Options, pages *pager) (Tally, error) {
	opt = surveyed(s, opt)
	calls := s.Calls()
	parts := make([]tally, max(1, runtime.GOMAXPROCS(0)))
	errs := make([]error, len(parts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := range parts {
		parts[k] = newTally()
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[k] = s.Guard(func() error { // the source's bytes may vanish
				for {
					lo := int(next.Add(chunkCalls)) - chunkCalls
					if lo >= len(calls) {
						return nil
					}
					for _, c := range calls[lo:min(len(calls), lo+chunkCalls)] {
						parts[k].add(c, analysis.Diagnose(s, c, opt))
					}
					pages.tick(chunkCalls)
				}
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return Tally{}, err
		}
	}
	total := newTally()
	for _, p := range parts {
		total.merge(p)
	}
	return total.result(), nil
}

type tally struct {
	states   map[string]int
	codes    map[codeSev]*codeTally
	verdicts map[codeSev]*codeTally
}

// codeSev keys the counts: one code at two severities (a refused INVITE
// is an error, a refused SUBSCRIBE info) is two lines, so that a
// capture's errors are not overstated by the info of the same code.
type codeSev struct {
	code analysis.Code
	sev  analysis.Severity
}

type codeTally struct {
	sev             analysis.Severity
	calls, findings int
	first           *session.Call
}

func newTally() tally {
	return tally{states: map[string]int{}, codes: map[codeSev]*codeTally{}, verdicts: map[codeSev]*codeTally{}}
}

func (t tally) add(c *session.Call, fs []analysis.Finding) {
	t.states[orDash(c.State.String())]++
	if v := analysis.VerdictOf(fs); v != nil {
		k := codeSev{v.Code, v.Severity}
		vt := t.verdicts[k]
		if vt == nil {
			vt = &codeTally{sev: v.Severity}
			t.verdicts[k] = vt
		}
		vt.calls++
		vt.findings++
		if vt.first == nil || c.Seq < vt.first.Seq {
			vt.first = c
		}
	}
	for i, f := range fs {
		k := codeSev{f.Code, f.Severity}
		ct := t.codes[k]
		if ct == nil {
			ct = &codeTally{sev: f.Severity}
			t.codes[k] = ct
		}
		ct.findings += f.Times()
		if !slices.ContainsFunc(fs[:i], func(g analysis.Finding) bool { return g.Code == f.Code && g.Severity == f.Severity }) {
			ct.calls++
			if ct.first == nil || c.Seq < ct.first.Seq {
				ct.first = c
			}
		}
	}
}

func (t tally) merge(o tally) {
	for st, n := range o.states {
		t.states[st] += n
	}
	mergeCodes(t.codes, o.codes)
	mergeCodes(t.verdicts, o.verdicts)
}

func mergeCodes(t, o map[codeSev]*codeTally) {
	for k, oc := range o {
		ct := t[k]
		if ct == nil {
			t[k] = oc
			continue
		}
		ct.calls += oc.calls
		ct.findings += oc.findings
		if oc.first.Seq < ct.first.Seq {
			ct.first = oc.first
		}
	}
}

func (t tally) result() Tally {
	r := Tally{States: []StateCount{}, Findings: []CodeCount{}}
	for st, n := range t.states {
		r.States = append(r.States, StateCount{State: st, Calls: n})
	}
	slices.SortFunc(r.States, func(a, b StateCount) int {
		if a.Calls != b.Calls {
			return b.Calls - a.Calls
		}
		return strings.Compare(a.State, b.State)
	})
	r.Findings = counts(t.codes)
	r.Verdicts = counts(t.verdicts)
	return r
}

// counts lists a tally's codes: errors first, then warnings, then the
// rest; most calls first.
func counts(codes map[codeSev]*codeTally) []CodeCount {
	out := []CodeCount{}
	for k, ct := range codes {
		out = append(out, CodeCount{Code: k.code, Severity: ct.sev, Calls: ct.calls, Findings: ct.findings,
			First: ct.first.Seq + 1, FirstID: ct.first.CallID})
	}
	slices.SortFunc(out, func(a, b CodeCount) int {
		switch {
		case a.Severity != b.Severity:
			return int(b.Severity) - int(a.Severity)
		case a.Calls != b.Calls:
			return b.Calls - a.Calls
		}
		return strings.Compare(string(a.Code), string(b.Code))
	})
	return out
}

// SummaryText prints the summary: findings, states, totals.
func SummaryText(w io.Writer, s *session.Store, opt analysis.Options) error {
	w = printableWriter{w} // the first call's Call-ID comes from the capture
	t, err := summarise(s, opt, newPager(s, nil))
	if err != nil {
		return err
	}
	n := len(s.Calls())
	fmt.Fprintf(w, "Verdicts (calls by root cause, of %d)\n", n)
	writeCounts(w, t.Verdicts, n)
	fmt.Fprintf(w, "\nFindings (calls with each, of %d)\n", n)
	writeCounts(w, t.Findings, n)
	if fs := analysis.CaptureFindings(s); len(fs) > 0 {
		fmt.Fprintln(w, "\nOutside any call")
		for _, f := range fs {
			fmt.Fprintf(w, "  %-8s %-26s %s\n", f.Severity, f.Code, f.Summary)
		}
	}
	fmt.Fprintln(w, "\nCalls by state")
	for _, st := range t.States {
		fmt.Fprintf(w, "  %-13s %9d\n", st.State, st.Calls)
	}
	fmt.Fprintln(w)
	_, err = fmt.Fprintln(w, Totals(s))
	return err
}

// SummaryJSON prints the summary as one JSON document: the source and
// stats of the full report, then the tally.
func SummaryJSON(w io.Writer, files []string, s *session.Store, opt analysis.Options) error {
	t, err := summarise(s, opt, newPager(s, nil))
	if err != nil {
		return err
	}
	b, err := json.Marshal(struct {
		Source jsonSource `json:"source"`
		Stats  jsonStats  `json:"stats"`
		Tally
	}{jsonSource{Files: files}, statsOf(s), t})
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func writeCounts(w io.Writer, cs []CodeCount, n int) {
	if len(cs) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, f := range cs {
		fmt.Fprintf(w, "  %-7s  %-22s %9d calls  %5.1f%%  first: call %d  %s\n", f.Severity, f.Code, f.Calls,
			100*float64(f.Calls)/float64(n), f.First, orDash(f.FirstID))
	}
}
