package tui

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// View renders the screen.
func (m Model) View() tea.View {
	body := m.body()
	v := tea.NewView(body + "\n" + m.statusLine() + "\n" + m.bottomLine())
	v.AltScreen = true
	if m.mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "sipdbg — " + m.name
	return v
}

func (m Model) body() string {
	h := m.height - 2
	if m.banner != "" && len(m.stack) == 0 {
		// A result to read first (a probe's outcome and why): above the
		// screen, wrapped, never cut like the status line.
		var lines []string
		for _, l := range report.Wrap(m.banner, m.width) {
			lines = append(lines, m.bannerStyle().Render(l))
		}
		lines = lines[:min(len(lines), 3)]
		m.banner = ""
		inner := m
		inner.height -= len(lines)
		return strings.Join(lines, "\n") + "\n" + inner.body()
	}
	switch {
	case m.showing(keys.Save):
		return pad(m.saveView(m.width, h), m.width, h)
	case m.showing(keys.Form):
		return pad(m.form.View(m.width, m.st), m.width, h)
	case m.showing(keys.Paste):
		return pad(m.pasteView(h), m.width, h)
	case m.showing(keys.Help):
		return pad(m.helpView(m.width, h), m.width, h)
	case m.flow != nil:
		return pad(m.flow.View(m.store, m.width, h, m.st), m.width, h)
	case m.store.Len() == 0 && !m.status.done:
		return pad("Loading "+m.name+"…", m.width, h)
	case m.list.Len() == 0:
		return pad(m.st.Dim.Render("No calls match."), m.width, h)
	}
	return pad(m.list.View(m.store, m.width, h, m.st), m.width, h)
}

// statusLine shows the source, the load progress and the counts.
func (m Model) statusLine() string {
	st := m.store.Stats()
	parts := []string{m.name}
	if !m.status.done {
		if m.status.size > 0 {
			parts = append(parts, "loading "+bar(m.status.read, m.status.size)+" "+strconv.FormatInt(100*m.status.read/m.status.size, 10)+"%")
		} else {
			parts = append(parts, "reading…")
		}
	}
	// Calls dropped from memory by a live budget were seen: they count,
	// as in capture's totals ("N old calls dropped" says how many).
	parts = append(parts, plural(st.Decoder.Frames, "packet"), plural(st.Messages+st.Evicted.Messages, "SIP message"),
		plural(st.Calls+st.Evicted.Calls, "call"), strconv.Itoa(st.Undecodable)+" undecodable")
	if m.live != nil {
		parts = append(parts, m.liveParts()...)
	}
	if m.status.live {
		parts = append(parts, strconv.FormatUint(m.status.drops, 10)+" kernel drops")
	}
	if m.status.refused > 0 {
		parts = append(parts, strconv.FormatUint(m.status.refused, 10)+" HEP refused (password)")
	}
	if m.list.SortCol != 0 || m.list.Reverse {
		sorted := "sorted by " + m.list.SortName()
		if m.list.Grading(m.store) {
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
	if m.list.Filter != "" {
		parts = append(parts, "filter: "+m.list.Filter)
	}
	if m.status.err != nil {
		parts = append(parts, "stopped: "+m.status.err.Error())
	}
	if m.note != "" {
		parts = append(parts, m.note)
	}
	line := ansi.Truncate(" "+strings.Join(parts, " · "), m.width, "…")
	return m.st.Status.Render(line + strings.Repeat(" ", max(0, m.width-ansi.StringWidth(line))))
}

func (m Model) bottomLine() string {
	if m.showing(keys.Filter) {
		return m.filter.View()
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
