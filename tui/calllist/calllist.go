// Package calllist is the list of calls: sngrep's columns, an auth
// column with the worst authentication finding, sorting and filtering.
//
// It imports analysis, report (Printable, for the bytes of the capture),
// session and tui/styles only.
package calllist

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// Auth is the worst authentication outcome of a call, for its column.
type Auth uint8

// Auth outcomes, from best to worst.
const (
	AuthNone     Auth = iota // no authentication in the call
	AuthAccepted             // challenged and accepted
	AuthWarning              // a warning finding
	AuthRejected             // an error finding
)

var authMarks = [...]string{"·", "✓", "⚠", "✗"}

// authWords are the marks in words, for files (CSV).
var authWords = [...]string{"none", "accepted", "warning", "error"}

func (a Auth) String() string { return authMarks[a] }

// Summarize grades a call by its verdict (analysis.VerdictOf), so that
// the column's mark and the analysis pane's first line always agree.
func Summarize(fs []analysis.Finding) Auth {
	v := analysis.VerdictOf(fs)
	switch {
	case v == nil:
		return AuthNone
	case v.Severity == analysis.Error:
		return AuthRejected
	case v.Severity == analysis.Warning:
		return AuthWarning
	}
	for _, f := range fs {
		if f.Code == analysis.CodeAuthAccepted || f.Code == analysis.CodePasswordMatch {
			return AuthAccepted
		}
	}
	return AuthNone
}

// Model is the list's state. The zero value is an empty list.
type Model struct {
	rows    []int // the calls' Seqs (session.Call.Seq), filtered and sorted
	Cursor  int   // index into rows
	top     int
	SortCol int
	Reverse bool
	Filter  string
	// Problems keeps only the calls whose verdict is an error, the calls
	// that failed (sipdbg --problems), as report --problems prints them.
	Problems bool
	height   int               // rows on screen, for scrolling
	marked   map[int]bool      // by call Seq
	plain    bool              // rows are every call in store order: refresh by appending
	scanned  int               // the Seq after the last call examined for the current filter (or appended, when plain)
	graded   int               // the Seq after the last call graded, in store order, for the auth sort
	auth     map[int]authEntry // by call Seq
	Opt      analysis.Options
	cols     []column // nil: the built-in set (see SetColumns)
}

type authEntry struct {
	msgs int // messages in the call when graded: regrade when it grows
	auth Auth
	code analysis.Code // the verdict's code, "" without one (for the filter)
	sev  analysis.Severity
}

// filtering reports whether some calls may be left out of the rows.
func (m *Model) filtering() bool { return m.Filter != "" || m.Problems }

// SetProblems turns the problems-only view on or off, and filters anew.
func (m *Model) SetProblems(s *session.Store, on bool) {
	m.Problems = on
	m.SetFilter(s, m.Filter)
}

// Len is the number of rows shown.
func (m *Model) Len() int { return len(m.rows) }

// Selected returns the call under the cursor, or nil.
func (m *Model) Selected(s *session.Store) *session.Call {
	if m.Cursor < 0 || m.Cursor >= len(m.rows) {
		return nil
	}
	return s.Call(m.rows[m.Cursor])
}

// AuthOf grades a call, caching the result until the call grows.
func (m *Model) AuthOf(s *session.Store, c *session.Call) Auth { return m.grade(s, c).auth }

func (m *Model) grade(s *session.Store, c *session.Call) authEntry {
	if m.auth == nil {
		m.auth = map[int]authEntry{}
	}
	if e, ok := m.auth[c.Seq]; ok && e.msgs == len(c.Msgs) {
		return e
	}
	fs := analysis.Diagnose(s, c, m.Opt)
	e := authEntry{msgs: len(c.Msgs), auth: Summarize(fs)}
	if v := analysis.VerdictOf(fs); v != nil {
		e.code, e.sev = v.Code, v.Severity
	}
	m.auth[c.Seq] = e
	return e
}

// Refresh brings the rows up to date with the store. Unfiltered and
// unsorted, it appends the calls that are new. With a filter, the calls
// not examined yet are left to Step, so that a keystroke never waits for
// a scan of a million messages.
func (m *Model) Refresh(s *session.Store) {
	switch {
	case m.filtering():
		m.Step(s, firstStep)
		return
	case m.SortCol == 0 && !m.Reverse && m.plain:
		m.appendFrom(s.CallsFrom(m.scanned))
		m.scroll()
		return
	}
	keep := m.keep()
	m.rows = m.rows[:0]
	m.appendFrom(s.Calls())
	m.plain = m.SortCol == 0 && !m.Reverse
	if !m.plain {
		m.sort(s)
	}
	m.restore(keep)
}

// appendFrom adds calls to the rows, in order, and notes the last.
func (m *Model) appendFrom(calls []*session.Call) {
	for _, c := range calls {
		m.rows = append(m.rows, c.Seq)
	}
	if len(calls) > 0 {
		m.scanned = calls[len(calls)-1].Seq + 1
	}
}

