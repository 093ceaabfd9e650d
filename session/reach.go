package session

import (
	"bytes"
	"net/netip"

	"github.com/sipdbg/sipdbg/siplex"
)

// Where a message asks to be reached is read while it is indexed, its
// page still at hand (see authblock.go): the analysis judges NAT for
// every call and must not read the message's bytes again. Only what is
// out of the ordinary is kept: an address that is private (RFC 1918,
// RFC 4193, RFC 6598, link-local) in a message that came from an address
// that is not, the signature of a sender behind a NAT that writes its
// LAN address; and a session description that refuses every stream. A
// message from a private address to a private address is a LAN's (or a
// proxy's in it, which forwards the caller's Contact as it should): no
// NAT shows there.

var sharedSpace = netip.MustParsePrefix("100.64.0.0/10") // RFC 6598, carrier-grade NAT

// Private reports whether a is an address the public network cannot
// reach: RFC 1918, RFC 4193 (fc00::/7), RFC 6598 or link-local.
func Private(a netip.Addr) bool {
	if a.Is4() { // written out: it is asked of every message while loading (onLAN)
		b := a.As4()
		return b[0] == 10 || b[0] == 172 && b[1]&0xf0 == 16 || b[0] == 192 && b[1] == 168 ||
			b[0] == 100 && b[1]&0xc0 == 64 || b[0] == 169 && b[1] == 254
	}
	a = a.Unmap()
	return a.IsPrivate() || sharedSpace.Contains(a) || a.IsLinkLocalUnicast()
}

// reach is what a message says of where to reach it, when it is a
// private address other than its source.
type reach struct {
	addr  netip.AddrPort // from a Contact, or from a top Via without rport
	via   bool           // the Via, not a Contact
	media netip.AddrPort // an SDP connection address and its m= port
	kind  string         // that m= line's media: audio, video, image…
	// refused: the session description refuses every stream (every m=
	// port 0, RFC 3264 §6).
	refused bool
	// received: a response's top Via received parameter (RFC 3261
	// §18.2.1), when private: the address the server saw its request
	// come from, which says whether there was a NAT at all.
	received netip.Addr
}

// PrivateReach returns the private address a Contact (or, via true, a
// top Via without rport, RFC 3581) of m names other than m's source.
func (m *Message) PrivateReach() (addr netip.AddrPort, via, ok bool) {
	if m.ext == nil || m.ext.reach == nil || !m.ext.reach.addr.IsValid() {
		return netip.AddrPort{}, false, false
	}
	return m.ext.reach.addr, m.ext.reach.via, true
}

// PrivateMedia returns the private SDP connection address (with its m=
// port) of m other than m's source, and the stream's media.
func (m *Message) PrivateMedia() (addr netip.AddrPort, kind string, ok bool) {
	if m.ext == nil || m.ext.reach == nil || !m.ext.reach.media.IsValid() {
		return netip.AddrPort{}, "", false
	}
	return m.ext.reach.media, m.ext.reach.kind, true
}

// SDPRefused reports whether m's session description refuses every
// stream it has (all m= ports 0).
func (m *Message) SDPRefused() bool { return m.ext != nil && m.ext.reach != nil && m.ext.reach.refused }

func (m *Message) reachNote() *reach {
	e := m.extra()
	if e.reach == nil {
		e.reach = new(reach)
	}
	return e.reach
}

