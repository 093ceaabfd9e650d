package mcp

import (
	"context"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
)

// SummaryIn names the capture to summarise.
type SummaryIn struct {
	Capture string `json:"capture,omitempty" jsonschema:"the capture file (its name or number); every capture when omitted"`
}

// CodeCountOut is how many calls have a verdict or finding.
type CodeCountOut struct {
	Code      string `json:"code"`
	Severity  string `json:"severity" jsonschema:"error, warning or info"`
	Calls     int    `json:"calls" jsonschema:"how many calls have it"`
	Findings  int    `json:"findings" jsonschema:"how many findings, in all the calls"`
	FirstCall int    `json:"first_call" jsonschema:"the number of the first call with it"`
	FirstID   string `json:"first_call_id"`
}

// StateCountOut is how many calls ended in a state.
type StateCountOut struct {
	State string `json:"state"`
	Calls int    `json:"calls"`
}

// CaptureSummary is one capture's summary.
type CaptureSummary struct {
	Capture  string          `json:"capture"`
	Calls    int             `json:"calls"`
	Verdicts []CodeCountOut  `json:"verdicts" jsonschema:"the calls grouped by their verdict"`
	Findings []CodeCountOut  `json:"findings" jsonschema:"the calls with each finding, errors first"`
	States   []StateCountOut `json:"states" jsonschema:"the calls per state, most first"`
	Outside  []FindingOut    `json:"outside_calls,omitempty" jsonschema:"what the capture shows outside any call (scanners, password guessing)"`
	Totals   string          `json:"totals" jsonschema:"packets, SIP messages, retransmissions, calls and undecodable records"`
}

// SummaryOut is summary's answer.
type SummaryOut struct {
	Captures []CaptureSummary `json:"captures"`
}

func (s *server) summary(_ context.Context, _ *sdk.CallToolRequest, in SummaryIn) (*sdk.CallToolResult, SummaryOut, error) {
	cs, err := s.chosen(in.Capture)
	if err != nil {
		return nil, SummaryOut{}, err
	}
	out := SummaryOut{Captures: []CaptureSummary{}}
	var texts []string
	for _, c := range cs {
		t, err := report.Summarise(c.Store, c.opt)
		if err != nil {
			return nil, SummaryOut{}, fmt.Errorf("%s: %w", c.Name, err)
		}
		sum := CaptureSummary{Capture: c.Name, Calls: len(c.Store.Calls()), Verdicts: codeCounts(t.Verdicts),
			Findings: codeCounts(t.Findings), States: []StateCountOut{}, Totals: report.Totals(c.Store)}
		for _, st := range t.States {
			sum.States = append(sum.States, StateCountOut{State: st.State, Calls: st.Calls})
		}
		for _, f := range analysis.CaptureFindings(c.Store) {
			sum.Outside = append(sum.Outside, findingOut(f))
		}
		out.Captures = append(out.Captures, sum)
		texts = append(texts, summaryText(sum))
	}
	return text("%s", strings.Join(texts, "\n\n")), out, nil
}

func codeCounts(cs []report.CodeCount) []CodeCountOut {
	out := make([]CodeCountOut, len(cs))
	for i, c := range cs {
		out[i] = CodeCountOut{Code: string(c.Code), Severity: c.Severity.String(), Calls: c.Calls, Findings: c.Findings, FirstCall: c.First, FirstID: c.FirstID}
	}
	return out
}

// summaryText is the summary as sipdbg report --summary prints it.
func summaryText(s CaptureSummary) string {
	var b strings.Builder
	counts := func(title string, cs []CodeCountOut) {
		fmt.Fprintf(&b, "\n%s (of %d calls)\n", title, s.Calls)
		for _, c := range cs {
			fmt.Fprintf(&b, "  %-8s %-30s %6d calls  first: call %d  %s\n", c.Severity, c.Code, c.Calls, c.FirstCall, report.Printable(c.FirstID))
		}
	}
	fmt.Fprintf(&b, "Capture %s\n", s.Capture)
	counts("Verdicts (calls by root cause)", s.Verdicts)
	counts("Findings (calls with each)", s.Findings)
	if len(s.Outside) > 0 {
		b.WriteString("\nOutside any call\n")
		for _, f := range s.Outside {
			fmt.Fprintf(&b, "  %-8s %-26s %s\n", f.Severity, f.Code, f.Summary)
		}
	}
	b.WriteString("\nCalls by state\n")
	for _, st := range s.States {
		fmt.Fprintf(&b, "  %-13s %9d\n", st.State, st.Calls)
	}
	b.WriteString("\n" + s.Totals)
	return b.String()
}
