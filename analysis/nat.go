package analysis

import (
	"net/netip"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// This file words private addresses (RFC 1918, RFC 6598 shared address
// space) that a message asks the far end to reach although it came from
// another address: the signature of a client behind a NAT that does not
// know it. Whether it breaks anything depends on the server (a registrar
// that rewrites the Contact, a proxy that uses the source address, a
// media relay), so the findings are info: the cause they name shows in
// the failure that follows (an ACK that never arrives, no audio).

var sharedSpace = netip.MustParsePrefix("100.64.0.0/10") // RFC 6598, carrier-grade NAT

// private reports whether a is an address the public network cannot
// reach: RFC 1918, RFC 4193 (fc00::/7), RFC 6598, or link-local.
func private(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || sharedSpace.Contains(a) || a.IsLinkLocalUnicast()
}

// uriHost returns the host of a SIP URI in a Contact or Request-URI
// value, "" when there is none: the part after the user and before the
// port or parameters; brackets of an IPv6 reference removed.
func uriHost(v string) string {
	if i := strings.IndexByte(v, '<'); i >= 0 {
		v = v[i+1:]
		if j := strings.IndexByte(v, '>'); j >= 0 {
			v = v[:j]
		}
	}
	if i := strings.IndexByte(v, ':'); i >= 0 && strings.HasPrefix(strings.ToLower(v), "sip") {
		v = v[i+1:]
	}
	if i := strings.LastIndexByte(v, '@'); i >= 0 {
		v = v[i+1:]
	}
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") {
		if j := strings.IndexByte(v, ']'); j >= 0 {
			return v[1:j]
		}
	}
	if i := strings.IndexAny(v, ":;?>, "); i >= 0 {
		v = v[:i]
	}
	return v
}

// privateContact returns m's Contact address when it is private and not
// the address m came from, else "".
func (d *diag) privateContact(m *session.Message) string {
	for _, c := range m.Header("Contact") {
		host := uriHost(c)
		if a, err := netip.ParseAddr(host); err == nil && private(a) && a.Unmap() != m.Src().Addr().Unmap() {
			return host
		}
	}
	return ""
}

// nat reports, once per call, the first message whose Contact or top Via
// (without rport) holds a private address other than its source, and the
// first session description whose connection address does.
func (d *diag) nat(as []*attempt) {
	contactSaid, sdpSaid := false, false
	for _, mi := range d.c.Msgs {
		m := d.s.Msg(int(mi))
		if m.Has(session.FlagRetransmission) || !natRelevant(m) {
			continue
		}
		if !contactSaid {
			if host, what := d.privateContactOrVia(m); host != "" {
				contactSaid = true
				d.add(d.fPrivateContact(m, host, what))
			}
		}
		if !sdpSaid && len(m.Body()) > 0 {
			if ms, ok := sessionDesc(m); ok {
				for _, x := range ms {
					if x.port != 0 && x.addr.IsValid() && private(x.addr) && x.addr.Unmap() != m.Src().Addr().Unmap() {
						sdpSaid = true
						d.add(d.fPrivateSDP(m, x))
						break
					}
				}
			}
		}
		if contactSaid && sdpSaid {
			return
		}
	}
}

// natRelevant: the messages whose Contact and SDP the far end acts on —
// requests that set up a dialog or a registration and their answers.
func natRelevant(m *session.Message) bool {
	if m.IsRequest() {
		switch m.Method() {
		case "INVITE", "REGISTER", "SUBSCRIBE", "UPDATE":
			return true
		}
		return false
	}
	return (m.Status >= 180 && m.Status < 300) && (m.Method() == "INVITE" || m.Method() == "UPDATE")
}

// privateContactOrVia returns the private address and where it is:
// "Contact", or "Via" for a request whose top Via asks for responses at a
// private address without rport (RFC 3581).
func (d *diag) privateContactOrVia(m *session.Message) (string, string) {
	if h := d.privateContact(m); h != "" {
		return h, "Contact"
	}
	if !m.IsRequest() {
		return "", ""
	}
	host := uriHost(m.SentBy())
	a, err := netip.ParseAddr(host)
	if err != nil || !private(a) || a.Unmap() == m.Src().Addr().Unmap() {
		return "", ""
	}
	if via := m.Header("Via"); len(via) > 0 {
		top, _, _ := strings.Cut(via[0], ",")
		if strings.Contains(strings.ToLower(top), ";rport") {
			return "", "" // the client asks for symmetric response routing
		}
	}
	return host, "Via"
}

func (d *diag) fPrivateContact(m *session.Message, host, where string) Finding {
	what := m.Method()
	if !m.IsRequest() {
		what = d.statusText(m)
	}
	summary := d.concat(what, " from ", m.Src().Addr().String(), " gives the private address ", host, " in its ", where)
	expl := "The message came from " + m.Src().Addr().String() + " but asks to be reached at " + host + ", an address the far end " +
		"cannot reach: the sender is behind a NAT and writes its own LAN address. "
	if where == "Via" {
		expl += "Responses go to the Via's address (RFC 3261 §18.2.2) unless the request carries rport (RFC 3581): without it they are lost. "
	} else {
		expl += "Whatever the far end sends to the Contact is lost unless something rewrites it: the ACK of a 2xx and every " +
			"in-dialog request (BYE, re-INVITE), and, for a REGISTER, every incoming call. "
	}
	expl += "On the client, turn on its NAT traversal (STUN, ICE, or outbound/keep-alive, RFC 5626) so it writes its public " +
		"address; on the server, make it use the packet's source address for Contact and responses (rport and received, " +
		"and a Contact rewrite for NATed clients). The call may still have worked if the server did that."
	return Finding{Code: CodeNATPrivateContact, Severity: Info, Messages: d.idx(m), RFC: "RFC 3261 §8.1.1.8, §18.2.2; RFC 3581",
		Summary: summary, Explanation: expl}
}

func (d *diag) fPrivateSDP(m *session.Message, x media) Finding {
	what := m.Method()
	if !m.IsRequest() {
		what = d.statusText(m)
	}
	summary := d.concat(what, " from ", m.Src().Addr().String(), " asks for ", x.kind, " at the private address ", x.addr.String(),
		":", portOf(x.port))
	return Finding{Code: CodeNATPrivateSDP, Severity: Info, Messages: d.idx(m), RFC: "RFC 4566 §5.7; RFC 3264 §5",
		Summary: summary,
		Explanation: "The session description says to send " + x.kind + " to " + x.addr.String() + ", but the signalling came from " +
			m.Src().Addr().String() + ": the sender is behind a NAT and wrote its LAN address. Media sent there is lost, which " +
			"gives one-way or no audio, unless the far end sends to where the RTP comes from (symmetric RTP, comedia) or a media " +
			"relay rewrites the address. Turn on the client's NAT traversal (STUN or ICE) or the server's media relay / symmetric RTP."}
}
