package gen

// leg is the path between one user agent and the proxy, over UDP or
// over a TCP connection of its own.
type leg struct {
	u        *ua
	conn     *tcpConn // nil: UDP
	uaClient bool     // the UA opened the connection
}

func (g *gen) leg(u *ua, uaClient bool) *leg {
	l := &leg{u: u, uaClient: uaClient}
	if !u.tcp {
		return l
	}
	c := &tcpConn{}
	if uaClient {
		c.cli, c.srv = u.ep, g.proxy
		c.cli.port = u.ephemeral
		if u.ephemeral++; u.ephemeral == 0 {
			u.ephemeral = 49152
		}
	} else {
		c.cli, c.srv = g.proxy, u.ep
		c.cli.port = g.pport
		if g.pport++; g.pport > 60999 {
			g.pport = 32768
		}
	}
	l.conn = c
	return l
}

// send sends one SIP message on l, from the UA or from the proxy.
func (g *gen) send(l *leg, fromUA bool, msg []byte) {
	g.rep.SIPMessages++
	if l.conn == nil {
		g.rep.UDPMessages++
		if fromUA {
			g.udp(&l.u.ep, &g.proxy, msg)
		} else {
			g.udp(&g.proxy, &l.u.ep, msg)
		}
		return
	}
	g.rep.TCPMessages++
	if !l.conn.open {
		g.handshake(l.conn)
	}
	g.sendTCP(l.conn, fromUA == l.uaClient, msg)
}

// resend retransmits msg: the same bytes again (UDP only).
func (g *gen) resend(l *leg, fromUA bool, msg []byte) {
	g.rep.Retransmissions++
	g.send(l, fromUA, msg)
}

// closeLegs closes the TCP connections of a finished scenario.
func (g *gen) closeLegs(ls ...*leg) {
	for _, l := range ls {
		if l.conn != nil && l.conn.open {
			g.ms(5, 200)
			g.closeTCP(l.conn)
		}
	}
}

func (g *gen) anyUA() *ua { return &g.uas[g.r.IntN(len(g.uas))] }

func (g *gen) udpUA() *ua {
	if len(g.udpUAs) == 0 {
		return g.anyUA()
	}
	return &g.uas[g.udpUAs[g.r.IntN(len(g.udpUAs))]]
}

const serverLine = "Server: " + server

