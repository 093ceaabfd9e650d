package tui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/report/export"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/ladder"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// The save dialog asks, as sngrep's does, what to save and where: a
// format, which calls, and a file name (in the directory sipdbg was
// started from unless the name says otherwise). Nothing is written
// before enter, an existing file is never overwritten, and what was
// written, or why not, is said in the dialog itself.

// saveFormat is one thing the dialog writes.
type saveFormat struct {
	name, ext string
	write     func(f *os.File, d *saveJob) error
}

// saveJob is what one save needs, taken from the screen when it starts:
// it runs in a Cmd, away from Update.
type saveJob struct {
	store *session.Store
	calls []*session.Call
	opt   analysis.Options
	list  calllist.Model
	st    styles.Styles
	path  string
	// file is the capture to read the streams' RTP back from ("" when
	// there is none: the pcap holds the messages alone).
	file    string
	streams []*session.Stream
}

var saveFormats = []saveFormat{
	{"pcap: the calls' messages (Wireshark, sngrep)", "pcap", func(f *os.File, d *saveJob) error {
		var idx []int32
		for _, c := range d.calls {
			idx = append(idx, c.Msgs...)
		}
		return writePcap(f, export.FromStore(d.store, sortedCopy(idx)), d.file, d.streams)
	}},
	{"text: each call's ladder, verdict and findings explained", "txt", func(f *os.File, d *saveJob) error {
		for _, c := range d.calls {
			l := ladder.Build(d.store, c.Msgs, false, nil)
			if _, err := f.WriteString(ansi.Strip(l.View(max(120, l.Need()), 0, len(l.Rows)+1, -1, d.st)) + "\n\n"); err != nil {
				return err
			}
			if err := report.TextCalls(f, d.store, []*session.Call{c}, d.opt, true); err != nil {
				return err
			}
		}
		return nil
	}},
	{"JSON: the report document (sipdbg report --json)", "json", func(f *os.File, d *saveJob) error {
		return report.JSONCalls(f, []string{d.path}, d.store, d.calls, d.opt)
	}},
	{"CSV: the call list's columns", "csv", func(f *os.File, d *saveJob) error {
		return d.list.CSV(f, d.store, d.calls)
	}},
}

// saveScope is a set of calls the dialog offers to save.
type saveScope struct {
	name  string
	calls []*session.Call
}

// The dialog's fields.
const (
	saveFormatField = iota
	saveScopeField
	saveNameField
	nSaveFields
)

// saveDialog is the dialog's state while it is open.
type saveDialog struct {
	format, scope, focus int
	scopes               []saveScope
	name                 textinput.Model
	named                bool   // the user edited the name: a new format keeps it
	result               string // what the last save wrote
	failed               bool   // result is an error
	busy                 bool
}

func (d *saveDialog) clone() screen {
	c := *d
	return &c
}

func (d *saveDialog) kind() keys.Screen { return keys.Save }

// openSave opens the dialog on the screen's calls: the flow's, or the
// list's marked calls, those shown (filtered) and all of them.
func (m *Model) openSave() {
	v := m.cv
	d := saveDialog{name: textinput.New()}
	d.name.Prompt = ""
	d.name.SetWidth(60)
	if v.flow != nil {
		d.scopes = []saveScope{{"the calls of this flow (" + plural(len(v.flow.Calls), "call") + ")", v.flow.Calls}}
	} else {
		if marked := v.list.Marked(v.store); len(marked) > 0 {
			d.scopes = append(d.scopes, saveScope{"the marked calls (" + strconv.Itoa(len(marked)) + ")", marked})
		}
		shown := v.list.Shown(v.store)
		all := v.store.Calls()
		if len(shown) != len(all) {
			d.scopes = append(d.scopes, saveScope{"the calls shown (" + strconv.Itoa(len(shown)) + ", filtered)", shown})
		}
		d.scopes = append(d.scopes, saveScope{"all calls (" + strconv.Itoa(len(all)) + ")", all})
	}
	d.name.SetValue("sipdbg-" + stamp(m.now()) + "." + saveFormats[0].ext)
	d.focus = saveNameField
	d.name.Focus()
	d.name.CursorEnd()
	m.push(&d)
}

// savedMsg reports what a save wrote, or why it failed.
type savedMsg struct {
	note   string
	failed bool
}

