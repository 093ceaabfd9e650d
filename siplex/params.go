package siplex

// Param returns the value of the parameter called name (in lower case,
// compared without regard to case) among the ";name=value" parameters of
// params (RFC 3261 §25.1 generic-param, and the uri-parameters of a URI),
// or an empty Text when none has that name. White space around the name
// and the value is dropped (§25.1 SEMI and EQUAL allow it), and so are
// the quotes of a quoted value. A parameter ends at the next ';' or ','
// and the search goes on past a ',' (the next header value's parameters).
// A parameter without '=' has no value to return and is passed over.
func Param[T Text](params T, name string) T {
	for len(params) > 0 {
		semi := indexByte(params, ';')
		if semi < 0 {
			break
		}
		params = params[semi+1:]
		p := params
		if e := indexAny2(p, ';', ','); e >= 0 {
			p = p[:e]
		}
		eq := indexByte(p, '=')
		if eq < 0 {
			continue
		}
		if EqualFold(TrimSpace(p[:eq]), name) {
			return trimByte(TrimSpace(p[eq+1:]), '"')
		}
	}
	return params[:0]
}

// IndexUnquoted returns the index of the first c in v that is not inside
// a quoted string (RFC 3261 §25.1 quoted-string, with its backslash
// escapes), -1 if none: a display name may hold '<', ',' or ';'.
func IndexUnquoted[T Text](v T, c byte) int {
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