// Budgets of message texts scanned per filter step: the first step runs
// with the keystroke, the next ones between other messages.
const (
	firstStep = 20000
	NextStep  = 100000
)

// SetFilter starts filtering anew (rows fill in as Step runs).
func (m *Model) SetFilter(s *session.Store, f string) {
	keep := m.keep()
	m.Filter, m.rows, m.scanned, m.plain = f, m.rows[:0], 0, false
	if !m.filtering() {
		m.Refresh(s)
	} else {
		m.Step(s, firstStep)
	}
	m.restore(keep)
}

// Pending reports whether calls remain to be examined by the filter.
func (m *Model) Pending(s *session.Store) bool {
	return m.filtering() && len(s.CallsFrom(m.scanned)) > 0 || m.Grading(s)
}

// Grading reports whether the list is sorted by the auth column and not
// every call is graded yet: grading runs the analysis on every call
// (1.6 s for a million messages), so it is done in Steps, between keys,
// and the rows are sorted once it is over.
func (m *Model) Grading(s *session.Store) bool {
	return m.sortsByAuth() && len(s.CallsFrom(m.graded)) > 0
}

func (m *Model) sortsByAuth() bool {
	pos := m.sortCols()
	if m.SortCol <= 0 || m.SortCol >= len(pos) {
		return false
	}
	c := m.columns()[pos[m.SortCol]]
	return c.spec.name == "Verdict" || c.spec.name == "" && c.spec.header == "" && c.title == "Verdict"
}

// Step examines calls for the filter until budget message texts were
// scanned, and adds the matching ones.
func (m *Model) Step(s *session.Store, budget int) {
	if m.Grading(s) {
		for _, c := range s.CallsFrom(m.graded) {
			if budget <= 0 {
				break
			}
			budget -= len(c.Msgs) + 1
			m.AuthOf(s, c)
			m.graded = c.Seq + 1
		}
		if !m.Grading(s) {
			keep := m.keep()
			m.sort(s)
			m.restore(keep)
		}
		if !m.filtering() || budget <= 0 {
			return
		}
	}
	f := []byte(strings.ToLower(m.Filter))
	code := analysis.NamesCode(string(f))
	start := len(m.rows)
	rest := s.CallsFrom(m.scanned)
	for len(rest) > 0 && budget > 0 {
		c := rest[0]
		budget -= len(c.Msgs) + 1
		if m.keeps(s, c, f, code) {
			m.rows = append(m.rows, c.Seq)
		}
		m.scanned, rest = c.Seq+1, rest[1:]
	}
	// The scan reads every message's text, call after call: what lies
	// before the next call's first message is not read again, and may go
	// back (a mapped capture's pages; see session.Store.Release).
	var next []byte
	if len(rest) > 0 && len(rest[0].Msgs) > 0 {
		next = s.Msg(int(rest[0].Msgs[0])).Raw()
	}
	s.Release(next)
	if (m.SortCol != 0 || m.Reverse) && len(m.rows) > start {
		m.sort(s)
	}
	m.Cursor = min(max(0, m.Cursor), max(0, len(m.rows)-1))
	m.scroll()
}

// keeps reports whether the call passes the filter f (lower case; code:
// f is part of a verdict code) and the problems-only view.
func (m *Model) keeps(s *session.Store, c *session.Call, f []byte, code bool) bool {
	if m.Problems && m.grade(s, c).sev < analysis.Error {
		return false
	}
	return len(f) == 0 || s.Mentions(c, f) || code && strings.Contains(string(m.grade(s, c).code), string(f))
}

// keep names the call under the cursor, to find it again after a change.
func (m *Model) keep() int {
	if m.Cursor >= 0 && m.Cursor < len(m.rows) {
		return m.rows[m.Cursor]
	}
	return -1
}

func (m *Model) restore(keep int) {
	m.Cursor = min(max(0, m.Cursor), max(0, len(m.rows)-1))
	for i, r := range m.rows {
		if r == keep {
			m.Cursor = i
			break
		}
	}
	m.scroll()
}

func (m *Model) sort(s *session.Store) {
	if m.Grading(s) {
		return // sorted when Step has graded every call
	}
	key := m.sortKey()
	if key == nil {
		slices.Sort(m.rows) // capture order
		if m.Reverse {
			slices.Reverse(m.rows)
		}
		return
	}
	// Each key once, not once per comparison: a million messages make
	// some 100,000 calls, and a sort compares each key about 17 times.
	ks := make([]keyed, len(m.rows))
	for i, r := range m.rows {
		ks[i] = keyed{k: key(m, s, s.Call(r)), row: r}
	}
	// Keys share long prefixes ("sip:", a domain, an address): comparing
	// eight bytes past the common prefix as one integer settles most
	// comparisons without reading the strings.
	common := commonPrefix(ks)
	for i := range ks {
		ks[i].head = head8(ks[i].k, common)
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		c := cmp.Compare(a.head, b.head)
		if c == 0 {
			if len(a.k) <= common+8 && len(b.k) <= common+8 {
				c = cmp.Compare(len(a.k), len(b.k)) // the heads hold the whole keys ("INVITE")
			} else {
				c = strings.Compare(a.k, b.k)
			}
		}
		if m.Reverse {
			c = -c
		}
		if c == 0 {
			return a.row - b.row // equal keys stay in capture order, either way round
		}
		return c
	})
	for i := range ks {
		m.rows[i] = ks[i].row
	}
}

