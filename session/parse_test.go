package session

import (
	"net/netip"
	"strings"
	"testing"
)

func msg(raw string) Message {
	var a arena
	p := Input{Data: []byte(raw), Transport: UDP,
		Src: netip.MustParseAddrPort("10.0.0.1:5060"), Dst: netip.MustParseAddrPort("10.0.0.2:5060")}
	return newMessage(&a, new(statusLines), &p)
}

const invite = "INVITE sip:bob@biloxi.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds ;received=1.2.3.4, SIP/2.0/UDP proxy;branch=z9hG4bKother\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: Bob <sip:bob@biloxi.com>\r\n" +
	"From: \"Alice <Lab>\" <sip:alice@atlanta.com>;tag=1928301774\r\n" +
	"Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"Contact: <sip:alice@pc33.atlanta.com>\r\n" +
	"Proxy-Authorization: Digest username=\"alice\", realm=\"atlanta.com\"\r\n" +
	"Content-Type: application/sdp\r\n" +
	"Content-Length: 4\r\n\r\nv=0\n"

func TestIndexRFC3261Invite(t *testing.T) {
	m := msg(invite)
	type fields struct {
		Method, CallID, From, To, FromTag, ToTag, Branch, SentBy string
		CSeq                                                     uint32
	}
	want := fields{Method: "INVITE", CallID: "a84b4c76e66710@pc33.atlanta.com", From: "sip:alice@atlanta.com",
		To: "sip:bob@biloxi.com", FromTag: "1928301774", Branch: "z9hG4bK776asdhds", SentBy: "pc33.atlanta.com", CSeq: 314159}
	got := fields{Method: m.Method(), CallID: m.CallID(), From: m.From(), To: m.To(), FromTag: m.FromTag(), ToTag: m.ToTag(),
		Branch: m.Branch(), SentBy: m.SentBy(), CSeq: m.CSeq}
	if got != want {
		t.Errorf("indexed\n %+v\nwant\n %+v", got, want)
	}
	if !m.IsRequest() || !m.Has(FlagSDP) || !m.Has(FlagProxyAuthorization) || m.Has(FlagAuthorization) || m.Err() != "" {
		t.Errorf("flags %b err %q", m.Flags, m.Err())
	}
	if m.FirstLine() != "INVITE sip:bob@biloxi.com SIP/2.0" || string(m.Body()) != "v=0\n" {
		t.Errorf("first line %q body %q", m.FirstLine(), m.Body())
	}
}

func TestIndexCompactFoldedLFOnly(t *testing.T) {
	raw := "SIP/2.0 401 Unauthorized\n" +
		"v: SIP/2.0/TCP 10.1.1.1:5060;branch=z9hG4bKabc\n" +
		"f: sip:a@x;tag=ft\n" +
		"t: <sip:b@x>\n ;tag=tt\n" + // folded (RFC 3261 §7.3.1)
		"i: cid-1\n" +
		"CSeq:\t7   REGISTER\n" +
		"WWW-Authenticate: Digest realm=\"x\", nonce=\"n\"\n" +
		"l: 0\n\n"
	m := msg(raw)
	if m.Status != 401 || m.Method() != "REGISTER" || m.CSeq != 7 || m.CallID() != "cid-1" || m.FromTag() != "ft" ||
		m.ToTag() != "tt" || m.From() != "sip:a@x" || m.SentBy() != "10.1.1.1:5060" || m.Branch() != "z9hG4bKabc" {
		t.Errorf("got %+v", m)
	}
	if !m.Has(FlagBareLF) || !m.Has(FlagWWWAuthenticate) || m.Err() != "" {
		t.Errorf("flags %b err %q", m.Flags, m.Err())
	}
	if v := m.Header("To"); len(v) != 1 || v[0] != "<sip:b@x> ;tag=tt" {
		t.Errorf("Header(To) = %q", v)
	}
	if to, www := m.HeaderPair("to", "www-authenticate"); len(to) != 1 || to[0] != m.Header("To")[0] ||
		len(www) != 1 || www[0] != `Digest realm="x", nonce="n"` {
		t.Errorf("HeaderPair(to, www-authenticate) = %q, %q", to, www)
	}
	p, err := m.Parse()
	if err != nil {
		t.Fatalf("sipgo could not parse an LF-only message: %v", err)
	}
	if p.CallID().Value() != "cid-1" {
		t.Errorf("sipgo Call-ID %q", p.CallID().Value())
	}
}

func TestIndexProblemsAreKept(t *testing.T) {
	cases := map[string]string{
		"no Call-ID":            "OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\n\r\n",
		"not a number":          "OPTIONS sip:x SIP/2.0\r\nCall-ID: c\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@x>\r\nTo: <sip:b@x>\r\nCSeq: x OPTIONS\r\n\r\n",
		"differs from":          "OPTIONS sip:x SIP/2.0\r\nCall-ID: c\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@x>\r\nTo: <sip:b@x>\r\nCSeq: 1 INVITE\r\n\r\n",
		"Content-Length is 10":  "OPTIONS sip:x SIP/2.0\r\nCall-ID: c\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@x>\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\nContent-Length: 10\r\n\r\nabc",
		"no empty line":         "OPTIONS sip:x SIP/2.0\r\nCall-ID: c\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@x>\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\n",
		"header line without a": "OPTIONS sip:x SIP/2.0\r\nCall-ID: c\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@x>\r\nTo: <sip:b@x>\r\nCSeq: 1 OPTIONS\r\nbroken\r\n\r\n",
	}
	for want, raw := range cases {
		m := msg(raw)
		if !strings.Contains(m.Err(), want) {
			t.Errorf("Err = %q, want it to mention %q", m.Err(), want)
		}
		if m.Method() != "OPTIONS" {
			t.Errorf("%s: the message lost its method: %+v", want, m)
		}
	}
}
