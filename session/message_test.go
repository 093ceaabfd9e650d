package session

import (
	"net/netip"
	"strings"
	"testing"
	"unsafe"
)

// A store keeps one Message per message, two million of them in a 1 GB
// capture: the struct's size is its memory. This fails if a field added
// carelessly (a string is 16 bytes, an address 32) undoes the packing.
func TestMessageSize(t *testing.T) {
	if n := unsafe.Sizeof(Message{}); n > 120 {
		t.Errorf("Message is %d bytes; it was packed into 120 (fields as offsets into Raw, interned addresses)", n)
	}
}

// Fields that cannot be offsets into the raw bytes: values joined from
// folded lines, and values that lie past 64 KB of headers.
func TestFieldsOutsideRaw(t *testing.T) {
	pad := "X-Pad: " + strings.Repeat("a", 70000) + "\r\n"
	raw := "SIP/2.0 200 OK\r\n" +
		"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n" +
		"From: <sip:a@x>;tag=f1\r\n" +
		pad +
		"To: <sip:b@x>\r\n ;tag=t2\r\n" + // folded, and past 64 KB
		"Call-ID: far-away\r\n" +
		"X-Call-ID: leg-1\r\n" +
		"CSeq: 2 INVITE\r\n" +
		"Content-Length: 0\r\n\r\n"
	m := msg(raw)
	got := []string{m.Method(), m.CallID(), m.From(), m.FromTag(), m.To(), m.ToTag(), m.Branch(), m.SentBy(), m.XCallID()}
	want := []string{"INVITE", "far-away", "sip:a@x", "f1", "sip:b@x", "t2", "z9hG4bK1", "10.0.0.1", "leg-1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("fields %q, want %q", got, want)
	}
	if m.Err() != "" {
		t.Errorf("Err() = %q", m.Err())
	}
	if m.f[fFrom] == inExtra || m.f[fCallID] != inExtra {
		t.Errorf("From should be an offset and Call-ID (past 64 KB) kept aside: spans %v", m.f)
	}
}

// Messages keep interned addresses: equal addresses are equal handles,
// whichever arena made them, and read back as they were.
func TestAddressesInterned(t *testing.T) {
	a, b := msg(invite), msg(invite)
	if a.src != b.src || a.dst != b.dst || a.src == a.dst {
		t.Errorf("handles: %v %v %v %v", a.src, b.src, a.dst, b.dst)
	}
	if a.Src() != netip.MustParseAddrPort("10.0.0.1:5060") || a.Dst() != netip.MustParseAddrPort("10.0.0.2:5060") {
		t.Errorf("Src %v Dst %v", a.Src(), a.Dst())
	}
}