// privateOther parses host as an address and reports it when it is
// private. Its callers ask it only of a message that is not a LAN's
// (onLAN). Most hosts are names or public addresses: a first byte that
// is not a digit or hex letter of an address, or the first number of a
// dotted quad (privateLead), is enough to pass them over without parsing.
func privateOther(host []byte) (netip.Addr, bool) {
	if len(host) == 0 || !(siplex.IsDigit(host[0]) || host[0] == ':' || host[0]|0x20 == 'f') || !privateLead(host) {
		return netip.Addr{}, false // a name, a LAN's message, or a host's to itself: no parsing
	}
	a, err := netip.ParseAddr(bstr(host))
	if err != nil || !Private(a) {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// onLAN reports whether a message from src to dst crossed no NAT its
// addresses could show: it came from a private address (a LAN's message,
// or a proxy's in it), or from a host to itself. Nothing it names is
// kept then; newMessage asks it once per message.
func onLAN(src, dst netip.Addr) bool { return src == dst || Private(src) }

// privateLead reports whether host may be a private address by its
// first number: a dotted quad whose first number starts no private range
// (10/8, 100.64/10, 169.254/16, 172.16/12, 192.168/16) is passed over
// without parsing, as most addresses of a capture taken on a public
// network are. Anything else is left to the parser.
func privateLead(host []byte) bool {
	i := 0
	for i < len(host) && i < 4 && siplex.IsDigit(host[i]) {
		i++
	}
	if i == 0 || i == len(host) || host[i] != '.' {
		return true
	}
	switch string(host[:i]) {
	case "10", "100", "169", "172", "192":
		return true
	}
	return false
}

// noteContact keeps the first Contact URI of m that names a private
// address other than its source.
func (m *Message) noteContact(v []byte) {
	if _, via, ok := m.PrivateReach(); ok && !via {
		return // the first Contact that says it (one from a Via gives way)
	}
	uri, params := siplex.NameAddr(v)
	if siplex.HasParam(params, "received") {
		return // a registrar's binding that records where it came from (RFC 5626 §6; Kamailio's received_param)
	}
	host, port := siplex.URIHost(uri)
	a, ok := privateOther(host)
	if !ok {
		return
	}
	p, _ := siplex.Uint(port)
	if p > 65535 {
		p = 0
	}
	r := m.reachNote()
	r.addr, r.via = netip.AddrPortFrom(a, uint16(p)), false
}

// firstPortSet reports whether the first m= line of an SDP body has a
// port that is not 0 (RFC 4566 §5.14), so that the description does not
// refuse every stream (RFC 3264 §6). It looks no further than the
// digit after the media name: anything unusual is false, and the whole
// description is read.
func firstPortSet(body []byte) bool {
	i := bytes.Index(body, []byte("\nm="))
	if i < 0 {
		return false
	}
	rest := body[i+3:]
	sp := bytes.IndexByte(rest, ' ')
	return sp >= 0 && sp+1 < len(rest) && rest[sp+1] >= '1' && rest[sp+1] <= '9'
}

// ViaReceived returns the private address a response's top Via says
// its request came from (received, RFC 3261 §18.2.1), when the response
// itself came from an address that is not private.
func (m *Message) ViaReceived() (netip.Addr, bool) {
	if m.ext == nil || m.ext.reach == nil || !m.ext.reach.received.IsValid() {
		return netip.Addr{}, false
	}
	return m.ext.reach.received, true
}

// noteVia keeps the top Via's sent-by of a request when it is a private
// address other than the source and the request does not ask for rport
// (RFC 3581): responses go to the sent-by (RFC 3261 §18.2.2). Of a
// response it keeps a private received parameter.
func (m *Message) noteVia(via siplex.ViaParm[[]byte]) {
	if !m.IsRequest() {
		if r := siplex.Param(via.Params, "received"); len(r) > 0 {
			if a, ok := privateOther(r); ok {
				m.reachNote().received = a
			}
		}
		return
	}
	if siplex.HasParam(via.Params, "rport") {
		return
	}
	host, port := siplex.HostPort(via.SentBy)
	a, ok := privateOther(host)
	if !ok {
		return
	}
	if _, _, ok := m.PrivateReach(); ok {
		return // a Contact said it first
	}
	p, _ := siplex.Uint(port)
	if p > 65535 {
		p = 0
	}
	r := m.reachNote()
	r.addr, r.via = netip.AddrPortFrom(a, uint16(p)), true
}

// noteSDP reads m's session description for a private connection
// address (not of a LAN's message: lan, see onLAN) and for streams all
// refused.
func (m *Message) noteSDP(lan bool) {
	body := m.Raw()[m.BodyOff:]
	if lan && firstPortSet(body) {
		return // no private address is kept of a LAN's message, and a stream is not refused
	}
	streams, refused := 0, 0
	var media netip.AddrPort
	var kind string
	siplex.SDP(body, func(x siplex.SDPMedia[[]byte]) bool {
		streams++
		if x.Port == 0 {
			refused++
			return true
		}
		if !lan && !media.IsValid() && x.Port > 0 {
			if a, ok := privateOther(x.Addr); ok {
				media, kind = netip.AddrPortFrom(a, uint16(x.Port)), string(x.Kind)
			}
		}
		return true
	})
	if media.IsValid() {
		r := m.reachNote()
		r.media, r.kind = media, kind
	}
	if streams > 0 && refused == streams {
		m.reachNote().refused = true
	}
}
