package tui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/tui/keys"
)

// filterScreen is the filter prompt: the list stays on show and the
// filter applies as it is typed, as sngrep's display filter does.
type filterScreen struct{ input textinput.Model }

func newFilterScreen(value string) *filterScreen {
	f := &filterScreen{input: textinput.New()}
	f.input.Prompt = "/"
	f.input.SetValue(value)
	return f
}

func (f *filterScreen) clone() screen {
	c := *f
	return &c
}

func (f *filterScreen) kind() keys.Screen { return keys.Filter }

// view is the list the filter is about.
func (f *filterScreen) view(m *Model, w, h int) string { return m.cv.view(m, w, h) }

// bottom is the prompt, where the footer would be.
func (f *filterScreen) bottom(*Model) string { return f.input.View() }

func (f *filterScreen) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	list, store := &m.cv.list, m.cv.store
	switch {
	case key.Matches(msg, m.keys.Apply):
		m.pop()
		return nil
	case key.Matches(msg, m.keys.Back):
		m.pop()
		list.SetFilter(store, "")
		return nil
	}
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if v := f.input.Value(); v != list.Filter {
		list.SetFilter(store, v)
	}
	return tea.Batch(cmd, m.armFilter())
}

// WithListFilter starts the call list filtered, as sipdbg --filter and
// --problems ask: the filter text is the one / takes (and shows in the
// prompt), problems keeps only the calls whose verdict is an error or a
// warning. Esc on the list shows every call again.
func (m Model) WithListFilter(text string, problems bool) Model {
	v := m.base()
	v.list.Problems = problems
	v.list.SetFilter(v.store, text)
	return m
}
