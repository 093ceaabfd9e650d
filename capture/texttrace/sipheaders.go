package texttrace

import "bytes"

// eachHeader calls fn with the name and value of every header line of
// msg (a message with CRLF or LF line ends), stopping at the empty line
// or when fn returns false. Folded lines are not joined: the headers
// read here (Via, Route, Contact, CSeq, Content-Type) fit on one line in
// every trace seen.
func eachHeader(msg []byte, fn func(name, value []byte) bool) {
	i := bytes.IndexByte(msg, '\n')
	for i >= 0 && i+1 < len(msg) {
		rest := msg[i+1:]
		j := bytes.IndexByte(rest, '\n')
		line := rest
		if j >= 0 {
			line = rest[:j]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			return
		}
		if c := bytes.IndexByte(line, ':'); c > 0 {
			name := bytes.TrimRight(line[:c], " \t")
			if !fn(name, bytes.TrimSpace(line[c+1:])) {
				return
			}
		}
		if j < 0 {
			return
		}
		i += j + 1
	}
}

// headerIs compares a header name with its long and compact (RFC 3261
// §7.3.3, 0 for none) forms.
func headerIs(name []byte, long string, short byte) bool {
	if len(name) == 1 && short != 0 {
		return name[0]|0x20 == short
	}
	return bytes.EqualFold(name, []byte(long))
}

// firstHeader returns the value of the first header with that name.
func firstHeader(msg []byte, long string, short byte) ([]byte, bool) {
	var v []byte
	found := false
	eachHeader(msg, func(name, value []byte) bool {
		if headerIs(name, long, short) {
			v, found = value, true
			return false
		}
		return true
	})
	return v, found
}

func hasHeader(msg []byte, long string, short byte) bool {
	_, ok := firstHeader(msg, long, short)
	return ok
}

// looksLikeHeader reports whether a line of a pasted message can be a
// header line: a token, optional white space, a colon; or a folded
// continuation.
func looksLikeHeader(t []byte) bool {
	if len(t) > 0 && (t[0] == ' ' || t[0] == '\t') {
		return true
	}
	i := 0
	for i < len(t) && isTokenChar(t[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	return i < len(t) && t[i] == ':'
}

// isTokenChar reports RFC 3261 §25.1 token characters.
func isTokenChar(c byte) bool {
	if isLetter(c) || isDigit(c) {
		return true
	}
	return bytes.IndexByte([]byte("-.!%*_+`'~"), c) >= 0
}

func isBlank(t []byte) bool { return len(bytes.TrimSpace(t)) == 0 }
