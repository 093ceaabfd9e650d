package report

import (
	"strconv"
	"unicode/utf8"
)

// A report writes a few objects per message: encoding them by hand, not
// by reflection, halves the time the JSON takes and its garbage. The
// bytes are those encoding/json writes (TestCallJSONIsEncodingJSON).

// MarshalJSON encodes the call as encoding/json would encode its fields.
func (c Call) MarshalJSON() ([]byte, error) { return c.appendJSON(nil) }

func (c Call) appendJSON(b []byte) ([]byte, error) {
	b = appendCallHead(b, c.CallID, c.Method, c.From, c.To, c.State)
	b = appendString(b, c.Start)
	if len(c.Related) > 0 {
		b = append(b, `,"related":[`...)
		for i, r := range c.Related {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, r)
		}
		b = append(b, ']')
	}
	b = appendVerdict(b, c.Verdict)
	b = append(b, `,"messages":`...)
	if c.Messages == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range c.Messages {
			if i > 0 {
				b = append(b, ',')
			}
			b = c.Messages[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	b = append(b, `,"findings":`...)
	b = appendFindings(b, c.Findings)
	return append(b, '}'), nil
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

func (m *jsonMessage) appendJSON(b []byte) []byte {
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, int64(m.Index), 10)
	b = append(b, `,"packet":`...)
	b = strconv.AppendInt(b, int64(m.Packet), 10)
	b = append(b, `,"time":`...)
	b = appendString(b, m.Time)
	b = append(b, `,"src":`...)
	b = appendString(b, m.Src)
	b = append(b, `,"dst":`...)
	b = appendString(b, m.Dst)
	b = append(b, `,"transport":`...)
	b = appendString(b, m.Transport)
	b = append(b, `,"first_line":`...)
	b = appendString(b, m.FirstLine)
	b = append(b, `,"retransmission":`...)
	b = strconv.AppendBool(b, m.Retransmission)
	if m.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, m.Error)
	}
	if m.SrcInferred {
		b = append(b, `,"src_inferred":true`...)
	}
	if m.DstInferred {
		b = append(b, `,"dst_inferred":true`...)
	}
	if m.HEPAgent != nil {
		b = append(b, `,"hep_agent":`...)
		b = strconv.AppendUint(b, uint64(*m.HEPAgent), 10)
	}
	return append(b, '}')
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