type keyed struct {
	head uint64 // the eight bytes after the common prefix, big-endian
	k    string
	row  int
}

func commonPrefix(ks []keyed) int {
	if len(ks) == 0 {
		return 0
	}
	n := len(ks[0].k)
	for _, x := range ks[1:] {
		n = min(n, len(x.k))
		for i := 0; i < n; i++ {
			if x.k[i] != ks[0].k[i] {
				n = i
				break
			}
		}
	}
	return n
}

// head8 packs key[from:from+8] so that integer order is string order (a
// shorter key pads with zeros, which sort first, as in strings).
func head8(key string, from int) uint64 {
	var h uint64
	for i := 0; i < 8; i++ {
		h <<= 8
		if from+i < len(key) {
			h |= uint64(key[from+i])
		}
	}
	return h
}

// ToggleMark selects or unselects the call under the cursor (sngrep's
// space), and moves down.
func (m *Model) ToggleMark() {
	if m.Cursor < 0 || m.Cursor >= len(m.rows) {
		return
	}
	if m.marked == nil {
		m.marked = map[int]bool{}
	}
	c := m.rows[m.Cursor]
	if m.marked[c] {
		delete(m.marked, c)
	} else {
		m.marked[c] = true
	}
	m.Move(1)
}

// Marked returns the selected calls in list order.
func (m *Model) Marked(s *session.Store) []*session.Call {
	var out []*session.Call
	for _, r := range m.rows {
		if m.marked[r] {
			out = append(out, s.Call(r))
		}
	}
	return out
}

// Shown returns the calls the list shows (filtered), in list order.
func (m *Model) Shown(s *session.Store) []*session.Call {
	out := make([]*session.Call, len(m.rows))
	for i, r := range m.rows {
		out[i] = s.Call(r)
	}
	return out
}

// Move moves the cursor by delta rows, within the list.
func (m *Model) Move(delta int) {
	m.Cursor = min(max(0, m.Cursor+delta), max(0, len(m.rows)-1))
	m.scroll()
}

// SetHeight sets the rows the list has on screen (its title excluded).
func (m *Model) SetHeight(h int) {
	m.height = max(1, h)
	m.scroll()
}

// scroll keeps the cursor's row on screen.
func (m *Model) scroll() {
	if m.Cursor < m.top {
		m.top = m.Cursor
	}
	if m.height > 0 && m.Cursor >= m.top+m.height {
		m.top = m.Cursor - m.height + 1
	}
}

// NextAuthError moves the cursor to the next call (after the cursor,
// wrapping) with a problem: an error or a warning verdict, about
// authentication or any other failure. It reports whether it found one.
func (m *Model) NextAuthError(s *session.Store) bool {
	for k := 1; k <= len(m.rows); k++ {
		i := (m.Cursor + k) % len(m.rows)
		if m.AuthOf(s, s.Call(m.rows[i])) >= AuthWarning {
			m.Cursor = i
			m.scroll()
			return true
		}
	}
	return false
}

// Forget follows an eviction (session.Store.Evict): the rows, marks and
// grades of calls the store no longer holds go. Rows name calls by Seq,
// which an eviction does not change, so nothing else moves and the
// filter's scan goes on from where it was.
func (m *Model) Forget(s *session.Store) {
	keep := m.keep()
	gone := func(seq int) bool { return s.Call(seq) == nil }
	m.rows = slices.DeleteFunc(m.rows, gone)
	for c := range m.marked {
		if gone(c) {
			delete(m.marked, c)
		}
	}
	for c := range m.auth {
		if gone(c) {
			delete(m.auth, c)
		}
	}
	for _, h := range m.headers() {
		h.forget(s)
	}
	m.restore(keep)
}

// Pinned reports whether a call must stay through an eviction: the one
// under the cursor and the marked ones.
func (m *Model) Pinned(c *session.Call) bool {
	return m.marked[c.Seq] || m.keep() == c.Seq
}

// Click moves the cursor to the row on line y of the list as View drew
// it (line 0 is the header). It reports whether a row was there.
func (m *Model) Click(y int) bool {
	r := m.top + y - 1
	if y < 1 || r >= len(m.rows) {
		return false
	}
	m.Cursor = r
	return true
}
