package capture

import (
	"bytes"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// hostileStream is a header that never ends followed by start lines, one
// after another: each could begin a message, none has a header block end.
func hostileStream(size int) []byte {
	var b bytes.Buffer
	b.WriteString("INVITE sip:x SIP/2.0\r\nX-Long: ")
	b.Write(bytes.Repeat([]byte("a"), maxHeaderSize+1000))
	b.WriteString("\r\n")
	for b.Len() < size {
		b.WriteString("INVITE sip:x SIP/2.0\r\n")
	}
	return b.Bytes()
}

// segments cuts a stream into TCP segments of 1460 bytes after a SYN.
func segments(stream []byte) [][]byte {
	frames := [][]byte{syn()}
	for off := 0; off < len(stream); off += 1460 {
		frames = append(frames, seg(off, stream[off:min(off+1460, len(stream))]))
	}
	return frames
}

// After a hostile stream the valid messages that follow are framed, and
// the oversized region is skipped in steps of the header limit, not a
// line at a time (which scanned the whole buffer again for each line:
// quadratic, 5.5 s for 2 MB). BenchmarkHostileStream measures the time.
func TestHostileStreamIsSkippedWhole(t *testing.T) {
	stream := append(hostileStream(2<<20), []byte("\r\n\r\n")...)
	for i := range 3 {
		stream = append(stream, msgN(i)...)
	}
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, append(segments(stream), fin(len(stream)))...)
	if len(c.msgs) < 3 || string(c.msgs[len(c.msgs)-1].Data) != string(msgN(2)) {
		t.Fatalf("the valid messages after the hostile stream are lost: %q", c.firstLines())
	}
	if most := 2<<20/maxHeaderSize + 4; len(c.bad) > most {
		t.Errorf("%d undecodable records for 2 MB: skipped a line at a time (want at most %d)", len(c.bad), most)
	}
}

func BenchmarkHostileStream(b *testing.B) {
	frames := segments(hostileStream(25 << 20))
	b.SetBytes(25 << 20)
	b.ResetTimer()
	for range b.N {
		d := NewDecoder(&collect{})
		for i, f := range frames {
			d.Decode(Frame{Num: i + 1, Link: layers.LinkTypeEthernet, Data: f})
		}
		d.Flush()
	}
}
