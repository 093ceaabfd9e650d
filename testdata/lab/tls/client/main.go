// Command client is the sipdbg TLS lab's SIP user agent: Go's crypto/tls
// with tls.Config.KeyLogWriter (NSS key log format), SIP written by hand so
// that the lab controls how messages map onto TLS records. It talks to the
// lab Kamailio (../kamailio-tls.cfg) and is started by
// ../regen-tls-captures.sh:
//
//	go run ./testdata/lab/tls/client -addr 127.0.0.1:5061 -ca cert.pem \
//	    -keylog F.keys -version 1.2 -suite gcm -scenario register
//
// Scenarios (user alice, password alicepw, realm sipdbg.test):
//
//	register   REGISTER -> 401 -> REGISTER with Authorization -> 200
//	invite     INVITE -> 407 -> ACK -> INVITE with Proxy-Authorization ->
//	           100/180/200 (SIPp UAS behind Kamailio) -> ACK -> BYE -> 200
//	records    REGISTER -> 401; then the authorised REGISTER and an OPTIONS
//	           in ONE Write (one TLS record, two SIP messages) -> 200, 200;
//	           then an OPTIONS in TWO Writes (one message, two records) -> 200
//	options    OPTIONS -> 200 (used to make a key log of another session)
//
// Every SIP message sent and received is printed on stderr.
package main

