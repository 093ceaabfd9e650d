package calllist

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// column is one column of the list: its title, its share of the flexible
// width (0: fixed width), its value, and its sort key (nil: by index).
type column struct {
	title string
	width int
	flex  bool
	value func(m *Model, s *session.Store, c *session.Call) string
	key   func(m *Model, s *session.Store, c *session.Call) string
}

func first(s *session.Store, c *session.Call) *session.Message { return s.Msg(int(c.Msgs[0])) }

var columns = []column{
	{"#", 7, false, func(m *Model, _ *session.Store, c *session.Call) string {
		if m.marked[c.Index] {
			return "●" + strconv.Itoa(c.Index+1)
		}
		return strconv.Itoa(c.Index + 1)
	}, nil},
	{"Time", 12, false, func(_ *Model, s *session.Store, c *session.Call) string {
		return first(s, c).Time().Format("15:04:05.000")
	},
		func(_ *Model, s *session.Store, c *session.Call) string { return strconv.FormatInt(c.Start, 10) }},
	{"Method", 9, false, func(_ *Model, _ *session.Store, c *session.Call) string { return c.Method }, nil},
	{"From", 0, true, func(_ *Model, _ *session.Store, c *session.Call) string { return c.From }, nil},
	{"To", 0, true, func(_ *Model, _ *session.Store, c *session.Call) string { return c.To }, nil},
	{"Msgs", 5, false, func(_ *Model, _ *session.Store, c *session.Call) string { return strconv.Itoa(len(c.Msgs)) },
		func(_ *Model, _ *session.Store, c *session.Call) string {
			return strings.Repeat(" ", 9-len(strconv.Itoa(len(c.Msgs)))) + strconv.Itoa(len(c.Msgs))
		}},
	{"Source", 0, true, func(_ *Model, s *session.Store, c *session.Call) string { return first(s, c).Src.String() }, nil},
	{"Destination", 0, true, func(_ *Model, s *session.Store, c *session.Call) string { return first(s, c).Dst.String() }, nil},
	{"Tr", 4, false, func(_ *Model, s *session.Store, c *session.Call) string { return first(s, c).Transport.String() }, nil},
	{"State", 12, false, func(_ *Model, _ *session.Store, c *session.Call) string { return c.State.String() }, nil},
	{"Auth", 4, false, func(m *Model, s *session.Store, c *session.Call) string { return m.AuthOf(s, c).String() },
		func(m *Model, s *session.Store, c *session.Call) string { return string(rune('0' + m.AuthOf(s, c))) }},
}

// fill the key of columns sorted by their value.
func init() {
	for i := range columns {
		if columns[i].key == nil && i > 0 {
			columns[i].key = columns[i].value
		}
	}
}

// SortName is the title of the sort column.
func (m *Model) SortName() string { return columns[m.SortCol].title }

// Columns is the number of columns (for cycling the sort column).
func Columns() int { return len(columns) }

// widths spreads width over the columns: fixed ones first, the rest to
// the flexible ones; narrow screens drop Source/Destination.
func widths(width int) []int {
	w := make([]int, len(columns))
	fixed, flex := 0, 0
	for i, c := range columns {
		w[i] = c.width
		fixed += c.width + 1
		if c.flex {
			flex++
		}
	}
	hide := width < 120
	if hide {
		flex -= 2
	}
	each := max(8, (width-fixed)/max(1, flex))
	for i, c := range columns {
		switch {
		case c.flex && hide && (c.title == "Source" || c.title == "Destination"):
			w[i] = 0
		case c.flex:
			w[i] = each
		}
	}
	return w
}

// View renders the list in width×height cells (title row included).
func (m *Model) View(s *session.Store, width, height int, st styles.Styles) string {
	w := widths(width)
	var b strings.Builder
	var head []string
	for i, c := range columns {
		if w[i] == 0 {
			continue
		}
		t := c.title
		if i == m.SortCol {
			t += map[bool]string{false: "▲", true: "▼"}[m.Reverse]
		}
		head = append(head, fit(t, w[i]))
	}
	b.WriteString(st.Header.Render(ansi.Truncate(strings.Join(head, " "), width, "")))
	rows := height - 1
	calls := s.Calls()
	for r := m.top; r < len(m.rows) && r < m.top+rows; r++ {
		c := calls[m.rows[r]]
		var cells []string
		for i, col := range columns {
			if w[i] > 0 {
				cells = append(cells, fit(col.value(m, s, c), w[i]))
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
