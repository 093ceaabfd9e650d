package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/flow"
)

// key routes a key press: the help overlay and the filter prompt first,
// then the screen that is showing.
func (m Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	m.note = ""
	if msg.String() == "ctrl+c" {
		return m, tea.Quit
	}
	if m.showHelp {
		m.showHelp = false
		return m, nil
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	switch {
	case key.Matches(msg, m.keys.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit
	}
	if m.flow != nil {
		if key.Matches(msg, m.keys.Back) {
			m.flow = nil
			return m, nil
		}
		m.flow.Update(m.store, msg, m.keys, m.st)
		return m, nil
	}
	return m.listKey(msg)
}

func (m Model) listKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
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
		if c := m.list.Selected(m.store); c != nil {
			f := flow.New(m.store, c, m.opt, m.st)
			m.flow = &f
			m.flow.SetSize(m.width, m.height-2)
		}
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
		m.filter.SetValue(m.list.Filter)
		return m, m.filter.Focus()
	case key.Matches(msg, m.keys.NextAuthError):
		if !m.list.NextAuthError(m.store) {
			m.note = "no call with an authentication error"
		}
	case key.Matches(msg, m.keys.SortNext, m.keys.SortPrev):
		d := 1
		if key.Matches(msg, m.keys.SortPrev) {
			d = calllist.Columns() - 1
		}
		m.list.SortCol = (m.list.SortCol + d) % calllist.Columns()
		m.list.Refresh(m.store)
	case key.Matches(msg, m.keys.SortReverse):
		m.list.Reverse = !m.list.Reverse
		m.list.Refresh(m.store)
	}
	return m, nil
}

// filterKey edits the display filter; it applies as it is typed.
func (m Model) filterKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "enter":
		m.filtering = false
		m.filter.Blur()
		return m, nil
	case "esc":
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue("")
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	m.list.Filter = m.filter.Value()
	m.list.Refresh(m.store)
	return m, cmd
}
