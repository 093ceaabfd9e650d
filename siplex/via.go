package siplex

// ViaParm is the first via-parm of a Via header value (RFC 3261 §20.42):
// sent-protocol, LWS, sent-by, then the via-params.
//
//	SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport
//	^Protocol   ^SentBy       ^Params
//
// The via-params (branch, received, rport of RFC 3581, …) are read with
// Param.
type ViaParm[T Text] struct {
	Protocol T // "SIP/2.0/UDP"
	SentBy   T // host and optional port, as written
	Params   T // from the first byte after sent-by: ";branch=…;rport"
}

// TopVia returns the first via-parm of a Via value, which may hold a
// comma-separated list (§7.3.1): the one the last hop added, whose
// branch names the transaction (§17.2.3). The list is cut at the first
// comma outside a quoted string. sent-by starts after the blanks that
// follow the protocol and ends at the first ';' or blank. A value
// without a blank has no sent-by: every part is empty.
func TopVia[T Text](v T) ViaParm[T] {
	if c := IndexUnquoted(v, ','); c >= 0 {
		v = v[:c]
	}
	var p ViaParm[T]
	i := IndexBlank(v)
	if i < 0 {
		return p
	}
	p.Protocol = v[:i]
	rest := trimBlanks(v[i:])
	end := indexAny2(rest, ';', ' ')
	if t := indexByte(rest, '\t'); t >= 0 && (end < 0 || t < end) {
		end = t
	}
	if end < 0 {
		p.SentBy = rest
		return p
	}
	p.SentBy, p.Params = rest[:end], rest[end:]
	return p
}

// Transport returns the transport of the sent-protocol, the part after
// its last '/' ("UDP", "TCP", "TLS", "SCTP", "WS", "WSS", …; §20.42).
func (p ViaParm[T]) Transport() T {
	for i := len(p.Protocol) - 1; i >= 0; i-- {
		if p.Protocol[i] == '/' {
			return p.Protocol[i+1:]
		}
	}
	return p.Protocol[:0]
}
