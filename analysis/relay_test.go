package analysis

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// A refusal relayed by proxies is one refusal: it is told once, naming
// the element that refused, with the messages of every hop (relay.go).

var edge = netip.MustParseAddrPort("203.0.113.2:5060") // a second proxy behind proxy

const (
	viaUAC   = "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-uac"
	viaProxy = "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-p1"
	viaEdge  = "Via: SIP/2.0/UDP 203.0.113.2:5060;branch=z9hG4bK-p2"
)

func rejections(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Code == CodeCallRejected {
			out = append(out, f)
		}
	}
	return out
}

func TestRelayedRefusalToldOnce(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hops    []netip.AddrPort // caller, proxies…, callee
		vias    []string         // each hop's top Via
		options int              // OPTIONS before the call: enough make relays index the attempts
	}{
		{"one proxy", []netip.AddrPort{uac, proxy, uas}, []string{viaUAC, viaProxy}, 0},
		{"two proxies", []netip.AddrPort{uac, proxy, edge, uas}, []string{viaUAC, viaProxy, viaEdge}, 0},
		{"two proxies, a long call", []netip.AddrPort{uac, proxy, edge, uas}, []string{viaUAC, viaProxy, viaEdge}, relayIndexAt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExchange(t)
			n := len(tc.hops) - 1
			at := 0.0
			for i := range tc.options {
				cs := itoa(100+i) + " OPTIONS"
				e.add(at, uac, proxy, "OPTIONS sip:proxy@example.com SIP/2.0|Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-o"+itoa(i), cs)
				e.add(at+0.001, proxy, uac, "SIP/2.0 200 OK|Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-o"+itoa(i), cs)
				at += 0.01
			}
			for i := range n {
				e.add(at, tc.hops[i], tc.hops[i+1], "INVITE sip:bob@example.com SIP/2.0|"+tc.vias[i], "1 INVITE")
				at += 0.01
			}
			for i := n - 1; i >= 0; i-- { // the callee's 486, relayed back hop by hop, each ACKed
				e.add(at, tc.hops[i+1], tc.hops[i], "SIP/2.0 486 Busy Here|"+tc.vias[i], "1 INVITE", "Server: phone/1.0")
				e.add(at+0.001, tc.hops[i], tc.hops[i+1], "ACK sip:bob@example.com SIP/2.0|"+tc.vias[i], "1 ACK")
				at += 0.01
			}
			rs := rejections(e.findings())
			if len(rs) != 1 {
				t.Fatalf("%d call-rejected findings, want 1: %+v", len(rs), rs)
			}
			if !strings.Contains(rs[0].Summary, "by "+uas.String()) {
				t.Errorf("the refusal is not the callee's: %s", rs[0].Summary)
			}
			// Every hop's INVITE and 486 is cited: 2 per hop.
			if len(rs[0].Messages) != 2*n || !slices.IsSorted(rs[0].Messages) {
				t.Errorf("messages %v, want the %d INVITEs and 486s in order", rs[0].Messages, 2*n)
			}
		})
	}
}

// A proxy that refuses on its own, with another status than the one it
// got from behind (a forked call's best response, RFC 3261 §16.7, or its
// own 500), is a refusal of its own: both are told.
func TestProxyOwnRefusalKept(t *testing.T) {
	e := newExchange(t)
	e.add(0, uac, proxy, "INVITE sip:bob@example.com SIP/2.0|"+viaUAC, "1 INVITE")
	e.add(0.01, proxy, uas, "INVITE sip:bob@example.com SIP/2.0|"+viaProxy, "1 INVITE")
	e.add(0.02, uas, proxy, "SIP/2.0 486 Busy Here|"+viaProxy, "1 INVITE")
	e.add(0.021, proxy, uas, "ACK sip:bob@example.com SIP/2.0|"+viaProxy, "1 ACK")
	e.add(0.03, proxy, uac, "SIP/2.0 480 Temporarily Unavailable|"+viaUAC, "1 INVITE")
	e.add(0.031, uac, proxy, "ACK sip:bob@example.com SIP/2.0|"+viaUAC, "1 ACK")
	rs := rejections(e.findings())
	if len(rs) != 2 {
		t.Fatalf("%d call-rejected findings, want 2 (486 by the callee, 480 by the proxy): %+v", len(rs), rs)
	}
	var by []string
	for _, f := range rs {
		by = append(by, f.Summary)
	}
	all := strings.Join(by, "\n")
	if !strings.Contains(all, "486 Busy Here by "+uas.String()) || !strings.Contains(all, "480 Temporarily Unavailable by "+proxy.String()) {
		t.Errorf("findings:\n%s", all)
	}
}

