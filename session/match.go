package session

import (
	"bytes"
	"net/netip"
)

// Mentions reports whether the call's summary or any of its messages'
// text contains f (lower case), as sngrep's display filter does; or the
// alias of an address a message of the call is from or to: the name the
// list and the ladder show, though no message says it. It is the call
// list's filter (/) and report --filter's, so that the two agree.
func (s *Store) Mentions(c *Call, f []byte) bool {
	if containsFoldBytes([]byte(c.Method+" "+c.From+" "+c.To+" "+c.CallID+" "+c.State.String()+" "+c.Src.String()+" "+c.Dst.String()), f) {
		return true
	}
	names := s.Aliases()
	named := func(a netip.AddrPort) bool {
		n, ok := names.Name(a)
		return ok && containsFoldBytes([]byte(n), f)
	}
	for _, mi := range c.Msgs {
		m := s.Msg(int(mi))
		if containsFoldBytes(m.Raw(), f) || names.Len() > 0 && (named(m.Src()) || named(m.Dst())) {
			return true
		}
	}
	return false
}

// containsFoldBytes reports whether b contains the lower-case ASCII needle f
// in any letter case, without copying b: candidates are found with
// IndexByte on both cases of the first byte.
func containsFoldBytes(b, f []byte) bool {
	if len(f) == 0 {
		return true
	}
	lo, up := f[0], f[0]
	if lo >= 'a' && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	for i := 0; i+len(f) <= len(b); {
		j := indexEither(b[i:len(b)-len(f)+1], lo, up)
		if j < 0 {
			return false
		}
		if equalFold(b[i+j:i+j+len(f)], f) {
			return true
		}
		i += j + 1
	}
	return false
}

func indexEither(b []byte, x, y byte) int {
	i := bytes.IndexByte(b, x)
	if x == y {
		return i
	}
	if k := bytes.IndexByte(b, y); k >= 0 && (i < 0 || k < i) {
		return k
	}
	return i
}

func equalFold(b, lower []byte) bool {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}
