// Package flow is the call flow screen: the ladder, the selected message
// and the analysis pane, kept in step (selecting a finding selects its
// message; the findings about the selected message stand out).
//
// It imports analysis, session and the tui packages it composes.
package flow

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/ladder"
	"github.com/sipdbg/sipdbg/tui/mediaview"
	"github.com/sipdbg/sipdbg/tui/msgview"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Focus is the pane the cursor keys move in.
type Focus uint8

// Panes.
const (
	FocusLadder Focus = iota
	FocusFindings
)

// Model is the flow screen of one call, or of several merged in capture
// order (selected calls, or a call with its related legs).
type Model struct {
	// closeCompare names the keys that close a comparison, from the key
	// map the last key press came with ("" until then: the defaults).
	closeCompare string
	Calls        []*session.Call
	msgs         []int32
	ByHost       bool
	Ladder       ladder.Ladder
	Findings     []analysis.Finding
	Row          int // selected ladder row
	Finding      int // selected finding
	Focus        Focus
	ShowMsg      bool
	top          int
	msgTop       int
	msgLines     []string
	height       int // ladder rows on screen
	// Mark is the row marked for comparison (-1: none); Compare holds the
	// two rows shown side by side once a second one is marked.
	Mark    int
	Compare *[2]int
	opt     analysis.Options
	// Expanded gives the analysis pane the whole screen; ExpTop is how
	// far its explanation is scrolled (pgup/pgdn with the findings
	// focused).
	Expanded bool
	ExpTop   int
	width    int // of the flow area, for the pane's scrolling
	fullH    int // height of the flow area
	// nStreams and rtp are the streams laid out and the store's RTP
	// packets then: the ladder is laid out again when either grows (a
	// live capture), so that its RTP rows count what came since.
	nStreams, rtp int
}

// New lays out calls (at least one).
func New(s *session.Store, calls []*session.Call, opt analysis.Options, st styles.Styles) Model {
	m := Model{Calls: calls, ShowMsg: true, Mark: -1, opt: opt}
	for _, c := range calls {
		m.Findings = append(m.Findings, analysis.Diagnose(s, c, opt)...)
		m.msgs = append(m.msgs, c.Msgs...)
	}
	slices.Sort(m.msgs) // store order is capture order
	m.layout(s)
	m.selectRow(s, 0, st)
	return m
}

func (m *Model) layout(s *session.Store) {
	m.Ladder = ladder.Build(s, m.msgs, m.ByHost, notes(s, m.Findings))
	m.Ladder.AddStreams(m.Streams(s), m.ByHost)
	m.nStreams, m.rtp = len(m.Streams(s)), s.MediaPackets()
}

// Msgs are the store indexes of the messages shown, in order.
func (m *Model) Msgs() []int32 { return m.msgs }

// notes marks each message with the authentication step it is, from the
// findings (the most telling wins). A finding that stands for repeated
// attempts marks each of them: its requests carry the credentials, its
// responses the outcome.
func notes(s *session.Store, fs []analysis.Finding) map[int32]string {
	rank := map[string]int{"challenge": 1, "credentials": 2, "✓ passed": 3, "✓ accepted": 3, "✗ no ACK": 4, "✗ rejected": 5}
	out := map[int32]string{}
	set := func(m int32, n string) {
		if rank[n] > rank[out[m]] {
			out[m] = n
		}
	}
	each := func(f *analysis.Finding, req, resp string) {
		for _, mi := range f.Messages {
			m := s.Msg(int(mi))
			switch {
			case m.IsRequest() && req != "":
				set(mi, req)
			case !m.IsRequest() && resp != "":
				if resp == "✓ accepted" && (m.Status == 401 || m.Status == 407) {
					set(mi, "✓ passed") // let through by one realm, challenged by the next
					continue
				}
				set(mi, resp)
			}
		}
	}
	for i := range fs {
		switch f := &fs[i]; f.Code {
		case analysis.CodeChallenge401, analysis.CodeChallenge407:
			each(f, "", "challenge")
		case analysis.CodeAuthAccepted:
			each(f, "credentials", "✓ accepted")
		case analysis.CodeCredentialsRejected, analysis.CodeForbiddenAfterAuth, analysis.CodeCredentialsDropped:
			each(f, "credentials", "✗ rejected")
		case analysis.CodeACKMissing:
			each(f, "", "✗ no ACK")
		}
	}
	return out
}

// Update handles a key; it reports whether the key was used.
func (m *Model) Update(s *session.Store, msg tea.KeyPressMsg, k keys.Map, st styles.Styles) bool {
	m.closeCompare = k.Select.Help().Key + " or " + k.Back.Help().Key
	switch {
	case key.Matches(msg, k.FocusNext):
		m.Focus = (m.Focus + 1) % 2
	case key.Matches(msg, k.NextAuthError):
		m.nextProblem(s, st)
	case key.Matches(msg, k.Expand):
		m.Expanded = !m.Expanded
		if m.Expanded {
			m.Focus = FocusFindings
		}
		m.ExpTop = 0
	case m.Focus == FocusFindings && key.Matches(msg, k.PageUp):
		m.scroll(-1)
	case m.Focus == FocusFindings && key.Matches(msg, k.PageDown):
		m.scroll(1)
	case key.Matches(msg, k.Raw):
		m.ShowMsg = !m.ShowMsg
	case key.Matches(msg, k.Select):
		m.markRow()
	case key.Matches(msg, k.ByHost):
		m.ByHost = !m.ByHost
		m.layout(s)
	case key.Matches(msg, k.Up):
		m.move(s, -1, st)
	case key.Matches(msg, k.Down):
		m.move(s, 1, st)
	case key.Matches(msg, k.PageUp):
		m.move(s, -max(1, m.height-1), st)
	case key.Matches(msg, k.PageDown):
		m.move(s, max(1, m.height-1), st)
	case key.Matches(msg, k.Home):
		m.move(s, -len(m.Ladder.Rows)-len(m.Findings), st)
	case key.Matches(msg, k.End):
		m.move(s, len(m.Ladder.Rows)+len(m.Findings), st)
	default:
		return false
	}
	return true
}

