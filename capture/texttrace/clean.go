package texttrace

import "bytes"

// stripANSI removes ANSI escape sequences (CSI "ESC [ … final", OSC "ESC ]
// … BEL|ESC \", and two-byte "ESC x") that coloured consoles leave in
// logs; baresip wraps every traced message in them. It appends the
// cleaned b to dst.
func stripANSI(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		if b[i] != 0x1b {
			dst = append(dst, b[i])
			i++
			continue
		}
		i = skipEscape(b, i)
	}
	return dst
}

// skipEscape returns the index just past the escape sequence at b[i].
func skipEscape(b []byte, i int) int {
	if i+1 >= len(b) {
		return len(b)
	}
	switch b[i+1] {
	case '[':
		j := i + 2
		for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
			j++
		}
		return min(j+1, len(b))
	case ']':
		for j := i + 2; j < len(b); j++ {
			if b[j] == 0x07 {
				return j + 1
			}
			if b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\' {
				return j + 2
			}
		}
		return len(b)
	}
	return i + 2
}

// prefixKind names the shape of a log prefix, so that the lines of one
// message are recognised as carrying the same prefix as its first line.
type prefixKind uint8

const (
	noPrefix      prefixKind = iota
	bracketPrefix            // "[Nov 28 09:49:26] VERBOSE[1234][C-1] file.c: " (Asterisk)
	syslogPrefix             // "Nov 28 09:49:26 host tag[pid]: "
	stampPrefix              // "2026-11-28 09:49:26.123 " or "09:49:26.123 ", optionally "[LEVEL] "
)

// stripPrefix splits a log prefix off b. It returns the kind, the stamp
// the prefix holds, and the rest of the line (b itself when there is no
// prefix).
func stripPrefix(b []byte) (prefixKind, stamp, []byte) {
	if len(b) > 0 && b[0] == '[' {
		if s, n := scanStamp(b[1:]); n > 0 && 1+n < len(b) && b[1+n] == ']' {
			return bracketPrefix, s, asteriskTail(b[2+n:])
		}
		return noPrefix, stamp{}, b
	}
	s, n := scanStamp(b)
	if n == 0 || n >= len(b) || b[n] != ' ' {
		return noPrefix, stamp{}, b
	}
	rest := b[n+1:]
	if s.kind == monthDayStamp {
		if r, ok := syslogTail(rest); ok {
			return syslogPrefix, s, r
		}
	}
	return stampPrefix, s, levelTail(rest)
}

// asteriskTail drops what Asterisk's logger writes after the date:
// " LEVEL[tid][C-callid] file.c: " (each part optional).
func asteriskTail(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte(" "))
	i := 0
	for i < len(b) && b[i] >= 'A' && b[i] <= 'Z' {
		i++
	}
	if i < 2 || i >= len(b) || b[i] != '[' {
		return b
	}
	for i < len(b) && b[i] == '[' {
		j := bytes.IndexByte(b[i:], ']')
		if j < 0 {
			return b
		}
		i += j + 1
	}
	rest := bytes.TrimPrefix(b[i:], []byte(" "))
	if w, ok := fileWord(rest); ok {
		return w
	}
	return rest
}

// fileWord drops a leading "name.c: " or "name.c:123 " (the source file
// of the log call) from b.
func fileWord(b []byte) ([]byte, bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < 3 {
		return b, false
	}
	w := b[:sp]
	c := bytes.IndexByte(w, ':')
	if c < 2 || bytes.IndexByte(w[:c], '.') < 0 {
		return b, false
	}
	for _, ch := range w[c+1:] {
		if !isDigit(ch) && ch != ':' {
			return b, false
		}
	}
	return b[sp+1:], true
}

// syslogTail drops "host tag[pid]: " from b.
func syslogTail(b []byte) ([]byte, bool) {
	sp := bytes.IndexByte(b, ' ')
	if sp < 1 {
		return b, false
	}
	tag := b[sp+1:]
	end := bytes.Index(tag, []byte(": "))
	if end < 1 || bytes.IndexByte(tag[:end], ' ') >= 0 {
		return b, false
	}
	return tag[end+2:], true
}

// levelTail drops a "[LEVEL] " after a plain stamp (FreeSWITCH).
func levelTail(b []byte) []byte {
	if len(b) < 3 || b[0] != '[' {
		return b
	}
	j := bytes.IndexByte(b, ']')
	if j < 2 || j+1 >= len(b) || b[j+1] != ' ' {
		return b
	}
	for _, c := range b[1:j] {
		if c < 'A' || c > 'Z' {
			return b
		}
	}
	return b[j+2:]
}
