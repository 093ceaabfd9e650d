package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/internal/testkit/golden"
)

// The verdict comes first in every output: golden files of the text
// report, the JSON report and the summary of the built-in demo capture
// (a 401 accepted, a wrong password, an unACKed 407, two realms), and
// checks that hold whatever the wording.
func TestVerdictFirst(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	var text, js, sum bytes.Buffer
	if err := Text(&text, s, analysis.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if err := JSON(&js, []string{"demo.pcap"}, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := SummaryText(&sum, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "demo-report", text.String())
	golden.Check(t, "demo-report-json", js.String())
	golden.Check(t, "demo-summary", sum.String())

	// Text: every call with findings says its verdict before its flow.
	for _, block := range strings.Split(text.String(), "\nCall ")[1:] {
		lines := strings.Split(block, "\n")
		if strings.Contains(block, "  Findings:") && (len(lines) < 3 || !strings.HasPrefix(lines[2], "  Verdict: ")) {
			t.Errorf("call without its verdict on the third line:\n%s", block)
		}
	}
	// JSON: a verdict per call with findings, naming one of them.
	var doc struct {
		Calls []struct {
			Verdict  *analysis.Verdict  `json:"verdict"`
			Findings []analysis.Finding `json:"findings"`
		} `json:"calls"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	errors := 0
	for i, c := range doc.Calls {
		if (c.Verdict == nil) != (len(c.Findings) == 0) {
			t.Errorf("call %d: verdict %+v with %d findings", i, c.Verdict, len(c.Findings))
			continue
		}
		if c.Verdict == nil {
			continue
		}
		found := false
		for _, f := range c.Findings {
			found = found || (f.Code == c.Verdict.Code && f.Severity == c.Verdict.Severity)
			if f.Severity > c.Verdict.Severity {
				t.Errorf("call %d: finding %s is more serious than the verdict %s", i, f.Code, c.Verdict.Code)
			}
		}
		if !found {
			t.Errorf("call %d: verdict %s is none of its findings", i, c.Verdict.Code)
		}
		if c.Verdict.Severity == analysis.Error {
			errors++
		}
	}
	// Summary: verdicts come first and count the calls in error.
	out := sum.String()
	if !strings.HasPrefix(out, "Verdicts (calls by root cause") {
		t.Errorf("the summary does not start with the verdicts:\n%s", out)
	}
	verdicts := out[:strings.Index(out, "\nFindings")]
	n := 0
	for _, l := range strings.Split(verdicts, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "error") {
			var k int
			f := strings.Fields(l)
			if len(f) > 2 {
				for _, ch := range f[2] {
					k = k*10 + int(ch-'0')
				}
			}
			n += k
		}
	}
	if n != errors || errors == 0 {
		t.Errorf("summary counts %d calls in error, the JSON %d", n, errors)
	}
}
