package siplex

// NameAddr splits the value of a From, To, Contact, Route or Record-Route
// header (RFC 3261 §20.10, §20.20, §20.39, §25.1 name-addr / addr-spec)
// into its URI and the header parameters that follow it. In a name-addr
// the URI is what the first '<' outside the quoted display name and the
// '>' after it enclose (all that follows the '<' when no '>' does, and
// then no parameters). Without angle brackets the URI cannot hold a ';'
// (§20.10): it ends at the first one, and the parameters are the
// header's, not the URI's.
func NameAddr[T Text](v T) (uri, params T) {
	if lt := IndexUnquoted(v, '<'); lt >= 0 {
		rest := v[lt+1:]
		gt := indexByte(rest, '>')
		if gt < 0 {
			return rest, rest[len(rest):]
		}
		return rest[:gt], rest[gt+1:]
	}
	semi := indexByte(v, ';')
	if semi < 0 {
		return TrimSpace(v), v[len(v):]
	}
	return TrimSpace(v[:semi]), v[semi:]
}
