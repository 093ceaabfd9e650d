package calllist

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// column is one column of the list: its title, its width (flex: a share
// of what the fixed ones leave), its value, and its sort key (nil: the
// capture order).
type column struct {
	spec  Column
	title string
	width int
	flex  bool
	value func(m *Model, s *session.Store, c *session.Call) string
	key   func(m *Model, s *session.Store, c *session.Call) string
	cache *headerCache // a header column's values
}

func first(s *session.Store, c *session.Call) *session.Message { return s.Msg(int(c.Msgs[0])) }

// builtins are sngrep's columns plus Auth, in the default order.
var builtins = []column{
	{title: "#", width: 7, value: func(m *Model, _ *session.Store, c *session.Call) string {
		if m.marked[c.Seq] {
			return "●" + strconv.Itoa(c.Seq+1)
		}
		return strconv.Itoa(c.Seq + 1)
	}},
	{title: "Time", width: 12, value: func(_ *Model, s *session.Store, c *session.Call) string {
		return first(s, c).Time().Format("15:04:05.000")
	},
		key: func(_ *Model, s *session.Store, c *session.Call) string { return strconv.FormatInt(c.Start, 10) }},
	{title: "Method", width: 9, value: func(_ *Model, _ *session.Store, c *session.Call) string { return c.Method }},
	{title: "From", flex: true, value: func(_ *Model, _ *session.Store, c *session.Call) string { return c.From }},
	{title: "To", flex: true, value: func(_ *Model, _ *session.Store, c *session.Call) string { return c.To }},
	{title: "Msgs", width: 5, value: func(_ *Model, _ *session.Store, c *session.Call) string { return strconv.Itoa(len(c.Msgs)) },
		key: func(_ *Model, _ *session.Store, c *session.Call) string {
			return strings.Repeat(" ", 9-len(strconv.Itoa(len(c.Msgs)))) + strconv.Itoa(len(c.Msgs))
		}},
	{title: "Source", flex: true, value: func(_ *Model, s *session.Store, c *session.Call) string { return s.Aliases().Label(c.Src) },
		key: func(_ *Model, s *session.Store, c *session.Call) string { return endpointKey(s, c.Src) }},
	{title: "Destination", flex: true, value: func(_ *Model, s *session.Store, c *session.Call) string { return s.Aliases().Label(c.Dst) },
		key: func(_ *Model, s *session.Store, c *session.Call) string { return endpointKey(s, c.Dst) }},
	{title: "Tr", width: 4, value: func(_ *Model, _ *session.Store, c *session.Call) string { return c.Transport.String() }},
	{title: "State", width: 12, value: func(_ *Model, _ *session.Store, c *session.Call) string { return c.State.String() }},
	{title: "Verdict", width: 7, value: func(m *Model, s *session.Store, c *session.Call) string { return m.AuthOf(s, c).String() },
		key: func(m *Model, s *session.Store, c *session.Call) string { return string(rune('0' + m.AuthOf(s, c))) }},
}

// optional are built-in columns that are not in the default set: a
// configuration names them.
var optional = []column{
	// The codec a call sent (its first RTP stream's) or settled on (its
	// bodies'; sngrep #503): cached per call for the rows drawn.
	{title: "Codec", width: 8},
	// Whether the call's RTP flowed: ✓ both ways, → one way, ✗ none
	// though answered with SDP (MediaMark).
	{title: "Media", width: 5},
	// The final answer to the call's first request, with the cause given
	// (sngrep #138, #148).
	{title: "Status", flex: true, value: func(_ *Model, s *session.Store, c *session.Call) string { return analysis.CallStatus(s, c) }},
}

// name each built-in after its title, and sort every column but # by its
// value unless it has a key of its own.
func init() {
	for i := range builtins {
		builtins[i].spec = Column{name: builtins[i].title}
		if builtins[i].key == nil && i > 0 {
			builtins[i].key = builtins[i].value
		}
	}
	for i := range optional {
		optional[i].spec = Column{name: optional[i].title}
		if optional[i].key == nil {
			optional[i].key = optional[i].value
		}
	}
}

// narrow is the screen width below which Source and Destination give
// their room to the other flexible columns.
const narrow = 120

// widths spreads width over the columns: fixed ones first, the rest to
// the flexible ones; narrow screens drop Source/Destination (width 0).
func widths(cols []column, width int) []int {
	w := make([]int, len(cols))
	hidden := func(c column) bool {
		return c.flex && width < narrow && (c.spec.name == "Source" || c.spec.name == "Destination")
	}
	fixed, flex := 0, 0
	for i, c := range cols {
		w[i] = c.width
		fixed += c.width + 1
		if c.flex && !hidden(c) {
			flex++
		}
	}
	each := max(8, (width-fixed)/max(1, flex))
	for i, c := range cols {
		switch {
		case hidden(c):
			w[i] = 0
		case c.flex:
			w[i] = each
		}
	}
	return w
}

// View renders the list in width×height cells (title row included).
func (m *Model) View(s *session.Store, width, height int, st styles.Styles) string {
	cols := m.columns()
	w := widths(cols, width)
	sorted := -1 // the column marked ▲/▼
	if pos := m.sortCols(); m.SortCol >= 0 && m.SortCol < len(pos) {
		sorted = pos[m.SortCol]
	}
	var b strings.Builder
	var head []string
	for i, c := range cols {
		if w[i] == 0 {
			continue
		}
		t := c.title
		if i == sorted {
			t += map[bool]string{false: "▲", true: "▼"}[m.Reverse]
		}
		head = append(head, fit(t, w[i]))
	}
	b.WriteString(st.Header.Render(ansi.Truncate(strings.Join(head, " "), width, "")))
	rows := height - 1
	for r := m.top; r < len(m.rows) && r < m.top+rows; r++ {
		c := s.Call(m.rows[r])
		var cells []string
		for i, col := range cols {
			if w[i] > 0 {
				cells = append(cells, fit(report.Printable(col.value(m, s, c)), w[i]))
			}
		}
		line := ansi.Truncate(strings.Join(cells, " "), width, "")
		b.WriteByte('\n')
		if r == m.Cursor {
			line = st.Selected.Render(line)
		} else if m.AuthOf(s, c) == AuthRejected {
			line = st.Error.Render(line)
		}
		b.WriteString(line)
	}
	return b.String()
}

func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := ansi.StringWidth(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// addrKey sorts addresses by number, not as text (10.0.0.9 before
// 10.0.0.10): the 16 bytes of the address, then the port, big-endian.
// endpointKey sorts an endpoint as shown: the named ones first, by
// name, so that one alias's calls sort together; then the addresses.
func endpointKey(s *session.Store, a netip.AddrPort) string {
	if name, ok := s.Aliases().Name(a); ok {
		return "0" + name
	}
	return "1" + addrKey(a)
}

func addrKey(a netip.AddrPort) string {
	b := a.Addr().As16()
	return string(append(b[:], byte(a.Port()>>8), byte(a.Port())))
}
