package report

import (
	"io"
	"strconv"
	"unicode/utf8"
)

// Bytes from a capture are shown on a terminal: a crafted Call-ID, From or
// realm must not set the clipboard (OSC 52), the window title or clear
// the screen, and colour codes must not bleed into the next rows. Every
// such byte goes through Printable (or appendPrintable) on its way to a
// terminal: control characters, DEL, C1 controls and invalid UTF-8 are
// shown escaped, as Go writes them (\x1b, \u0085). JSON stays exact: its
// encoder escapes them itself.

// printableWriter passes what is written to w with control characters
// escaped, line ends kept: a text report goes through one, whole.
type printableWriter struct{ w io.Writer }

func (p printableWriter) Write(b []byte) (int, error) {
	if _, err := p.w.Write(appendPrintable(make([]byte, 0, len(b)+16), b, true)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// Printable returns s with every control character escaped, new lines
// and tabs included: for one-line fields (a list cell, a ladder label, a
// header line).
func Printable(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return string(appendPrintable(make([]byte, 0, len(s)+8), []byte(s), false))
		}
	}
	return s
}

// appendPrintable appends src with its control characters escaped; with
// lines, '\n' is kept (a text report's own line ends).
func appendPrintable(dst, src []byte, lines bool) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c >= 0x20 && c < 0x7f || c == '\n' && lines {
			dst = append(dst, c)
			i++
			continue
		}
		if c < 0x80 { // C0 controls and DEL
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			i++
			continue
		}
		r, n := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case r >= 0x80 && r < 0xa0, r == 0x2028, r == 0x2029: // C1 controls, line and paragraph separators
			dst = append(dst, `\u`...)
			dst = append(dst, []byte(strconv.FormatInt(int64(r)|0x10000, 16)[1:])...)
		default:
			dst = append(dst, src[i:i+n]...)
		}
		i += n
	}
	return dst
}
