package authlab

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/sipdbg/sipdbg/analysis"
)

// FailureLab is testdata/captures/failures/expected.json: each capture
// of the failure lab (testdata/lab/failures: real Kamailio, SIPp,
// baresip, dnsmasq) with the codes its packets call for, written from
// tshark before sipdbg ran on it.
type FailureLab struct {
	Captures []FailureCapture `json:"captures"`
}

// FailureCapture is one entry of FailureLab.
type FailureCapture struct {
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
}

// Failures reads dir/expected.json of the failure lab.
func Failures(dir string) (FailureLab, error) {
	var lab FailureLab
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		return lab, err
	}
	return lab, json.Unmarshal(b, &lab)
}

// CheckFailure runs the analysis on one capture of the failure lab and
// returns what differs from its entry: an expected code missing (at its
// severity, on a message of the frames named), an absent one raised, or
// a warning or error neither expected nor allowed.
func CheckFailure(dir string, c FailureCapture) []error {
	s, err := Load(filepath.Join(dir, c.File))
	if err != nil {
		return []error{fmt.Errorf("%s: %v", c.File, err)}
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
	var errs []error
	allowed := map[analysis.Code]bool{}
	for _, e := range c.Expect {
		allowed[e.Code] = true
		ok := false
		for _, g := range found[e.Code] {
			// A finding outside any call (dns-failure) names no message.
			hit := len(e.Frames) == 0 || len(g.frames) == 0
			for _, fr := range g.frames {
				hit = hit || slices.Contains(e.Frames, fr)
			}
			ok = ok || g.sev == e.Severity && hit
		}
		if !ok {
			errs = append(errs, fmt.Errorf("%s: expected %s (%s) on frames %v (%s); got %+v", c.File, e.Code, e.Severity, e.Frames, e.Reason, found[e.Code]))
		}
	}
	for _, m := range c.May {
		allowed[m.Code] = true
	}
	for _, a := range c.Absent {
		if len(found[a.Code]) > 0 {
			errs = append(errs, fmt.Errorf("%s: %s raised, absent by the packets: %+v", c.File, a.Code, found[a.Code]))
		}
	}
	for code, gs := range found {
		for _, g := range gs {
			if g.sev > analysis.Info && !allowed[code] {
				errs = append(errs, fmt.Errorf("%s: %s (%s) on frames %v is neither expected nor allowed", c.File, code, g.sev, g.frames))
			}
		}
	}
	return errs
}
