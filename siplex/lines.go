package siplex

// A SIP line ends in CRLF (RFC 3261 §7). Real stacks also send bare LFs,
// so a line ends at LF and a CR before it belongs to the line end.

// Line returns the line of s that starts at pos, without its line end,
// and the offset of the line after it (len(s) after the last line). The
// last line, if no LF ends it, loses every CR that ends it: a message cut
// inside its line end reads like one that is not.
func Line[T Text](s T, pos int) (line T, next int) {
	e := indexByte(s[pos:], '\n')
	if e < 0 {
		line = s[pos:]
		for len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		return line, len(s)
	}
	line = s[pos : pos+e]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return line, pos + e + 1
}

// Folded reports whether the line at offset next continues the header
// line before it: a continuation line starts with a space or a tab (RFC
// 3261 §7.3.1).
func Folded[T Text](s T, next int) bool { return next < len(s) && isBlank(s[next]) }

// Unfold joins line, whose next line starts at offset next of s, with its
// continuation lines, each one's leading white space replaced by a single
// space as §7.3.1 allows, into a new buffer. It returns the joined line
// and the offset of the line after the last continuation. It is the one
// part of the lexer that allocates, and only folded headers need it.
func Unfold[T Text](s, line T, next int) (T, int) {
	out := append([]byte(nil), line...)
	for Folded(s, next) {
		var cont T
		cont, next = Line(s, next)
		out = append(out, ' ')
		out = append(out, trimBlanks(cont)...)
	}
	return fromBytes[T](out), next
}
