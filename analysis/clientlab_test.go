package analysis_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// clientCapture is one entry of testdata/captures/clients/expected-*.json:
// a real client stack against a real Kamailio, with what the packets show
// written before sipdbg was run on it (testdata/lab/clients/*/regen.sh).
type clientCapture struct {
	File      string         `json:"file"`
	Stack     string         `json:"stack"`
	Story     string         `json:"story"`
	Verdicts  map[string]int `json:"verdicts"` // verdict code → calls with it (-1: at least one)
	Expect    []string       `json:"expect"`
	Absent    []string       `json:"absent"`
	Problems  []string       `json:"problems"` // the only codes allowed as warning or error
	Passwords []struct {
		Realm, User, Password string
	} `json:"passwords"`
}

// TestClientLab checks the analysis on every capture of the real-client
// lab: each expected verdict and finding present, nothing flagged that
// the packets do not show (a warning or error outside the capture's
// problems is a false alarm).
func TestClientLab(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "clients")
	files, err := filepath.Glob(filepath.Join(dir, "expected-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no expected-*.json in %s: %v", dir, err)
	}
	stacks := map[string]bool{}
	n := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Captures []clientCapture `json:"captures"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range doc.Captures {
			stacks[c.Stack] = true
			n++
			t.Run(c.File, func(t *testing.T) { checkClientCapture(t, dir, c) })
		}
	}
	if n < 20 || len(stacks) < 5 {
		t.Errorf("the lab has %d captures from %d stacks; it needs at least 20 from 5", n, len(stacks))
	}
}

func checkClientCapture(t *testing.T, dir string, c clientCapture) {
	s, err := authlab.Load(filepath.Join(dir, c.File))
	if err != nil {
		t.Fatal(err)
	}
	opt := analysis.Options{Survey: analysis.NewSurvey(s)}
	for _, p := range c.Passwords {
		opt.Credentials = append(opt.Credentials, analysis.Credential{Realm: p.Realm, User: p.User, Secret: analysis.Password(p.Password)})
	}
	codes, verdicts := map[string]int{}, map[string]int{}
	var falseAlarms, all []string
	for _, call := range s.Calls() {
		fs := analysis.Diagnose(s, call, opt)
		for _, f := range fs {
			codes[string(f.Code)]++
			all = append(all, f.Severity.String()+" "+string(f.Code)+": "+f.Summary)
			if f.Severity > analysis.Info && !slices.Contains(c.Problems, string(f.Code)) {
				falseAlarms = append(falseAlarms, string(f.Code)+" ("+f.Severity.String()+"): "+f.Summary)
			}
		}
		if v := analysis.VerdictOf(fs); v != nil {
			verdicts[string(v.Code)]++
		}
	}
	var errs []string
	for code, want := range c.Verdicts {
		if got := verdicts[code]; (want < 0 && got == 0) || (want >= 0 && got != want) {
			errs = append(errs, "verdict "+code+": "+itoa(got)+" calls, want "+itoa(want))
		}
	}
	for code, got := range verdicts {
		if _, ok := c.Verdicts[code]; !ok && code != string(analysis.CodeChallenge401) && code != string(analysis.CodeChallenge407) {
			errs = append(errs, "verdict "+code+" on "+itoa(got)+" calls, not expected")
		}
	}
	for _, e := range c.Expect {
		if codes[e] == 0 {
			errs = append(errs, "missing "+e)
		}
	}
	for _, a := range c.Absent {
		if codes[a] != 0 {
			errs = append(errs, "unexpected "+a)
		}
	}
	for _, fa := range falseAlarms {
		errs = append(errs, "false alarm: "+fa)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		t.Errorf("%s (%s): %s\n  story: %s\n  findings:\n    %s", c.File, c.Stack, strings.Join(errs, "; "), c.Story, strings.Join(all, "\n    "))
	}
}
