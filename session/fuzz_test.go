package session

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/siplex"
)

// FuzzIndex indexes arbitrary bytes as a message on a datagram and on a
// stream transport, reads it back through every accessor, and stores it.
// The seeds are also committed under testdata/fuzz/FuzzIndex.
func FuzzIndex(f *testing.F) {
	for _, s := range fuzzIndexSeeds() {
		f.Add([]byte(s.raw))
	}
	src, dst := netip.MustParseAddrPort("10.0.0.1:5060"), netip.MustParseAddrPort("10.0.0.2:5060")
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, tr := range []Transport{UDP, TCP} {
			var (
				a     arena
				lines statusLines
			)
			m := newMessage(&a, &lines, &Input{Packet: 1, Data: raw, Transport: tr, Src: src, Dst: dst})
			checkIndexed(t, &m, raw)
			// As a mapped capture's message: the same, with the auth block.
			mapped := newMessage(&a, &lines, &Input{Packet: 1, Data: raw, Transport: tr, Src: src, Dst: dst, Stable: true})
			checkIndexed(t, &mapped, raw)
			checkAuthBlock(t, &m, &mapped)
			_ = m.FirstLine()
			_ = m.Header("via")
			if via, cid := m.HeaderPair("v", "Call-ID"); len(via) != len(m.Header("via")) || len(cid) != len(m.Header("i")) {
				t.Fatalf("HeaderPair finds %d Via and %d Call-ID, Header %d and %d", len(via), len(cid), len(m.Header("via")), len(m.Header("i")))
			}
			_ = m.Headers()
			_ = m.Body()
			_ = m.IsRequest()

			s := NewStore()
			back := m
			back.src, back.dst = m.dst, m.src
			s.AddBatch([]Message{m, back}, StatusLines{lines.lines})
			if s.Len() != 2 {
				t.Fatalf("%v: Len() = %d after two Add", tr, s.Len())
			}
			if got := s.FirstLine(s.Msg(1)); got != firstLine(raw) {
				t.Fatalf("%v: the store's first line %q, Raw's %q", tr, got, firstLine(raw))
			}
			for _, c := range s.Calls() {
				_ = c.Summary()
				_ = s.Related(c)
			}
			_, _ = m.Parse()
		}
	})
}

// checkIndexed checks what index can promise for any input: the body
// offset lies in Raw and no field is longer than the message (fields are
// substrings of Raw, or of a folded header joined from its lines).
func checkIndexed(t *testing.T, m *Message, raw []byte) {
	t.Helper()
	if string(m.Raw()) != string(raw) {
		t.Fatalf("Raw differs from the payload")
	}
	if m.BodyOff < 0 || int(m.BodyOff) > len(m.Raw()) {
		t.Fatalf("BodyOff %d for %d bytes", m.BodyOff, len(m.Raw()))
	}
	for name, v := range map[string]string{
		"Method": m.Method(), "CallID": m.CallID(), "From": m.From(), "To": m.To(), "FromTag": m.FromTag(),
		"ToTag": m.ToTag(), "Branch": m.Branch(), "SentBy": m.SentBy(), "XCallID": m.XCallID(),
	} {
		if len(v) > len(raw) {
			t.Fatalf("%s is %d bytes, the message %d", name, len(v), len(raw))
		}
	}
}

type indexSeed struct{ name, raw string }