// register: REGISTER → 401 → REGISTER with Authorization → 200 (RFC 3261
// §10.2, RFC 2617), or a refresh with the cached nonce, or a wrong
// password: → 401 again → 403.
func (g *gen) register() {
	var u *ua
	for range 8 {
		if c := g.anyUA(); c.regUntil < g.t {
			u = c
			break
		}
	}
	if u == nil {
		return
	}
	g.rep.Registrations++
	l := g.leg(u, true)
	if u.regCallID == "" {
		u.regCallID, u.regTag, u.regCSeq = g.callID(u), g.tag(), uint32(g.r.IntN(20))
	}
	expires := "3600"
	if g.r.IntN(40) == 0 {
		expires = "0"
		g.rep.Unregistrations++
	}
	const ruri = "sip:" + domain
	reg := func(auth string) []byte {
		u.regCSeq++
		return g.req(&rq{method: "REGISTER", ruri: ruri, via: via(u.tr, u.hostport, g.branch(), true),
			from: u.nameAddr, fTag: u.regTag, to: u.nameAddr, callID: u.regCallID, cseq: u.regCSeq,
			contact: u.contact, expires: expires, authName: "Authorization", auth: auth, allow: true, agent: u.agent})
	}
	ok := func(r []byte) {
		extra := "Contact: " + u.contact + ";expires=" + expires + "\r\n"
		if expires == "0" {
			extra = ""
		}
		g.send(l, false, g.resp(r, 200, "OK", g.tag(), extra, serverLine, nil))
	}
	defer func() {
		g.closeLegs(l)
		u.regUntil = g.t
	}()

	if u.nonce != "" && g.r.IntN(5) < 2 { // a refresh with the cached nonce
		u.nc++
		r := reg(g.digest(u.user, u.password, "REGISTER", ruri, u.nonce, u.nc))
		g.send(l, true, r)
		g.ms(1, 8)
		if g.r.IntN(4) == 0 { // the nonce has expired
			u.nonce, u.nc = g.hex(32), 1
			g.send(l, false, g.resp(r, 401, "Unauthorized", g.tag(), challenge("WWW-Authenticate", u.nonce, true), serverLine, nil))
			g.ms(5, 50)
			r = reg(g.digest(u.user, u.password, "REGISTER", ruri, u.nonce, u.nc))
			g.send(l, true, r)
			g.ms(1, 8)
		}
		ok(r)
		return
	}

	nonce := g.hex(32)
	r := reg("")
	g.send(l, true, r)
	c := g.resp(r, 401, "Unauthorized", g.tag(), challenge("WWW-Authenticate", nonce, false), serverLine, nil)
	switch x := g.r.IntN(100); {
	case !u.tcp && x < 3: // the registrar is slow: the REGISTER is retransmitted (timer E)
		g.ms(500, 500)
		g.resend(l, true, r)
		g.ms(1, 8)
		g.send(l, false, c)
	case !u.tcp && x < 5: // the 401 was lost on the way: both are retransmitted
		g.ms(1, 8)
		g.send(l, false, c)
		g.ms(490, 495)
		g.resend(l, true, r)
		g.ms(1, 3)
		g.resend(l, false, c)
	default:
		g.ms(1, 8)
		g.send(l, false, c)
	}
	g.ms(10, 80)
	wrong := g.r.IntN(100) < 5
	pw := u.password
	if wrong {
		pw += "x"
	}
	r = reg(g.digest(u.user, pw, "REGISTER", ruri, nonce, 1))
	g.send(l, true, r)
	g.ms(1, 8)
	if !wrong {
		u.nonce, u.nc = nonce, 1
		ok(r)
		return
	}
	nonce = g.hex(32)
	g.send(l, false, g.resp(r, 401, "Unauthorized", g.tag(), challenge("WWW-Authenticate", nonce, false), serverLine, nil))
	g.ms(10, 80)
	r = reg(g.digest(u.user, pw, "REGISTER", ruri, nonce, 1))
	g.send(l, true, r)
	g.ms(1, 8)
	g.send(l, false, g.resp(r, 403, "Forbidden", g.tag(), "", serverLine, nil))
	g.rep.RegistrationsFailed++
	u.nonce = ""
}

