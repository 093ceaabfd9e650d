package analysis

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

// TestAuthScanMatchesSession checks the header scan the analysis relies
// on (session.Message.AuthValues) against session.Message.HeaderPair, on
// messages put together from
// ordinary and awkward header lines (any case, blanks before the colon,
// RFC 3261 §7.3.1 continuation lines, lines without a colon, bare LF, a
// body that looks like headers), and that the message flags it relies
// on are set exactly when HeaderPair finds the header.
func TestAuthScanMatchesSession(t *testing.T) {
	lines := []string{
		"Via: SIP/2.0/UDP h;branch=z9hG4bK1", "From: <sip:a@b>;tag=1", "To: <sip:b@c>", "Call-ID: x", "CSeq: 1 INVITE",
		`WWW-Authenticate: Digest realm="r"`, `www-authenticate : Digest realm="s"`, "Proxy-Authenticate:Digest a=b",
		"PROXY-AUTHENTICATE:  x  ", `Authorization: Digest username="u"`, "authorization\t: y", "Proxy-Authorization: z",
		"Proxy-Authorization", " folded: continuation", "\tAuthorization: w", "Proxy-Require: x", "W: y",
		"Www-Authenticatex: no", "Authorization:", " : Digest q", "P: x", "Content-Length: 0", ":x",
	}
	starts := []string{"INVITE sip:b SIP/2.0", "SIP/2.0 401 Unauthorized", "SIP/2.0 407 Proxy Authentication Required", "REGISTER sip:x SIP/2.0"}
	rng := rand.New(rand.NewSource(1))
	s := session.NewStore()
	at := time.Unix(1700000000, 0)
	for n := 0; n < 5000; n++ {
		eol := "\r\n"
		if rng.Intn(5) == 0 {
			eol = "\n"
		}
		var b strings.Builder
		b.WriteString(starts[rng.Intn(len(starts))] + eol)
		for i, k := 0, rng.Intn(12); i < k; i++ {
			b.WriteString(lines[rng.Intn(len(lines))])
			if i < k-1 || rng.Intn(3) > 0 {
				b.WriteString(eol)
			}
		}
		if rng.Intn(2) == 0 {
			b.WriteString(eol + "Authorization: in the body" + eol)
		}
		at = at.Add(time.Millisecond)
		s.Message(&session.Input{Data: []byte(b.String()), Src: ua, Dst: px, Transport: session.UDP, Time: at})
	}
	pairs := []struct {
		a, b   string
		fa, fb session.Flags
	}{
		{hdrWWWAuthenticate, hdrProxyAuthenticate, session.FlagWWWAuthenticate, session.FlagProxyAuthenticate},
		{hdrAuthorization, hdrProxyAuthorization, session.FlagAuthorization, session.FlagProxyAuthorization},
	}
	found := 0
	for i := 0; i < s.Len(); i++ {
		m := s.Msg(i)
		for _, p := range pairs {
			wa, wb := m.HeaderPair(p.a, p.b)
			ga, gb := scanValues(m, strings.ToLower(p.a)), scanValues(m, strings.ToLower(p.b))
			if !reflect.DeepEqual(ga, wa) || !reflect.DeepEqual(gb, wb) {
				t.Fatalf("%q:\nscan %q %q\nHeaderPair %q %q", m.Raw(), ga, gb, wa, wb)
			}
			if (len(wa) > 0) != m.Has(p.fa) || (len(wb) > 0) != m.Has(p.fb) {
				t.Fatalf("%q: flags %b disagree with HeaderPair %q %q", m.Raw(), m.Flags, wa, wb)
			}
			found += len(wa) + len(wb)
		}
	}
	if found < s.Len() {
		t.Errorf("only %d auth headers in %d messages: the test builds too few", found, s.Len())
	}
}

func scanValues(m *session.Message, name string) []string {
	var out []string
	m.AuthValues(name, func(v string) { out = append(out, v) })
	return out
}
