// Package source opens what a user points sipdbg at: a capture file
// (pcap, pcapng, NetMon, gzip) or a text SIP trace (PBX and proxy logs,
// sngrep's text export, pasted messages), from a path or standard input.
// Both come out as a capture.Source, so the rest of the pipeline reads
// them alike.
//
// It imports capture and its subpackages, never session or a test kit.
package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"time"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/texttrace"
)

// sniffLen is how much of the input the format detection reads.
const sniffLen = 64 << 10

// Open opens path ("-": standard input r).
func Open(path string, stdin io.Reader) (capture.Source, error) {
	if path == "-" {
		return FromReader(stdin, "stdin", -1)
	}
	f, err := os.Open(path)
	if err != nil {
		return capture.Open(path) // the same one-line errors as for captures
	}
	if r := capture.OpenMapped(f, path); r != nil {
		return r, nil // a pcap or pcapng file: read in place, through a mapping
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s: is a directory; sipdbg reads %s", path, reads)
		}
		size = st.Size()
	}
	src, err := FromReader(f, path, size)
	if err != nil {
		f.Close()
		return nil, err
	}
	return closer{src, f}, nil
}

// FromReader sniffs r: a capture, or a text trace.
func FromReader(r io.Reader, name string, size int64) (capture.Source, error) {
	br := bufio.NewReaderSize(r, sniffLen)
	head, _ := br.Peek(sniffLen)
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(head)); err == nil {
			inner := make([]byte, 4096)
			n, _ := io.ReadFull(zr, inner)
			if _, ok := texttrace.Detect(inner[:n]); ok && !isCapture(inner[:n]) {
				gz, err := gzip.NewReader(br)
				if err != nil {
					return nil, fmt.Errorf("%s: gzip: %v", name, err)
				}
				return text(capture.Capped(gz, capture.GunzipLimit(size)), name)
			}
		}
	}
	if _, ok := texttrace.Detect(head); ok && !isCapture(head) {
		return text(br, name)
	}
	src, err := capture.NewReader(br, name, size)
	if err != nil && !isCapture(head) && len(head) >= 4 {
		// Neither a capture nor a trace: say what it looks like and what
		// sipdbg reads, not only which magic numbers it lacks.
		what := "binary data"
		if line, ok := textLine(head); ok {
			what = "text starting " + strconv.Quote(line)
		}
		return nil, fmt.Errorf("%s: %s, not a capture nor a SIP trace; sipdbg reads %s", name, what, reads)
	}
	return src, err
}

// reads is what sipdbg reads, for the errors about what it does not.
const reads = "pcap, pcapng and NetMon 2 captures (gzipped too) and text SIP traces (Asterisk pjsip/chan_sip logger, " +
	"FreeSWITCH siptrace, Kamailio sipdump, baresip, sngrep's text export, bare SIP messages)"

// textLine returns the first line of b, shortened, if b starts as text.
func textLine(b []byte) (string, bool) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	if len(line) > 40 {
		line = line[:40]
	}
	for _, c := range line {
		if (c < 0x20 && c != '\t') || c == 0x7f {
			return "", false
		}
	}
	return string(line), len(line) > 0
}

func isCapture(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	switch string(b[:4]) {
	case "\xa1\xb2\xc3\xd4", "\xd4\xc3\xb2\xa1", "\xa1\xb2\x3c\x4d", "\x4d\x3c\xb2\xa1", "\x0a\x0d\x0d\x0a", "GMBU":
		return true
	}
	return false
}

type closer struct {
	capture.Source
	f *os.File
}

func (c closer) Close() error {
	c.Source.Close()
	return c.f.Close()
}

// textSource replays a text trace's messages as packets: each one a UDP
// datagram (a TCP segment for stream transports or messages too big for
// UDP) between the addresses the trace gives, so that the decoder, the
// store and the analysis treat them as captured. An address the trace
// does not give, and the headers do not tell, is the documentation
// address 192.0.2.1 (and 192.0.2.2 when neither side is known, RFC 5737),
// never a made-up real one; such addresses are marked inferred.
type textSource struct {
	name     string
	recs     []texttrace.Record
	problems []texttrace.Problem
	i        int
	seq      map[[2]netip.AddrPort]uint32
}

var (
	unknownA = netip.MustParseAddrPort("192.0.2.1:5060")
	unknownB = netip.MustParseAddrPort("192.0.2.2:5060")
)

func text(r io.Reader, name string) (capture.Source, error) {
	recs, problems, err := texttrace.Parse(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(recs) == 0 && len(problems) > 0 {
		// Say what was found and dropped (a message over the size limit),
		// not that there was nothing.
		more := ""
		if len(problems) > 1 {
			more = fmt.Sprintf(" (and %d more problems)", len(problems)-1)
		}
		return nil, fmt.Errorf("%s: no SIP message could be read: %s%s", name, problems[0], more)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: a text file with no SIP message found in it", name)
	}
	return &textSource{name: name, recs: recs, problems: problems, seq: map[[2]netip.AddrPort]uint32{}}, nil
}

// Next returns the next message as a LinkTypeSIP frame.
func (t *textSource) Next() (capture.Frame, error) {
	if t.i >= len(t.recs) {
		return capture.Frame{}, io.EOF
	}
	r := t.recs[t.i]
	t.i++
	src, dst := r.Src, r.Dst
	srcUnknown, dstUnknown := !src.IsValid() || src.Port() == 0, !dst.IsValid() || dst.Port() == 0
	switch {
	case srcUnknown && dstUnknown:
		src, dst = unknownA, unknownB
	case srcUnknown:
		src = unknownA // the one peer the trace does not name
	case dstUnknown:
		dst = unknownA
	}
	meta := capture.FrameMeta{SrcInferred: r.SrcInferred || srcUnknown, DstInferred: r.DstInferred || dstUnknown}
	at := r.Time
	if at.IsZero() {
		at = time.Unix(0, int64(t.i)*int64(time.Millisecond)).UTC() // keeps the order; never shown
		meta.NoTime = true
	}
	// The message goes to the decoder as it is, with its addresses: no
	// made-up packet around it.
	return capture.Frame{Num: r.Line, Time: at, Link: capture.LinkTypeSIP, Data: r.Data, Meta: meta,
		SIP: &capture.SIPFrame{Src: src, Dst: dst, Transport: r.Transport}}, nil
}

// Progress counts messages.
func (t *textSource) Progress() (int64, int64) { return int64(t.i), int64(len(t.recs)) }

// Name is the file, with the format found.
func (t *textSource) Name() string {
	f := ""
	if len(t.recs) > 0 {
		f = t.recs[0].Format
	}
	return t.name + " (text trace, " + f + ", " + strconv.Itoa(len(t.recs)) + " messages)"
}

// Close does nothing: the whole trace was read at open.
func (t *textSource) Close() error { return nil }

// Problems are what the trace parser could not use, with line numbers
// (none for captures, whose problems are undecodable records).
func Problems(s capture.Source) []texttrace.Problem {
	if c, ok := s.(closer); ok {
		s = c.Source
	}
	if t, ok := s.(*textSource); ok {
		return t.problems
	}
	return nil
}