// invite: a call from a to b through the proxy, which challenges it
// with a 407 and record-routes. Both legs are captured (the capture is
// taken on the proxy): a ↔ proxy on a's transport, proxy ↔ b on b's.
func (g *gen) invite() {
	a := g.anyUA()
	b := g.anyUA()
	for b == a {
		b = g.anyUA()
	}
	g.rep.Invites++
	callID := g.callID(a)
	l1, l2 := g.leg(a, true), g.leg(b, false)
	defer g.closeLegs(l1, l2)
	aTag := g.tag()
	ruri := "sip:" + b.user + "@" + domain
	cseq := uint32(1 + g.r.IntN(100))
	var offer []byte
	var c *codec // the call's media (Config.RTP)
	var aPort, bPort uint16
	if g.cfg.RTP {
		c, aPort = g.pickCodec(), a.mediaPort()
		offer = g.sdpRTP(a, aPort, c, false)
	} else {
		offer = g.sdp(a)
	}
	agentA, agentB := "User-Agent: "+a.agent, "User-Agent: "+b.agent
	inv := func(auth string) []byte {
		return g.req(&rq{method: "INVITE", ruri: ruri, via: via(a.tr, a.hostport, g.branch(), true), from: a.nameAddr, fTag: aTag,
			to: b.aor, callID: callID, cseq: cseq, contact: a.contact, authName: "Proxy-Authorization", auth: auth,
			allow: true, agent: a.agent, body: offer})
	}
	// ack acknowledges a non-2xx final response to i (§17.1.1.3): same
	// Via branch, Request-URI, From, Call-ID and CSeq number; To from the response.
	ack := func(i []byte, toTag string, fromProxy bool) []byte {
		q := &rq{method: "ACK", ruri: ruri, from: a.nameAddr, fTag: aTag, to: b.aor, tTag: toTag, callID: callID, cseq: cseq, agent: a.agent}
		if fromProxy {
			q.ruri, q.agent = b.contactURI, ""
		}
		lines(i, func(l []byte) {
			if q.via == "" && hasPrefix(l, "Via: ") {
				q.via = string(l[len("Via: "):])
			}
		})
		return g.req(q)
	}

	i1 := inv("")
	g.send(l1, true, i1)
	g.ms(1, 5)
	nonce := g.hex(32)
	ptag := g.tag()
	g.send(l1, false, g.resp(i1, 407, "Proxy Authentication Required", ptag, challenge("Proxy-Authenticate", nonce, false), serverLine, nil))
	g.us(100, 2000)
	g.send(l1, true, ack(i1, ptag, false))
	g.ms(5, 60)
	cseq++
	wrong := g.r.IntN(100) < 4
	pw := a.password
	if wrong {
		pw += "x"
	}
	i2 := inv(g.digest(a.user, pw, "INVITE", ruri, nonce, 1))
	g.send(l1, true, i2)
	if l1.conn == nil && g.r.IntN(100) < 3 { // no 100 Trying in time: timer A fires
		g.ms(500, 500)
		g.resend(l1, true, i2)
	}
	g.us(300, 3000)
	if wrong {
		ftag := g.tag()
		g.send(l1, false, g.resp(i2, 403, "Forbidden", ftag, "", serverLine, nil))
		g.us(100, 2000)
		g.send(l1, true, ack(i2, ftag, false))
		g.rep.InviteAuthFailed++
		return
	}
	g.send(l1, false, g.resp(i2, 100, "Trying", "", "", serverLine, nil))
	g.us(100, 1000)
	pvia := via(b.tr, proxyHost, g.branch(), false)
	bi := g.forward(i2, b.contactURI, pvia, true)
	g.send(l2, false, bi)
	g.ms(1, 20)
	g.send(l2, true, g.resp(bi, 100, "Trying", "", "", agentB, nil))
	g.ms(20, 300)
	bTag := g.tag()
	contactB := "Contact: " + b.contact + "\r\n"
	ring := g.resp(bi, 180, "Ringing", bTag, contactB, agentB, nil)
	g.send(l2, true, ring)
	g.us(100, 1000)
	g.send(l1, false, g.strip(ring))

	// final answers b's side sends, forwarded to a, each ACKed hop by hop.
	fail := func(code int, reason string) {
		f := g.resp(bi, code, reason, bTag, "", agentB, nil)
		g.send(l2, true, f)
		g.us(100, 1000)
		g.send(l2, false, ack(bi, bTag, true))
		g.us(50, 500)
		g.send(l1, false, g.strip(f))
		g.us(100, 2000)
		g.send(l1, true, ack(i2, bTag, false))
	}
	x := g.r.IntN(100)
	switch {
	case x < 10:
		g.ms(1000, 6000)
		fail(486, "Busy Here")
		g.rep.Busy++
		return
	case x < 20:
		g.ms(2000, 15000)
		cancel := g.req(&rq{method: "CANCEL", ruri: ruri, via: topVia(i2), from: a.nameAddr, fTag: aTag, to: b.aor,
			callID: callID, cseq: cseq, agent: a.agent})
		g.send(l1, true, cancel)
		g.us(300, 3000)
		g.send(l1, false, g.resp(cancel, 200, "OK", g.tag(), "", serverLine, nil))
		g.us(100, 1000)
		bc := g.req(&rq{method: "CANCEL", ruri: b.contactURI, via: pvia, from: a.nameAddr, fTag: aTag, to: b.aor,
			callID: callID, cseq: cseq})
		g.send(l2, false, bc)
		g.ms(1, 20)
		g.send(l2, true, g.resp(bc, 200, "OK", bTag, "", agentB, nil))
		g.us(100, 2000)
		fail(487, "Request Terminated")
		g.rep.Cancelled++
		return
	}

	g.ms(1000, 10000)
	var answer []byte
	if c != nil {
		bPort = b.mediaPort()
		answer = g.sdpRTP(b, bPort, c, true)
	} else {
		answer = g.sdp(b)
	}
	ok := g.resp(bi, 200, "OK", bTag, contactB+"Allow: "+allow+"\r\nSupported: replaces, timer\r\n", agentB, answer)
	okB := g.t
	g.send(l2, true, ok)
	if l2.conn == nil && g.r.IntN(100) < 3 { // the proxy's ACK is late: timer G
		g.ms(500, 500)
		g.resend(l2, true, ok)
	}
	g.us(100, 1000)
	okA := g.strip(ok)
	okAt := g.t
	g.send(l1, false, okA)
	if l1.conn == nil && g.r.IntN(100) < 3 {
		g.ms(500, 500)
		g.resend(l1, false, okA)
	}
	g.ms(1, 30)
	// The ACK of a 2xx is a transaction of its own (§13.2.2.4), routed
	// through the proxy that record-routed.
	ack2 := g.req(&rq{method: "ACK", ruri: b.contactURI, via: via(a.tr, a.hostport, g.branch(), true), route: true,
		from: a.nameAddr, fTag: aTag, to: b.aor, tTag: bTag, callID: callID, cseq: cseq, agent: a.agent})
	g.send(l1, true, ack2)
	g.us(100, 1000)
	g.send(l2, false, g.forward(ack2, "", via(b.tr, proxyHost, g.branch(), false), false))
	g.rep.Answered++

	talk := 1 + g.r.ExpFloat64()*30
	g.t += int64(min(talk, 300) * 1e9)
	if c != nil {
		g.media(a, b, aPort, bPort, c, okB, okAt, g.t)
	}
	if g.r.IntN(100) < 60 { // a hangs up
		bye := g.req(&rq{method: "BYE", ruri: b.contactURI, via: via(a.tr, a.hostport, g.branch(), true), route: true,
			from: a.nameAddr, fTag: aTag, to: b.aor, tTag: bTag, callID: callID, cseq: cseq + 1, agent: a.agent})
		g.send(l1, true, bye)
		if l1.conn == nil && g.r.IntN(100) < 2 {
			g.ms(500, 500)
			g.resend(l1, true, bye)
		}
		g.us(100, 1000)
		fb := g.forward(bye, "", via(b.tr, proxyHost, g.branch(), false), false)
		g.send(l2, false, fb)
		g.ms(1, 20)
		r := g.resp(fb, 200, "OK", "", "", agentB, nil)
		g.send(l2, true, r)
		g.us(100, 1000)
		g.send(l1, false, g.strip(r))
		return
	}
	// b hangs up, with its own CSeq space.
	bye := g.req(&rq{method: "BYE", ruri: a.contactURI, via: via(b.tr, b.hostport, g.branch(), true), route: true,
		from: b.aor, fTag: bTag, to: a.nameAddr, tTag: aTag, callID: callID, cseq: uint32(100 + g.r.IntN(9000)), agent: b.agent})
	g.send(l2, true, bye)
	g.us(100, 1000)
	fa := g.forward(bye, "", via(a.tr, proxyHost, g.branch(), false), false)
	g.send(l1, false, fa)
	g.ms(1, 20)
	r := g.resp(fa, 200, "OK", "", "", agentA, nil)
	g.send(l1, true, r)
	g.us(100, 1000)
	g.send(l2, false, g.strip(r))
}

