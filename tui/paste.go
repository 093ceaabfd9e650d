package tui

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// The paste screen takes a text SIP trace pasted into the terminal (a
// PBX or proxy log, sngrep's text export, bare messages) and opens it in
// place of the current source, with the same list, ladder and analysis.

func (m Model) pasteKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.pasting, m.paste = false, ""
	case "ctrl+s":
		return m.openPaste()
	case "enter":
		m.paste += "\n"
	case "backspace":
		if r := []rune(m.paste); len(r) > 0 {
			m.paste = string(r[:len(r)-1])
		}
	default:
		m.paste += msg.Text
	}
	return m, nil
}

// openPaste replaces the source with the pasted trace (a new generation:
// batches still coming from the old source are dropped).
func (m Model) openPaste() (tea.Model, tea.Cmd) {
	b := []byte(m.paste)
	src, err := source.FromReader(bytes.NewReader(b), "pasted trace", int64(len(b)))
	if err != nil {
		m.note = "paste: " + err.Error()
		return m, nil
	}
	if m.cancel != nil {
		m.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.gen++
	m.src = pipeline.Stream(ctx, src, m.gen)
	m.name, m.store, m.flow, m.status = "pasted trace", session.NewStore(), nil, loadStatus{}
	m.opt.Survey = nil // it spoke of the previous capture
	m.list.Reset(m.opt)
	m.list.SetHeight(m.height - 3)
	m.pasting, m.paste = false, ""
	return m, wait(m.src, m.gen)
}

func (m Model) pasteView(h int) string {
	lines := strings.Split(m.paste, "\n")
	head := m.st.Title.Render("Paste a SIP trace") + m.st.Dim.Render(" (PBX/proxy log, sngrep text, or bare messages) — ctrl+s opens it, esc cancels")
	count := m.st.Dim.Render(strconv.Itoa(len(lines)) + " lines, " + strconv.Itoa(len(m.paste)) + " bytes")
	show := lines[max(0, len(lines)-(h-3)):]
	return head + "\n" + count + "\n\n" + strings.Join(show, "\n")
}
