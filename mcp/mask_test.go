package mcp

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		masked         []string
	}{
		{"digest quoted",
			"REGISTER sip:a SIP/2.0\r\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n1\", response=\"0123abcd\", cnonce=\"c0ffee\", nc=00000001\r\n\r\n",
			"REGISTER sip:a SIP/2.0\r\nAuthorization: Digest username=\"alice\", realm=\"r\", nonce=\"n1\", response=\"********\", cnonce=\"********\", nc=00000001\r\n\r\n",
			[]string{"Authorization response and cnonce"}},
		{"proxy, unquoted, any case, no spaces",
			"INVITE sip:b SIP/2.0\nproxy-authorization: digest RESPONSE=0123abcd,CNonce=c0ffee,nonce=\"n\"\n\nv=0\n",
			"INVITE sip:b SIP/2.0\nproxy-authorization: digest RESPONSE=********,CNonce=********,nonce=\"n\"\n\nv=0\n",
			[]string{"proxy-authorization response and cnonce"}},
		{"folded header (RFC 3261 §7.3.1)",
			"REGISTER sip:a SIP/2.0\r\nAuthorization: Digest username=\"alice\",\r\n response=\r\n  \"0123abcd\"\r\nCSeq: 2 REGISTER\r\n\r\n",
			"REGISTER sip:a SIP/2.0\r\nAuthorization: Digest username=\"alice\",\r\n response=\r\n  \"********\"\r\nCSeq: 2 REGISTER\r\n\r\n",
			[]string{"Authorization response and cnonce"}},
		{"basic",
			"REGISTER sip:a SIP/2.0\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n",
			"REGISTER sip:a SIP/2.0\r\nAuthorization: Basic ********\r\n\r\n",
			[]string{"Authorization Basic credentials"}},
		{"nonce, rspauth and the challenge stay",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"\r\nAuthentication-Info: rspauth=\"99\", cnonce=\"c\"\r\n\r\n",
			"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n1\", qop=\"auth\"\r\nAuthentication-Info: rspauth=\"99\", cnonce=\"c\"\r\n\r\n",
			nil},
		{"a response word outside the auth headers stays",
			"MESSAGE sip:b SIP/2.0\r\nSubject: response=fast\r\n\r\nresponse=42",
			"MESSAGE sip:b SIP/2.0\r\nSubject: response=fast\r\n\r\nresponse=42",
			nil},
		{"URI password (RFC 3261 §19.1.1)",
			"INVITE sip:bob:hunter2@example.com SIP/2.0\r\nFrom: <sips:alice:pw@example.com>;tag=1\r\nContact: <sip:example.com:5060;lr>\r\n\r\n",
			"INVITE sip:bob:********@example.com SIP/2.0\r\nFrom: <sips:alice:********@example.com>;tag=1\r\nContact: <sip:example.com:5060;lr>\r\n\r\n",
			[]string{"URI password"}},
		{"password parameters and elements in a body",
			"NOTIFY sip:b SIP/2.0\r\nX-Password: hunter2\r\n\r\n{\"password\": \"s3cr\\\"et\"}\nuser=a&passwd=p4ss&x=1\n<Password>xml-secret</Password>",
			"NOTIFY sip:b SIP/2.0\r\nX-Password: ********\r\n\r\n{\"password\": \"********\"}\nuser=a&passwd=********&x=1\n<Password>********</Password>",
			[]string{"password parameter", "password element"}},
		{"no headers end", "garbage", "garbage", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, what := Mask(c.in)
			if got != c.want {
				t.Errorf("Mask:\n got %q\nwant %q", got, c.want)
			}
			if strings.Join(what, "|") != strings.Join(c.masked, "|") {
				t.Errorf("masked %q, want %q", what, c.masked)
			}
		})
	}
}

// FuzzMask: whatever parameters come before it, a digest response in
// an Authorization header never survives, nor do another scheme's
// credentials; a message without secrets is kept as it is.
func FuzzMask(f *testing.F) {
	f.Add(`username="a", realm="r"`, "0123abcd", "Basic")
	f.Add("", "secretvalue1", "Bearer")
	f.Add(`nonce="x\"y", uri=sip:a`, "c0ffee00", "Digest")
	f.Fuzz(func(t *testing.T, params, secret, scheme string) {
		if len(secret) < 6 || strings.ContainsAny(secret, "\"\\\r\n \t,;") || strings.ContainsAny(params, "\"\r\n") ||
			strings.Contains(params+scheme+"REGISTER sip:a SIP/2.0 Authorization: Digest CSeq: 1 REGISTER", secret) {
			return
		}
		in := "REGISTER sip:a SIP/2.0\r\nAuthorization: Digest " + params + ", response=\"" + secret + "\"\r\nCSeq: 1 REGISTER\r\n\r\n"
		if got, _ := Mask(in); strings.Contains(got, secret) {
			t.Errorf("%q: the response %q survives: %q", in, secret, got)
		}
		if scheme != "" && !strings.EqualFold(scheme, "digest") && !strings.ContainsAny(scheme, " \t\r\n:") && authScheme.MatchString(scheme+" x") {
			in := "REGISTER sip:a SIP/2.0\r\nProxy-Authorization: " + scheme + " " + secret + "\r\n\r\n"
			if got, _ := Mask(in); strings.Contains(got, secret) {
				t.Errorf("%q: the credentials %q survive: %q", in, secret, got)
			}
		}
		plain := "OPTIONS sip:a SIP/2.0\r\nCSeq: 1 OPTIONS\r\nX: " + params + "\r\n\r\n"
		if strings.Contains(strings.ToLower(params), "sip") || strings.Contains(strings.ToLower(params), "passw") {
			return
		}
		if got, what := Mask(plain); got != plain || what != nil {
			t.Errorf("plain text changed: %q", got)
		}
	})
}