// topVia returns the value of the first Via of msg.
func topVia(msg []byte) string {
	v := ""
	lines(msg, func(l []byte) {
		if v == "" && hasPrefix(l, "Via: ") {
			v = string(l[len("Via: "):])
		}
	})
	return v
}

// optionsFromProxy: the proxy pings a registered UA (NAT keep-alive);
// one in 25 never answers, and the request is retransmitted.
func (g *gen) optionsFromProxy() {
	u := g.udpUA()
	g.rep.Options++
	l := g.leg(u, false)
	q := g.req(&rq{method: "OPTIONS", ruri: u.contactURI, via: via("UDP", proxyHost, g.branch(), false),
		from: "<sip:ping@" + domain + ">", fTag: g.tag(), to: u.contact, callID: g.callID(nil), cseq: 1, agent: server})
	g.send(l, false, q)
	if g.r.IntN(25) == 0 { // timer E doubles (RFC 3261 §17.1.2.2)
		for _, d := range []int64{500, 1000, 2000} {
			g.ms(d, d)
			g.resend(l, false, q)
		}
		g.rep.OptionsUnanswered++
		return
	}
	g.ms(1, 40)
	g.send(l, true, g.resp(q, 200, "OK", g.tag(), "Allow: "+allow+"\r\nAccept: application/sdp\r\n", "User-Agent: "+u.agent, nil))
}

