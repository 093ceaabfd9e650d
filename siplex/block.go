package siplex

// HeaderEnd returns the offset just past the empty line that ends the
// header block of b (RFC 3261 §7: the headers end with an empty line),
// looking from offset from on: a caller that has already looked at the
// first bytes of a growing buffer does not look at them again. An empty
// line is CRLF or a bare LF after an LF: header blocks ending in LF LF
// are accepted because real stacks send them. It returns 0, false when
// b holds no empty line yet.
func HeaderEnd[T Text](b T, from int) (int, bool) {
	for i := from; ; {
		j := indexByte(b[i:], '\n')
		if j < 0 {
			return 0, false
		}
		i += j + 1
		if i < len(b) && b[i] == '\n' {
			return i + 1, true
		}
		if i+1 < len(b) && b[i] == '\r' && b[i+1] == '\n' {
			return i + 2, true
		}
	}
}

// Uint reads a Content-Length value (RFC 3261 §20.14: 1*DIGIT). Nine
// digits at most: a length that needs more is no length any message has,
// and the limit keeps the result within an int32.
func Uint[T Text](b T) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(b); i++ {
		if !IsDigit(b[i]) {
			return 0, false
		}
		n = n*10 + int(b[i]-'0')
	}
	return n, true
}
