package report_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/report"
)

// A capture whose client never found its server in DNS, and so sent no
// SIP, has no call: the report, the JSON document and the summary say so
// outside any call. A capture with calls and no such finding has no
// capture_findings member at all.
func TestCaptureFindingsReported(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "failures")
	s, err := authlab.Load(filepath.Join(dir, "dns-failure.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	var text, js, sum bytes.Buffer
	if err := report.Text(&text, s, analysis.Options{}, false); err != nil {
		t.Fatal(err)
	}
	if err := report.JSON(&js, []string{"dns-failure.pcap"}, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := report.SummaryText(&sum, s, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	for what, out := range map[string]string{"text": text.String(), "summary": sum.String()} {
		if !strings.Contains(out, "Outside any call") || !strings.Contains(out, "could not resolve pbx.lab.test") {
			t.Errorf("%s lacks the DNS failure:\n%s", what, out)
		}
	}
	var doc struct {
		CaptureFindings []analysis.Finding `json:"capture_findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.CaptureFindings) != 1 || doc.CaptureFindings[0].Code != analysis.CodeDNSFailure {
		t.Errorf("JSON capture_findings: %v %+v\n%s", err, doc.CaptureFindings, js.String())
	}

	clean, err := authlab.Load(filepath.Join(dir, "clean-call.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	js.Reset()
	if err := report.JSON(&js, nil, clean, analysis.Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(js.String(), "capture_findings") {
		t.Errorf("a capture with nothing outside its calls has capture_findings:\n%s", js.String())
	}
}
