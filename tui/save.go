package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/report/export"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/ladder"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// savedMsg reports what a save wrote, or why it failed.
type savedMsg struct{ note string }

// stamp names saved files so that saves never overwrite each other.
func stamp() string { return time.Now().Format("20060102-150405") }

// saveCalls writes calls as a pcap and as the report's JSON document, in
// the current directory (I/O in a Cmd, never in Update).
func saveCalls(dir string, s *session.Store, calls []*session.Call, opt analysis.Options) tea.Cmd {
	var idx []int32
	for _, c := range calls {
		idx = append(idx, c.Msgs...)
	}
	base := filepath.Join(dir, "sipdbg-"+stamp())
	return func() tea.Msg {
		if err := writeFile(base+".pcap", func(f *os.File) error { return export.Write(f, export.FromStore(s, sortedCopy(idx))) }); err != nil {
			return savedMsg{"save failed: " + err.Error()}
		}
		err := writeFile(base+".json", func(f *os.File) error { return report.JSONCalls(f, []string{base + ".pcap"}, s, calls, opt) })
		if err != nil {
			return savedMsg{"save failed: " + err.Error()}
		}
		return savedMsg{fmt.Sprintf("saved %d calls to %s.pcap and %s.json", len(calls), base, base)}
	}
}

// saveFlow writes the ladder as text, plain and with colours.
func saveFlow(dir string, l ladder.Ladder, st styles.Styles) tea.Cmd {
	base := filepath.Join(dir, "sipdbg-flow-"+stamp())
	return func() tea.Msg {
		coloured := l.View(200, 0, len(l.Rows)+1, -1, st) + "\n"
		err := writeFile(base+".txt", func(f *os.File) error { _, err := f.WriteString(ansi.Strip(coloured)); return err })
		if err == nil {
			err = writeFile(base+".ansi", func(f *os.File) error { _, err := f.WriteString(coloured); return err })
		}
		if err != nil {
			return savedMsg{"save failed: " + err.Error()}
		}
		return savedMsg{"saved the flow to " + base + ".txt (and .ansi with colours)"}
	}
}

func writeFile(name string, fill func(*os.File) error) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// sortedCopy puts messages of several calls back in capture order.
func sortedCopy(idx []int32) []int32 {
	out := slices.Clone(idx)
	slices.Sort(out)
	return out
}
