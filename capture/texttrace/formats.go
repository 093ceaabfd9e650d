package texttrace

import (
	"bytes"
	"net/netip"
)

// pjsipHeader: "<--- Received SIP request (869 bytes) from UDP:1.2.3.4:5060 --->"
// and "<--- Transmitting SIP response (534 bytes) to TLS:[::1]:5061 --->"
// (res_pjsip_logger.c; older versions print the host name there).
func pjsipHeader(b []byte) (meta, bool) {
	c := newCursor(b)
	c.lit("<--- ")
	rx := c.oneOf("Received SIP ", "Transmitting SIP ") == 0
	c.oneOf("request (", "response (")
	c.number()
	c.lit(" bytes) ")
	c.oneOf("from ", "to ")
	tp := c.upTo(":")
	addr := c.upTo(" --->")
	if !c.end() {
		return meta{}, false
	}
	m := meta{format: FormatPJSIP}
	m.setTransport(tp)
	m.setAddr(addr, rx)
	return m, true
}

// chanSIPHeader: "<--- SIP read from UDP:1.2.3.4:5060 --->" (the
// transport is missing before Asterisk 1.8) and "<--- Reliably
// Transmitting (NAT) to 1.2.3.4:5060 --->" (chan_sip.c).
func chanSIPHeader(b []byte) (meta, bool) {
	c := newCursor(b)
	c.lit("<--- ")
	rx := c.opt("SIP read from ")
	if !rx {
		c.opt("Reliably ")
		c.lit("Transmitting (")
		c.upTo(") to ")
	}
	addr := c.upTo(" --->")
	if !c.end() {
		return meta{}, false
	}
	m := meta{format: FormatChanSIP, end: endChanSIP}
	if i := bytes.IndexByte(addr, ':'); i > 0 && isLetter(addr[0]) {
		m.setTransport(addr[:i])
		if m.transport != 0 {
			addr = addr[i+1:]
		}
	}
	m.setAddr(addr, rx)
	return m, true
}

// chanSIPRetx: "Retransmitting #1 (no NAT) to 1.2.3.4:5060:", closed by "---".
func chanSIPRetx(b []byte) (meta, bool) {
	c := newCursor(b)
	c.lit("Retransmitting #")
	c.number()
	c.lit(" (")
	c.upTo(") to ")
	if !c.ok || len(c.b) < 2 || c.b[len(c.b)-1] != ':' {
		return meta{}, false
	}
	m := meta{format: FormatChanSIP, end: endChanRetx}
	m.setAddr(c.b[:len(c.b)-1], false)
	return m, true
}

// freeswitchHeader: "recv 1234 bytes from udp/[1.2.3.4]:5060 at
// 09:49:26.123456:" (sofia-sip tport_logging.c; older versions have no
// " at …", some add a label or ";comp=sigcomp" after the port).
func freeswitchHeader(b []byte) (meta, bool) {
	c := newCursor(b)
	rx := c.oneOf("recv ", "send ") == 0
	c.number()
	c.lit(" bytes ")
	c.lit([...]string{"to ", "from "}[boolInt(rx)])
	tp := c.upTo("/[")
	ip := c.upTo("]:")
	port := c.number()
	if !c.ok || len(c.b) == 0 || c.b[len(c.b)-1] != ':' {
		return meta{}, false
	}
	m := meta{format: FormatFreeSWITCH, end: endDashes}
	if i := bytes.Index(c.b, []byte(" at ")); i >= 0 {
		if tod, n := scanClock(c.b[i+4:]); n > 0 && i+4+n == len(c.b)-1 {
			m.ts = stamp{kind: todStamp, tod: tod}
		}
	}
	m.setTransport(tp)
	a, ok := parseIP(ip)
	switch {
	case !ok || port > 65535:
		m.badAddr = string(ip)
	case rx:
		m.src = netip.AddrPortFrom(a, uint16(port))
	default:
		m.dst = netip.AddrPortFrom(a, uint16(port))
	}
	return m, true
}

// baresipHeader: "UDP 1.2.3.4:5060 -> 5.6.7.8:5060" (after a "#" line).
func baresipHeader(b []byte) (meta, bool) {
	c := newCursor(b)
	tp := c.upTo(" ")
	src := c.upTo(" -> ")
	m := meta{format: FormatBaresip}
	m.setTransport(tp)
	if !c.ok || m.transport == 0 || bytes.IndexByte(c.b, ' ') >= 0 {
		return meta{}, false
	}
	m.setAddr(src, true)
	m.setAddr(c.b, false)
	return m, m.badAddr == ""
}

// sngrepHeader: "2026/11/28 10:47:23.429793 1.2.3.4:5060 -> 5.6.7.8:5060"
// (sngrep's save_msg_txt).
func sngrepHeader(b []byte) (meta, bool) {
	s, n := scanDate(b)
	if n == 0 || b[4] != '/' || n >= len(b) || b[n] != ' ' {
		return meta{}, false
	}
	c := newCursor(b[n+1:])
	src := c.upTo(" -> ")
	if !c.ok || bytes.IndexByte(src, ' ') >= 0 || bytes.IndexByte(c.b, ' ') >= 0 {
		return meta{}, false
	}
	m := meta{format: FormatSngrep, ts: s}
	m.setAddr(src, true)
	m.setAddr(c.b, false)
	return m, m.badAddr == ""
}

// baresipHash reports a "#" line, the first line of a baresip trace
// entry, and the time of day newer versions print before the "#".
func baresipHash(b []byte) (stamp, bool) {
	if len(b) == 1 && b[0] == '#' {
		return stamp{}, true
	}
	tod, n := scanClock(b)
	if n > 0 && n < len(b) && b[n] == '#' {
		return stamp{kind: todStamp, tod: tod}, true
	}
	return stamp{}, false
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