// The same status from the element the request went to, with no
// forwarded copy in the capture, is that element's own refusal.
func TestRefusalWithoutForwardKept(t *testing.T) {
	e := newExchange(t)
	e.add(0, uac, proxy, "INVITE sip:bob@example.com SIP/2.0|"+viaUAC, "1 INVITE")
	e.add(0.03, proxy, uac, "SIP/2.0 486 Busy Here|"+viaUAC, "1 INVITE")
	e.add(0.031, uac, proxy, "ACK sip:bob@example.com SIP/2.0|"+viaUAC, "1 ACK")
	rs := rejections(e.findings())
	if len(rs) != 1 || !strings.Contains(rs[0].Summary, "by "+proxy.String()) {
		t.Fatalf("findings %+v, want one refusal by the proxy", rs)
	}
}

// A proxy whose next hop never answers retransmits to it and, when its
// timer runs out, answers the caller 408 (RFC 3261 §16.8): one failure.
// The 408 finding names the silent hop and cites its INVITE; the hop's
// own silence is not told a second time.
func TestSilentHopBehind408ToldOnce(t *testing.T) {
	e := newExchange(t)
	e.add(0, uac, proxy, "INVITE sip:bob@example.com SIP/2.0|"+viaUAC, "1 INVITE")
	e.add(0.001, proxy, uac, "SIP/2.0 100 Trying|"+viaUAC, "1 INVITE")
	for _, at := range []float64{0.01, 0.51, 1.51, 3.51, 7.51, 15.51} { // timer A doubling
		e.add(at, proxy, uas, "INVITE sip:bob@example.com SIP/2.0|"+viaProxy, "1 INVITE")
	}
	e.add(32.01, proxy, uac, "SIP/2.0 408 Request Timeout|"+viaUAC, "1 INVITE")
	e.add(32.02, uac, proxy, "ACK sip:bob@example.com SIP/2.0|"+viaUAC, "1 ACK")
	var got []Finding
	for _, f := range e.findings() {
		if f.Code == CodeTransactionTimeout {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d transaction-timeout findings, want 1: %+v", len(got), got)
	}
	if !strings.Contains(got[0].Summary, "whose next hop "+uas.String()+" never answered") || len(got[0].Messages) != 3 {
		t.Errorf("finding %q cites %v, want the hop named and the INVITE, its copy and the 408", got[0].Summary, got[0].Messages)
	}
}

// A lab on one host puts every element on 127.0.0.1: the ports tell
// the phone, the proxy and the callee apart, and the relay is still
// found; the callee's own refusal is not taken for the proxy's.
func TestRelayedRefusalOnLoopback(t *testing.T) {
	caller := netip.MustParseAddrPort("127.0.0.1:5083")
	kam := netip.MustParseAddrPort("127.0.0.1:5060")
	callee := netip.MustParseAddrPort("127.0.0.1:5070")
	e := newExchange(t)
	e.add(0, caller, kam, "INVITE sip:bob@example.com SIP/2.0|"+viaUAC, "1 INVITE")
	e.add(0.01, kam, callee, "INVITE sip:bob@example.com SIP/2.0|"+viaProxy, "1 INVITE")
	e.add(0.02, callee, kam, "SIP/2.0 486 Busy Here|"+viaProxy, "1 INVITE")
	e.add(0.021, kam, callee, "ACK sip:bob@example.com SIP/2.0|"+viaProxy, "1 ACK")
	e.add(0.03, kam, caller, "SIP/2.0 486 Busy Here|"+viaUAC, "1 INVITE")
	e.add(0.031, caller, kam, "ACK sip:bob@example.com SIP/2.0|"+viaUAC, "1 ACK")
	rs := rejections(e.findings())
	if len(rs) != 1 || !strings.Contains(rs[0].Summary, "by "+callee.String()) {
		t.Fatalf("findings %+v, want one refusal by %s", rs, callee)
	}
}

var carol = netip.MustParseAddrPort("203.0.113.30:5060")

const viaProxy2 = "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-p1b" // the proxy's second branch

// A proxy that forks an INVITE to two phones forwards the best answer
// (RFC 3261 §16.7). A branch that refused while the other answered is
// not a failure of the call; when both refused, the refusal forwarded is
// the call's failure and the other branch's is context (info).
func TestForkedBranches(t *testing.T) {
	for _, tc := range []struct {
		name       string
		carolFinal string // bob refuses 486 first; carol answers this
		want       map[string]Severity
	}{
		{"one answers", "200 OK", map[string]Severity{}},
		{"both refuse", "603 Decline", map[string]Severity{
			"603 Decline by " + carol.String(): Error,
			"486 Busy Here by " + uas.String(): Info,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExchange(t)
			e.add(0, uac, proxy, "INVITE sip:group@example.com SIP/2.0|"+viaUAC, "1 INVITE")
			e.add(0.01, proxy, uas, "INVITE sip:bob@example.com SIP/2.0|"+viaProxy, "1 INVITE")
			e.add(0.011, proxy, carol, "INVITE sip:carol@example.com SIP/2.0|"+viaProxy2, "1 INVITE")
			e.add(0.5, uas, proxy, "SIP/2.0 486 Busy Here|"+viaProxy, "1 INVITE")
			e.add(0.501, proxy, uas, "ACK sip:bob@example.com SIP/2.0|"+viaProxy, "1 ACK")
			e.add(2, carol, proxy, "SIP/2.0 "+tc.carolFinal+"|"+viaProxy2, "1 INVITE")
			e.add(2.001, proxy, uac, "SIP/2.0 "+tc.carolFinal+"|"+viaUAC, "1 INVITE")
			rs := rejections(e.findings())
			got := map[string]Severity{}
			for _, f := range rs {
				for k := range tc.want {
					if strings.Contains(f.Summary, k) {
						got[k] = f.Severity
					}
				}
			}
			if len(rs) != len(tc.want) || len(got) != len(tc.want) {
				t.Fatalf("findings %+v, want %v", rs, tc.want)
			}
			for k, sev := range tc.want {
				if got[k] != sev {
					t.Errorf("%s: %v, want %v", k, got[k], sev)
				}
			}
		})
	}
}

// A forked branch to a phone that is down is retransmitted until the
// proxy gives up on it, while the other branch answers: the call went
// through, and the dead phone is a warning (it will miss the next call),
// not the error of a call that failed.
func TestSilentBranchOfAnsweredFork(t *testing.T) {
	e := newExchange(t)
	e.add(0, uac, proxy, "INVITE sip:group@example.com SIP/2.0|"+viaUAC, "1 INVITE")
	for _, at := range []float64{0.01, 0.51, 1.51, 3.51, 7.51, 15.51} {
		e.add(at, proxy, uas, "INVITE sip:bob@example.com SIP/2.0|"+viaProxy, "1 INVITE")
	}
	e.add(0.011, proxy, carol, "INVITE sip:carol@example.com SIP/2.0|"+viaProxy2, "1 INVITE")
	e.add(0.02, carol, proxy, "SIP/2.0 200 OK|"+viaProxy2, "1 INVITE", "Contact: <sip:carol@203.0.113.30>")
	e.add(0.021, proxy, uac, "SIP/2.0 200 OK|"+viaUAC, "1 INVITE", "Contact: <sip:carol@203.0.113.30>")
	e.add(0.03, uac, carol, "ACK sip:carol@203.0.113.30 SIP/2.0|"+viaUAC, "1 ACK")
	e.add(40, uac, carol, "BYE sip:carol@203.0.113.30 SIP/2.0|"+viaUAC, "2 BYE")
	e.add(40.01, carol, uac, "SIP/2.0 200 OK|"+viaUAC, "2 BYE")
	var got []Finding
	for _, f := range e.findings() {
		if f.Severity > Info {
			got = append(got, f)
		}
	}
	if len(got) != 1 || got[0].Code != CodeTransactionTimeout || got[0].Severity != Warning ||
		!strings.Contains(got[0].Summary, "another branch answered the call") {
		t.Fatalf("findings %+v, want one transaction-timeout warning for bob's branch", got)
	}
}

// A proxy with no realm of its own relays the registrar's challenges.
// One wrong answer, seen on both hops, is one rejection; the two
// challenges (the first, and the one after the wrong answer) are two,
// not four. The findings cite every hop.
func TestRelayedChallengesCountedOnce(t *testing.T) {
	for _, options := range []int{0, relayIndexAt} { // a long call's attempts are indexed
		relayedChallenges(t, options)
	}
}

func relayedChallenges(t *testing.T, options int) {
	e := newExchange(t)
	for i := range options {
		cs := itoa(100+i) + " OPTIONS"
		e.add(0, uac, proxy, "OPTIONS sip:proxy@example.com SIP/2.0|Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-o"+itoa(i), cs)
		e.add(0, proxy, uac, "SIP/2.0 200 OK|Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-o"+itoa(i), cs)
	}
	ch := `WWW-Authenticate: Digest realm="example.com", nonce="n1", qop="auth", algorithm=MD5`
	cr := `Authorization: Digest username="bob", realm="example.com", nonce="n1", uri="sip:example.com", ` +
		`response="0123456789abcdef0123456789abcdef", qop=auth, nc=00000001, cnonce="c1", algorithm=MD5`
	vu := func(b string) string { return "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK-" + b }
	vp := func(b string) string { return "Via: SIP/2.0/UDP 203.0.113.1:5060;branch=z9hG4bK-p" + b }
	e.add(0, uac, proxy, "REGISTER sip:example.com SIP/2.0|"+vu("1"), "1 REGISTER")
	e.add(0.01, proxy, uas, "REGISTER sip:example.com SIP/2.0|"+vp("1"), "1 REGISTER")
	e.add(0.02, uas, proxy, "SIP/2.0 401 Unauthorized|"+vp("1"), "1 REGISTER", ch)
	e.add(0.03, proxy, uac, "SIP/2.0 401 Unauthorized|"+vu("1"), "1 REGISTER", ch)
	e.add(0.1, uac, proxy, "REGISTER sip:example.com SIP/2.0|"+vu("2"), "2 REGISTER", cr)
	e.add(0.11, proxy, uas, "REGISTER sip:example.com SIP/2.0|"+vp("2"), "2 REGISTER", cr)
	e.add(0.12, uas, proxy, "SIP/2.0 401 Unauthorized|"+vp("2"), "2 REGISTER", ch)
	e.add(0.13, proxy, uac, "SIP/2.0 401 Unauthorized|"+vu("2"), "2 REGISTER", ch)
	e.add(40, uac, proxy, "OPTIONS sip:example.com SIP/2.0|"+vu("3"), "3 OPTIONS")
	want := map[Code]int{CodeChallenge401: 2, CodeCredentialsRejected: 1}
	got := map[Code]*Finding{}
	fs := e.findings()
	for i := range fs {
		got[fs[i].Code] = &fs[i]
	}
	for code, n := range want {
		f := got[code]
		if f == nil {
			t.Fatalf("no %s in %+v", code, fs)
		}
		if f.Times() != n || strings.Contains(f.Summary, "times)") != (n > 1) {
			t.Errorf("%d OPTIONS before: %s: %d times (%q), want %d", options, code, f.Times(), f.Summary, n)
		}
	}
	if m := got[CodeCredentialsRejected].Messages; len(m) != 4 {
		t.Errorf("credentials-rejected cites %v, want the retry and its 401 on both hops", m)
	}
}

// An SBC that keeps the Call-ID but numbers its own CSeq, facing the
// caller from one address and the PBX from another (heplify's ERSPAN
// capture: a REFER refused 488 by an OmniPCX behind a VSBC, frames
// 116–119), relays the PBX's refusal: one finding, naming the PBX, with
// both legs. Its own refusal (its own Server header), or one that comes
// seconds after the leg behind it answered, is told apart.
func TestB2BUALegRefusalToldOnce(t *testing.T) {
	sbcOut := netip.MustParseAddrPort("203.0.113.50:5260")
	sbcIn := netip.MustParseAddrPort("192.0.2.50:5260")
	pbx := netip.MustParseAddrPort("192.0.2.191:5060")
	for _, tc := range []struct {
		name     string
		upstream string  // the software header of the SBC's 488
		late     float64 // seconds between the PBX's 488 and the SBC's
		want     int
	}{
		{"relayed", "User-Agent: OmniPCX/11", 0.001, 1},
		{"the SBC's own", "Server: VSBC/1.0", 0.001, 2},
		{"much later", "User-Agent: OmniPCX/11", 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newExchange(t)
			e.add(0, uac, sbcOut, "REFER sip:bob@example.com SIP/2.0|"+viaUAC, "1709929695 REFER")
			e.add(0.001, sbcIn, pbx, "REFER sip:bob@192.0.2.191 SIP/2.0|Via: SIP/2.0/UDP 192.0.2.50:5260;branch=z9hG4bK-sbc", "12 REFER")
			e.add(0.002, pbx, sbcIn, "SIP/2.0 488 Not Acceptable Here|Via: SIP/2.0/UDP 192.0.2.50:5260;branch=z9hG4bK-sbc", "12 REFER", "User-Agent: OmniPCX/11")
			e.add(0.002+tc.late, sbcOut, uac, "SIP/2.0 488 Not Acceptable Here|"+viaUAC, "1709929695 REFER", tc.upstream)
			rs := rejections(e.findings())
			if len(rs) != tc.want {
				t.Fatalf("%d call-rejected findings, want %d: %+v", len(rs), tc.want, rs)
			}
			if tc.want == 1 && (!strings.Contains(rs[0].Summary, "by "+pbx.String()) || len(rs[0].Messages) != 4) {
				t.Errorf("the relayed refusal: %q on %v, want the PBX's with both legs", rs[0].Summary, rs[0].Messages)
			}
		})
	}
}
