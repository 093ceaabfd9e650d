package analysis

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/session"
)

var (
	ua = netip.MustParseAddrPort("10.0.0.1:5060")
	px = netip.MustParseAddrPort("10.0.0.9:5060")
)

// flow builds a store message by message; each message is ~1 s after
// the previous unless at() moves the clock.
type flow struct {
	s   *session.Store
	now time.Time
}

func newFlow() *flow { return &flow{s: session.NewStore(), now: time.Unix(1700000000, 0)} }

func (f *flow) send(src, dst netip.AddrPort, raw string) {
	f.now = f.now.Add(100 * time.Millisecond)
	f.s.Message(&session.Input{Data: []byte(raw), Src: src, Dst: dst, Transport: session.UDP, Time: f.now})
}

func (f *flow) wait(d time.Duration) { f.now = f.now.Add(d) }

type rq struct {
	method, branch string
	cseq           int
	hdrs           string
	ruri           string
	fromUser       string
	toUser         string
}

func (f *flow) req(r rq) {
	if r.ruri == "" {
		r.ruri = "sip:bob@lab.test"
	}
	if r.fromUser == "" {
		r.fromUser = "alice"
	}
	if r.toUser == "" {
		r.toUser = "bob"
	}
	f.send(ua, px, fmt.Sprintf("%s %s SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\r\nFrom: <sip:%s@lab.test>;tag=a\r\n"+
		"To: <sip:%s@lab.test>\r\nCall-ID: c1\r\nCSeq: %d %s\r\n%sContent-Length: 0\r\n\r\n",
		r.method, r.ruri, r.branch, r.fromUser, r.toUser, r.cseq, r.method, r.hdrs))
}

func (f *flow) resp(status int, reason, method, branch string, cseq int, hdrs string) {
	f.send(px, ua, fmt.Sprintf("SIP/2.0 %d %s\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\r\nFrom: <sip:alice@lab.test>;tag=a\r\n"+
		"To: <sip:bob@lab.test>;tag=p\r\nCall-ID: c1\r\nCSeq: %d %s\r\n%sContent-Length: 0\r\n\r\n", status, reason, branch, cseq, method, hdrs))
}

func (f *flow) ack(branch string, cseq int) {
	f.send(ua, px, fmt.Sprintf("ACK sip:bob@lab.test SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=%s\r\nFrom: <sip:alice@lab.test>;tag=a\r\n"+
		"To: <sip:bob@lab.test>;tag=p\r\nCall-ID: c1\r\nCSeq: %d ACK\r\nContent-Length: 0\r\n\r\n", branch, cseq))
}

func chal(hdr, realm, nonce, extra string) string {
	return fmt.Sprintf("%s: Digest realm=\"%s\", nonce=\"%s\"%s\r\n", hdr, realm, nonce, extra)
}

// cred computes a real answer so that password checks have something true
// to find.
func cred(hdr, method, user, realm, pw, nonce, uri, extra string) string {
	resp, _, err := Compute(DigestInput{Method: method, URI: uri, Username: user, Realm: realm, Secret: Password(pw),
		Nonce: nonce, CNonce: "cn", NC: "00000001", Qop: "auth"})
	if err != nil {
		panic(err)
	}
	return fmt.Sprintf("%s: Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", response=\"%s\", qop=auth, nc=00000001, cnonce=\"cn\"%s\r\n",
		hdr, user, realm, nonce, uri, resp, extra)
}

const (
	pa   = "Proxy-Authenticate"
	wa   = "WWW-Authenticate"
	pz   = "Proxy-Authorization"
	az   = "Authorization"
	uri  = "sip:bob@lab.test"
	qop  = `, qop="auth"`
	lab  = "lab.test"
	core = "core.test"
)

func codes(t *testing.T, f *flow, opt Options) []string {
	t.Helper()
	var out []string
	for _, fd := range Diagnose(f.s, f.s.Calls()[0], opt) {
		out = append(out, string(fd.Code))
		if fd.Summary == "" || fd.Explanation == "" || !strings.HasPrefix(fd.RFC, "RFC ") || len(fd.Messages) == 0 {
			t.Errorf("%s lacks a field: %+v", fd.Code, fd)
		}
	}
	return out
}

