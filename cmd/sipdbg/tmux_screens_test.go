package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/demo"
)

// TestAnalysisScrollsInTmux: at 80×24, in a real terminal, the analysis
// pane scrolls with pgdn to the last line of the longest explanation of
// the demo, which does not fit the pane at first.
func TestAnalysisScrollsInTmux(t *testing.T) {
	s, err := demo.Store()
	if err != nil {
		t.Fatal(err)
	}
	opt := analysis.Options{Survey: analysis.NewSurvey(s)}
	row, longest := 0, 0
	var fs []analysis.Finding
	for i, c := range s.Calls() { // the list shows them in this order
		cfs := analysis.Diagnose(s, c, opt)
		for j, f := range cfs {
			if fs == nil || len(f.Explanation) > len(fs[longest].Explanation) {
				row, longest, fs = i, j, cfs
			}
		}
	}
	words := strings.Fields(fs[longest].RFC + ")")
	last := words[len(words)-1] // the pane wraps at spaces: the last word ends the text

	tm := startTmuxSized(t, buildForTmux(t, t.TempDir())+" demo", 80, 24)
	tm.wait("4 calls")
	for range row {
		tm.keys("j")
	}
	tm.keys("Enter")
	tm.wait("Analysis (tab: to the findings")
	tm.keys("Tab")
	for range longest {
		tm.keys("Down")
	}
	first := fs[longest].Summary[:min(len(fs[longest].Summary), 20)]
	screen := tm.wait(first)
	if strings.Contains(screen, last) {
		t.Fatalf("%s's explanation fits the pane at 80×24: the test needs one that does not:\n%s", fs[longest].Code, screen)
	}
	for i := 0; i < 40 && !strings.Contains(screen, last); i++ {
		tm.keys("PageDown")
		screen = tm.screen()
	}
	screen = tm.wait(last)
	if !strings.Contains(screen, "▲") {
		t.Errorf("no mark for the lines scrolled past:\n%s", screen)
	}
	for _, l := range strings.Split(screen, "\n") {
		if len([]rune(l)) > 80 {
			t.Errorf("a line wider than the terminal: %q", l)
		}
	}
}

// TestSaveInTmux: S, the JSON format, a name typed over the suggested
// one, enter: that file, and only it, is written where sipdbg runs, mode
// 600, holding the report of the calls.
func TestSaveInTmux(t *testing.T) {
	bin := buildForTmux(t, t.TempDir())
	dir := t.TempDir()
	tm := startTmux(t, "cd "+dir+" && "+bin+" demo")
	tm.wait("4 calls")
	tm.keys("S")
	tm.wait("a name without a directory is written in " + dir)
	tm.keys("BTab", "BTab") // from the file name up to the format
	tm.keys("Right", "Right")
	tm.wait("JSON: the report document")
	tm.keys("Tab", "Tab", "C-u")
	tm.keys("-l", "my calls.json")
	tm.keys("Enter")
	screen := tm.wait("Saved 4 calls as json to ")
	if !strings.Contains(screen, "my calls.json") {
		t.Errorf("the dialog does not name the file:\n%s", screen)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != "my calls.json" {
		t.Fatalf("the directory holds %v, want only my calls.json", ents)
	}
	path := filepath.Join(dir, "my calls.json")
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, mode %v", path, err, fi.Mode())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Calls []struct {
			CallID string `json:"call_id"`
		} `json:"calls"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Calls) != 4 || doc.Calls[0].CallID == "" {
		t.Fatalf("the file is not the JSON report of the 4 calls (%v): %.300s", err, b)
	}
	tm.keys("x") // any key closes the report of the save
	tm.wait("Destination")
}
