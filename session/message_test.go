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

// The auth block holds the start line and the four auth headers as the
// header walk reads them in Raw: folded over lines, with the colon on a
// continuation line, in compact and bare-LF messages, several of a kind.
func TestAuthBlock(t *testing.T) {
	for _, raw := range []string{
		"REGISTER sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nAuthorization: Digest username=\"a\",\r\n realm=\"x\", nonce=\"n\"\r\n" +
			"From: <sip:a@x>;tag=1\r\nTo: <sip:a@x>\r\nCall-ID: c\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n",
		"SIP/2.0 407 Proxy Authentication Required\nv: SIP/2.0/UDP h;branch=z9hG4bK1\nProxy-Authenticate: Digest realm=\"a\"\n" +
			"proxy-authenticate : Digest realm=\"b\"\nf: <sip:a@x>;tag=1\nt: <sip:b@x>;tag=2\ni: c\nCSeq: 1 INVITE\nl: 0\n\n",
		"INVITE sip:b@x SIP/2.0\r\nProxy-Authorization\r\n : Digest username=\"a\"\r\nWWW-Authenticate: Digest realm=\"w\"\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\n",
		"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"cut", // no line end, no empty line
	} {
		m := msg(raw)
		var a arena
		b := newMessage(&a, new(statusLines), &Input{Data: []byte(raw), Transport: UDP, Stable: true})
		if m.Flags&FlagsAuth == 0 {
			t.Fatalf("no auth flag on %q", raw)
		}
		checkAuthBlock(t, &m, &b)
		if len(b.AuthBlock()) >= len(raw) && strings.Contains(raw, "Via") {
			t.Errorf("the auth block is as long as the message: %q", b.AuthBlock())
		}
	}
}

// A mapped message with credentials keeps its auth block; From and To
// that are the call's are flagged; a status line comes from the table.
func TestMappedMessageKeepsWhatAnalysisReads(t *testing.T) {
	s := NewStore()
	add := func(raw string) *Message {
		p := Input{Data: []byte(raw), Transport: UDP, Stable: true,
			Src: netip.MustParseAddrPort("10.0.0.1:5060"), Dst: netip.MustParseAddrPort("10.0.0.2:5060")}
		s.Message(&p)
		return s.Msg(s.Len() - 1)
	}
	first := add(invite)
	retry := add(strings.Replace(invite, "CSeq: 314159", "CSeq: 314160", 1))
	other := add(strings.Replace(strings.Replace(invite, "CSeq: 314159", "CSeq: 314161", 1), "To: Bob <sip:bob@biloxi.com>", "To: <sip:carol@biloxi.com>", 1))
	if first.authCopy() == nil || !first.Has(FlagCallFromTo) || !retry.Has(FlagCallFromTo) || other.Has(FlagCallFromTo) {
		t.Errorf("auth block %q; FlagCallFromTo %v %v %v", first.authCopy(), first.Has(FlagCallFromTo), retry.Has(FlagCallFromTo), other.Has(FlagCallFromTo))
	}
	ok := add("SIP/2.0 200 OK\r\nCall-ID: a84b4c76e66710@pc33.atlanta.com\r\nCSeq: 314160 INVITE\r\n\r\n")
	if ok.line == 0 || s.FirstLine(ok) != "SIP/2.0 200 OK" || ok.FirstLine() != "SIP/2.0 200 OK" {
		t.Errorf("status line %d %q", ok.line, s.FirstLine(ok))
	}
}

// Builders number status lines in tables of their own, which AddBatch
// turns into the store's: two builders that met the lines in a
// different order give messages whose lines read back right, and two
// stores share nothing.
func TestStatusLinesPerStore(t *testing.T) {
	resp := func(b *Builder, line string) Message {
		return b.Message(&Input{Data: []byte(line + "\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n"), Transport: UDP, Stable: true})
	}
	var b1, b2 Builder
	m1 := []Message{resp(&b1, "SIP/2.0 100 Trying"), resp(&b1, "SIP/2.0 200 OK")}
	m2 := []Message{resp(&b2, "SIP/2.0 200 OK"), resp(&b2, "SIP/2.0 486 Busy Here"), resp(&b2, "SIP/2.0 100 Trying")}
	if m1[0].line != m2[2].line-2 || m1[1].line != m2[0].line+1 {
		t.Fatalf("the builders' numbers: %d %d, %d %d %d", m1[0].line, m1[1].line, m2[0].line, m2[1].line, m2[2].line)
	}
	s, other := NewStore(), NewStore()
	s.AddBatch(m1, b1.Lines())
	s.AddBatch(m2, b2.Lines())
	other.Message(&Input{Data: []byte("SIP/2.0 603 Decline\r\nCall-ID: y\r\nCSeq: 1 INVITE\r\n\r\n"), Transport: UDP})
	want := []string{"SIP/2.0 100 Trying", "SIP/2.0 200 OK", "SIP/2.0 200 OK", "SIP/2.0 486 Busy Here", "SIP/2.0 100 Trying"}
	for i, w := range want {
		if m := s.Msg(i); m.line == 0 || s.FirstLine(m) != w {
			t.Errorf("message %d: line %d reads %q, want %q", i, m.line, s.FirstLine(m), w)
		}
	}
	if len(s.status.lines) != 4 || other.Msg(0).line != 1 || other.FirstLine(other.Msg(0)) != "SIP/2.0 603 Decline" {
		t.Errorf("tables: %q and %q", s.status.lines, other.status.lines)
	}
}
