package flow

import (
	"slices"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/ladder"
)

// The flow's media: the calls' RTP streams are rows of the ladder
// (ladder.AddStreams), and an RTP row selected shows the stream's
// statistics in the message pane (mediaview.Lines).

// Streams are the RTP streams of the calls shown, in order of first
// packet.
func (m *Model) Streams(s *session.Store) []*session.Stream {
	var out []*session.Stream
	for _, c := range m.Calls {
		out = append(out, s.CallStreams(c)...)
	}
	if len(m.Calls) > 1 {
		slices.SortFunc(out, func(a, b *session.Stream) int { return a.Seq - b.Seq })
	}
	return out
}

// SelectedRow is the selected row, nil in an empty ladder.
func (m *Model) SelectedRow() *ladder.Row {
	if len(m.Ladder.Rows) == 0 {
		return nil
	}
	return &m.Ladder.Rows[m.Row]
}