// optionsFromUA: a UA checks that the proxy is alive.
func (g *gen) optionsFromUA() {
	u := g.anyUA()
	g.rep.Options++
	l := g.leg(u, true)
	defer g.closeLegs(l)
	q := g.req(&rq{method: "OPTIONS", ruri: "sip:" + domain, via: via(u.tr, u.hostport, g.branch(), true),
		from: u.nameAddr, fTag: g.tag(), to: "<sip:" + domain + ">", callID: g.callID(u), cseq: 1 + uint32(g.r.IntN(500)),
		accept: true, agent: u.agent})
	g.send(l, true, q)
	g.ms(1, 5)
	g.send(l, false, g.resp(q, 200, "OK", g.tag(), "Allow: "+allow+"\r\nAccept: application/sdp\r\n", serverLine, nil))
}

// Packets that are not SIP messages.

func (g *gen) keepalive() {
	u := g.udpUA()
	g.udp(&u.ep, &g.proxy, []byte("\r\n\r\n"))
	g.rep.Keepalives++
}

func (g *gen) stun() {
	u := g.udpUA()
	var b [20]byte
	b[1] = 1 // binding request, no attributes
	be.PutUint32(b[4:], 0x2112a442)
	be.PutUint64(b[8:], g.r.Uint64())
	be.PutUint32(b[16:], g.r.Uint32())
	g.udp(&u.ep, &g.proxy, b[:])
	g.rep.STUN++
}

// scanner is a host on the Internet that sends junk to port 5060.
func (g *gen) scanner() endpoint {
	return endpoint{mac: [6]byte{0x02, 0xff, 0, 0, 0, 1}, ip: [4]byte{198, 51, 100, byte(1 + g.r.IntN(254))}, port: uint16(1024 + g.r.IntN(64000))}
}

// truncatedIP writes an Ethernet frame whose IPv4 header stops after 12
// bytes.
func (g *gen) truncatedIP() {
	src := g.scanner()
	var ip [20]byte
	g.ipv4(ip[:], &src, &g.proxy, 17, 60)
	f := g.frame(ethLen + 12)
	ether(f, &src, &g.proxy)
	copy(f[ethLen:], ip[:12])
	g.rep.TruncatedIP++
	g.rep.Malformed++
}

var junk = []string{
	"GET / HTTP/1.1\r\nHost: 10.0.0.10\r\nUser-Agent: Mozilla/5.0 zgrab/0.x\r\n\r\n",
	"INVITE sip:100@10.0.0.10 SIP/3.0\r\nVia: nonsense\r\n\r\n",
	"hello from a port scanner: is anything listening here?\r\n",
	"0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ !#$%&()*+,-./:;<=>?@[]^_{|}~",
}

// garbage writes a UDP datagram to the proxy's port 5060 holding text
// that is not a SIP message.
func (g *gen) garbage() {
	src := g.scanner()
	g.udp(&src, &g.proxy, []byte(junk[g.r.IntN(len(junk))]))
	g.rep.Garbage++
	g.rep.Malformed++
}
