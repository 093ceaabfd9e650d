package analysis

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// sev returns the severity of the first finding of code, and whether
// there is one.
func sev(f *flow, code Code) (Severity, bool) {
	for _, fd := range Diagnose(f.s, f.s.Calls()[0], Options{}) {
		if fd.Code == code {
			return fd.Severity, true
		}
	}
	return 0, false
}

// The patterns of issue "A diagnosis you can trust", each on a flow
// built to show it; the real captures are in corpus_test.go.
func TestTrustPatterns(t *testing.T) {
	t.Run("a client that stops after a rejection is not blamed for not answering", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
		f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "alice", lab, "typo", "n1", uri, "")})
		f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, lab, "n2", qop))
		f.wait(100 * time.Second)
		f.req(rq{method: "OPTIONS", branch: "b3", cseq: 3})
		if _, ok := sev(f, CodeNoCredentialsSent); ok {
			t.Error("no-credentials-sent after credentials-rejected")
		}
		if _, ok := sev(f, CodeCredentialsRejected); !ok {
			t.Error("no credentials-rejected")
		}
	})
	t.Run("a capture that ends right after the challenge", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
		if s, ok := sev(f, CodeAnswerNotCaptured); !ok || s != Info {
			t.Errorf("answer-not-captured %v %v, want info", s, ok)
		}
		if _, ok := sev(f, CodeNoCredentialsSent); ok {
			t.Error("no-credentials-sent when the capture ends")
		}
	})
	t.Run("a client that goes on in the call without answering", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
		f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
		f.ack("b1", 1)
		f.req(rq{method: "OPTIONS", branch: "b2", cseq: 2})
		if s, ok := sev(f, CodeNoCredentialsSent); !ok || s != Error {
			t.Errorf("no-credentials-sent %v %v, want error", s, ok)
		}
	})
	t.Run("a 2xx to a later CSeq shows the answer went elsewhere", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
		f.resp(200, "OK", "REGISTER", "b9", 2, "") // the retry itself went inside IPsec
		if _, ok := sev(f, CodeNoCredentialsSent); ok {
			t.Error("no-credentials-sent although a 2xx shows success")
		}
		if _, ok := sev(f, CodeAuthAccepted); !ok {
			t.Error("no auth-accepted")
		}
	})
	t.Run("a REGISTER for another address of record is not the retry", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b1", cseq: 1, toUser: "carol"})
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
		f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, toUser: "bob", hdrs: cred(az, "REGISTER", "bob", lab, "pw", "n1", uri, "")})
		f.resp(200, "OK", "REGISTER", "b2", 2, "")
		// Bob's REGISTER answers no challenge: nothing was accepted, and
		// carol's challenge went unanswered while the client went on.
		if _, ok := sev(f, CodeAuthAccepted); ok {
			t.Error("carol's challenge judged by bob's registration")
		}
		if _, ok := sev(f, CodeNoCredentialsSent); !ok {
			t.Error("carol's challenge not reported as unanswered")
		}
	})
	t.Run("the retry went to another hop and succeeded", func(t *testing.T) {
		// IMS: the P-CSCF relays the UE's REGISTER to one S-CSCF, which
		// challenges; the protected retry goes to another S-CSCF.
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, "ims.test", "n1", qop+", algorithm=AKAv1-MD5"))
		s2 := netip.MustParseAddrPort("10.0.0.12:5060")
		f.send(ua, s2, "REGISTER sip:ims.test SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=b2\r\nFrom: <sip:alice@lab.test>;tag=a\r\n"+
			"To: <sip:bob@lab.test>\r\nCall-ID: c1\r\nCSeq: 2 REGISTER\r\n"+
			`Authorization: Digest username="alice@ims.test", realm="ims.test", nonce="n1", uri="sip:ims.test", response="ab", qop=auth, nc=00000001, cnonce="c", algorithm=AKAv1-MD5`+
			"\r\nContent-Length: 0\r\n\r\n")
		f.send(s2, ua, "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=b2\r\nFrom: <sip:alice@lab.test>;tag=a\r\n"+
			"To: <sip:bob@lab.test>;tag=s\r\nCall-ID: c1\r\nCSeq: 2 REGISTER\r\nContent-Length: 0\r\n\r\n")
		fs := Diagnose(f.s, f.s.Calls()[0], Options{})
		v := VerdictOf(fs)
		if v == nil || v.Code != CodeAuthAccepted || !strings.Contains(v.Summary, "10.0.0.12:5060") {
			t.Errorf("verdict %+v, want auth-accepted naming the other hop", v)
		}
		for _, fd := range fs {
			if fd.Severity > Info {
				t.Errorf("%s %s: %s", fd.Severity, fd.Code, fd.Summary)
			}
		}
	})
	t.Run("accepted credentials: uri, username and qop are info", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
		f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
		f.ack("b1", 1)
		f.req(rq{method: "INVITE", branch: "b2", cseq: 2, hdrs: `Proxy-Authorization: Digest username="carol", realm="lab.test", nonce="n1", uri="sip:10.0.0.9", response="00"` + "\r\n"})
		f.resp(200, "OK", "INVITE", "b2", 2, "")
		for _, c := range []Code{CodeDigestURIMismatch, CodeUsernameMismatch, CodeQopMissing} {
			if s, ok := sev(f, c); !ok || s != Info {
				t.Errorf("%s: %v %v, want info", c, s, ok)
			}
		}
	})
	t.Run("refused credentials: uri, username and qop may explain it", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
		f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
		f.ack("b1", 1)
		f.req(rq{method: "INVITE", branch: "b2", cseq: 2, hdrs: `Proxy-Authorization: Digest username="carol", realm="lab.test", nonce="n1", uri="sip:10.0.0.9", response="00"` + "\r\n"})
		f.resp(403, "Forbidden", "INVITE", "b2", 2, "")
		for _, c := range []Code{CodeDigestURIMismatch, CodeUsernameMismatch} {
			if s, ok := sev(f, c); !ok || s != Warning {
				t.Errorf("%s: %v %v, want warning", c, s, ok)
			}
		}
	})
	t.Run("nc 00000001 again after the server re-issued the nonce", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
		f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "alice", lab, "typo", "n1", uri, "")})
		f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, lab, "n1", qop)) // the same nonce, issued again
		f.req(rq{method: "REGISTER", branch: "b3", cseq: 3, hdrs: cred(az, "REGISTER", "alice", lab, "pw", "n1", uri, "")})
		f.resp(200, "OK", "REGISTER", "b3", 3, "")
		if _, ok := sev(f, CodeNonceCountReused); ok {
			t.Error("nonce-count-reused on a re-issued nonce")
		}
		if _, ok := sev(f, CodeQopMissing); ok {
			t.Error("qop-missing although qop=auth is present")
		}
	})
	// SIP.js 0.21 resends its un-REGISTER with the Authorization of the
	// REGISTER, nc=00000001 again (tools-sipjs-ws-register-ok.pcap).
	// Kamailio, which does not check nc by default, accepts it: info.
	// A server that refuses it makes it a warning.
	for _, tc := range []struct {
		status int
		reason string
		want   Severity
	}{{200, "OK", Info}, {401, "Unauthorized", Warning}} {
		t.Run("nc not increased on a nonce the server did not re-issue, answered "+itoa(tc.status), func(t *testing.T) {
			f := newFlow()
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "alice", lab, "pw", "n1", uri, "")})
			f.resp(200, "OK", "REGISTER", "b2", 2, "")
			f.req(rq{method: "REGISTER", branch: "b3", cseq: 3, hdrs: cred(az, "REGISTER", "alice", lab, "pw", "n1", uri, "")})
			hdrs := ""
			if tc.status == 401 {
				hdrs = chal(wa, lab, "n2", qop)
			}
			f.resp(tc.status, tc.reason, "REGISTER", "b3", 3, hdrs)
			if s, ok := sev(f, CodeNonceCountReused); !ok || s != tc.want {
				t.Errorf("nonce-count-reused %v %v, want %v", s, ok, tc.want)
			}
		})
	}
	t.Run("sixty re-challenges are one finding with a count", func(t *testing.T) {
		f := newFlow()
		f.req(rq{method: "REGISTER", branch: "b0", cseq: 1})
		f.resp(401, "Unauthorized", "REGISTER", "b0", 1, chal(wa, lab, "n1", qop))
		for i := 2; i <= 61; i++ {
			b := "b" + itoa(i)
			f.req(rq{method: "REGISTER", branch: b, cseq: i, hdrs: cred(az, "REGISTER", "alice", lab, "typo", "n1", uri, "")})
			f.resp(401, "Unauthorized", "REGISTER", b, i, chal(wa, lab, "n1", qop))
		}
		fs := Diagnose(f.s, f.s.Calls()[0], Options{})
		if len(fs) > 6 {
			t.Errorf("%d findings for one repeated failure", len(fs))
		}
		n := map[Code]int{}
		for _, fd := range fs {
			n[fd.Code] += fd.Times()
		}
		if n[CodeChallenge401] != 61 || n[CodeCredentialsRejected] != 60 {
			t.Errorf("counts %v, want 61 challenges and 60 rejections", n)
		}
		if v := VerdictOf(fs); v == nil || v.Code != CodeCredentialsRejected {
			t.Errorf("verdict %+v, want credentials-rejected", v)
		}
	})
}

