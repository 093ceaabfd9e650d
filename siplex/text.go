package siplex

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Text is what the lexer reads: a string or a byte slice, never copied.
type Text interface{ ~string | ~[]byte }

// view returns the bytes of s as a string without copying, so that the
// standard library's vectorised searches serve both kinds of Text: a
// slice header starts with the pointer and length a string header holds.
// The view is only read, and only while s is.
func view[T Text](s T) string { return *(*string)(unsafe.Pointer(&s)) }

// fromBytes returns b as a T without copying. b is a fresh buffer that
// nothing writes afterwards, so a string made of it stays immutable.
func fromBytes[T Text](b []byte) T { return *(*T)(unsafe.Pointer(&b)) }

// indexByte is strings.IndexByte of view(s), written out so that it
// stays within the inliner's budget: the lexer's hot loops call it for
// every line.
func indexByte[T Text](s T, c byte) int {
	return strings.IndexByte(*(*string)(unsafe.Pointer(&s)), c)
}

// indexAny2 is the index of the first c1 or c2 in s, -1 if none: the
// fixed sets of the grammar without building a set for each call.
func indexAny2[T Text](s T, c1, c2 byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c1 || s[i] == c2 {
			return i
		}
	}
	return -1
}

// IndexBlank returns the index of the first space or tab of s (the WSP
// of RFC 3261 §25.1), -1 if none.
func IndexBlank[T Text](s T) int { return indexAny2(s, ' ', '\t') }

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// trimBlanks drops the spaces and tabs that start s.
func trimBlanks[T Text](s T) T {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return s[i:]
}

// trimRightBlanks drops the spaces and tabs that end s: the white space
// RFC 3261 §7.3.1 allows between a header name and its colon.
func trimRightBlanks[T Text](s T) T {
	i := len(s)
	for i > 0 && isBlank(s[i-1]) {
		i--
	}
	return s[:i]
}

// trimByte drops every c at either end of s.
func trimByte[T Text](s T, c byte) T {
	i, j := 0, len(s)
	for i < j && s[i] == c {
		i++
	}
	for j > i && s[j-1] == c {
		j--
	}
	return s[i:j]
}

// asciiSpace marks the bytes strings.TrimSpace drops without decoding.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// TrimSpace is strings.TrimSpace (and bytes.TrimSpace) for either kind
// of Text, without a copy: Unicode white space goes too, as it always
// has for every reader of header values. ASCII is the fast path.
func TrimSpace[T Text](s T) T {
	start := 0
	for ; start < len(s); start++ {
		c := s[start]
		if c >= utf8.RuneSelf {
			return trimUnicode(s, start)
		}
		if !asciiSpace[c] {
			break
		}
	}
	stop := len(s)
	for ; stop > start; stop-- {
		c := s[stop-1]
		if c >= utf8.RuneSelf {
			return trimUnicode(s[:stop], start)
		}
		if !asciiSpace[c] {
			break
		}
	}
	return s[start:stop]
}

// trimUnicode trims unicode.IsSpace runes from s[from:] at both ends, as
// strings.TrimFunc does (an invalid byte is no space).
func trimUnicode[T Text](s T, from int) T {
	v := view(s)
	i := from
	for i < len(v) {
		r, n := utf8.DecodeRuneInString(v[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	j := len(v)
	for j > i {
		r, n := utf8.DecodeLastRuneInString(v[i:j])
		if !unicode.IsSpace(r) {
			break
		}
		j -= n
	}
	return s[i:j]
}
