// Package authlab checks the authentication lab's captures (made by
// testdata/lab/auth/regen-auth-captures.sh with Kamailio and SIPp)
// against the findings their expected.json says each must and must not
// yield.
//
// A test kit: only tests import it; it imports analysis, session,
// pipeline and capture.
package authlab

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// Capture is one entry of expected.json.
type Capture struct {
	File      string   `json:"file"`
	Story     string   `json:"story"`
	Skipped   string   `json:"skipped"`
	Expect    []string `json:"expect"`
	Absent    []string `json:"absent"`
	Passwords []struct {
		Realm, User, Password string
	} `json:"passwords"`
}

// Expected reads dir/expected.json.
func Expected(dir string) ([]Capture, error) {
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		return nil, err
	}
	var doc struct {
		Captures []Capture `json:"captures"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	return doc.Captures, nil
}

// Load reads a capture file into a new store. A file cut short still
// yields what was read before the cut, with the error.
func Load(path string) (*session.Store, error) {
	r, err := capture.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s := session.NewStore()
	return s, pipeline.Load(r, s)
}

// Findings loads a capture and returns the codes of every call's
// findings, checking the passwords the entry lists.
func Findings(dir string, c Capture) (map[analysis.Code]int, error) {
	s, err := Load(filepath.Join(dir, c.File))
	if err != nil {
		return nil, err
	}
	opt := analysis.Options{Survey: analysis.NewSurvey(s)}
	for _, p := range c.Passwords {
		opt.Credentials = append(opt.Credentials, analysis.Credential{Realm: p.Realm, User: p.User, Secret: analysis.Password(p.Password)})
	}
	got := map[analysis.Code]int{}
	for _, call := range s.Calls() {
		for _, f := range analysis.Diagnose(s, call, opt) {
			got[f.Code]++
		}
	}
	return got, nil
}

// Check compares one capture's findings with its entry.
func Check(dir string, c Capture) error {
	got, err := Findings(dir, c)
	if err != nil {
		return err
	}
	var missing, unexpected []string
	for _, e := range c.Expect {
		if got[analysis.Code(e)] == 0 {
			missing = append(missing, e)
		}
	}
	for _, a := range c.Absent {
		if got[analysis.Code(a)] != 0 {
			unexpected = append(unexpected, a)
		}
	}
	if len(missing)+len(unexpected) == 0 {
		return nil
	}
	var all []string
	for k := range got {
		all = append(all, string(k))
	}
	sort.Strings(all)
	return fmt.Errorf("%s: missing %v, unexpected %v (all: %v)", c.File, missing, unexpected, all)
}