// Two realms with one password (pattern 6): the core's 401 is the next
// realm's challenge, and the core's response is reproduced by the
// edge's password.
func TestOnePasswordTwoRealms(t *testing.T) {
	f := newFlow()
	f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
	f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
	f.ack("b1", 1)
	f.req(rq{method: "INVITE", branch: "b2", cseq: 2, hdrs: cred(pz, "INVITE", "alice", lab, "edgepw", "n1", uri, "")})
	f.resp(401, "Unauthorized", "INVITE", "b2", 2, chal(wa, core, "n2", qop))
	f.ack("b2", 2)
	f.req(rq{method: "INVITE", branch: "b3", cseq: 3, hdrs: cred(pz, "INVITE", "alice", lab, "edgepw", "n1", uri, "") +
		cred(az, "INVITE", "alice", core, "edgepw", "n2", uri, "")})
	f.resp(401, "Unauthorized", "INVITE", "b3", 3, chal(wa, core, "n3", qop))
	f.ack("b3", 3)
	opt := Options{Credentials: []Credential{{Realm: lab, User: "alice", Secret: Password("edgepw")}, {Realm: core, User: "alice", Secret: Password("corepw")}}}
	fs := Diagnose(f.s, f.s.Calls()[0], opt)
	v := VerdictOf(fs)
	if v == nil || v.Code != CodeRealmPasswordReused {
		t.Fatalf("verdict %+v, want realm-password-reused", v)
	}
	for _, fd := range fs {
		if fd.Code == CodeAuthAccepted && fd.Severity == Info && strings.Contains(fd.Summary, "the retry got 401") {
			t.Errorf("the next realm's challenge read as an outcome: %s", fd.Summary)
		}
		if fd.Code == CodePasswordMismatch && !strings.Contains(fd.Summary, `realm "lab.test"'s password`) {
			t.Errorf("password-mismatch does not name the other realm's password: %s", fd.Summary)
		}
	}
}