import (
	"bufio"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

const (
	user   = "alice"
	passwd = "alicepw"
	domain = "sipdbg.test"
)

var suites = map[string]uint16{
	"gcm":    tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"chacha": tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"cbc":    tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
}

type ua struct {
	c     *tls.Conn
	r     *bufio.Reader
	local string // host:port of our end
	tag   string
}

func main() {
	addr := flag.String("addr", "127.0.0.1:5061", "Kamailio's TLS listener")
	ca := flag.String("ca", "", "PEM certificate to trust (the lab's self-signed one)")
	keylog := flag.String("keylog", "", "append TLS secrets here (NSS key log format); empty: none")
	version := flag.String("version", "1.3", "TLS version: 1.2 or 1.3")
	suite := flag.String("suite", "", "TLS 1.2 cipher suite: gcm, chacha or cbc (TLS 1.3: Go chooses)")
	scenario := flag.String("scenario", "register", "register, invite, records or options")
	target := flag.String("target", "bob", "user called by the invite scenario")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("client: ")

	cfg := &tls.Config{ServerName: "127.0.0.1"}
	if *ca != "" {
		pem, err := os.ReadFile(*ca)
		if err != nil {
			log.Fatal(err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			log.Fatalf("no certificate in %s", *ca)
		}
		cfg.RootCAs = pool
	}
	switch *version {
	case "1.2":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS12, tls.VersionTLS12
		if *suite != "" {
			s, ok := suites[*suite]
			if !ok {
				log.Fatalf("unknown suite %q", *suite)
			}
			cfg.CipherSuites = []uint16{s}
		}
	case "1.3":
		cfg.MinVersion, cfg.MaxVersion = tls.VersionTLS13, tls.VersionTLS13
	default:
		log.Fatalf("unknown TLS version %q", *version)
	}
	if *keylog != "" {
		f, err := os.OpenFile(*keylog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		cfg.KeyLogWriter = f
	}
	c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", *addr, cfg)
	if err != nil {
		log.Fatal(err)
	}
	st := c.ConnectionState()
	log.Printf("connected %s -> %s, %s %s", c.LocalAddr(), c.RemoteAddr(),
		tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite))
	u := &ua{c: c, r: bufio.NewReader(c), local: c.LocalAddr().String(), tag: rnd(8)}
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	switch *scenario {
	case "register":
		u.register()
	case "invite":
		u.invite(*target)
	case "records":
		u.records()
	case "options":
		u.options(false)
	default:
		log.Fatalf("unknown scenario %q", *scenario)
	}
	// close_notify, then wait for the server to close its side
	_ = c.CloseWrite()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	_, _ = io.Copy(io.Discard, c)
	c.Close()
}

func rnd(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// msg is a SIP message as read: first line, headers (in order), body.
type msg struct {
	first string
	hdrs  []string
	body  string
}

func (m *msg) get(name string) string {
	for _, h := range m.hdrs {
		if k, v, ok := strings.Cut(h, ":"); ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func (m *msg) all(name string) []string {
	var out []string
	for _, h := range m.hdrs {
		if k, v, ok := strings.Cut(h, ":"); ok && strings.EqualFold(strings.TrimSpace(k), name) {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

func (m *msg) status() int {
	f := strings.Fields(m.first)
	if len(f) < 2 || f[0] != "SIP/2.0" {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

func (u *ua) read() *msg {
	m := &msg{}
	for {
		line, err := u.r.ReadString('\n')
		if err != nil {
			log.Fatalf("read: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if m.first == "" {
			if line == "" {
				continue // keepalive CRLF
			}
			m.first = line
			continue
		}
		if line == "" {
			break
		}
		m.hdrs = append(m.hdrs, line)
	}
	if n, _ := strconv.Atoi(m.get("Content-Length")); n > 0 {
		b := make([]byte, n)
		if _, err := io.ReadFull(u.r, b); err != nil {
			log.Fatalf("read body: %v", err)
		}
		m.body = string(b)
	}
	log.Printf("<<< %s (CSeq %s)", m.first, m.get("CSeq"))
	return m
}

// final reads responses up to the final one (provisional ones are logged)
func (u *ua) final() *msg {
	for {
		m := u.read()
		if m.status() >= 200 {
			return m
		}
	}
}

func (u *ua) write(parts ...string) {
	for i, p := range parts {
		if i > 0 {
			time.Sleep(100 * time.Millisecond) // a separate record, a separate segment
		}
		if _, err := u.c.Write([]byte(p)); err != nil {
			log.Fatalf("write: %v", err)
		}
	}
}

// req builds a request; extra headers are given without CRLF
func (u *ua) req(method, ruri, to, callID string, cseq int, branch string, extra []string, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s SIP/2.0\r\n", method, ruri)
	fmt.Fprintf(&b, "Via: SIP/2.0/TLS %s;branch=%s;rport\r\n", u.local, branch)
	b.WriteString("Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:%s@%s>;tag=%s\r\n", user, domain, u.tag)
	fmt.Fprintf(&b, "To: %s\r\n", to)
	fmt.Fprintf(&b, "Call-ID: %s\r\n", callID)
	fmt.Fprintf(&b, "CSeq: %d %s\r\n", cseq, method)
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("User-Agent: sipdbg-tls-lab (Go crypto/tls)\r\n")
	if body != "" {
		b.WriteString("Content-Type: application/sdp\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	for _, l := range strings.Split(strings.SplitN(b.String(), "\r\n", 2)[0], "\n") {
		log.Printf(">>> %s (CSeq %d %s)", l, cseq, method)
	}
	return b.String()
}

func branch() string { return "z9hG4bK" + rnd(8) }

func (u *ua) contact() string {
	return fmt.Sprintf("Contact: <sip:%s@%s;transport=tls>", user, u.local)
}

// digest answers a challenge header value (Digest realm=..., nonce=..., qop="auth")
func digest(chal, method, uri string) string {
	p := map[string]string{}
	s := strings.TrimSpace(chal)
	if !strings.HasPrefix(strings.ToLower(s), "digest ") {
		log.Fatalf("not a digest challenge: %s", chal)
	}
	for _, kv := range splitParams(s[7:]) {
		k, v, _ := strings.Cut(kv, "=")
		p[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	h := func(x string) string { s := md5.Sum([]byte(x)); return hex.EncodeToString(s[:]) }
	ha1 := h(user + ":" + p["realm"] + ":" + passwd)
	ha2 := h(method + ":" + uri)
	out := fmt.Sprintf(`Digest username="%s", realm="%s", nonce="%s", uri="%s"`, user, p["realm"], p["nonce"], uri)
	if strings.Contains(p["qop"], "auth") {
		cnonce, nc := rnd(8), "00000001"
		resp := h(ha1 + ":" + p["nonce"] + ":" + nc + ":" + cnonce + ":auth:" + ha2)
		out += fmt.Sprintf(`, response="%s", algorithm=MD5, cnonce="%s", qop=auth, nc=%s`, resp, cnonce, nc)
	} else {
		out += fmt.Sprintf(`, response="%s", algorithm=MD5`, h(ha1+":"+p["nonce"]+":"+ha2))
	}
	if o, ok := p["opaque"]; ok {
		out += fmt.Sprintf(`, opaque="%s"`, o)
	}
	return out
}

func splitParams(s string) []string {
	var out []string
	var cur strings.Builder
	q := false
	for _, r := range s {
		switch {
		case r == '"':
			q = !q
			cur.WriteRune(r)
		case r == ',' && !q:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, cur.String())
}

func expect(m *msg, code int) {
	if m.status() != code {
		log.Fatalf("expected %d, got %q", code, m.first)
	}
}

func (u *ua) registerMsg(callID string, cseq int, auth string) string {
	extra := []string{u.contact(), "Expires: 300"}
	if auth != "" {
		extra = append(extra, "Authorization: "+auth)
	}
	ruri := "sip:" + domain
	return u.req("REGISTER", ruri, fmt.Sprintf("<sip:%s@%s>", user, domain), callID, cseq, branch(), extra, "")
}

func (u *ua) register() {
	cid := rnd(12) + "@tls-lab"
	u.write(u.registerMsg(cid, 1, ""))
	m := u.final()
	expect(m, 401)
	u.write(u.registerMsg(cid, 2, digest(m.get("WWW-Authenticate"), "REGISTER", "sip:"+domain)))
	expect(u.final(), 200)
}

func (u *ua) optionsMsg(cseq int) string {
	return u.req("OPTIONS", "sip:127.0.0.1:5061;transport=tls", "<sip:127.0.0.1:5061>", rnd(12)+"@tls-lab", cseq,
		branch(), []string{"Accept: application/sdp"}, "")
}

func (u *ua) options(split bool) {
	o := u.optionsMsg(1)
	if split {
		i := strings.Index(o, "Call-ID:")
		u.write(o[:i], o[i:])
	} else {
		u.write(o)
	}
	expect(u.final(), 200)
}

func (u *ua) records() {
	cid := rnd(12) + "@tls-lab"
	u.write(u.registerMsg(cid, 1, ""))
	m := u.final()
	expect(m, 401)
	auth := digest(m.get("WWW-Authenticate"), "REGISTER", "sip:"+domain)
	// two SIP messages in one Write: one TLS record
	u.write(u.registerMsg(cid, 2, auth) + u.optionsMsg(1))
	a, b := u.final(), u.final()
	expect(a, 200)
	expect(b, 200)
	// one SIP message in two Writes: two TLS records
	u.options(true)
}

const sdp = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
	"m=audio 16100 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n"

func (u *ua) invite(target string) {
	cid := rnd(12) + "@tls-lab"
	ruri := fmt.Sprintf("sip:%s@%s", target, domain)
	to := fmt.Sprintf("<%s>", ruri)
	br := branch()
	u.write(u.req("INVITE", ruri, to, cid, 1, br, []string{u.contact()}, sdp))
	m := u.final()
	expect(m, 407)
	// ACK for a non-2xx final: the INVITE's branch, the 407's To (with tag)
	u.write(u.req("ACK", ruri, m.get("To"), cid, 1, br, nil, ""))
	auth := digest(m.get("Proxy-Authenticate"), "INVITE", ruri)
	u.write(u.req("INVITE", ruri, to, cid, 2, branch(), []string{u.contact(), "Proxy-Authorization: " + auth}, sdp))
	ok := u.final()
	expect(ok, 200)
	// the route set: Record-Route in reverse order (UAC side)
	var rr []string
	for _, v := range ok.all("Record-Route") {
		for _, x := range splitParams(v) {
			rr = append([]string{strings.TrimSpace(x)}, rr...)
		}
	}
	var routes []string
	for _, r := range rr {
		routes = append(routes, "Route: "+r)
	}
	remote := strings.Trim(strings.SplitN(ok.get("Contact"), ";", 2)[0], "<> ")
	if i := strings.Index(remote, ">"); i >= 0 {
		remote = remote[:i]
	}
	peer := ok.get("To")
	u.write(u.req("ACK", remote, peer, cid, 2, branch(), routes, ""))
	time.Sleep(500 * time.Millisecond)
	u.write(u.req("BYE", remote, peer, cid, 3, branch(), routes, ""))
	expect(u.final(), 200)
}
