package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/authview"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/flow"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// captureView is one source on screen: its store, its call list, and the
// flow of the calls opened from it. The capture being read is one; a
// probe's exchange and a pasted trace are others, over it.
type captureView struct {
	id     int // names the view while it is on the stack (a probe's progress finds its own)
	name   string
	store  *session.Store
	status loadStatus
	opt    analysis.Options
	list   calllist.Model
	flow   *flow.Model // nil on the call list
	banner string      // a result to read above the screen (a probe's outcome and why)
	onFlow bool        // opened on its flow (a probe's exchange): back from the flow closes the view
	empty  string      // what the body says while the store is empty and read whole
	// file is the capture file the store was read from, which a save
	// reads the RTP payloads back from (the store keeps none); "" for a
	// source that cannot be read again (live, standard input, a paste).
	file string
}

func (v *captureView) clone() screen {
	c := *v
	return &c
}

func (v *captureView) kind() keys.Screen {
	if v.flow != nil {
		return keys.Flow
	}
	return keys.List
}

// view draws the flow or the list, under the banner when there is one.
func (v *captureView) view(m *Model, w, h int) string {
	if v.banner != "" {
		// A result to read first (a probe's outcome and why): above the
		// screen, wrapped, never cut like the status line.
		var lines []string
		for _, l := range report.Wrap(v.banner, w) {
			lines = append(lines, m.bannerStyle(v.banner).Render(l))
		}
		lines = lines[:min(len(lines), 3)]
		return strings.Join(lines, "\n") + "\n" + pad(v.body(m, w, h-len(lines)), w, h-len(lines))
	}
	return v.body(m, w, h)
}

func (v *captureView) body(m *Model, w, h int) string {
	switch {
	case v.flow != nil:
		return v.flow.View(v.store, w, h, m.st)
	case v.store.Len() == 0 && v.empty != "":
		return m.st.Dim.Render(v.empty)
	case v.store.Len() == 0 && !v.status.done:
		return "Loading " + v.name + "…"
	case len(v.store.Calls()) == 0 && v.status.done:
		return v.noCalls(m, w)
	case v.list.Len() == 0:
		return m.st.Dim.Render("No calls match.")
	}
	return v.list.View(v.store, w, h, m.st)
}

// noCalls is the body of a capture without a call: what it shows outside
// any (a client that could not find its server in DNS and sent no SIP),
// else that there is no SIP in it.
func (v *captureView) noCalls(m *Model, w int) string {
	fs := analysis.CaptureFindings(v.store)
	if len(fs) == 0 {
		return m.st.Dim.Render("No SIP call in " + v.name + ".")
	}
	lines := []string{m.st.Title.Render("No SIP call. Outside any call:"), ""}
	for _, f := range fs {
		for i, l := range report.Wrap(report.Printable(f.Summary), w-2) {
			if i == 0 {
				l = authview.Mark(f.Severity) + " " + l
			} else {
				l = "  " + l
			}
			lines = append(lines, authview.Style(f.Severity, m.st)(l))
		}
		for _, l := range report.Wrap(f.Explanation+" ("+f.RFC+")", w-2) {
			lines = append(lines, "  "+m.st.Dim.Render(l))
		}
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// key handles the keys of the call list and of a flow.
func (v *captureView) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Help):
		m.openHelp()
		return nil
	case key.Matches(msg, m.keys.Quit) && v.flow != nil:
		// In a flow q goes back, as in sngrep; ctrl+c always quits.
		m.flowBack()
		return nil
	case key.Matches(msg, m.keys.Quit):
		return tea.Quit
	case key.Matches(msg, m.keys.Paste):
		m.push(&pasteScreen{})
		return nil
	case key.Matches(msg, m.keys.Mouse):
		m.mouse = !m.mouse
		return nil
	case key.Matches(msg, m.keys.Probe):
		if m.prober == nil {
			m.note = "live tests are not available here"
			return nil
		}
		m.push(formScreen{})
		return m.form.Open()
	case key.Matches(msg, m.keys.Save):
		m.openSave()
		return nil
	}
	if cmd, ok := m.commandKey(msg); ok {
		return cmd
	}
	if v.flow != nil {
		switch {
		case key.Matches(msg, m.keys.Back):
			m.flowBack()
			return nil
		case key.Matches(msg, m.keys.Streams):
			m.openStreams()
			return nil
		case key.Matches(msg, m.keys.Wav):
			return m.flowWAV()
		}
		v.flow.Update(v.store, msg, m.keys, m.st)
		return nil
	}
	return v.listKey(m, msg)
}

// flowBack goes back from a flow: from what it shows over the ladder
// first (a comparison, the expanded pane), else to the list; a view
// opened on its flow (a probe's exchange) goes back to what is under it
// at once (one esc, as its status line says).
func (m *Model) flowBack() {
	v := m.cv
	if v.flow.Back() {
		return
	}
	if v.onFlow && len(m.stack) > 1 {
		m.closeView()
		return
	}
	v.flow = nil
}

// closeView pops the capture view on top (a probe's exchange, a pasted
// trace): the one under it is shown as it was, with what it read since.
func (m *Model) closeView() {
	m.pop()
	m.note = ""
	m.cv.list.Refresh(m.cv.store)
}

