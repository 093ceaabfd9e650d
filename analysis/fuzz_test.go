package analysis

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// FuzzDiagnose: any sequence of messages, between a client and a server
// in either direction, is judged without a panic, and every call with
// findings has a verdict that is one of them.
// third is an element behind the proxy px (a callee, a registrar).
var third = netip.MustParseAddrPort("10.0.0.20:5060")

func FuzzDiagnose(f *testing.F) {
	seed := func(msgs ...string) { f.Add([]byte(strings.Join(msgs, "\x00"))) }
	reg := "REGISTER sip:lab.test SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\r\nFrom: <sip:a@lab.test>;tag=1\r\nTo: <sip:a@lab.test>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n"
	chal401 := "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\r\nFrom: <sip:a@lab.test>;tag=1\r\nTo: <sip:a@lab.test>;tag=2\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n" +
		"WWW-Authenticate: Digest realm=\"lab.test\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256\r\nWWW-Authenticate: Digest realm=\"lab.test\", nonce=\"m\"\r\n"
	seed(reg+"\r\n", chal401+"\r\n")
	seed(chal401+"\r\n", strings.Replace(reg, "CSeq: 1", "CSeq: 2", 1)+"Authorization: Digest username=\"a\", realm=\"lab.test\", nonce=\"n\", uri=\"sip:lab.test\", response=\"x\", auts=\"y\"\r\n\r\n")
	seed(strings.Replace(reg, "REGISTER sip", "INVITE sip", 1)+"User-Agent: friendly-scanner\r\n\r\n", strings.Replace(chal401, "401 Unauthorized", "407 Proxy Authentication Required", 1)+"\r\n")
	seed("SIP/2.0 403 Forbidden\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nServer: x\r\nReason: Q.850;cause=21\r\n\r\n")
	// A refusal relayed by a proxy: a message whose first byte is '\x01'
	// goes from the proxy to a third element behind it, '\x02' back.
	inv := strings.Replace(reg, "REGISTER sip", "INVITE sip", 1)
	inv = strings.Replace(inv, "CSeq: 1 REGISTER", "CSeq: 1 INVITE", 1)
	busy := "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKa\r\nFrom: <sip:a@lab.test>;tag=1\r\nTo: <sip:a@lab.test>;tag=3\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n\r\n"
	seed(inv+"\r\n", "\x01"+strings.Replace(inv, "branch=z9hG4bKa", "branch=z9hG4bKb", 1)+"\r\n",
		"\x02"+strings.Replace(busy, "branch=z9hG4bKa", "branch=z9hG4bKb", 1), busy)
	f.Fuzz(func(t *testing.T, b []byte) {
		s := session.NewStore()
		at := time.Unix(1700000000, 0)
		for i, m := range bytes.Split(b, []byte{0}) {
			src, dst := ua, px
			if i%2 == 1 {
				src, dst = px, ua
			}
			if len(m) > 0 && (m[0] == 1 || m[0] == 2) {
				src, dst = px, third
				if m[0] == 2 {
					src, dst = third, px
				}
				m = m[1:]
			}
			at = at.Add(time.Duration(i%7) * 700 * time.Millisecond)
			s.Message(&session.Input{Data: m, Src: src, Dst: dst, Transport: session.UDP, Time: at})
		}
		opt := Options{Survey: NewSurvey(s), Credentials: []Credential{{Realm: "*", Secret: Password("pw")}}}
		for _, c := range s.Calls() {
			fs := Diagnose(s, c, opt)
			v := VerdictOf(fs)
			if (v == nil) != (len(fs) == 0) {
				t.Fatalf("verdict %v with %d findings", v, len(fs))
			}
		}
	})
}

// FuzzParseDigest: any header value parses without a panic, and what
// it finds lies in the value.
func FuzzParseDigest(f *testing.F) {
	for _, v := range []string{`Digest realm="a", nonce="b", qop="auth,auth-int", algorithm=SHA-256`, `Basic YWxpY2U6cHc=`,
		`NTLM realm="SIP Communications Service", gssapi-data="TlRM"`, `Digest username="a\"b", auts="x"`, `Digest ,,,=`} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := ParseDigest(v)
		for _, p := range d.Params {
			if !strings.Contains(strings.ToLower(v), p[0]) {
				t.Fatalf("parameter %q not in %q", p[0], v)
			}
		}
		kindOf(&authValue{Digest: d})
	})
}
