package report

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
)

// The summary's counts are those of Diagnose on each call, one by one:
// calls with each code (a call counts once however many findings it has),
// findings, the first call, and calls per state; on 1 and 4 goroutines.
func TestSummaryCountsEveryCall(t *testing.T) {
	s, _, err := gen.Store(gen.Config{Seed: 11, Messages: 4000})
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ calls, findings, first int }
	codes := map[analysis.Code]*want{}
	states := map[string]int{}
	for _, c := range s.Calls() {
		states[orDash(c.State.String())]++
		seen := map[analysis.Code]bool{}
		for _, f := range analysis.Diagnose(s, c, analysis.Options{}) {
			w := codes[f.Code]
			if w == nil {
				w = &want{first: c.Seq + 1}
				codes[f.Code] = w
			}
			w.findings += f.Times()
			if !seen[f.Code] {
				seen[f.Code] = true
				w.calls++
			}
		}
	}
	if len(codes) < 3 {
		t.Fatalf("only %d codes in the generated capture: the test covers too little", len(codes))
	}
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		got, err := Summarise(s, analysis.Options{})
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Findings) != len(codes) {
			t.Errorf("%d procs: %d codes, want %d", procs, len(got.Findings), len(codes))
		}
		for i, f := range got.Findings {
			w := codes[f.Code]
			if w == nil || f.Calls != w.calls || f.Findings != w.findings || f.First != w.first {
				t.Errorf("%d procs: %s: %d calls, %d findings, first %d; want %+v", procs, f.Code, f.Calls, f.Findings, f.First, w)
			}
			if i > 0 {
				p := got.Findings[i-1]
				if p.Severity < f.Severity || p.Severity == f.Severity && p.Calls < f.Calls {
					t.Errorf("%s before %s: not most serious, then most calls, first", p.Code, f.Code)
				}
			}
		}
		total := 0
		for _, st := range got.States {
			if states[st.State] != st.Calls {
				t.Errorf("state %s: %d calls, want %d", st.State, st.Calls, states[st.State])
			}
			total += st.Calls
		}
		if total != len(s.Calls()) {
			t.Errorf("states count %d calls of %d", total, len(s.Calls()))
		}
	}
	var text, js bytes.Buffer
	if err := SummaryText(&text, s, analysis.Options{}); err != nil || !strings.Contains(text.String(), "Totals: ") {
		t.Errorf("text summary: %v\n%s", err, text.String())
	}
	var doc struct {
		Stats    jsonStats `json:"stats"`
		Findings []struct {
			Code, Severity string
			Calls          int
		} `json:"findings"`
	}
	if err := SummaryJSON(&js, []string{"x.pcap"}, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Stats.Calls != len(s.Calls()) || len(doc.Findings) != len(codes) {
		t.Errorf("JSON summary: %v, %d calls, %d codes\n%s", err, doc.Stats.Calls, len(doc.Findings), js.String())
	}
}
