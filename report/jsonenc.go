package report

import (
	"strconv"
	"unicode/utf8"

	"github.com/sipdbg/sipdbg/session"
)

// A report writes a few objects per message: encoding them by hand, not
// by reflection, halves the time the JSON takes and its garbage. These
// are the only JSON encoders of the report document; the tests hold each
// to the bytes encoding/json writes for the same shape (jsonenc_test.go).

// appendHead opens the report document: {"source":…,"stats":{…}, without
// the closing brace.
func appendHead(b []byte, src jsonSource, st jsonStats) []byte {
	b = append(b, `{"source":{"files":`...)
	if src.Files == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, f := range src.Files {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, f)
		}
		b = append(b, ']')
	}
	for _, f := range []struct {
		name string
		n    int64
	}{
		{`},"stats":{"packets":`, int64(st.Packets)}, {`,"bytes":`, st.Bytes},
		{`,"sip_messages":`, int64(st.SIPMessages)}, {`,"retransmissions":`, int64(st.Retransmissions)},
		{`,"calls":`, int64(st.Calls)}, {`,"undecodable":`, int64(st.Undecodable)},
		{`,"tcp_gaps":`, int64(st.TCPGaps)}, {`,"ip_reassembled":`, int64(st.IPReassembled)},
		{`,"filtered_messages":`, int64(st.FilteredMessages)},
	} {
		b = append(b, f.name...)
		b = strconv.AppendInt(b, f.n, 10)
	}
	return append(b, '}')
}

// appendUndecodable writes the records as an array of {"packet","reason"}.
func appendUndecodable(b []byte, us []session.Undecodable) []byte {
	b = append(b, '[')
	for i, u := range us {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"packet":`...)
		b = strconv.AppendInt(b, int64(u.Packet), 10)
		b = append(b, `,"reason":`...)
		b = appendString(b, u.Reason)
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendCallHead opens a call's object, up to the value of "start".
func appendCallHead(b []byte, callID, method, from, to, state string) []byte {
	b = append(b, `{"call_id":`...)
	b = appendString(b, callID)
	b = append(b, `,"method":`...)
	b = appendString(b, method)
	b = append(b, `,"from":`...)
	b = appendString(b, from)
	b = append(b, `,"to":`...)
	b = appendString(b, to)
	b = append(b, `,"state":`...)
	b = appendString(b, state)
	return append(b, `,"start":`...)
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as encoding/json does: HTML-safe (<, >, & as
// \u00XX), U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
