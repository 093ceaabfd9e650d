package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/mediaview"
)

// The streams pane (m in a flow, sngrep's media key there): the RTP
// streams of the flow's calls as a table, a timeline each, and the
// selected one's statistics, over the flow; esc goes back to it. W
// writes the G.711 streams as WAV files, here as in the flow.

// streamsScreen is the streams pane of the capture view under it.
type streamsScreen struct {
	pane mediaview.Model
}

func (s *streamsScreen) clone() screen {
	c := *s
	return &c
}

func (s *streamsScreen) kind() keys.Screen { return keys.Streams }

// openStreams shows the streams of the flow on show.
func (m *Model) openStreams() {
	f := m.cv.flow
	p := mediaview.Model{Streams: f.Streams(m.cv.store), Empty: "No RTP stream of this call in the capture."}
	if len(f.Calls) == 1 {
		p.Title = "call " + report.Printable(f.Calls[0].CallID)
	} else {
		p.Title = plural(len(f.Calls), "call")
	}
	if m.cv.store.MediaPackets() == 0 {
		p.Empty = "The capture holds no RTP at all: its media was not captured (a SIP-only filter?), which says nothing of whether it flowed."
	}
	if r := f.SelectedRow(); r != nil && r.Stream != nil { // opened on an RTP row: that stream
		for i, st := range p.Streams {
			if st == r.Stream {
				p.Sel = i
			}
		}
	}
	m.push(&streamsScreen{pane: p})
}

func (s *streamsScreen) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Help):
		m.openHelp()
	case key.Matches(msg, m.keys.Back, m.keys.Quit):
		m.pop()
	case key.Matches(msg, m.keys.Up):
		s.pane.Move(-1)
	case key.Matches(msg, m.keys.Down):
		s.pane.Move(1)
	case key.Matches(msg, m.keys.FocusNext):
		s.pane.Jitter = !s.pane.Jitter
	case key.Matches(msg, m.keys.Wav):
		if st := s.pane.Selected(); st != nil {
			return m.writeWAV(m.cv.store.Call(st.Call))
		}
		return m.writeWAV(m.cv.flow.Calls[0])
	}
	return nil
}

func (s *streamsScreen) view(m *Model, w, h int) string { return s.pane.View(w, h, m.st) }

// flowWAV writes the WAVs of the flow's call: the selected RTP row's
// call when the flow merges several.
func (m *Model) flowWAV() tea.Cmd {
	f := m.cv.flow
	if r := f.SelectedRow(); r != nil && r.Stream != nil {
		if c := m.cv.store.Call(r.Stream.Call); c != nil {
			return m.writeWAV(c)
		}
	}
	return m.writeWAV(f.Calls[0])
}

// writeWAV writes call c's G.711 streams as WAV files in the save
// directory (the current one), read back from the capture file; the
// status line says what was written.
func (m *Model) writeWAV(c *session.Call) tea.Cmd {
	if c == nil {
		return nil
	}
	m.note = "writing WAV files…"
	return saveWAV(m.cv.store, c, m.cv.file, m.saveDir)
}