// Move moves the selection by d rows in the focused pane (the mouse
// wheel does).
func (m *Model) Move(s *session.Store, d int, st styles.Styles) { m.move(s, d, st) }

func (m *Model) move(s *session.Store, d int, st styles.Styles) {
	if m.Focus == FocusFindings && len(m.Findings) > 0 {
		m.Finding = min(max(0, m.Finding+d), len(m.Findings)-1)
		m.ExpTop = 0 // another finding's explanation starts at its top
		if f := m.Findings[m.Finding]; len(f.Messages) > 0 {
			if r := m.Ladder.Find(f.Messages[0]); r >= 0 {
				m.selectRow(s, r, st)
			}
		}
		return
	}
	m.selectRow(s, m.Row+d, st)
	// The finding list follows: the first finding about this message.
	msg := m.Ladder.Rows[m.Row].Msg
	for i, f := range m.Findings {
		for _, fm := range f.Messages {
			if fm == msg {
				m.Finding = i
				return
			}
		}
	}
}

func (m *Model) selectRow(s *session.Store, r int, st styles.Styles) {
	if len(m.Ladder.Rows) == 0 {
		return
	}
	m.Row = min(max(0, r), len(m.Ladder.Rows)-1)
	if m.Row < m.top {
		m.top = m.Row
	}
	if m.height > 1 && m.Row >= m.top+m.height-1 {
		m.top = m.Row - m.height + 2
	}
	if r := m.Ladder.Rows[m.Row]; r.Stream != nil {
		m.msgLines = mediaview.Lines(r.Stream, st) // an RTP row: its statistics
	} else {
		m.msgLines = msgview.Lines(s.Msg(int(r.Msg)), s.Aliases(), st)
	}
	m.msgTop = 0
}

// markRow marks the selected message; with a second one marked, the two
// are compared side by side (sngrep's space on two arrows).
func (m *Model) markRow() {
	switch {
	case m.Compare == nil && m.Ladder.Rows[m.Row].Stream != nil:
		return // an RTP row has no message to compare
	case m.Compare != nil:
		m.Compare, m.Mark = nil, -1
	case m.Mark < 0:
		m.Mark = m.Row
	case m.Mark != m.Row:
		m.Compare = &[2]int{m.Mark, m.Row}
		m.Mark = -1
	}
}

// Back leaves the comparison; it reports whether there was one.
func (m *Model) Back() bool {
	if m.Compare == nil && m.Mark < 0 {
		return false
	}
	m.Compare, m.Mark = nil, -1
	return true
}

// SelectedMsg is the store index of the selected message, -1 when an
// RTP row is selected.
func (m *Model) SelectedMsg() int32 {
	if len(m.Ladder.Rows) == 0 {
		return -1
	}
	return m.Ladder.Rows[m.Row].Msg
}

// Refresh brings the flow up to date when its calls grew (a live
// capture): the new messages join the ladder and the findings are made
// again; the selected message stays selected.
func (m *Model) Refresh(s *session.Store, st styles.Styles) {
	n := 0
	for _, c := range m.Calls {
		n += len(c.Msgs)
	}
	if n != len(m.msgs) || len(m.Streams(s)) != m.nStreams || m.nStreams > 0 && s.MediaPackets() != m.rtp {
		m.rebuild(s, m.SelectedMsg(), st)
	}
}

func (m *Model) rebuild(s *session.Store, sel int32, st styles.Styles) {
	stream := -1 // the RTP row selected stays selected too
	if r := m.SelectedRow(); r != nil && r.Stream != nil {
		stream = r.Stream.Seq
	}
	m.Findings, m.msgs = m.Findings[:0], m.msgs[:0]
	for _, c := range m.Calls {
		m.Findings = append(m.Findings, analysis.Diagnose(s, c, m.opt)...)
		m.msgs = append(m.msgs, c.Msgs...)
	}
	slices.Sort(m.msgs)
	m.layout(s)
	m.Finding = min(m.Finding, max(0, len(m.Findings)-1))
	row, found := m.Row, false
	if i := m.Ladder.Find(sel); i >= 0 {
		row, found = i, true
	} else if i := m.Ladder.FindStream(stream); stream >= 0 && i >= 0 {
		row, found = i, true
	}
	msgTop := m.msgTop
	m.selectRow(s, row, st)
	if found {
		m.msgTop = msgTop // the message pane stays where it was scrolled
	}
}

// SetOptions changes the analysis options and judges the calls again.
func (m *Model) SetOptions(s *session.Store, opt analysis.Options) {
	m.opt = opt
	m.Findings = m.Findings[:0]
	for _, c := range m.Calls {
		m.Findings = append(m.Findings, analysis.Diagnose(s, c, opt)...)
	}
	m.Finding = min(m.Finding, max(0, len(m.Findings)-1))
}

// nextProblem selects the next finding that is a warning or an error,
// after the selected one and round, with its message: n in a flow goes
// from problem step to problem step.
func (m *Model) nextProblem(s *session.Store, st styles.Styles) {
	for i := 1; i <= len(m.Findings); i++ {
		j := (m.Finding + i) % len(m.Findings)
		if m.Findings[j].Severity > analysis.Info {
			m.Focus = FocusFindings
			m.move(s, j-m.Finding, st)
			return
		}
	}
}
