package siplex

// SplitCSeq reads a CSeq value (RFC 3261 §20.16): a sequence number, LWS and
// a method. It reads at most ten digits; seq is their value modulo 2³²,
// and method is what follows them, trimmed. ok is false unless both are
// there and the number is below 2³¹, as §8.1.1.5 requires.
func SplitCSeq[T Text](v T) (seq uint32, method T, ok bool) {
	n, i := 0, 0
	for ; i < len(v) && IsDigit(v[i]) && i < 10; i++ {
		n = n*10 + int(v[i]-'0')
	}
	method = TrimSpace(v[i:])
	return uint32(n), method, i > 0 && len(method) > 0 && n <= 1<<31-1
}
