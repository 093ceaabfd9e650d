package siplex

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// The fuzz targets check, for any input, that nothing panics, that every
// part returned lies inside the input (no copy, no reach past it), that a
// string and a []byte read alike, that what was written reads back, and
// that each caller still reads what it did before siplex (ref_test.go).

// inside reports whether sub lies within s (an empty sub anywhere).
func inside[T Text](sub, s T) bool {
	if len(sub) == 0 {
		return true
	}
	b, e := uintptr(unsafe.Pointer(unsafe.StringData(view(s)))), uintptr(len(s))
	p := uintptr(unsafe.Pointer(unsafe.StringData(view(sub))))
	return p >= b && p-b+uintptr(len(sub)) <= e
}

// token keeps the token characters of s (RFC 3261 §25.1).
func token(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && IsToken(byte(r)) {
			return r
		}
		return -1
	}, s)
}

func FuzzHeaders(f *testing.F) {
	f.Add([]byte("INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nSubject: a,\r\n b\r\n\tc\r\ni:1\r\n\r\nbody: x\r\n"))
	f.Add([]byte("SIP/2.0 200 OK\nl: 0\n x: y\n\n"))
	f.Add([]byte("A\r\nB: 1\r\r\n:x\r\n \r\nC: \r\r"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		type hv = [2]string
		var got, want []hv
		Headers(msg, func(n, v []byte) bool { got = append(got, hv{string(n), string(v)}); return true })
		refSessionEachHeader(msg, func(n, v []byte) { want = append(want, hv{string(n), string(v)}) })
		if !slices.Equal(got, want) {
			t.Fatalf("Headers %q, the indexer read %q", got, want)
		}
		for _, h := range got {
			long, short := refLongForm(h[0])
			if n := Lookup(h[0]); n.Long != long || n.Short != short {
				t.Fatalf("Lookup(%q) = %v, the indexer had %q %q", h[0], n, long, short)
			}
			for _, n := range []Name{Via, CallID, CSeq, ContentLength, Lookup(h[0])} {
				if Is(h[0], n) != refIs([]byte(h[0]), n.Long, n.Short) {
					t.Fatalf("Is(%q, %v) = %v", h[0], n, Is(h[0], n))
				}
			}
		}
		var str []hv
		Headers(string(msg), func(n, v string) bool { str = append(str, hv{n, v}); return true })
		if !slices.Equal(str, got) {
			t.Fatalf("Headers of a string %q, of bytes %q", str, got)
		}

		got, want = nil, nil
		HeaderLines(msg, func(n, v []byte) bool {
			if !inside(n, msg) || !inside(v, msg) {
				t.Fatalf("HeaderLines passed %q: %q, not inside the message", n, v)
			}
			got = append(got, hv{string(n), string(v)})
			return len(got) < 3
		})
		refTraceEachHeader(msg, func(n, v []byte) bool { want = append(want, hv{string(n), string(v)}); return len(want) < 3 })
		if !slices.Equal(got, want) {
			t.Fatalf("HeaderLines %q, the trace parser read %q", got, want)
		}

		// Lines cover the input: each starts where the last ended and
		// leaves out only CRs and the LF.
		for pos := 0; pos < len(msg); {
			line, next := Line(msg, pos)
			if next <= pos || !bytes.Equal(line, msg[pos:pos+len(line)]) || strings.Trim(string(msg[pos+len(line):next]), "\r\n") != "" {
				t.Fatalf("Line(%d) = %q, %d", pos, line, next)
			}
			pos = next
		}

		for _, from := range []int{0, len(msg) / 3} {
			end, ok := HeaderEnd(msg, from)
			if wend, wok := refHeaderEnd(msg, from); end != wend || ok != wok {
				t.Fatalf("HeaderEnd(%d) = %d, %v; framing found %d, %v", from, end, ok, wend, wok)
			}
		}

		// What is written reads back: a header of each line of the input,
		// named by its token characters, its words as the value, every
		// other one folded at its first space.
		var b strings.Builder
		b.WriteString("OPTIONS sip:x SIP/2.0\r\n")
		var fields, lines []hv
		for i, chunk := range strings.Split(string(msg), "\n") {
			name, words := token(chunk), strings.Fields(chunk)
			if name == "" || len(words) == 0 {
				continue
			}
			value := strings.Join(words, " ")
			fields = append(fields, hv{name, value})
			if i%2 == 1 && len(words) > 1 && !strings.Contains(value, ":") {
				value = strings.Replace(value, " ", "\r\n ", 1)
			}
			lines = append(lines, hv{name, words[0]})
			if !strings.Contains(value, "\r\n") {
				lines[len(lines)-1][1] = value
			}
			b.WriteString(name + ": " + value + "\r\n")
		}
		b.WriteString("\r\n")
		if got := headersOf(b.String(), Headers[string]); !slices.Equal(got, fields) {
			t.Fatalf("wrote %q, Headers read %q", fields, got)
		}
		if got := headersOf(b.String(), HeaderLines[string]); !slices.Equal(got, lines) {
			t.Fatalf("wrote %q, HeaderLines read %q", lines, got)
		}
	})
}

