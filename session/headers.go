package session

import "bytes"

// parseUint reads a decimal Content-Length (at most 9 digits).
func parseUint(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// header indexes one header of m and returns the required-header bit it
// satisfied, if any. The first Call-ID, From, To, CSeq and Via count;
// later ones are left for the views to show.
func header(m *Message, name, v []byte) uint8 {
	switch {
	case is(name, "call-id", 'i'):
		if m.f[fCallID].n == 0 {
			m.set(fCallID, v)
		}
		return seenCallID
	case is(name, "from", 'f'):
		if m.f[fFrom].n == 0 {
			uri, tag := nameAddr(v)
			m.set(fFrom, uri)
			m.set(fFromTag, tag)
		}
		return seenFrom
	case is(name, "to", 't'):
		if m.f[fTo].n == 0 {
			uri, tag := nameAddr(v)
			m.set(fTo, uri)
			m.set(fToTag, tag)
		}
		return seenTo
	case is(name, "via", 'v'):
		if m.f[fSentBy].n == 0 && m.f[fBranch].n == 0 {
			sentBy, branch := topVia(v)
			m.set(fSentBy, sentBy)
			m.set(fBranch, branch)
		}
		return seenVia
	case is(name, "cseq", 0):
		cseq(m, v)
		return seenCSeq
	case is(name, "content-length", 'l'):
		if n, ok := parseUint(v); ok && m.clen < 0 {
			m.clen = int32(n)
		}
	case is(name, "content-type", 'c'):
		if hasPrefixFold(v, "application/sdp") || (hasPrefixFold(v, "multipart/") && bytes.Contains(m.Raw(), []byte("application/sdp"))) {
			m.Flags |= FlagSDP
		}
	case is(name, "authorization", 0):
		m.Flags |= FlagAuthorization
		return seenAuth
	case is(name, "proxy-authorization", 0):
		m.Flags |= FlagProxyAuthorization
		return seenAuth
	case is(name, "www-authenticate", 0):
		m.Flags |= FlagWWWAuthenticate
		return seenAuth
	case is(name, "proxy-authenticate", 0):
		m.Flags |= FlagProxyAuthenticate
		return seenAuth
	case is(name, "x-call-id", 0) || is(name, "x-cid", 0):
		m.set(fXCallID, v)
	}
	return 0
}

// is matches a header name without regard to case, or its compact form.
func is(name []byte, long string, short byte) bool {
	if len(name) == 1 {
		return short != 0 && name[0]|0x20 == short
	}
	return len(name) == len(long) && hasPrefixFold(name, long)
}

func hasPrefixFold(b []byte, p string) bool {
	if len(b) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != p[i] {
			return false
		}
	}
	return true
}

func cseq(m *Message, v []byte) {
	n, i := 0, 0
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9' && i < 10; i++ {
		n = n*10 + int(v[i]-'0')
	}
	meth := bytes.TrimSpace(v[i:])
	if i == 0 || len(meth) == 0 || n > 1<<31-1 {
		m.setErr("CSeq " + quote(v) + " is not a number and a method (RFC 3261 §20.16)")
	}
	m.CSeq = uint32(n)
	if m.IsRequest() {
		if m.Method() != "" && bstr(meth) != m.Method() {
			m.setErr("CSeq method " + quote(meth) + " differs from the request method (RFC 3261 §8.1.1.5)")
		}
		return
	}
	m.set(fMethod, meth)
}

// nameAddr splits a From/To value (RFC 3261 §20.20, §25.1 name-addr /
// addr-spec) into its URI and tag parameter. Without angle brackets the
// parameters after the URI belong to the header, so the URI ends at ';'.
func nameAddr(v []byte) (uri, tag []byte) {
	params := v
	if lt := indexUnquoted(v, '<'); lt >= 0 {
		rest := v[lt+1:]
		gt := bytes.IndexByte(rest, '>')
		if gt < 0 {
			return rest, nil
		}
		uri, params = rest[:gt], rest[gt+1:]
	} else {
		semi := bytes.IndexByte(v, ';')
		if semi < 0 {
			return bytes.TrimSpace(v), nil
		}
		uri, params = bytes.TrimSpace(v[:semi]), v[semi:]
	}
	return uri, param(params, "tag")
}

// indexUnquoted finds c outside a quoted display name.
func indexUnquoted(v []byte, c byte) int {
	quoted := false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case c:
			if !quoted {
				return i
			}
		}
	}
	return -1
}

// param returns the value of a ;name=value parameter in params.
func param(params []byte, name string) []byte {
	for len(params) > 0 {
		semi := bytes.IndexByte(params, ';')
		if semi < 0 {
			return nil
		}
		params = params[semi+1:]
		p := params
		if e := indexAny2(p, ';', ','); e >= 0 {
			p = p[:e]
		}
		eq := bytes.IndexByte(p, '=')
		if eq < 0 {
			continue
		}
		if k := bytes.TrimSpace(p[:eq]); len(k) == len(name) && hasPrefixFold(k, name) {
			return bytes.Trim(bytes.TrimSpace(p[eq+1:]), `"`)
		}
	}
	return nil
}

// topVia returns the sent-by and branch of the first via-parm of a Via
// value (RFC 3261 §20.42): "SIP/2.0/UDP host:port;branch=…, …".
func topVia(v []byte) (sentBy, branch []byte) {
	if c := indexUnquoted(v, ','); c >= 0 {
		v = v[:c]
	}
	i := indexAny2(v, ' ', '\t')
	if i < 0 {
		return nil, nil
	}
	rest := bytes.TrimLeft(v[i:], " \t")
	end := indexAny2(rest, ';', ' ')
	if t := bytes.IndexByte(rest, '\t'); t >= 0 && (end < 0 || t < end) {
		end = t
	}
	if end < 0 {
		return rest, nil
	}
	return rest[:end], param(rest[end:], "branch")
}

// indexAny2 is bytes.IndexAny for two bytes, without building a set.
func indexAny2(b []byte, c1, c2 byte) int {
	for i, c := range b {
		if c == c1 || c == c2 {
			return i
		}
	}
	return -1
}
