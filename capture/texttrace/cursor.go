package texttrace

import "bytes"

// cursor consumes a line from the left; the first failed expectation
// sticks, so a recogniser is a straight sequence of calls and one check
// of ok at the end.
type cursor struct {
	b  []byte
	ok bool
}

func newCursor(b []byte) *cursor { return &cursor{b: b, ok: true} }

// lit consumes s.
func (c *cursor) lit(s string) {
	if c.ok && bytes.HasPrefix(c.b, []byte(s)) {
		c.b = c.b[len(s):]
		return
	}
	c.ok = false
}

// opt consumes s if it is there and reports whether it was.
func (c *cursor) opt(s string) bool {
	if c.ok && bytes.HasPrefix(c.b, []byte(s)) {
		c.b = c.b[len(s):]
		return true
	}
	return false
}

// oneOf consumes the first of the strings that is there and returns its
// index, or -1.
func (c *cursor) oneOf(ss ...string) int {
	for i, s := range ss {
		if c.opt(s) {
			return i
		}
	}
	c.ok = false
	return -1
}

// number consumes a run of digits.
func (c *cursor) number() int {
	i := 0
	for i < len(c.b) && i < 10 && isDigit(c.b[i]) {
		i++
	}
	n, ok := atoi(c.b[:i])
	if !c.ok || !ok {
		c.ok = false
		return 0
	}
	c.b = c.b[i:]
	return n
}

// upTo consumes and returns everything before sep, and sep.
func (c *cursor) upTo(sep string) []byte { return c.cut(sep, bytes.Index) }

// cut splits at the sep that find locates.
func (c *cursor) cut(sep string, find func(b, sep []byte) int) []byte {
	if !c.ok {
		return nil
	}
	i := find(c.b, []byte(sep))
	if i < 0 {
		c.ok = false
		return nil
	}
	v := c.b[:i]
	c.b = c.b[i+len(sep):]
	return v
}

// end requires that the whole line was consumed.
func (c *cursor) end() bool { return c.ok && len(c.b) == 0 }
