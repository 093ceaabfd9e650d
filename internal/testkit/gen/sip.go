package gen

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
)

const (
	domain       = "voip.example.com"
	realm        = domain
	proxyHost    = "10.0.0.10:5060"
	proxyRoute   = "<sip:10.0.0.10;lr>"
	server       = "OpenSIPS (3.4.4 (x86_64/linux))"
	allow        = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, MESSAGE, NOTIFY, REFER, UPDATE, PRACK"
	proxyTCPPort = 5060
)

var agents = []string{
	"Yealink SIP-T46S 66.86.0.15",
	"Grandstream GXP2170 1.0.11.23",
	"PolycomVVX-VVX_450-UA/6.4.3.5018",
	"Linphone/5.2.0 (belle-sip/5.2.0)",
	"Zoiper rv2.10.20.2",
	"MicroSIP/3.21.3",
	"Cisco-CP8845/14.1.1",
	"Fanvil X4U 2.12.1.3",
	"snom D785/10.1.141.13",
	"Bria 6 release 6.5.5 stamp 117055",
}

var firstNames = []string{"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoe"}
var lastNames = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David"}

// ua is one user agent and its registration state.
type ua struct {
	user       string // "1000"
	nameAddr   string // "Alice Martin" <sip:1000@voip.example.com>
	aor        string // <sip:1000@voip.example.com>
	ep         endpoint
	hostport   string // sent-by: 10.20.1.7:5060
	tr         string // UDP or TCP
	tcp        bool
	contactURI string // sip:1000@10.20.1.7:5060;transport=udp
	contact    string // <contactURI>
	agent      string
	password   string
	style      int    // Call-ID style of its stack
	ephemeral  uint16 // next source port of its TCP connections
	rtpPort    uint16 // next RTP port (Config.RTP)

	regCallID string // kept across refreshes, as RFC 3261 §10.2.4 asks
	regTag    string
	regCSeq   uint32
	regUntil  int64 // a registration scenario runs until then
	nonce     string
	nc        int
}

func (g *gen) makeUAs(n int) {
	g.uas = make([]ua, n)
	for i := range g.uas {
		u := &g.uas[i]
		u.user = strconv.Itoa(1000 + i)
		name := firstNames[g.r.IntN(len(firstNames))] + " " + lastNames[g.r.IntN(len(lastNames))]
		u.aor = "<sip:" + u.user + "@" + domain + ">"
		u.nameAddr = `"` + name + `" ` + u.aor
		u.ep = endpoint{
			mac: [6]byte{0x02, 0x00, byte(i >> 24), byte(i >> 16), byte(i >> 8), byte(i)},
			ip:  [4]byte{10, byte(20 + i/(250*250)), byte(i/250%250 + 1), byte(i%250 + 1)},
		}
		u.ep.port = 5060
		if g.r.IntN(4) == 0 { // behind NAT: a mapped port
			u.ep.port = uint16(1024 + g.r.IntN(64000))
		}
		ip := strconv.Itoa(int(u.ep.ip[0])) + "." + strconv.Itoa(int(u.ep.ip[1])) + "." + strconv.Itoa(int(u.ep.ip[2])) + "." + strconv.Itoa(int(u.ep.ip[3]))
		u.hostport = ip + ":" + strconv.Itoa(int(u.ep.port))
		u.tr, u.tcp = "UDP", false
		if g.r.IntN(100) < 15 {
			u.tr, u.tcp = "TCP", true
			g.rep.TCPUAs++
		} else {
			g.udpUAs = append(g.udpUAs, int32(i))
		}
		lower := "udp"
		if u.tcp {
			lower = "tcp"
		}
		u.contactURI = "sip:" + u.user + "@" + u.hostport + ";transport=" + lower
		u.contact = "<" + u.contactURI + ">"
		u.style = g.r.IntN(3)
		u.agent = agents[g.r.IntN(len(agents))]
		u.password = "pw-" + u.user
		u.ephemeral = uint16(49152 + g.r.IntN(16000))
	}
	g.rep.UAs = n
}

func (u *ua) ipString() string { return u.hostport[:strings.IndexByte(u.hostport, ':')] }

// Random identifiers. Call-IDs carry a counter, so that they are unique
// whatever the random draws.

const hexDigits = "0123456789abcdef"

