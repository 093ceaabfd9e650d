package tui

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// The paste screen takes a text SIP trace pasted into the terminal (a
// PBX or proxy log, sngrep's text export, bare messages) and opens it
// over the current capture, with the same list, ladder and analysis; esc
// on its list brings the capture back, as after a probe.
//
// Terminals send a pasted line end as CR (the Enter key), with or
// without bracketed paste: tmux's paste-buffer, for one, turns each LF
// into CR. A trace copied with the CR LF its SIP messages were logged
// with (an Asterisk log, sngrep's text export) then arrives with two CRs
// per line end, and four for the blank line after a message's headers.
// The paste keeps what arrived; pastedText turns it into LF text when it
// is counted, shown and opened.

// maxPaste bounds what the paste screen keeps: a trace of a few calls is
// kilobytes, and the screen holds the text in memory.
const maxPaste = 16 << 20

// pastedText turns what a terminal delivered into LF-ended text: CR LF
// and lone CR end a line; when the paste holds four CRs in a row, which
// LF text gives only for three blank lines in a row but every CR LF
// trace gives after a message's headers, each pair of CRs was one CR LF
// and ends one line.
func pastedText(raw string) string {
	if !strings.Contains(raw, "\r") {
		return raw
	}
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	pairs := strings.Contains(raw, "\r\r\r\r")
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		if raw[i] != '\r' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		n := 0
		for i < len(raw) && raw[i] == '\r' {
			n++
			i++
		}
		if pairs {
			n = (n + 1) / 2 // an odd CR is a line end of its own (a log line around the messages)
		}
		b.WriteString(strings.Repeat("\n", n))
	}
	return b.String()
}

// pasteScreen is the paste screen: what was pasted so far.
type pasteScreen struct {
	raw  string // as it arrived
	text string // the same as LF-ended text (pastedText)
}

func (p *pasteScreen) clone() screen {
	c := *p
	return &c
}

func (p *pasteScreen) kind() keys.Screen { return keys.Paste }

// add appends what arrived to the paste, within maxPaste.
func (p *pasteScreen) add(m *Model, text string) {
	if len(p.raw)+len(text) > maxPaste {
		m.note = "paste: more than " + strconv.Itoa(maxPaste>>20) + " MiB: the rest is left out (open a file that big with sipdbg FILE)"
		text = text[:max(0, maxPaste-len(p.raw))]
	}
	p.raw += text
	p.text = pastedText(p.raw)
}

func (p *pasteScreen) key(m *Model, msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.pop()
	case key.Matches(msg, m.keys.OpenPaste):
		p.open(m)
	case msg.String() == "enter": // a line end, typed or pasted without brackets
		p.add(m, "\r")
	case msg.String() == "backspace":
		if r := []rune(p.raw); len(r) > 0 {
			p.raw = string(r[:len(r)-1])
			p.text = pastedText(p.raw)
		}
	default:
		p.add(m, msg.Text)
	}
	return nil
}

// open reads the pasted trace into a store of its own and shows it over
// the capture, which goes on loading underneath.
func (p *pasteScreen) open(m *Model) {
	b := []byte(p.text)
	src, err := source.FromReader(bytes.NewReader(b), "pasted trace", int64(len(b)))
	if err != nil {
		m.note = "paste: " + err.Error()
		return
	}
	s := session.NewStore()
	err = pipeline.Load(src, s)
	src.Close()
	if err != nil || s.Len() == 0 {
		why := "no SIP message found in it"
		if err != nil {
			why = err.Error()
		}
		m.note = "paste: " + why
		return
	}
	lines := strings.Count(p.text, "\n") + 1
	under := m.cv.name
	m.pop()
	m.push(m.newView(s, "pasted trace ("+plural(lines, "line")+")", analysis.Options{Credentials: m.cv.opt.Credentials}))
	m.note = "esc returns to " + under
}

func (p *pasteScreen) view(m *Model, w, h int) string {
	lines := strings.Split(p.text, "\n")
	// The keys are in the footer, from the key map.
	head := m.st.Title.Render("Paste a SIP trace") + m.st.Dim.Render(" (a PBX or proxy log, sngrep text, bare messages)")
	count := m.st.Dim.Render(plural(len(lines), "line") + ", " + plural(len(p.text), "byte"))
	show := slices.Clone(lines[max(0, len(lines)-(h-3)):])
	for i, l := range show { // a pasted log's colour codes, shown as text: they must not drive the terminal
		show[i] = report.Printable(l)
	}
	return head + "\n" + count + "\n\n" + strings.Join(show, "\n")
}