func (d *saveDialog) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	if d.result != "" && !d.failed { // the report of a save: any key closes it
		m.pop()
		return nil
	}
	d.result, d.failed = "", false
	switch {
	case key.Matches(msg, m.keys.Back):
		m.pop()
		return nil
	case key.Matches(msg, m.keys.Send):
		if d.busy {
			return nil
		}
		return d.start(m)
	case key.Matches(msg, m.keys.NextField):
		d.focus = (d.focus + 1) % nSaveFields
	case key.Matches(msg, m.keys.PrevField):
		d.focus = (d.focus + nSaveFields - 1) % nSaveFields
	case d.focus == saveFormatField && key.Matches(msg, m.keys.NextChoice, m.keys.PrevChoice):
		step := 1
		if key.Matches(msg, m.keys.PrevChoice) {
			step = len(saveFormats) - 1
		}
		d.format = (d.format + step) % len(saveFormats)
		if !d.named { // the suggested name follows the format
			v := d.name.Value()
			d.name.SetValue(strings.TrimSuffix(v, filepath.Ext(v)) + "." + saveFormats[d.format].ext)
			d.name.CursorEnd()
		}
	case d.focus == saveScopeField && key.Matches(msg, m.keys.NextChoice, m.keys.PrevChoice):
		step := 1
		if key.Matches(msg, m.keys.PrevChoice) {
			step = len(d.scopes) - 1
		}
		d.scope = (d.scope + step) % len(d.scopes)
	case d.focus == saveNameField:
		before := d.name.Value()
		var cmd tea.Cmd
		d.name, cmd = d.name.Update(msg)
		d.named = d.named || d.name.Value() != before
		return cmd
	}
	if d.focus == saveNameField {
		d.name.Focus()
	} else {
		d.name.Blur()
	}
	return nil
}

// start writes the file in a Cmd: I/O never runs in Update.
func (d *saveDialog) start(m *Model) tea.Cmd {
	name := strings.TrimSpace(d.name.Value())
	if name == "" {
		d.result, d.failed = "the file name is empty", true
		return nil
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(m.saveDir, path)
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	calls := d.scopes[d.scope].calls
	if len(calls) == 0 {
		d.result, d.failed = "there is no call to save", true
		return nil
	}
	d.busy = true
	job := &saveJob{store: m.cv.store, calls: calls, opt: m.cv.opt, list: m.cv.list, st: m.st, path: path,
		file: m.cv.file, streams: snapshot(callStreams(m.cv.store, calls))}
	f := saveFormats[d.format]
	rtp := ""
	if f.ext == "pcap" {
		rtp = rtpNote(job)
	}
	return func() tea.Msg {
		if err := writeFile(path, func(file *os.File) error { return f.write(file, job) }); err != nil {
			if os.IsExist(err) {
				return savedMsg{note: path + " exists: give another name (nothing is overwritten)", failed: true}
			}
			return savedMsg{note: "not saved: " + err.Error(), failed: true}
		}
		return savedMsg{note: "Saved " + plural(len(calls), "call") + " as " + f.ext + " to " + path + rtp}
	}
}

// saved shows what the save did in the dialog (a failure keeps it open
// for another try; a success is said until the next key).
func (m Model) saved(msg savedMsg) (tea.Model, tea.Cmd) {
	d, ok := m.top().(*saveDialog)
	if !ok {
		m.note = msg.note
		return m, nil
	}
	d.busy, d.result, d.failed = false, msg.note, msg.failed
	return m, nil
}

// view draws the dialog in w×h.
func (d *saveDialog) view(m *Model, w, _ int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("Save") + "\n\n")
	row := func(i int, label, value string) {
		l := label + strings.Repeat(" ", 8-len(label))
		if d.focus == i {
			l = m.st.Bold.Render("▸ " + l)
		} else {
			l = "  " + l
		}
		b.WriteString(ansi.Truncate(l+value, w, "…") + "\n")
	}
	choice := func(s string, focused bool) string {
		if focused {
			return "◂ " + s + " ▸"
		}
		return s
	}
	row(saveFormatField, "Format", choice(saveFormats[d.format].name, d.focus == saveFormatField))
	row(saveScopeField, "Calls", choice(d.scopes[d.scope].name, d.focus == saveScopeField))
	row(saveNameField, "File", d.name.View())
	dir := m.saveDir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	b.WriteString("\n" + m.st.Dim.Render(ansi.Truncate("  a name without a directory is written in "+dir, w, "…")) + "\n\n")
	switch {
	case d.busy:
		b.WriteString("  saving…")
	case d.result != "" && d.failed:
		for _, l := range report.Wrap(d.result, w-2) {
			b.WriteString("  " + m.st.Error.Render(l) + "\n")
		}
	case d.result != "":
		for _, l := range report.Wrap(d.result, w-2) {
			b.WriteString("  " + m.st.Success.Render(l) + "\n")
		}
		b.WriteString("  " + m.st.Dim.Render("any key closes this dialog"))
	}
	return b.String()
}
