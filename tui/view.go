package tui

import (
	"path/filepath"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/tui/styles"
)

// View renders the screen: the top screen's body, the status line, and
// the footer of its keys.
func (m Model) View() tea.View {
	body := pad(m.top().view(&m, m.width, m.height-2), m.width, m.height-2)
	v := tea.NewView(body + "\n" + m.statusLine() + "\n" + m.bottomLine())
	v.AltScreen = true
	if m.mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "sipdbg — " + m.cv.name
	return v
}

// statusLine shows the source of the capture view on show, the load
// progress and the counts.
func (m Model) statusLine() string {
	v := m.cv
	st := v.store.Stats()
	parts := []string{v.name}
	if !v.status.done {
		if v.status.size > 0 {
			parts = append(parts, "loading "+bar(v.status.read, v.status.size)+" "+strconv.FormatInt(100*v.status.read/v.status.size, 10)+"%")
		} else {
			parts = append(parts, "reading…")
		}
	}
	// What the list leaves out comes before the counts, which a narrow
	// screen cuts first: a short list must say why.
	if v.list.Problems {
		parts = append(parts, "problems only")
	}
	if v.list.Filter != "" {
		parts = append(parts, "filter: "+v.list.Filter)
	}
	// Calls dropped from memory by a live budget were seen: they count,
	// as in capture's totals ("N old calls dropped" says how many).
	parts = append(parts, plural(st.Decoder.Frames, "packet"), plural(st.Messages+st.Evicted.Messages, "SIP message"),
		plural(st.Calls+st.Evicted.Calls, "call"), strconv.Itoa(st.Undecodable)+" undecodable")
	if st.Filtered > 0 {
		parts = append(parts, plural(st.Filtered, "SIP message")+" filtered out")
	}
	if m.live != nil && v == m.base() {
		parts = append(parts, m.liveParts()...)
	}
	if v.status.live {
		parts = append(parts, strconv.FormatUint(v.status.drops, 10)+" kernel drops")
	}
	if v.status.refused > 0 {
		parts = append(parts, strconv.FormatUint(v.status.refused, 10)+" HEP refused (password)")
	}
	if v.list.SortCol != 0 || v.list.Reverse {
		sorted := "sorted by " + v.list.SortName()
		if v.list.Grading(v.store) {
			sorted += " (grading every call…)"
		}
		parts = append(parts, sorted)
	}
	if m.paused {
		parts = append(parts, "display paused (p)")
	}
	if m.follow {
		parts = append(parts, "following")
	}
	if v.status.err != nil {
		parts = append(parts, "stopped: "+v.status.err.Error())
	}
	if r := m.runningNote(); r != "" { // as the note below
		parts = append(parts[:1], append([]string{r}, parts[1:]...)...)
		if ansi.StringWidth(strings.Join(parts[:2], " · "))+1 > m.width {
			parts[0] = filepath.Base(parts[0])
		}
	}
	if m.note != "" {
		// What a key just did comes after the source's name, before the
		// counts, which a narrow screen cuts first; so long a name as a
		// path gives way to its last element to make room for it.
		parts = append(parts[:1], append([]string{m.note}, parts[1:]...)...)
		if ansi.StringWidth(strings.Join(parts[:2], " · "))+1 > m.width {
			parts[0] = filepath.Base(parts[0])
		}
	}
	line := ansi.Truncate(" "+strings.Join(parts, " · "), m.width, "…")
	return m.st.Status.Render(line + strings.Repeat(" ", max(0, m.width-ansi.StringWidth(line))))
}

// bottomLine is the footer of the keys of the screen on show, or what
// the screen draws there itself (the filter prompt).
func (m Model) bottomLine() string {
	if b, ok := m.top().(bottomer); ok {
		return b.bottom(&m)
	}
	return m.footer()
}

// pad cuts or fills s to h lines of at most w cells.
func pad(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:max(0, h)]
	}
	for i := range lines {
		lines[i] = ansi.Truncate(lines[i], w, "")
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// bar draws bytes read of size as a 10-cell bar.
func bar(read, size int64) string {
	n := int(min(10, 10*read/max(1, size)))
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", 10-n) + "]"
}

func plural(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return strconv.Itoa(n) + " " + w + "s"
}

// helpStyles draws the help in the app's palette: bubbles' defaults are
// true-colour greys, which a 16-colour terminal can only approximate.
func helpStyles(st styles.Styles) help.Styles {
	return help.Styles{
		Ellipsis: st.Dim, ShortKey: st.Bold, ShortDesc: st.Dim, ShortSeparator: st.Dim,
		FullKey: st.Bold, FullDesc: lipgloss.NewStyle(), FullSeparator: st.Dim,
	}
}
