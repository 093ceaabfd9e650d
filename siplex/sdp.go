package siplex

// The body SIP carries most, a session description (RFC 4566), is read
// here too, for the little sipdbg needs of it: each m= line (§5.14) with
// the c= address that applies to it (§5.7: a media-level c= over the
// session-level one). The grammar of those lines is one letter, '=', and
// fields separated by single spaces.

// SDPMedia is one m= line of a session description.
type SDPMedia[T Text] struct {
	Kind    T   // audio, video, image, application, …
	Port    int // 0: the stream is refused or disabled (RFC 3264 §6); -1 when unreadable
	Proto   T   // RTP/AVP, RTP/SAVP, UDP/TLS/RTP/SAVPF, udptl, …
	Formats T   // the payload types or formats, space-separated, as written
	Addr    T   // the connection address that applies: the media's c=, else the session's
	Attrs   T   // the media section's other lines (a=rtpmap, a=sendrecv, …), as written
}

// SDP calls fn for each m= line of body, in order, until fn returns
// false. Lines it cannot read are passed over: what can be read is given.
func SDP[T Text](body T, fn func(SDPMedia[T]) bool) {
	var (
		session T // the session-level c= address
		cur     SDPMedia[T]
		have    bool
		attrs   int // where cur's section starts in body
	)
	flush := func(end int) bool {
		if !have {
			return true
		}
		if attrs <= end {
			cur.Attrs = body[attrs:end]
		}
		return fn(cur)
	}
	for pos := 0; pos < len(body); {
		start := pos
		line, next := Line(body, pos)
		pos = next
		if len(line) < 2 || line[1] != '=' {
			continue
		}
		v := line[2:]
		switch line[0] {
		case 'c': // c=<nettype> <addrtype> <connection-address>[/ttl][/n]
			f := fieldN(v, 2)
			if end := indexByte(f, '/'); end >= 0 {
				f = f[:end]
			}
			if len(f) == 0 {
				continue
			}
			if have {
				cur.Addr = f
			} else {
				session = f
			}
		case 'm': // m=<media> <port>[/<number>] <proto> <fmt> ...
			if !flush(start) {
				return
			}
			cur, have = SDPMedia[T]{Kind: fieldN(v, 0), Proto: fieldN(v, 2), Addr: session, Port: -1}, true
			port := fieldN(v, 1)
			if s := indexByte(port, '/'); s >= 0 {
				port = port[:s]
			}
			if n, ok := Uint(port); ok && n <= 65535 {
				cur.Port = n
			}
			if f := fieldStart(v, 3); f >= 0 {
				cur.Formats = TrimSpace(v[f:])
			}
			attrs = next
		}
	}
	flush(len(body))
}

// fieldN returns the n-th space-separated field of v (from 0), empty
// when v has fewer.
func fieldN[T Text](v T, n int) T {
	i := fieldStart(v, n)
	if i < 0 {
		return v[:0]
	}
	f := v[i:]
	if e := indexAny2(f, ' ', '\t'); e >= 0 {
		f = f[:e]
	}
	return f
}

// fieldStart returns where the n-th space-separated field of v starts,
// -1 when v has fewer.
func fieldStart[T Text](v T, n int) int {
	i := 0
	for k := 0; ; k++ {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if i >= len(v) {
			return -1
		}
		if k == n {
			return i
		}
		for i < len(v) && v[i] != ' ' && v[i] != '\t' {
			i++
		}
	}
}
