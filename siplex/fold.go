package siplex

// SIP compares header names, methods' versions and most parameter names
// without regard to case (RFC 3261 §7.1, §7.3.1), and only ASCII letters
// have a case there: every other byte must match exactly. The patterns
// are written in lower case, so only the input is folded.

func toLower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// HasPrefixFold reports whether s starts with prefix, ASCII letters
// compared without regard to case. prefix must be in lower case.
func HasPrefixFold[T Text](s T, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if toLower(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// HasSuffixFold is HasPrefixFold for the end of s.
func HasSuffixFold[T Text](s T, suffix string) bool {
	return len(s) >= len(suffix) && HasPrefixFold(s[len(s)-len(suffix):], suffix)
}

// EqualFold reports whether s is lower, ASCII letters compared without
// regard to case. lower must be in lower case.
func EqualFold[T Text](s T, lower string) bool {
	return len(s) == len(lower) && HasPrefixFold(s, lower)
}
