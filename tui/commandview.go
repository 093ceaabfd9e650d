package tui

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// commandScreen is a command's result over the screen it was run from:
// the command line as the shell got it, its exit status, and the end of
// its output, which ↑↓ scroll; esc (any other key) closes it.
type commandScreen struct {
	res  commandDoneMsg
	back int // output lines scrolled back from its end
}

func (c *commandScreen) clone() screen {
	d := *c
	return &d
}

func (c *commandScreen) kind() keys.Screen { return keys.Result }

func (c *commandScreen) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Up):
		c.back = min(c.back+1, len(c.outputLines(m.width)))
	case key.Matches(msg, m.keys.Down):
		c.back = max(0, c.back-1)
	default:
		m.pop()
	}
	return nil
}

// outputLines are the output's lines, printable (a command may print
// escapes that would redraw the terminal), wrapped to w.
func (c *commandScreen) outputLines(w int) []string {
	text := strings.TrimRight(strings.ReplaceAll(c.res.output, "\r\n", "\n"), "\n")
	if text == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = report.Printable(strings.ReplaceAll(l, "\t", "    "))
		out = append(out, strings.Split(ansi.Hardwrap(l, max(1, w), true), "\n")...)
	}
	return out
}

func (c *commandScreen) view(m *Model, w, h int) string {
	r := c.res
	var head []string
	head = append(head, m.st.Title.Render(ansi.Truncate("Command: "+report.Printable(r.title), w, "…")), "")
	if r.line != "" {
		// Four lines at most: a command over many Call-IDs can be long.
		lines := strings.Split(ansi.Hardwrap("$ "+report.Printable(r.line), max(1, w), true), "\n")
		if len(lines) > 4 {
			lines = append(lines[:3], ansi.Truncate(lines[3], max(1, w-1), "")+"…")
		}
		head = append(head, lines...)
	}
	status := r.status
	if r.took > 0 {
		status += " · " + r.took.Round(time.Millisecond).String()
	}
	style := m.st.Success
	if !r.ok {
		style = m.st.Error
	}
	for _, l := range report.Wrap(status, w) {
		head = append(head, style.Render(l))
	}
	out := c.outputLines(w)
	switch {
	case r.line == "":
	case r.onTerm:
		head = append(head, "", m.st.Dim.Render("run on the terminal: its output is not kept"))
	case len(out) == 0 && r.took > 0 && r.output == "" && r.dropped == 0:
		head = append(head, "", m.st.Dim.Render("no output"))
	case len(out) > 0:
		what := "output"
		if r.dropped > 0 {
			what = "output, its last " + strconv.Itoa(outputKeep>>10) + " KB"
		}
		head = append(head, "", m.st.Dim.Render(what+":"))
	}
	rows := max(0, h-len(head))
	back := min(c.back, max(0, len(out)-rows))
	end := len(out) - back
	start := max(0, end-rows)
	if start > 0 && rows > 0 {
		start++ // a line says there is more above
		head = append(head, m.st.Dim.Render("▲ "+plural(start, "line")+" above (↑)"))
	}
	body := append(head, out[start:end]...)
	return strings.Join(body, "\n")
}