// An office behind one NAT address: phones log in fine, and three of
// them keep a wrong password. That is not password guessing.
func TestOfficeBehindNATIsNotGuessing(t *testing.T) {
	f := newFlow()
	ua := netip.MustParseAddrPort("198.51.100.7:5060")
	for i, user := range []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"} {
		wrong := i < 3
		for round := 0; round < 2; round++ {
			cid := user + "-" + itoa(round)
			reg := func(cseq int, hdr string) string {
				return "REGISTER sip:lab.test SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=b" + cid + itoa(cseq) +
					"\r\nFrom: <sip:" + user + "@lab.test>;tag=a\r\nTo: <sip:" + user + "@lab.test>\r\nCall-ID: " + cid +
					"\r\nCSeq: " + itoa(cseq) + " REGISTER\r\n" + hdr + "Content-Length: 0\r\n\r\n"
			}
			resp := func(cseq, status int, reason, hdr string) string {
				return "SIP/2.0 " + itoa(status) + " " + reason + "\r\nVia: SIP/2.0/UDP 198.51.100.7:5060;branch=b" + cid + itoa(cseq) +
					"\r\nFrom: <sip:" + user + "@lab.test>;tag=a\r\nTo: <sip:" + user + "@lab.test>;tag=s\r\nCall-ID: " + cid +
					"\r\nCSeq: " + itoa(cseq) + " REGISTER\r\n" + hdr + "Content-Length: 0\r\n\r\n"
			}
			pw := "pw"
			if wrong {
				pw = "typo"
			}
			f.send(ua, px, reg(1, ""))
			f.send(px, ua, resp(1, 401, "Unauthorized", chal(wa, lab, "n"+cid, qop)))
			f.send(ua, px, reg(2, cred(az, "REGISTER", user, lab, pw, "n"+cid, "sip:lab.test", "")))
			if wrong {
				f.send(px, ua, resp(2, 403, "Forbidden", ""))
			} else {
				f.send(px, ua, resp(2, 200, "OK", ""))
			}
		}
	}
	opt := Options{Survey: NewSurvey(f.s)}
	for _, c := range f.s.Calls() {
		for _, fd := range Diagnose(f.s, c, opt) {
			if fd.Code == CodePasswordGuessing || fd.Code == CodeAccountCompromised {
				t.Fatalf("%s on an office's phones: %s", fd.Code, fd.Summary)
			}
		}
	}
}

// An OPTIONS sweep (most addresses silent) is a scanner; a monitor that
// pings a dozen servers that answer is not.
func TestOptionsSweep(t *testing.T) {
	for _, answered := range []bool{false, true} {
		f := newFlow()
		src := netip.MustParseAddrPort("203.0.113.9:5070")
		for i := 1; i <= 12; i++ {
			dst := netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), 5060)
			cid := "o" + itoa(i)
			head := "Via: SIP/2.0/UDP 203.0.113.9:5070;branch=b" + cid + "\r\nFrom: <sip:100@203.0.113.9>;tag=a\r\nTo: <sip:100@" +
				dst.Addr().String() + ">\r\nCall-ID: " + cid + "\r\nCSeq: 1 OPTIONS\r\n"
			f.send(src, dst, "OPTIONS sip:100@"+dst.Addr().String()+" SIP/2.0\r\n"+head+"Content-Length: 0\r\n\r\n")
			if answered || i <= 2 {
				f.send(dst, src, "SIP/2.0 200 OK\r\n"+head+"Content-Length: 0\r\n\r\n")
			}
		}
		opt := Options{Survey: NewSurvey(f.s)}
		scanner := false
		for _, c := range f.s.Calls() {
			for _, fd := range Diagnose(f.s, c, opt) {
				scanner = scanner || fd.Code == CodeScanner
			}
		}
		if scanner == answered {
			t.Errorf("servers answering: %v; scanner found: %v", answered, scanner)
		}
	}
}
