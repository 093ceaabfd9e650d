package session

import "strings"

// A response's status line ("SIP/2.0 200 OK" and a few dozen others in
// any capture) is kept in a table of the lines seen, so that the analysis
// and the views read it without touching the capture's pages
// (Store.FirstLine). Message.line is its number in the table, 0 when it
// is not there. Each store has its table, and so does each Builder: a
// Builder's numbers are turned into the store's when its messages are
// added (Store.AddBatch). Nothing here is shared between stores.

// maxStatusLine bounds the lines kept: a long reason phrase is rarely
// repeated.
const maxStatusLine = 64

// statusLines numbers status lines from 1; at most 65,535 (Message.line
// is 16 bits).
type statusLines struct {
	ids   map[string]uint16
	lines []string // by number; lines[0] is unused
}

// id returns line's number, adding it if it is new; 0 when the line is
// too long or the table is full.
func (t *statusLines) id(line string) uint16 {
	if len(line) > maxStatusLine {
		return 0
	}
	if id, ok := t.ids[line]; ok {
		return id
	}
	if t.ids == nil {
		t.ids, t.lines = map[string]uint16{}, []string{""}
	}
	if len(t.lines) > 1<<16-1 {
		return 0
	}
	s := strings.Clone(line) // line lies in the capture
	id := uint16(len(t.lines))
	t.lines = append(t.lines, s)
	t.ids[s] = id
	return id
}

// StatusLines is a Builder's table of status lines as it stood when its
// messages were built (Builder.Lines), for Store.AddBatch.
type StatusLines struct{ lines []string }

// Lines returns the builder's status lines so far. The table only grows
// and its lines never change, so the builder goes on building while a
// store reads what this returned.
func (b *Builder) Lines() StatusLines { return StatusLines{b.status.lines} }

// AddBatch adds messages built by a Builder, whose status lines were
// numbered in lines (the Builder's Lines, taken after they were built).
func (s *Store) AddBatch(msgs []Message, lines StatusLines) {
	var ours []int32 // the builder's numbers as the store's, -1 for not yet
	for i := range msgs {
		m := &msgs[i]
		if m.line != 0 {
			if ours == nil {
				ours = make([]int32, len(lines.lines))
				for j := range ours {
					ours[j] = -1
				}
			}
			if int(m.line) >= len(ours) {
				m.line = 0 // not the table given: read the line from the message
			} else {
				if ours[m.line] < 0 {
					ours[m.line] = int32(s.status.id(lines.lines[m.line]))
				}
				m.line = uint16(ours[m.line])
			}
		}
		s.add(m)
	}
}

// FirstLine returns the request or status line of m, a message of the
// store, without its line end: Message.FirstLine, but a status line comes
// from the store's table, so that reading it touches no page of a mapped
// capture.
func (s *Store) FirstLine(m *Message) string {
	if m.line != 0 && int(m.line) < len(s.status.lines) {
		return s.status.lines[m.line]
	}
	return m.FirstLine()
}