func headersOf(msg string, each func(string, func(n, v string) bool)) [][2]string {
	var out [][2]string
	each(msg, func(n, v string) bool { out = append(out, [2]string{n, v}); return true })
	return out
}

func FuzzTopVia(f *testing.F) {
	f.Add("SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207;branch=z9hG4bK77asjd", "TCP", "z9hG4bK-1")
	f.Add(`SIP/2.0/TLS [::1]:5061;x="a,b";branch="q", SIP/2.0/UDP y`, "WSS", "")
	f.Add("SIP/2.0/UDP\th\t;branch=1", "", "b")
	f.Fuzz(func(t *testing.T, v, transport, branch string) {
		p := TopVia(v)
		for _, part := range []string{p.Protocol, p.SentBy, p.Params, p.Transport()} {
			if !inside(part, v) {
				t.Fatalf("TopVia(%q) returned %q, not inside it", v, part)
			}
		}
		sentBy, wbranch := refTopVia([]byte(v))
		if p.SentBy != string(sentBy) || Param(p.Params, "branch") != string(wbranch) {
			t.Fatalf("TopVia(%q) = %q, branch %q; the indexer read %q, %q", v, p.SentBy, Param(p.Params, "branch"), sentBy, wbranch)
		}
		if b := TopVia([]byte(v)); string(b.Protocol) != p.Protocol || string(b.SentBy) != p.SentBy || string(b.Params) != p.Params {
			t.Fatalf("TopVia of bytes differs from TopVia of a string for %q", v)
		}

		transport, branch, host := token(transport), token(branch), token(v)
		if transport == "" || host == "" {
			return
		}
		w := "SIP/2.0/" + transport + " " + host + ";rport;branch=" + branch + ";received=192.0.2.1, SIP/2.0/UDP other;branch=no"
		p = TopVia(w)
		if p.Transport() != transport || p.SentBy != host || Param(p.Params, "branch") != branch || Param(p.Params, "received") != "192.0.2.1" {
			t.Fatalf("wrote %q, read %q %q %q", w, p.Transport(), p.SentBy, Param(p.Params, "branch"))
		}
	})
}

