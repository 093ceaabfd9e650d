// Package msgview shows one message exactly as captured, header names
// highlighted, and the authentication headers decoded into their
// parameters below each (the password is never among them: a captured
// header holds only its hash).
//
// It imports analysis, report (Printable, for the bytes of the capture),
// session and tui/styles only.
package msgview

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

var authHeaders = map[string]bool{"authorization": true, "proxy-authorization": true, "www-authenticate": true, "proxy-authenticate": true}

// Lines renders m as lines, untruncated. An address with a name in
// names shows both, "edge (192.0.2.10:5060)": the ladder shows the name
// alone, the message pane the truth with it.
func Lines(m *session.Message, names session.Aliases, st styles.Styles) []string {
	head := m.Time().Format("2006-01-02 15:04:05.000000") + "  " + endpoint(m.Src(), names) + " → " + endpoint(m.Dst(), names) + "  " + m.Transport.String()
	if m.Has(session.FlagNoTime) {
		head = "(no time in the trace)  " + head[len("2006-01-02 15:04:05.000000  "):]
	}
	if m.Flags&(session.FlagSrcInferred|session.FlagDstInferred) != 0 {
		head += "  (~ addresses inferred from headers)"
	}
	if m.Has(session.FlagHEP) { // several agents can feed one listener
		head += "  HEP agent " + strconv.FormatUint(uint64(m.CaptureID), 10)
	}
	out := []string{st.Dim.Render(head)}
	if m.Err() != "" {
		out = append(out, st.Error.Render("! "+m.Err()))
	}
	raw := strings.ReplaceAll(string(m.Raw()), "\r\n", "\n")
	inHeaders := true
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\n"), "\n") {
		line = report.Printable(strings.TrimSuffix(line, "\r")) // a capture's bytes: no escape reaches the terminal
		switch {
		case i == 0:
			out = append(out, st.ForStatus(m.Status).Render(line))
		case line == "":
			inHeaders = false
			out = append(out, "")
		case inHeaders && strings.Contains(line, ":") && line[0] != ' ' && line[0] != '\t':
			name, value, _ := strings.Cut(line, ":")
			out = append(out, st.HeaderName.Render(name)+":"+value)
			if authHeaders[strings.ToLower(strings.TrimSpace(name))] {
				out = append(out, decoded(value, st)...)
			}
		default:
			out = append(out, line)
		}
	}
	return out
}

// decoded lists the parameters of a Digest header, one per line.
func decoded(value string, st styles.Styles) []string {
	d := analysis.ParseDigest(value)
	var out []string
	for _, p := range d.Params {
		out = append(out, st.AuthParam.Render("    ▸ "+p[0]+" = "+p[1]))
	}
	return out
}

// View renders lines [top, top+height) truncated to width.
func View(lines []string, top, width, height int) string {
	var b strings.Builder
	for i := top; i < len(lines) && i < top+height; i++ {
		if i > top {
			b.WriteByte('\n')
		}
		b.WriteString(ansi.Truncate(lines[i], width, "…"))
	}
	return b.String()
}

// endpoint is ap as the message pane's head shows it: with its alias
// first when it has one.
func endpoint(ap netip.AddrPort, names session.Aliases) string {
	if name, ok := names.Name(ap); ok {
		return name + " (" + ap.String() + ")" // session.Aliases takes no control character
	}
	return ap.String()
}
