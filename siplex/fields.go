package siplex

// Field splits a header line at its first colon (RFC 3261 §7.3.1:
// field-name, optional white space, colon, value): the name without the
// blanks before the colon, the value trimmed of white space. ok is false
// when the line has no colon or starts with one.
func Field[T Text](line T) (name, value T, ok bool) {
	c := indexByte(line, ':')
	if c <= 0 {
		return name, value, false
	}
	return trimRightBlanks(line[:c]), TrimSpace(line[c+1:]), true
}

// Headers calls fn with the name and value (as Field has them) of every
// header of msg, a message with its start line, in order, until the empty
// line that ends the headers or until fn returns false. Continuation
// lines are joined to their header (Unfold): the values are what §7.3.1
// says they mean. Lines without a colon are skipped.
func Headers[T Text](msg T, fn func(name, value T) bool) {
	eachHeader(msg, true, fn)
}

// HeaderLines is Headers without joining continuation lines: each line
// is read on its own, so a continuation line that holds a colon is passed
// on as a header whose name starts with a blank (which no name matches).
// It never allocates; readers that only look for headers that fit on one
// line (the text-trace parser) use it.
func HeaderLines[T Text](msg T, fn func(name, value T) bool) {
	eachHeader(msg, false, fn)
}

func eachHeader[T Text](msg T, join bool, fn func(name, value T) bool) {
	pos := indexByte(msg, '\n') + 1
	if pos == 0 {
		return
	}
	for pos < len(msg) {
		line, next := Line(msg, pos)
		if len(line) == 0 {
			return
		}
		if join && Folded(msg, next) {
			line, next = Unfold(msg, line, next)
		}
		pos = next
		if name, value, ok := Field(line); ok && !fn(name, value) {
			return
		}
	}
}

// LooksLikeField reports whether line can be a header line of a message
// (RFC 3261 §7.3.1): a token (the field-name), optional blanks and a
// colon; or a continuation line, which starts with a blank.
func LooksLikeField[T Text](line T) bool {
	if len(line) > 0 && isBlank(line[0]) {
		return true
	}
	i := 0
	for i < len(line) && IsToken(line[i]) {
		i++
	}
	if i == 0 {
		return false
	}
	for i < len(line) && isBlank(line[i]) {
		i++
	}
	return i < len(line) && line[i] == ':'
}
