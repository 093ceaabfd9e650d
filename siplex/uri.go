package siplex

// URIHost returns the host and the port (empty when none) of a SIP or
// SIPS URI (RFC 3261 §19.1.1: sip:user:password@host:port;params?headers)
// as written, an IPv6 reference without its brackets. A URI of another
// scheme, or without a host, gives empty Texts.
func URIHost[T Text](uri T) (host, port T) {
	uri = TrimSpace(uri)
	switch {
	case HasPrefixFold(uri, "sips:"):
		uri = uri[5:]
	case HasPrefixFold(uri, "sip:"):
		uri = uri[4:]
	default:
		return uri[:0], uri[:0]
	}
	// The host follows the userinfo's '@': a user part may hold ';' and
	// '?' (user-unreserved, §25.1) but parameters and headers may not
	// hold an '@', so the last one ends the userinfo. The host then ends
	// at the first parameter or header.
	for i := len(uri) - 1; i >= 0; i-- {
		if uri[i] == '@' {
			uri = uri[i+1:]
			break
		}
	}
	for i := 0; i < len(uri); i++ {
		if uri[i] == ';' || uri[i] == '?' {
			uri = uri[:i]
			break
		}
	}
	return HostPort(uri)
}

// HostPort splits a hostport (RFC 3261 §25.1: host [ ":" port ], as in a
// Via's sent-by) into the host, an IPv6 reference without its brackets,
// and the port, empty when none.
func HostPort[T Text](hp T) (host, port T) {
	if len(hp) > 0 && hp[0] == '[' {
		close := indexByte(hp, ']')
		if close < 0 {
			return hp[:0], hp[:0]
		}
		host, rest := hp[1:close], hp[close+1:]
		if len(rest) > 1 && rest[0] == ':' {
			return host, rest[1:]
		}
		return host, rest[:0]
	}
	if c := indexByte(hp, ':'); c >= 0 {
		return hp[:c], hp[c+1:]
	}
	return hp, hp[len(hp):]
}

// HasParam reports whether the ";name" or ";name=value" parameter is
// among params (the flag parameters, like Via's rport of RFC 3581, have
// no value for Param to return).
func HasParam[T Text](params T, name string) bool {
	for len(params) > 0 {
		semi := indexByte(params, ';')
		if semi < 0 {
			return false
		}
		params = params[semi+1:]
		p := params
		if e := indexAny2(p, ';', ','); e >= 0 {
			p = p[:e]
		}
		if eq := indexByte(p, '='); eq >= 0 {
			p = p[:eq]
		}
		if EqualFold(TrimSpace(p), name) {
			return true
		}
	}
	return false
}
