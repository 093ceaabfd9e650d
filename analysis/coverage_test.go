package analysis_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// unitOnly are the codes no real capture here shows, with the reason;
// unit tests build their flows instead.
var unitOnly = map[analysis.Code]string{
	analysis.CodeBasicAuth: "no SIP stack of the lab sends Basic credentials (RFC 3261 §22.1 deprecates them): scheme_test.go",
}

// Every code of the catalogue is raised by at least one real capture:
// the Kamailio/SIPp auth lab, the real-client lab or the public
// captures of ../shared.
func TestEveryCodeFromARealCapture(t *testing.T) {
	root := testenv.Root(t)
	shared := testenv.SharedPcaps(t)
	seen := map[analysis.Code]string{}
	scan := func(path string, passwords []analysis.Credential) {
		s, err := authlab.Load(path)
		if s == nil || (err != nil && len(s.Calls()) == 0) {
			return
		}
		opt := analysis.Options{Credentials: passwords, Survey: analysis.NewSurvey(s)}
		for _, f := range analysis.CaptureFindings(s) {
			if _, ok := seen[f.Code]; !ok {
				seen[f.Code] = filepath.Base(path)
			}
		}
		for _, c := range s.Calls() {
			for _, f := range analysis.Diagnose(s, c, opt) {
				if _, ok := seen[f.Code]; !ok {
					seen[f.Code] = filepath.Base(path)
				}
			}
		}
	}
	for _, lab := range []string{"failures", "media"} {
		dir := filepath.Join(root, "testdata", "captures", lab)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".pcap") {
				scan(filepath.Join(dir, e.Name()), nil)
			}
		}
	}
	for _, dir := range []string{filepath.Join(root, "testdata", "captures", "auth"), filepath.Join(root, "testdata", "captures", "clients")} {
		files, _ := filepath.Glob(filepath.Join(dir, "expected*.json"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Captures []struct {
					File      string `json:"file"`
					Passwords []struct{ Realm, User, Password string }
				} `json:"captures"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range doc.Captures {
				var creds []analysis.Credential
				for _, p := range c.Passwords {
					creds = append(creds, analysis.Credential{Realm: p.Realm, User: p.User, Secret: analysis.Password(p.Password)})
				}
				scan(filepath.Join(dir, c.File), creds)
			}
		}
	}
	entries, _ := os.ReadDir(shared)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") && !strings.HasSuffix(e.Name(), ".json") {
			scan(filepath.Join(shared, e.Name()), nil)
		}
	}
	for _, e := range analysis.Catalogue {
		_, ok := seen[e.Code]
		why, unit := unitOnly[e.Code]
		switch {
		case !ok && !unit:
			t.Errorf("no real capture raises %s", e.Code)
		case ok && unit:
			t.Errorf("%s is listed as unit-only (%s) but %s raises it", e.Code, why, seen[e.Code])
		}
	}
}