func appendHex(b []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		b = append(b, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return b
}

func (g *gen) hex(n int) string {
	b := make([]byte, 0, n)
	for n > 0 {
		k := min(n, 16)
		b = appendHex(b, g.r.Uint64(), k)
		n -= k
	}
	return string(b)
}

func (g *gen) branch() string {
	b := make([]byte, 0, 23)
	b = append(b, "z9hG4bK"...)
	return string(appendHex(b, g.r.Uint64(), 16))
}

func (g *gen) tag() string { return g.hex(8 + g.r.IntN(3)) }

// callID returns a new Call-ID in the style of u's stack (nil u: the proxy's).
func (g *gen) callID(u *ua) string {
	g.callSeq++
	g.rep.Calls++
	n := g.callSeq
	b := make([]byte, 0, 48)
	style, host := 0, "10.0.0.10"
	if u != nil {
		style, host = u.style, u.ipString()
	}
	switch style {
	case 0:
		b = appendHex(b, g.r.Uint64(), 12)
		b = appendHex(b, n, 8)
		b = append(b, '@')
		b = append(b, host...)
	case 1: // a UUID
		x := g.r.Uint64()
		b = appendHex(b, x>>32, 8)
		b = append(b, '-')
		b = appendHex(b, x>>16, 4)
		b = append(b, "-4"...)
		b = appendHex(b, x, 3)
		b = append(b, '-')
		b = appendHex(b, 0x8000|g.r.Uint64()&0x3fff, 4)
		b = append(b, '-')
		b = appendHex(b, n, 12)
	default:
		b = strconv.AppendUint(b, n, 10)
		b = append(b, '-')
		b = strconv.AppendUint(b, uint64(g.r.Uint32()), 10)
		b = append(b, '@')
		b = append(b, host...)
	}
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

func via(tr, hostport, branch string, rport bool) string {
	if rport {
		return "SIP/2.0/" + tr + " " + hostport + ";rport;branch=" + branch
	}
	return "SIP/2.0/" + tr + " " + hostport + ";branch=" + branch
}

// Message rendering. Messages are appended to g.m, a scratch buffer
// for the current scenario; a message is a subslice of it that stays
// valid (and unchanged) until the scenario is rendered.

func (g *gen) s(parts ...string) {
	for _, p := range parts {
		g.m = append(g.m, p...)
	}
}

func (g *gen) num(n uint32) { g.m = strconv.AppendUint(g.m, uint64(n), 10) }

// finish ends the headers started at st with Content-Type (if a body),
// Content-Length and the body, and returns the message.
func (g *gen) finish(st int, body []byte) []byte {
	if len(body) > 0 {
		g.s("Content-Type: application/sdp\r\n")
	}
	g.s("Content-Length: ")
	g.num(uint32(len(body)))
	g.s("\r\n\r\n")
	g.m = append(g.m, body...)
	return g.m[st:len(g.m):len(g.m)]
}

// rq is a request to render.
type rq struct {
	method, ruri string
	via          string
	route        bool
	maxFwd       string
	from, fTag   string
	to, tTag     string
	callID       string
	cseq         uint32
	contact      string
	authName     string // Authorization or Proxy-Authorization
	auth         string
	expires      string
	allow        bool
	agent        string
	accept       bool
	body         []byte
}

func (g *gen) req(q *rq) []byte {
	st := len(g.m)
	g.s(q.method, " ", q.ruri, " SIP/2.0\r\nVia: ", q.via, "\r\n")
	if q.route {
		g.s("Route: ", proxyRoute, "\r\n")
	}
	mf := q.maxFwd
	if mf == "" {
		mf = "70"
	}
	g.s("Max-Forwards: ", mf, "\r\nFrom: ", q.from, ";tag=", q.fTag, "\r\nTo: ", q.to)
	if q.tTag != "" {
		g.s(";tag=", q.tTag)
	}
	g.s("\r\nCall-ID: ", q.callID, "\r\nCSeq: ")
	g.num(q.cseq)
	g.s(" ", q.method, "\r\n")
	if q.contact != "" {
		g.s("Contact: ", q.contact)
		if q.expires != "" {
			g.s(";expires=", q.expires)
		}
		g.s("\r\n")
	}
	if q.auth != "" {
		g.s(q.authName, ": ", q.auth, "\r\n")
	}
	if q.expires != "" {
		g.s("Expires: ", q.expires, "\r\n")
	}
	if q.allow {
		g.s("Allow: ", allow, "\r\nSupported: replaces, timer, path\r\n")
	}
	if q.accept {
		g.s("Accept: application/sdp\r\n")
	}
	if q.agent != "" {
		g.s("User-Agent: ", q.agent, "\r\n")
	}
	return g.finish(st, q.body)
}

// lines calls fn for every header line of msg (without CRLF) and
// returns the offset of the body.
func lines(msg []byte, fn func(line []byte)) int {
	pos := bytes.IndexByte(msg, '\n') + 1
	for pos < len(msg) {
		e := bytes.IndexByte(msg[pos:], '\n')
		line := msg[pos : pos+e-1]
		pos += e + 1
		if len(line) == 0 {
			return pos
		}
		fn(line)
	}
	return pos
}

func hasPrefix(b []byte, p string) bool { return len(b) >= len(p) && string(b[:len(p)]) == p }

// resp renders a response to req (RFC 3261 §8.2.6.2): Via, Record-Route,
// From, To (with toTag added unless it has one), Call-ID and CSeq copied,
// then extra (complete header lines), then a Server or User-Agent line.
func (g *gen) resp(req []byte, code int, reason, toTag, extra, agentLine string, body []byte) []byte {
	st := len(g.m)
	g.s("SIP/2.0 ")
	g.num(uint32(code))
	g.s(" ", reason, "\r\n")
	lines(req, func(l []byte) {
		switch {
		case hasPrefix(l, "Via: "), hasPrefix(l, "Record-Route: "), hasPrefix(l, "From: "), hasPrefix(l, "Call-ID: "), hasPrefix(l, "CSeq: "):
		case hasPrefix(l, "To: "):
			g.m = append(g.m, l...)
			if toTag != "" && !bytes.Contains(l, []byte(";tag=")) {
				g.s(";tag=", toTag)
			}
			g.s("\r\n")
			return
		default:
			return
		}
		g.m = append(g.m, l...)
		g.s("\r\n")
	})
	g.s(extra)
	if agentLine != "" {
		g.s(agentLine, "\r\n")
	}
	return g.finish(st, body)
}

// forward renders the proxy's copy of a request (RFC 3261 §16.6): a new
// Request-URI (unless ruri is empty), its Via on top, Record-Route for
// an INVITE, Max-Forwards decremented, its own Route and the
// Proxy-Authorization it consumed removed.
func (g *gen) forward(req []byte, ruri, pvia string, recordRoute bool) []byte {
	st := len(g.m)
	sp := bytes.IndexByte(req, ' ')
	if ruri == "" {
		g.m = append(g.m, req[:bytes.IndexByte(req, '\n')+1]...)
	} else {
		g.m = append(g.m, req[:sp+1]...)
		g.s(ruri, " SIP/2.0\r\n")
	}
	g.s("Via: ", pvia, "\r\n")
	if recordRoute {
		g.s("Record-Route: ", proxyRoute, "\r\n")
	}
	body := lines(req, func(l []byte) {
		switch {
		case hasPrefix(l, "Route: "), hasPrefix(l, "Proxy-Authorization: "):
			return
		case hasPrefix(l, "Max-Forwards: "):
			n, _ := strconv.Atoi(string(l[len("Max-Forwards: "):]))
			g.s("Max-Forwards: ")
			g.num(uint32(n - 1))
		default:
			g.m = append(g.m, l...)
		}
		g.s("\r\n")
	})
	g.s("\r\n")
	g.m = append(g.m, req[body:]...)
	return g.m[st:len(g.m):len(g.m)]
}

// strip renders the proxy's copy of a response: the top Via removed
// (RFC 3261 §16.7 step 9).
func (g *gen) strip(resp []byte) []byte {
	st := len(g.m)
	g.m = append(g.m, resp[:bytes.IndexByte(resp, '\n')+1]...)
	first := true
	body := lines(resp, func(l []byte) {
		if first && hasPrefix(l, "Via: ") {
			first = false
			return
		}
		g.m = append(g.m, l...)
		g.s("\r\n")
	})
	g.s("\r\n")
	g.m = append(g.m, resp[body:]...)
	return g.m[st:len(g.m):len(g.m)]
}

// sdp renders an audio offer or answer of about 250 bytes.
func (g *gen) sdp(u *ua) []byte {
	st := len(g.m)
	id := uint32(g.r.Uint32() >> 1)
	ip := u.ipString()
	g.s("v=0\r\no=- ")
	g.num(id)
	g.s(" ")
	g.num(id)
	g.s(" IN IP4 ", ip, "\r\ns=-\r\nc=IN IP4 ", ip, "\r\nt=0 0\r\nm=audio ")
	g.num(uint32(10000 + 2*g.r.IntN(10000)))
	g.s(" RTP/AVP 0 8 9 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:9 G722/8000\r\n",
		"a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n")
	return g.m[st:len(g.m):len(g.m)]
}

func md5hex(parts ...string) string {
	h := md5.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{':'})
		}
		h.Write([]byte(p))
	}
	var sum [md5.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

// digest renders an Authorization / Proxy-Authorization value (RFC 2617
// §3.2.2, qop=auth) computed with the given password.
func (g *gen) digest(user, password, method, uri, nonce string, nc int) string {
	cnonce := g.hex(16)
	ncs := string(appendHex(nil, uint64(nc), 8))
	ha1 := md5hex(user, realm, password)
	ha2 := md5hex(method, uri)
	resp := md5hex(ha1, nonce, ncs, cnonce, "auth", ha2)
	return `Digest username="` + user + `", realm="` + realm + `", nonce="` + nonce + `", uri="` + uri +
		`", response="` + resp + `", algorithm=MD5, cnonce="` + cnonce + `", qop=auth, nc=` + ncs
}

func challenge(header, nonce string, stale bool) string {
	v := header + `: Digest realm="` + realm + `", nonce="` + nonce + `", algorithm=MD5, qop="auth"`
	if stale {
		v += ", stale=true"
	}
	return v + "\r\n"
}