func FuzzParams(f *testing.F) {
	f.Add(`Digest realm="a\"b", nonce=x, uri="sip:b@x;tag=1" ,qop=auth`, "tag", "v\\\"")
	f.Add(`"A <b>" <sip:a@b>;tag=1;expires=0`, "expires", "")
	f.Add("4711 INVITE", "x", "a b")
	f.Add(" \u00a0Bearer\t;x=\"", "", "")
	f.Fuzz(func(t *testing.T, s, name, value string) {
		b := []byte(s)
		if got := TrimSpace(s); got != strings.TrimSpace(s) {
			t.Fatalf("TrimSpace(%q) = %q, strings.TrimSpace %q", s, got, strings.TrimSpace(s))
		}
		lname := strings.ToLower(name)
		if got, want := Param(s, lname), refParam(b, lname); got != string(want) || !inside(got, s) {
			t.Fatalf("Param(%q, %q) = %q, the indexer read %q", s, lname, got, want)
		}
		for _, c := range []byte("<,>") {
			if got, want := IndexUnquoted(s, c), refIndexUnquoted(b, c); got != want {
				t.Fatalf("IndexUnquoted(%q, %q) = %d, want %d", s, c, got, want)
			}
		}
		uri, params := NameAddr(s)
		if wuri, wtag := refNameAddr(b); uri != string(wuri) || Param(params, "tag") != string(wtag) || !inside(uri, s) || !inside(params, s) {
			t.Fatalf("NameAddr(%q) = %q, %q; the indexer read %q, tag %q", s, uri, params, wuri, wtag)
		}
		seq, method, ok := SplitCSeq(b)
		if wseq, wmethod, wok := refCSeq(b); seq != wseq || !bytes.Equal(method, wmethod) || ok != wok {
			t.Fatalf("SplitCSeq(%q) = %d %q %v, want %d %q %v", s, seq, method, ok, wseq, wmethod, wok)
		}
		if n, ok := Uint(b); true {
			if wn, wok := refParseUint(b); n != wn || ok != wok {
				t.Fatalf("Uint(%q) = %d %v, want %d %v", s, n, ok, wn, wok)
			}
		}

		scheme, got, ok := authParams(s)
		wscheme, want, wok := refDigestParams(s)
		if scheme != wscheme || ok != wok || !slices.Equal(got, want) {
			t.Fatalf("Auth(%q) = %q %v %q; the digest parser read %q %v %q", s, scheme, ok, got, wscheme, wok, want)
		}
		_, bp, _ := Auth(b)
		for i := 0; ; i++ {
			n, v, more := bp.Next()
			if !more {
				if i != len(got) {
					t.Fatalf("Auth of bytes read %d parameters, of a string %d", i, len(got))
				}
				break
			}
			if !inside(n, b) || i >= len(got) || string(n) != got[i][0] || string(v) != got[i][1] {
				t.Fatalf("Auth of bytes, parameter %d: %q=%q", i, n, v)
			}
		}

		// What is written reads back: a quoted value with its quotes and
		// backslashes escaped, between two parameters, and a token value.
		name = token(name)
		if name == "" {
			return
		}
		esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value)
		w := "Digest a=1, " + name + ` = "` + esc + `",` + name + "=" + token(value) + " ,z=2"
		_, got, _ = authParams(w)
		if want := [][2]string{{"a", "1"}, {name, value}, {name, token(value)}, {"z", "2"}}; !slices.Equal(got, want) {
			t.Fatalf("wrote %q, read %q", w, got)
		}
		if got := Param(" ;"+name+"="+token(value)+";y;"+name+"=later", strings.ToLower(name)); got != token(value) {
			t.Fatalf("Param wrote %q, read %q", token(value), got)
		}
	})
}

func FuzzStart(f *testing.F) {
	f.Add([]byte("INVITE sip:bob@example.com SIP/2.0\r\n"))
	f.Add([]byte("SIP/2.0 200 OK\r\n"))
	f.Add([]byte("sip\x0f2.0 200 OK\tx"))
	f.Add([]byte("Via : x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := IsStart(b), refIsSIPStart(b); got != want {
			t.Fatalf("IsStart(%q) = %v, framing said %v", b, got, want)
		}
		if IsStart(string(b)) != IsStart(b) {
			t.Fatalf("IsStart of a string differs for %q", b)
		}
		if got, want := IsStartPrefix(b), refPrefix(b); got != want {
			t.Fatalf("IsStartPrefix(%q) = %v, sipstart said %v", b, got, want)
		}
		if got, want := LooksLikeField(b), refLooksLikeHeader(b); got != want {
			t.Fatalf("LooksLikeField(%q) = %v, the trace parser said %v", b, got, want)
		}
		// Any method token and URI without blanks or controls make a
		// request line, and any three digits a status line.
		m, uri := token(string(b)), strings.Map(func(r rune) rune {
			if r <= ' ' || r == 0x7f {
				return -1
			}
			return r
		}, string(b))
		if m != "" && IsAlpha(m[0]) && uri != "" && len(m)+len(uri) < MaxStartLine-9 {
			if l := m + " " + uri + " SIP/2.0\r\n"; !IsStart(l) {
				t.Fatalf("IsStart(%q) = false", l)
			}
		}
		if len(b) >= 3 && IsDigit(b[0]) && IsDigit(b[1]) && IsDigit(b[2]) && !IsStart("SIP/2.0 "+string(b[:3])+" OK") {
			t.Fatalf("status %q refused", b[:3])
		}
	})
}
