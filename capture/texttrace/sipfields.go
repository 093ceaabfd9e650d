package texttrace

import (
	"bytes"
	"net/netip"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/siplex"
)

// fields are the parts of a message that tell where it came from and
// where it went.
type fields struct {
	request   bool
	ruri      []byte
	method    []byte // CSeq method
	via       via
	route     []byte // URI of the first Route
	contact   []byte // URI of the first Contact
	hasVia    bool
	hasRoute  bool
	hasContct bool
}

type via struct {
	transport capture.Transport
	sentBy    []byte
	received  []byte
	rport     []byte
	branch    []byte
}

func parseFields(msg []byte) fields {
	var f fields
	first, _, _ := bytes.Cut(msg, []byte("\n"))
	first = bytes.TrimSuffix(first, []byte("\r"))
	if !bytes.HasPrefix(first, []byte("SIP/")) {
		f.request = true
		if parts := bytes.Fields(first); len(parts) == 3 {
			f.ruri = parts[1]
		}
	}
	siplex.HeaderLines(msg, func(name, v []byte) bool {
		switch {
		case !f.hasVia && headerIs(name, siplex.Via):
			f.via, f.hasVia = parseVia(v), true
		case !f.hasRoute && headerIs(name, siplex.Route):
			f.route, f.hasRoute = uriOf(v), true
		case !f.hasContct && headerIs(name, siplex.Contact):
			f.contact, f.hasContct = uriOf(v), true
		case len(f.method) == 0 && headerIs(name, siplex.CSeq):
			if _, m, ok := siplex.SplitCSeq(v); ok {
				f.method = m
			}
		}
		return true
	})
	return f
}

// parseVia reads the first via-parm of a Via value (RFC 3261 §20.42,
// RFC 3581): "SIP/2.0/UDP host:port;branch=…;received=…;rport=…".

func parseVia(v []byte) via {
	p := siplex.TopVia(v)
	var out via
	out.transport, _ = parseTransport(p.Transport())
	out.sentBy = p.SentBy
	out.received = siplex.Param(p.Params, "received")
	out.rport = siplex.Param(p.Params, "rport")
	out.branch = siplex.Param(p.Params, "branch")
	return out
}

// source is where the message with this Via came from: received and
// rport when the next hop added them (RFC 3261 §18.2.1, RFC 3581), else
// the sent-by.
func (v via) source() (netip.AddrPort, bool) {
	def := uint16(5060)
	if v.transport == capture.TLS || v.transport == capture.WSS {
		def = 5061
	}
	host, port := splitHostPort(v.sentBy, def)
	if len(v.received) > 0 {
		host = v.received
	}
	if p, ok := atoi(v.rport); ok && p > 0 && p < 65536 {
		port = uint16(p)
	}
	a, ok := parseIP(host)
	if !ok {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(a, port), true
}

// uriOf returns the URI of a name-addr or addr-spec header value.
//
// It is not siplex.NameAddr: a '<' inside a quoted display name starts
// the URI here, and an addr-spec ends at the first ',' (the next value of
// a Contact or Route list) with its ';' parameters kept, which uriAddr
// reads "transport=tls" from. Kept so that a trace's inferred addresses
// do not change (issue 17, item 6).
func uriOf(v []byte) []byte {
	if i := bytes.IndexByte(v, '<'); i >= 0 {
		v = v[i+1:]
		if j := bytes.IndexByte(v, '>'); j >= 0 {
			return v[:j]
		}
		return v
	}
	if i := bytes.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return bytes.TrimSpace(v)
}

// uriAddr returns the address of a SIP URI whose host is an IP address.
func uriAddr(u []byte) (netip.AddrPort, bool) {
	lower := bytes.ToLower(u)
	def := uint16(5060)
	switch {
	case bytes.HasPrefix(lower, []byte("sips:")):
		u, def = u[5:], 5061
	case bytes.HasPrefix(lower, []byte("sip:")):
		u = u[4:]
	default:
		return netip.AddrPort{}, false
	}
	if bytes.Contains(lower, []byte("transport=tls")) {
		def = 5061
	}
	if i := bytes.IndexAny(u, ";?>"); i >= 0 {
		u = u[:i]
	}
	if i := bytes.LastIndexByte(u, '@'); i >= 0 {
		u = u[i+1:]
	}
	host, port := splitHostPort(u, def)
	a, ok := parseIP(host)
	if !ok {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(a, port), true
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port".
func splitHostPort(b []byte, def uint16) ([]byte, uint16) {
	b = bytes.TrimSpace(b)
	hostEnd := len(b)
	if len(b) > 0 && b[0] == '[' {
		if i := bytes.IndexByte(b, ']'); i >= 0 {
			hostEnd = i + 1
		}
	} else if i := bytes.LastIndexByte(b, ':'); i >= 0 && bytes.IndexByte(b[:i], ':') < 0 {
		hostEnd = i
	}
	host, rest := b[:hostEnd], b[hostEnd:]
	if len(rest) > 1 && rest[0] == ':' {
		if p, ok := atoi(rest[1:]); ok && p > 0 && p < 65536 {
			return host, uint16(p)
		}
	}
	return host, def
}
