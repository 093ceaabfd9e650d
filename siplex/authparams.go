package siplex

// Auth splits a WWW-Authenticate, Proxy-Authenticate, Authorization or
// Proxy-Authorization value (RFC 3261 §25.1 challenge and credentials,
// RFC 7616 §3.3, §3.4) into its scheme and the auth-params after it. The
// value is trimmed of white space first; the scheme ends at the first
// blank. ok is false when there is no blank: the value is a scheme alone
// (or no value at all), with no parameters to read.
func Auth[T Text](v T) (scheme T, params AuthParams[T], ok bool) {
	v = TrimSpace(v)
	sp := IndexBlank(v)
	if sp <= 0 {
		return v, params, false
	}
	return v[:sp], AuthParams[T]{rest: v[sp+1:]}, true
}

// AuthParams reads a comma-separated list of auth-params, name=value
// where the value is a token or a quoted string (RFC 3261 §25.1
// auth-param, RFC 7616 §3.3), one at a time with Next.
type AuthParams[T Text] struct{ rest T }

// Next returns the next parameter: its name trimmed of white space (not
// folded: names are compared without regard to case, so the caller
// folds) and its value. A token value ends at the next comma and is
// trimmed; a quoted value is what the quotes enclose with its backslash
// escapes (quoted-pair) removed, and what follows it up to the next comma
// is dropped. ok is false at the end of the list, and at anything that is
// no name=value: what follows is not read.
func (p *AuthParams[T]) Next() (name, value T, ok bool) {
	s := trimSeparators(p.rest)
	eq := indexByte(s, '=')
	if eq <= 0 {
		p.rest = s[:0]
		return name, value, false
	}
	name = TrimSpace(s[:eq])
	if len(name) == 0 {
		p.rest = s[:0]
		return name, value, false
	}
	s = trimBlanks(s[eq+1:])
	if len(s) > 0 && s[0] == '"' {
		i, escaped := closingQuote(s)
		value = s[1:min(i, len(s))]
		if escaped {
			value = unescape(value)
		}
		rest := s[len(s):]
		if i < len(s) {
			rest = s[i+1:]
		}
		if c := indexByte(rest, ','); c >= 0 {
			p.rest = rest[c+1:]
		} else {
			p.rest = rest[len(rest):]
		}
		return name, value, true
	}
	if c := indexByte(s, ','); c >= 0 {
		p.rest = s[c+1:]
		return name, TrimSpace(s[:c]), true
	}
	p.rest = s[len(s):]
	return name, TrimSpace(s), true
}

// trimSeparators drops the blanks and commas between two auth-params:
// §7.3.1 allows white space around the comma, and an empty element of a
// list (",,") is ignored.
func trimSeparators[T Text](s T) T {
	i := 0
	for i < len(s) && (isBlank(s[i]) || s[i] == ',') {
		i++
	}
	return s[i:]
}

// closingQuote returns the index of the quote that ends the quoted string
// s opens (len(s) when none does), and whether a backslash escape came
// before it (RFC 3261 §25.1 quoted-pair: a backslash and the byte after
// it stand for that byte, so an escaped quote ends nothing).
func closingQuote[T Text](s T) (int, bool) {
	// Most quoted values have no escape: two byte searches find the end.
	q := indexByte(s[1:], '"')
	if q < 0 {
		q = len(s) - 1
	}
	if indexByte(s[1:1+q], '\\') < 0 {
		return 1 + q, false
	}
	i, escaped := 1, false
	for ; i < len(s) && s[i] != '"'; i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			escaped = true
		}
	}
	return i, escaped
}

// unescape removes the backslashes of the quoted-pairs of v into a new
// buffer; a backslash that ends v stays.
func unescape[T Text](v T) T {
	out := make([]byte, 0, len(v))
	for j := 0; j < len(v); j++ {
		if v[j] == '\\' && j+1 < len(v) {
			j++
		}
		out = append(out, v[j])
	}
	return fromBytes[T](out)
}
