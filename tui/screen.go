package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/tui/keys"
)

// The interface is a stack of screens. The bottom one is the capture
// being read (a captureView). A probe's exchange or a pasted trace is a
// captureView of its own, pushed over it; esc pops it and the capture is
// back as it was, still loading. The help, the filter prompt, the paste
// screen, the live test form and the save dialog are pushed over the
// capture view they are about. The screen on top takes the keys and
// draws the body; the keys it answers (keys.Map.Keys of its kind) make
// the footer and the help. The root model only routes to it.

// screen is one screen of the stack.
type screen interface {
	// kind names the screen for its keys: the footer, the help.
	kind() keys.Screen
	// key handles a key pressed while the screen is on top.
	key(m *Model, msg tea.KeyPressMsg) tea.Cmd
	// view draws the screen in w×h cells.
	view(m *Model, w, h int) string
	// clone returns a copy that a key may change without changing the
	// model the copy came from: a Model is a value.
	clone() screen
}

// bottomer is a screen that draws the bottom line itself (the filter
// prompt's text input) instead of the footer.
type bottomer interface {
	bottom(m *Model) string
}

// top is the screen on top of the stack.
func (m *Model) top() screen { return m.stack[len(m.stack)-1] }

// screen is the kind of screen on show, for its keys.
func (m Model) screen() keys.Screen { return m.top().kind() }

// showing reports whether s is the kind of screen on show.
func (m Model) showing(s keys.Screen) bool { return m.screen() == s }

// push opens s over what is shown.
func (m *Model) push(s screen) {
	m.stack = append(m.stack[:len(m.stack):len(m.stack)], s)
	m.sync()
}

// pop closes the screen on top; the capture being read is never popped.
func (m *Model) pop() {
	if n := len(m.stack); n > 1 {
		m.stack = m.stack[: n-1 : n-1]
	}
	m.sync()
}

// sync points cv at the top capture view.
func (m *Model) sync() {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if v, ok := m.stack[i].(*captureView); ok {
			m.cv = v
			return
		}
	}
}

// base is the capture being read, at the bottom of the stack.
func (m *Model) base() *captureView { return m.stack[0].(*captureView) }

// own gives the model screens of its own before a message changes them,
// so that an earlier copy of the model keeps what it showed.
func (m *Model) own() {
	stack := make([]screen, len(m.stack))
	for i, s := range m.stack {
		stack[i] = s.clone()
	}
	m.stack = stack
	m.sync()
}

// viewByID finds a capture view still on the stack by its id.
func (m *Model) viewByID(id int) *captureView {
	for _, s := range m.stack {
		if v, ok := s.(*captureView); ok && v.id == id {
			return v
		}
	}
	return nil
}

// under is the capture view under v on the stack, nil for the bottom one.
func (m *Model) under(v *captureView) *captureView {
	var below *captureView
	for _, s := range m.stack {
		if s == screen(v) {
			return below
		}
		if c, ok := s.(*captureView); ok {
			below = c
		}
	}
	return nil
}

// Screen is the kind of screen on show (the command's debug log names
// the screens a session went through).
func (m Model) Screen() keys.Screen { return m.screen() }
