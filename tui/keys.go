package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/flow"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// key routes a key press: the help overlay and the filter prompt first,
// then the screen that is showing.
func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	m.note = ""
	if msg.String() == "ctrl+c" {
		return m, tea.Quit
	}
	switch m.screen() { // the screen on top of the stack takes the keys
	case keys.Help:
		return m.helpKey(msg)
	case keys.Save:
		return m.saveKey(msg)
	case keys.Paste:
		return m.pasteKey(msg)
	case keys.Form:
		return m.probeKey(msg)
	case keys.Filter:
		return m.filterKey(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Help):
		m.openHelp()
		return m, nil
	case key.Matches(msg, m.keys.Quit) && m.flow != nil:
		// In a flow q goes back, as in sngrep; ctrl+c always quits.
		m.flowBack()
		return m, nil
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(msg, m.keys.Paste):
		m.push(keys.Paste)
		return m, nil
	case key.Matches(msg, m.keys.Mouse):
		m.mouse = !m.mouse
		return m, nil
	case key.Matches(msg, m.keys.Probe):
		if m.prober == nil {
			m.note = "live tests are not available here"
			return m, nil
		}
		m.push(keys.Form)
		cmd := m.form.Open()
		return m, cmd
	}
	if m.flow != nil {
		if key.Matches(msg, m.keys.Back) {
			m.flowBack()
			return m, nil
		}
		if key.Matches(msg, m.keys.Save) {
			m.openSave()
			return m, nil
		}
		m.flow.Update(m.store, msg, m.keys, m.st)
		return m, nil
	}
	return m.listKey(msg)
}

// flowBack goes back from a flow: from what it shows over the ladder
// first (a comparison, the expanded pane), else to the list; a probe's
// exchange, shown straight on its flow, goes back to the capture at once
// (one esc, as its status line says).
func (m *Model) flowBack() {
	if m.flow.Back() {
		return
	}
	if m.under != nil && m.layerFlow {
		m.closeExchange()
		return
	}
	m.flow = nil
}

func (m *Model) openFlow(calls []*session.Call) {
	if len(calls) == 0 {
		return
	}
	f := flow.New(m.store, calls, m.opt, m.st)
	m.flow = &f
	m.flow.SetSize(m.width, m.height-2)
}

func (m Model) listKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back) && m.under != nil:
		m.closeExchange() // back from a probe's exchange to the capture
		next := m.armFilter()
		return m, next
	case key.Matches(msg, m.keys.Back) && m.list.Filter != "":
		m.list.SetFilter(m.store, "") // esc clears the filter, as in sngrep
		m.note = "filter cleared"
		next := m.armFilter()
		return m, next
	case key.Matches(msg, m.keys.Up):
		m.list.Move(-1)
	case key.Matches(msg, m.keys.Down):
		m.list.Move(1)
	case key.Matches(msg, m.keys.PageUp):
		m.list.Move(-(m.height - 4))
	case key.Matches(msg, m.keys.PageDown):
		m.list.Move(m.height - 4)
	case key.Matches(msg, m.keys.Home):
		m.list.Move(-m.list.Len())
	case key.Matches(msg, m.keys.End):
		m.list.Move(m.list.Len())
	case key.Matches(msg, m.keys.Open):
		calls := m.list.Marked(m.store)
		if len(calls) == 0 {
			if c := m.list.Selected(m.store); c != nil {
				calls = []*session.Call{c}
			}
		}
		m.openFlow(calls)
	case key.Matches(msg, m.keys.Select):
		m.list.ToggleMark()
	case key.Matches(msg, m.keys.Extended):
		if c := m.list.Selected(m.store); c != nil {
			related := m.store.Related(c)
			if len(related) == 0 {
				m.note = "no related legs (X-Call-ID / X-CID) for this call"
			}
			m.openFlow(append([]*session.Call{c}, related...))
		}
	case key.Matches(msg, m.keys.Save):
		m.openSave()
	case key.Matches(msg, m.keys.Filter):
		m.push(keys.Filter)
		m.filter.SetValue(m.list.Filter)
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.NextAuthError):
		if !m.list.NextAuthError(m.store) {
			m.note = "no call with an authentication error"
		}
	case key.Matches(msg, m.keys.SortNext, m.keys.SortPrev):
		d := 1
		if key.Matches(msg, m.keys.SortPrev) {
			d = m.list.Columns() - 1
		}
		m.list.SortCol = (m.list.SortCol + d) % m.list.Columns()
		m.list.Refresh(m.store)
		next := m.armFilter() // the auth column is graded in steps
		return m, next
	case key.Matches(msg, m.keys.Follow):
		m.follow = !m.follow
		if m.follow {
			m.list.Move(m.list.Len())
		}
	case key.Matches(msg, m.keys.Pause):
		m.paused = !m.paused
		if !m.paused {
			m.list.Refresh(m.store)
		}
	case key.Matches(msg, m.keys.SortReverse):
		m.list.Reverse = !m.list.Reverse
		m.list.Refresh(m.store)
		next := m.armFilter()
		return m, next
	}
	return m, nil
}

// filterKey edits the display filter; it applies as it is typed.
func (m Model) filterKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Apply):
		m.pop()
		m.filter.Blur()
		return m, nil
	case key.Matches(msg, m.keys.Back):
		m.pop()
		m.filter.Blur()
		m.filter.SetValue("")
		m.list.SetFilter(m.store, "")
		return m, nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	if v := m.filter.Value(); v != m.list.Filter {
		m.list.SetFilter(m.store, v)
	}
	next := m.armFilter()
	return m, tea.Batch(cmd, next)
}

// click selects with the left button what is under it (the mouse is on
// only after M). A click on the call already selected opens it, as a
// double click would.
func (m Model) click(msg tea.MouseClickMsg) (tea.Model, tea.Cmd) {
	if !m.mouse || msg.Button != tea.MouseLeft || len(m.stack) > 0 {
		return m, nil
	}
	if m.flow != nil {
		m.flow.Click(m.store, msg.X, msg.Y, m.width, m.height-2, m.st)
		return m, nil
	}
	before := m.list.Cursor
	if m.list.Click(msg.Y) && m.list.Cursor == before {
		if c := m.list.Selected(m.store); c != nil {
			m.openFlow([]*session.Call{c})
		}
	}
	return m, nil
}
