package analysis

import (
	"slices"
	"testing"
)

// Schemes other than Digest are named and judged by their own rules
// (issue "A diagnosis you can trust", pattern 5).
func TestSchemes(t *testing.T) {
	cases := []struct {
		name      string
		build     func(f *flow)
		want, not []Code
	}{
		{"Basic, accepted", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, `WWW-Authenticate: Basic realm="lab.test"`+"\r\n")
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: "Authorization: Basic YWxpY2U6cHc=\r\n"})
			f.resp(200, "OK", "REGISTER", "b2", 2, "")
		}, []Code{CodeAuthScheme, CodeBasicAuth, CodeAuthAccepted}, []Code{CodeRealmMismatch, CodeNonceMismatch, CodeAlgorithmMismatch, CodeCredentialsRejected}},
		{"Bearer, refused token", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, `WWW-Authenticate: Bearer realm="lab.test", authz_server="https://as.lab.test"`+"\r\n")
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: "Authorization: Bearer eyJhbGciOi.x.y\r\n"})
			f.resp(401, "Unauthorized", "REGISTER", "b2", 2, `WWW-Authenticate: Bearer realm="lab.test", error="invalid_token"`+"\r\n")
		}, []Code{CodeAuthScheme, CodeCredentialsRejected}, []Code{CodeRealmMismatch, CodeDigestURIMismatch, CodeNoCredentialsSent}},
		{"NTLM handshake: two 401s then 200", func(f *flow) {
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, `WWW-Authenticate: NTLM realm="SIP Communications Service", targetname="fe.lab.test", version=3`+"\r\n")
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: `Authorization: NTLM qop="auth", realm="SIP Communications Service", targetname="fe.lab.test", gssapi-data="", version=3` + "\r\n"})
			f.resp(401, "Unauthorized", "REGISTER", "b2", 2, `WWW-Authenticate: NTLM opaque="A1B2", gssapi-data="TlRMTVNTUAACAAAA", realm="SIP Communications Service", targetname="fe.lab.test", version=3`+"\r\n")
			f.req(rq{method: "REGISTER", branch: "b3", cseq: 3, hdrs: `Authorization: NTLM qop="auth", realm="SIP Communications Service", opaque="A1B2", targetname="fe.lab.test", gssapi-data="TlRMTVNTUAADAAAA", version=3` + "\r\n"})
			f.resp(200, "OK", "REGISTER", "b3", 3, "")
		}, []Code{CodeAuthScheme, CodeAuthAccepted}, []Code{CodeCredentialsRejected, CodeDigestURIMismatch, CodeUsernameMismatch, CodeAuthLoop, CodeNonceMismatch, CodeQopMissing}},
		{"AKA resynchronisation then success", func(f *flow) {
			aka := `, algorithm=AKAv1-MD5`
			f.req(rq{method: "REGISTER", branch: "b1", cseq: 1})
			f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, "ims.test", "n1", qop+aka))
			f.req(rq{method: "REGISTER", branch: "b2", cseq: 2, hdrs: `Authorization: Digest username="u@ims.test", realm="ims.test", nonce="n1", uri="sip:ims.test", response="", auts="AAAA", algorithm=AKAv1-MD5` + "\r\n"})
			f.resp(401, "Unauthorized", "REGISTER", "b2", 2, chal(wa, "ims.test", "n2", qop+aka))
			f.req(rq{method: "REGISTER", branch: "b3", cseq: 3, hdrs: `Authorization: Digest username="u@ims.test", realm="ims.test", nonce="n2", uri="sip:ims.test", response="ab", qop=auth, nc=00000001, cnonce="c", algorithm=AKAv1-MD5` + "\r\n"})
			f.resp(200, "OK", "REGISTER", "b3", 3, "")
		}, []Code{CodeAuthScheme, CodeAuthAccepted}, []Code{CodeCredentialsRejected, CodePasswordMismatch}},
	}
	cases = append(cases, struct {
		name      string
		build     func(f *flow)
		want, not []Code
	}{"only the challenge, with two algorithms", func(f *flow) {
		f.resp(401, "Unauthorized", "REGISTER", "b1", 1, chal(wa, lab, "n1", qop+", algorithm=SHA-256")+chal(wa, lab, "n2", qop))
	}, []Code{CodeAnswerNotCaptured}, []Code{CodeAlgorithmUnanswered, CodeNoCredentialsSent}})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFlow()
			c.build(f)
			opt := Options{Credentials: []Credential{{Realm: "*", Secret: Password("pw")}}}
			var got []Code
			for _, fd := range Diagnose(f.s, f.s.Calls()[0], opt) {
				got = append(got, fd.Code)
			}
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %s in %v", w, got)
				}
			}
			for _, n := range c.not {
				if slices.Contains(got, n) {
					t.Errorf("unexpected %s in %v", n, got)
				}
			}
		})
	}
}