func (m *Model) openFlow(calls []*session.Call) {
	if len(calls) == 0 {
		return
	}
	f := flow.New(m.cv.store, calls, m.cv.opt, m.st)
	m.cv.flow = &f
	m.cv.flow.SetSize(m.width, m.height-2)
}

func (v *captureView) listKey(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back) && len(m.stack) > 1:
		m.closeView() // back from a probe's exchange or a paste to the capture
		return m.armFilter()
	case key.Matches(msg, m.keys.Back) && (v.list.Filter != "" || v.list.Problems):
		v.list.Problems = false       // --problems is a filter too: esc shows every call
		v.list.SetFilter(v.store, "") // esc clears the filter, as in sngrep
		m.note = "filter cleared"
		return m.armFilter()
	case key.Matches(msg, m.keys.Up):
		v.list.Move(-1)
	case key.Matches(msg, m.keys.Down):
		v.list.Move(1)
	case key.Matches(msg, m.keys.PageUp):
		v.list.Move(-(m.height - 4))
	case key.Matches(msg, m.keys.PageDown):
		v.list.Move(m.height - 4)
	case key.Matches(msg, m.keys.Home):
		v.list.Move(-v.list.Len())
	case key.Matches(msg, m.keys.End):
		v.list.Move(v.list.Len())
	case key.Matches(msg, m.keys.Open):
		calls := v.list.Marked(v.store)
		if len(calls) == 0 {
			if c := v.list.Selected(v.store); c != nil {
				calls = []*session.Call{c}
			}
		}
		m.openFlow(calls)
	case key.Matches(msg, m.keys.Select):
		v.list.ToggleMark()
	case key.Matches(msg, m.keys.Extended):
		if c := v.list.Selected(v.store); c != nil {
			related := v.store.Related(c)
			if len(related) == 0 {
				m.note = "no related legs (X-Call-ID / X-CID) for this call"
			}
			m.openFlow(append([]*session.Call{c}, related...))
		}
	case key.Matches(msg, m.keys.Filter):
		m.push(newFilterScreen(v.list.Filter))
		return m.top().(*filterScreen).input.Focus()
	case key.Matches(msg, m.keys.NextAuthError):
		if !v.list.NextAuthError(v.store) {
			m.note = "no call with a problem"
		}
	case key.Matches(msg, m.keys.SortNext, m.keys.SortPrev):
		d := 1
		if key.Matches(msg, m.keys.SortPrev) {
			d = v.list.Columns() - 1
		}
		v.list.SortCol = (v.list.SortCol + d) % v.list.Columns()
		v.list.Refresh(v.store)
		return m.armFilter() // the auth column is graded in steps
	case key.Matches(msg, m.keys.Follow):
		m.follow = !m.follow
		if m.follow {
			v.list.Move(v.list.Len())
		}
	case key.Matches(msg, m.keys.Pause):
		m.paused = !m.paused
		if !m.paused {
			v.list.Refresh(v.store)
		}
	case key.Matches(msg, m.keys.SortReverse):
		v.list.Reverse = !v.list.Reverse
		v.list.Refresh(v.store)
		return m.armFilter()
	}
	return nil
}

// newView makes a capture view of store s over the capture (a probe's
// exchange, a pasted trace), with the capture's list columns.
func (m *Model) newView(s *session.Store, name string, opt analysis.Options) *captureView {
	m.viewIDs++
	v := &captureView{id: m.viewIDs, name: name, store: s, status: loadStatus{done: true}, list: m.base().list}
	v.setStore(m, s, name, opt, false)
	return v
}

// setStore shows store s in the view: its call list, or the flow of its
// calls (withFlow), keeping the ladder's row when it is the same
// exchange, grown.
func (v *captureView) setStore(m *Model, s *session.Store, name string, opt analysis.Options, withFlow bool) {
	row := -1
	if v.flow != nil {
		row = v.flow.Row
	}
	s.SetAliases(m.aliases) // a probe's exchange, a paste: named as the capture is
	v.name, v.store, v.status, v.onFlow = name, s, loadStatus{done: true}, withFlow
	opt.Survey = analysis.NewSurvey(s)
	v.opt = opt
	v.list.Reset(opt)
	v.list.SetHeight(m.height - 3)
	v.list.Refresh(s)
	v.flow = nil
	if withFlow && len(s.Calls()) > 0 {
		f := flow.New(s, s.Calls(), opt, m.st)
		v.flow = &f
		v.flow.SetSize(m.width, m.height-2)
		if row >= 0 {
			v.flow.Move(s, row-v.flow.Row, m.st)
		}
	}
}

// click selects with the left button what is under it (the mouse is on
// only after M). A click on the call already selected opens it, as a
// double click would.
func (m Model) click(msg tea.MouseClickMsg) (tea.Model, tea.Cmd) {
	v := m.cv
	if !m.mouse || msg.Button != tea.MouseLeft || m.top() != screen(v) {
		return m, nil
	}
	if v.flow != nil {
		v.flow.Click(v.store, msg.X, msg.Y, m.width, m.height-2, m.st)
		return m, nil
	}
	before := v.list.Cursor
	if v.list.Click(msg.Y) && v.list.Cursor == before {
		if c := v.list.Selected(v.store); c != nil {
			m.openFlow([]*session.Call{c})
		}
	}
	return m, nil
}