func TestDiagnoseCodes(t *testing.T) {
	cases := []struct {
		name      string
		build     func(f *flow)
		opt       Options
		want, not []string
	}{
		{"407 then accepted", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
			f.ack("b1", 1)
			f.req(rq{method: "INVITE", branch: "b2", cseq: 2, hdrs: cred(pz, "INVITE", "alice", lab, "pw", "n1", uri, "")})
			f.resp(180, "Ringing", "INVITE", "b2", 2, "")
		}, Options{Credentials: []Credential{{Realm: lab, User: "alice", Secret: Password("pw")}}},
			[]string{"challenge-407", "password-match", "auth-accepted"}, []string{"ack-missing", "credentials-rejected", "digest-uri-mismatch"}},
		{"wrong password rejected", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "bob", lab, "wrong", "n1", uri, "")})
			f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, lab, "n2", qop))
		}, Options{Credentials: []Credential{{Realm: "*", User: "bob", Secret: Password("right")}}},
			[]string{"challenge-401", "password-mismatch", "credentials-rejected"}, []string{"auth-accepted", "auth-loop"}},
		{"valid credentials re-challenged: the server checks another realm", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "bob", lab, "right", "n1", uri, "")})
			f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, lab, "n2", qop))
		}, Options{Credentials: []Credential{{Realm: "*", User: "bob", Secret: Password("right")}}},
			[]string{"password-match", "credentials-rejected", "server-realm-mismatch"}, nil},
		{"403 after credentials", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", ""))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "bob", lab, "x", "n1", uri, "")})
			f.resp(403, "Forbidden", "REGISTER", "b2", 2, "")
		}, Options{}, []string{"forbidden-after-auth"}, []string{"credentials-rejected", "auth-accepted"}},
		{"never answered while the capture goes on", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
			f.ack("b1", 1)
			f.wait(5 * time.Second)
			f.resp(200, "OK", "OPTIONS", "b9", 9, "") // anything later: the capture ran on
		}, Options{}, []string{"challenge-407", "no-credentials-sent"}, []string{"ack-missing", "answer-not-captured"}},
		{"ACKed, and the capture ends", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
			f.ack("b1", 1)
		}, Options{}, []string{"challenge-407", "answer-not-captured"}, []string{"ack-missing", "no-credentials-sent"}},
		{"407 answered with Authorization", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
			f.ack("b1", 1)
			f.req(rq{method: "INVITE", branch: "b2", cseq: 2, hdrs: cred(az, "INVITE", "alice", lab, "pw", "n1", uri, "")})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b2", 2, chal(pa, lab, "n2", qop))
			f.ack("b2", 2)
		}, Options{}, []string{"wrong-auth-header"}, []string{"credentials-rejected"}},
		{"realm, nonce, algorithm", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", `, algorithm=SHA-256`+qop))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "bob", "other.test", "pw", "n1", uri, "")})
			f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, lab, "n2", `, algorithm=SHA-256`+qop))
			f.req(rq{method: "REGISTER", branch: "b3", cseq: 3, hdrs: cred(az, "REGISTER", "bob", lab, "pw", "n1", uri, ", algorithm=MD5")})
			f.resp(401, "Unauthorized", "REGISTER", "b3", 3, chal(wa, lab, "n3", `, algorithm=SHA-256`+qop))
		}, Options{}, []string{"realm-mismatch", "nonce-mismatch", "algorithm-mismatch"}, []string{"credentials-rejected", "auth-loop"}},
		{"stale then accepted", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1, hdrs: cred(az, "REGISTER", "bob", lab, "pw", "old", uri, "")})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop+", stale=true"))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: cred(az, "REGISTER", "bob", lab, "pw", "n1", uri, "")})
			f.resp(200, "OK", "REGISTER", "b2", 2, "")
		}, Options{}, []string{"stale-nonce", "auth-accepted"}, []string{"credentials-rejected", "no-credentials-sent"}},
		{"details: qop, uri, username, cseq", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
			f.ack("b1", 1)
			f.req(rq{method: "INVITE", branch: "b2", cseq: 1, hdrs: `Proxy-Authorization: Digest username="carol", realm="lab.test", nonce="n1", uri="sip:10.0.0.9", response="00"` + "\r\n"})
			f.resp(100, "Trying", "INVITE", "b2", 1, "")
		}, Options{}, []string{"qop-missing", "digest-uri-mismatch", "username-mismatch", "cseq-not-incremented"}, nil},
		{"ACK missing, retransmissions", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
		}, Options{}, []string{"ack-missing", "answer-not-captured"}, []string{"ack-branch-mismatch", "no-credentials-sent"}},
		{"ACK with a new branch", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
			f.ack("other", 1)
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", ""))
		}, Options{}, []string{"ack-branch-mismatch"}, []string{"ack-missing"}},
		{"two realms, credentials dropped", func(f *flow) {
			f.req(rq{method: "INVITE", branch: "b1", cseq: 1})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b1", 1, chal(pa, lab, "n1", qop))
			f.ack("b1", 1)
			f.req(rq{method: "INVITE", branch: "b2", cseq: 2, hdrs: cred(pz, "INVITE", "alice", lab, "pw", "n1", uri, "")})
			f.resp(401, "Unauthorized", "INVITE", "b2", 2, chal(wa, core, "c1", qop))
			f.ack("b2", 2)
			f.req(rq{method: "INVITE", branch: "b3", cseq: 3, hdrs: cred(az, "INVITE", "alice", core, "cpw", "c1", uri, "")})
			f.resp(407, "Proxy Authentication Required", "INVITE", "b3", 3, chal(pa, lab, "n2", qop))
			f.ack("b3", 3)
		}, Options{}, []string{"challenge-407", "auth-accepted", "challenge-401", "multiple-realms", "credentials-dropped"}, []string{"credentials-rejected"}},
		{"three answers challenged again in a row", func(f *flow) {
			for i := 1; i <= 4; i++ {
				h := ""
				if i > 1 {
					h = cred(pz, "INVITE", "alice", lab, "bad", fmt.Sprint("n", i-1), uri, "")
				}
				f.req(rq{method: "INVITE", branch: fmt.Sprint("b", i), cseq: i, hdrs: h})
				f.resp(407, "Proxy Authentication Required", "INVITE", fmt.Sprint("b", i), i, chal(pa, lab, fmt.Sprint("n", i), qop))
				f.ack(fmt.Sprint("b", i), i)
			}
		}, Options{}, []string{"auth-loop", "credentials-rejected"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFlow()
			c.build(f)
			got := codes(t, f, c.opt)
			joined := " " + strings.Join(got, " ") + " "
			for _, w := range c.want {
				if !strings.Contains(joined, " "+w+" ") {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, n := range c.not {
				if strings.Contains(joined, " "+n+" ") {
					t.Errorf("unexpected %s in %v", n, got)
				}
			}
		})
	}
}

