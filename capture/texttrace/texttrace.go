package texttrace

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/sipdbg/sipdbg/capture"
)

// Record is one SIP message found in a text trace.
type Record struct {
	Line     int            // 1-based line where the message starts
	Time     time.Time      // zero when the trace has no time for it
	Src, Dst netip.AddrPort // zero when unknown
	// Inferred is set when Src or Dst was inferred from headers, not
	// given by the trace; SrcInferred and DstInferred say which.
	Inferred                 bool
	SrcInferred, DstInferred bool
	Transport                capture.Transport // capture.UDP etc.; UDP when unknown
	// Data is the SIP message, with CRLF line ends restored as SIP
	// requires; the body's bytes are kept as they are.
	Data   []byte
	Format string // "pjsip", "chan_sip", "freeswitch", "sipdump", "baresip", "sngrep", "plain"
}

// Problem is something wrong found at a line of a trace.
type Problem struct {
	Line   int
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// Parse reads a whole text trace and returns its messages in order, and
// problems found (each with the line number and what was wrong) without
// stopping. The error is the reader's, if reading failed; what was read
// before it is returned too.
func Parse(r io.Reader) ([]Record, []Problem, error) {
	p := &parser{}
	lr := newLineReader(r)
	var err error
	for {
		content, eol, cut, e := lr.next()
		if e != nil {
			if e != io.EOF {
				err = e
			}
			break
		}
		if cut {
			p.problem(lr.n, "line longer than %d bytes: cut", maxLine)
		}
		p.feed(lr.n, content, eol)
	}
	p.flush()
	if p.dropped > 0 {
		p.probs = append(p.probs, Problem{Line: lr.n, Reason: fmt.Sprintf("%d more problems not listed", p.dropped)})
	}
	return p.records(), p.probs, err
}

// records completes the times and addresses of what was parsed.
func (p *parser) records() []Record {
	infer(p.recs)
	out := make([]Record, len(p.recs))
	for i := range p.recs {
		r := &p.recs[i]
		ref := r.ref
		if ref.IsZero() {
			ref = p.first
		}
		r.Time = r.ts.resolve(ref)
		r.Inferred = r.SrcInferred || r.DstInferred
		out[i] = r.Record
	}
	return out
}

// Detect reports whether b (the start of a file, up to 64 KiB) looks
// like a text SIP trace rather than binary data, and which format (""
// if not): the format of the first message found.
func Detect(b []byte) (format string, ok bool) {
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	if !isText(b) {
		return "", false
	}
	recs, _, _ := Parse(bytes.NewReader(b))
	if len(recs) == 0 {
		return "", false
	}
	return recs[0].Format, true
}

// isText reports data with few control bytes: pcap, pcapng and gzip
// files have plenty, NULs among them in their first sixteen bytes. A
// stray NUL further on (a log written by a crashing process, a paste)
// counts as one control byte more, not as proof of a binary file.
func isText(b []byte) bool {
	ctl := 0
	for i, c := range b {
		switch {
		case c == 0 && i < 16:
			return false
		case c == 0:
			ctl++
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1b, c == 0x7f:
			ctl++
		}
	}
	return ctl*100 <= len(b)
}
