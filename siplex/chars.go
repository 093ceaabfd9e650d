package siplex

// tokenChar marks the characters of an RFC 3261 §25.1 token:
// alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~".
// Methods and header names are tokens.
var tokenChar = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "-.!%*_+`'~" {
		t[c] = true
	}
	return t
}()

// IsToken reports whether c may appear in an RFC 3261 §25.1 token.
func IsToken(c byte) bool { return tokenChar[c] }

// IsAlpha reports an ASCII letter (RFC 3261 §25.1 ALPHA).
func IsAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// IsDigit reports an ASCII digit (RFC 3261 §25.1 DIGIT).
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }
