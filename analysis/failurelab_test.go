package analysis_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// failureLab is testdata/captures/failures/expected.json: each capture
// of the failure lab (real Kamailio, SIPp, baresip, dnsmasq), with the
// codes its packets call for, written from tshark before sipdbg ran on
// it (testdata/lab/failures).
type failureLab struct {
	Captures []struct {
		File   string `json:"file"`
		Expect []struct {
			Code     analysis.Code     `json:"code"`
			Severity analysis.Severity `json:"severity"`
			Frames   []int             `json:"frames"`
			Reason   string            `json:"reason"`
		} `json:"expect"`
		Absent []struct {
			Code analysis.Code `json:"code"`
		} `json:"absent"`
		May []struct {
			Code analysis.Code `json:"code"`
		} `json:"may"`
	} `json:"captures"`
}

// Each capture of the failure lab raises the codes its entry expects,
// with the severity written there and on messages of the frames named;
// none of its absent codes; and no other warning or error.
func TestFailureLabCaptures(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "failures")
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lab failureLab
	if err := json.Unmarshal(b, &lab); err != nil {
		t.Fatal(err)
	}
	if len(lab.Captures) < 19 {
		t.Fatalf("%d captures in expected.json", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		t.Run(c.File, func(t *testing.T) {
			s, err := authlab.Load(filepath.Join(dir, c.File))
			if err != nil {
				t.Fatal(err)
			}
			type got struct {
				sev    analysis.Severity
				frames []int
			}
			found := map[analysis.Code][]got{}
			opt := analysis.Options{Survey: analysis.NewSurvey(s)}
			all := analysis.CaptureFindings(s)
			for _, call := range s.Calls() {
				all = append(all, analysis.Diagnose(s, call, opt)...)
			}
			for _, f := range all {
				var frames []int
				for _, m := range f.Messages {
					frames = append(frames, int(s.Msg(int(m)).Packet))
				}
				found[f.Code] = append(found[f.Code], got{f.Severity, frames})
			}
			allowed := map[analysis.Code]bool{}
			for _, e := range c.Expect {
				allowed[e.Code] = true
				ok := false
				for _, g := range found[e.Code] {
					hit := len(e.Frames) == 0 || len(g.frames) == 0 && e.Code == analysis.CodeDNSFailure
					for _, fr := range g.frames {
						hit = hit || slices.Contains(e.Frames, fr)
					}
					ok = ok || g.sev == e.Severity && hit
				}
				if !ok {
					t.Errorf("expected %s (%s) on frames %v — %s; got %+v", e.Code, e.Severity, e.Frames, e.Reason, found[e.Code])
				}
			}
			for _, m := range c.May {
				allowed[m.Code] = true
			}
			for _, a := range c.Absent {
				if len(found[a.Code]) > 0 {
					t.Errorf("%s raised, absent by the packets: %+v", a.Code, found[a.Code])
				}
			}
			for code, gs := range found {
				for _, g := range gs {
					if g.sev > analysis.Info && !allowed[code] {
						t.Errorf("%s (%s) on frames %v is neither expected nor allowed", code, g.sev, g.frames)
					}
				}
			}
		})
	}
}