func TestPasswordMistakeIsNamed(t *testing.T) {
	f := newFlow()
	f.req(rq{method: "REGISTER", branch: "b1", cseq: 1, ruri: "sip:lab.test"})
	f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop))
	// The client hashed the Request-URI but wrote another uri in the header.
	h := cred(az, "REGISTER", "bob", lab, "pw", "n1", "sip:lab.test", "")
	h = strings.Replace(h, `uri="sip:lab.test"`, `uri="sip:10.0.0.9:5060"`, 1)
	f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, ruri: "sip:lab.test", hdrs: h})
	f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, lab, "n2", qop))
	fs := Diagnose(f.s, f.s.Calls()[0], Options{Credentials: []Credential{{Realm: lab, User: "bob", Secret: Password("pw")}}})
	for _, fd := range fs {
		if fd.Code == CodePasswordMismatch {
			if !strings.Contains(fd.Summary, "Request-URI") || len(fd.Steps) != 4 {
				t.Errorf("mismatch not explained: %s (%d steps)", fd.Summary, len(fd.Steps))
			}
			for _, st := range fd.Steps {
				if strings.Contains(st.Formula, ":pw)") {
					t.Errorf("a step shows the password: %s", st.Formula)
				}
			}
			return
		}
	}
	t.Errorf("no password-mismatch in %v", fs)
}