// fuzzIndexSeeds are the committed corpus of FuzzIndex, by file name.
func fuzzIndexSeeds() []indexSeed {
	const sdp = "v=0\r\n" +
		"o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com\r\n" +
		"s=-\r\n" +
		"c=IN IP4 pc33.atlanta.com\r\n" +
		"t=0 0\r\n" +
		"m=audio 49172 RTP/AVP 0\r\n" +
		"a=rtpmap:0 PCMU/8000\r\n"
	const multipart = "--xx\nContent-Type: application/sdp\n\nv=0\n--xx--\n"
	return []indexSeed{
		{"rfc3261_24_2_invite", "INVITE sip:bob@biloxi.com SIP/2.0\r\n" +
			"Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n" +
			"Max-Forwards: 70\r\n" +
			"To: Bob <sip:bob@biloxi.com>\r\n" +
			"From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n" +
			"Call-ID: a84b4c76e66710\r\n" +
			"CSeq: 314159 INVITE\r\n" +
			"Contact: <sip:alice@pc33.atlanta.com>\r\n" +
			"Content-Type: application/sdp\r\n" +
			"Content-Length: " + strconv.Itoa(len(sdp)) + "\r\n" +
			"\r\n" + sdp},
		{"401_www_authenticate", "SIP/2.0 401 Unauthorized\r\n" +
			"Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7;received=192.0.2.4\r\n" +
			"To: Bob <sip:bob@biloxi.com>;tag=2493k59kd\r\n" +
			"From: Bob <sip:bob@biloxi.com>;tag=456248\r\n" +
			"Call-ID: 843817637684230@998sdasdh09\r\n" +
			"CSeq: 1826 REGISTER\r\n" +
			"WWW-Authenticate: Digest realm=\"atlanta.example.com\", qop=\"auth\",\r\n" +
			" nonce=\"84f1c1ae6cbe5ua9c8e88dfa3ecm3459\", opaque=\"\", stale=FALSE, algorithm=MD5\r\n" +
			"Content-Length: 0\r\n" +
			"\r\n"},
		{"compact_form", "INVITE sip:bob@biloxi.com SIP/2.0\r\n" +
			"v: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\r\n" +
			"f: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n" +
			"t: sip:bob@biloxi.example.com\r\n" +
			"i: 3848276298220188511@atlanta.example.com\r\n" +
			"CSeq: 1 INVITE\r\n" +
			"m: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n" +
			"c: application/sdp\r\n" +
			"X-CID: other-leg@b2bua\r\n" +
			"l: 5\r\n" +
			"\r\n" +
			"v=0\r\n"},
		{"folded_headers", "BYE sip:bob@biloxi.com SIP/2.0\r\n" +
			"Via: SIP/2.0/UDP pc33.atlanta.com\r\n" +
			"\t;branch=z9hG4bKfolded ,\r\n" +
			"  SIP/2.0/UDP proxy.example.com;branch=z9hG4bKsecond\r\n" +
			"To: <sip:bob@biloxi.com>\r\n" +
			" ;tag=to-folded\r\n" +
			"From:\r\n" +
			"   \"Alice, \\\"the\\\" caller\" <sip:alice@atlanta.com>;tag=from-folded\r\n" +
			"Call-ID:\r\n" +
			" folded-call-id\r\n" +
			"CSeq: 2\r\n" +
			"  BYE\r\n" +
			"Subject: I know you're there,\r\n" +
			"         pick up the phone\r\n" +
			"         and talk to me!\r\n" +
			"Content-Length: 0\r\n" +
			"\r\n"},
		{"lf_only", "SIP/2.0 180 Ringing\n" +
			"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKlf\n" +
			"From: <sip:a@x>;tag=1\n" +
			"To: <sip:b@x>;tag=2\n" +
			"Call-ID: lf-only\n" +
			"CSeq: 1 INVITE\n" +
			"Content-Type: multipart/mixed;boundary=xx\n" +
			"Content-Length: " + strconv.Itoa(len(multipart)) + "\n" +
			"\n" + multipart},
		{"no_empty_line", "REGISTER sip:registrar.biloxi.com SIP/2.0\r\n" +
			"Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7\r\n" +
			"To: Bob <sip:bob@biloxi.com>\r\n" +
			"From: Bob <sip:bob@biloxi.com>;tag=456248\r\n" +
			"Call-ID: 843817637684230@998sdasdh09\r\n" +
			"CSeq: 1826 REGISTER\r\n" +
			"Expires: 0\r\n" +
			"Authorization: Digest username=\"bob\"\r\n" +
			"Content-Length: 0\r\n"},
		{"empty", ""},
	}
}

// checkAuthBlock checks that the auth block of a mapped capture's message
// holds what the analysis reads in Raw (m is the same message, not
// mapped): the start line, and the values of the four auth headers in
// order, as the header walk finds them; and that a status line read from
// the table is the one in Raw.
func checkAuthBlock(t *testing.T, m, b *Message) {
	t.Helper()
	if m.FirstLine() != firstLine(m.Raw()) {
		t.Fatalf("FirstLine %q, Raw's %q", m.FirstLine(), firstLine(m.Raw()))
	}
	if (b.authCopy() != nil) != (m.Flags&FlagsAuth != 0) {
		t.Fatalf("flags %b, auth block %q", m.Flags, b.authCopy())
	}
	if b.FirstLine() != m.FirstLine() {
		t.Fatalf("auth block's first line %q, Raw's %q", b.FirstLine(), m.FirstLine())
	}
	for _, name := range []string{"authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate"} {
		var inBlock []string
		siplex.Headers(b.AuthBlock(), func(n, v []byte) bool {
			if siplex.EqualFold(n, name) {
				inBlock = append(inBlock, string(v))
			}
			return true
		})
		inRaw := m.Header(name)
		for _, msg := range []*Message{m, b} {
			var vals []string
			msg.AuthValues(name, func(v string) { vals = append(vals, v) })
			if strings.Join(vals, "\x00") != strings.Join(inRaw, "\x00") || len(vals) != len(inRaw) {
				t.Fatalf("%s: AuthValues %q, Header %q", name, vals, inRaw)
			}
		}
		if len(inBlock) != len(inRaw) {
			t.Fatalf("%s: %q in the auth block %q, %q in Raw", name, inBlock, b.AuthBlock(), inRaw)
		}
		for i := range inRaw {
			if inBlock[i] != inRaw[i] {
				t.Fatalf("%s: %q in the auth block, %q in Raw", name, inBlock, inRaw)
			}
		}
	}
}
