package tui

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// A crafted capture cannot drive the terminal: the escape sequences in
// its Call-ID, From, reason phrase and realm reach the screen escaped,
// in the list, the ladder, the message and the analysis pane.
func TestCaptureBytesCannotDriveTheTerminal(t *testing.T) {
	const osc, clear, colour = "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J", "\x1b[41;5m"
	s := session.NewStore()
	add := func(data string, src, dst string) {
		s.Message(&session.Input{Packet: s.Len() + 1, Time: time.Unix(1, 0), Src: netip.MustParseAddrPort(src), Dst: netip.MustParseAddrPort(dst),
			Transport: session.UDP, Data: []byte(data)})
	}
	add("REGISTER sip:x.test SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\nFrom: <sip:a"+osc+"@x.test>;tag=1\r\n"+
		"To: <sip:a"+colour+"@x.test>\r\nCall-ID: id"+clear+"\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n", "10.0.0.1:5060", "10.0.0.2:5060")
	add("SIP/2.0 401 Unauth"+osc+"orized\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKa\r\nFrom: <sip:a"+osc+"@x.test>;tag=1\r\n"+
		"To: <sip:a@x.test>;tag=2\r\nCall-ID: id"+clear+"\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=\"r"+clear+"\", nonce=\"n\"\r\nContent-Length: 0\r\n\r\n",
		"10.0.0.2:5060", "10.0.0.1:5060")
	ch := make(chan pipeline.Batch)
	close(ch)
	m := New("crafted", ch, 1, analysis.Options{})
	m.cv.store = s
	m.cv.status.done = true
	var tm tea.Model = m
	tm, _ = tm.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	m = tm.(Model)
	m.cv.list.Refresh(m.cv.store)
	screens := []string{m.View().Content}
	for _, k := range []string{"enter", "j", "tab"} {
		m = drive(t, m, 160, 48, press(k))
		screens = append(screens, m.View().Content)
	}
	for i, v := range screens {
		for _, bad := range []string{"\x1b]", "\x07", clear, colour} {
			if strings.Contains(v, bad) {
				t.Errorf("screen %d carries %q from the capture", i, bad)
			}
		}
	}
	if !strings.Contains(stripSGR(screens[1]), `\x1b]52;c;`) {
		t.Errorf("the escaped sequence is not shown as text in the flow:\n%s", stripSGR(screens[1]))
	}
}

// What is pasted is shown on the paste screen escaped too: a log's colour
// codes, or worse, do not reach the terminal.
func TestPasteScreenShowsEscapes(t *testing.T) {
	m := drive(t, demoModel(t, analysis.Options{}), 80, 24, press("P"))
	var tm tea.Model = m
	tm, _ = tm.Update(tea.PasteMsg{Content: "\x1b]52;c;ZXZpbA==\x07INVITE sip:x SIP/2.0\r\x1b[41;5mred"})
	v := tm.(Model).View().Content
	if strings.Contains(v, "\x1b]52") || strings.Contains(v, "\x1b[41;5m") || strings.Contains(v, "\x07") {
		t.Errorf("the paste screen passes the pasted escapes to the terminal:\n%q", v)
	}
}
