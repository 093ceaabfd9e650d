package capture

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

var (
	cli = pcaptest.Addr("10.0.0.1:40001")
	srv = pcaptest.Addr("10.0.0.2:5060")
)

const isn = 1000

func msgN(i int) []byte {
	return pcaptest.Request("OPTIONS", "tcp-"+string(rune('a'+i)), "z9hG4bK-t"+string(rune('a'+i)), i+1, "")
}

// seg builds a data segment at stream offset off (after the SYN).
func seg(off int, data []byte) []byte {
	return pcaptest.TCP(cli, srv, uint32(isn+1+off), pcaptest.ACK|pcaptest.PSH, data)
}

func syn() []byte { return pcaptest.TCP(cli, srv, isn, pcaptest.SYN, nil) }

func fin(off int) []byte {
	return pcaptest.TCP(cli, srv, uint32(isn+1+off), pcaptest.FIN|pcaptest.ACK, nil)
}

func wantLines(t *testing.T, c *collect, n int) {
	t.Helper()
	if len(c.msgs) != n {
		t.Fatalf("got %d messages %q, want %d; undecodable %+v", len(c.msgs), c.firstLines(), n, c.bad)
	}
	for _, m := range c.msgs {
		if m.Transport != TCP || m.Src != cli || m.Dst != srv {
			t.Errorf("message %q: %v %v→%v", m.Data[:10], m.Transport, m.Src, m.Dst)
		}
	}
}

func TestTCPSeveralMessagesInOneSegment(t *testing.T) {
	stream := cat(msgN(0), []byte("\r\n\r\n"), msgN(1), msgN(2))
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, syn(), seg(0, stream), fin(len(stream)))
	wantLines(t, c, 3)
	if string(c.msgs[2].Data) != string(msgN(2)) || len(c.bad) != 0 {
		t.Errorf("third message %q, undecodable %+v", c.msgs[2].Data, c.bad)
	}
}

func TestTCPOneMessageOverManySegments(t *testing.T) {
	m := pcaptest.Request("INVITE", "split", "z9hG4bK-s", 1, strings.Repeat("a=x\r\n", 300))
	var frames [][]byte
	frames = append(frames, syn())
	for off := 0; off < len(m); off += 100 {
		frames = append(frames, seg(off, m[off:min(off+100, len(m))]))
	}
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, frames...)
	wantLines(t, c, 1)
	if string(c.msgs[0].Data) != string(m) || c.msgs[0].Packet != len(frames) {
		t.Errorf("message differs or packet %d is not the last (%d)", c.msgs[0].Packet, len(frames))
	}
}

func TestTCPRetransmissionAndReordering(t *testing.T) {
	a, b := msgN(0), msgN(1)
	stream := cat(a, b)
	half := len(a) + 10
	frames := [][]byte{
		syn(),
		seg(half, stream[half:]), // arrives before the bytes it follows
		seg(0, stream[:half]),
		seg(0, stream[:half]),        // retransmitted whole
		seg(half-5, stream[half-5:]), // overlaps old and new: nothing new
	}
	c, st := decodeFrames(t, layers.LinkTypeEthernet, frames...)
	wantLines(t, c, 2)
	if st.TCPRetrans != 2 || st.TCPGaps != 0 {
		t.Errorf("retransmissions %d gaps %d", st.TCPRetrans, st.TCPGaps)
	}
}

func TestTCPCaptureStartsMidStream(t *testing.T) {
	a, b := msgN(0), msgN(1)
	// No SYN, and the first segment is the tail of a message.
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, seg(0, a[40:]), seg(len(a)-40, b))
	wantLines(t, c, 1)
	if string(c.msgs[0].Data) != string(b) {
		t.Errorf("got %q", c.msgs[0].Data)
	}
	if len(c.bad) != 1 || !strings.Contains(c.bad[0].Reason, "mid-stream") {
		t.Errorf("the skipped bytes are not recorded: %+v", c.bad)
	}
}

func TestTCPGapIsCountedAndParserRestarts(t *testing.T) {
	a, b, cc := msgN(0), msgN(1), msgN(2)
	stream := cat(a, b, cc)
	// The segment holding the middle of a and the start of b is never
	// captured; the one after starts c.
	frames := [][]byte{syn(), seg(0, stream[:30]), seg(len(a)+len(b), cc), fin(len(stream))}
	c, st := decodeFrames(t, layers.LinkTypeEthernet, frames...)
	wantLines(t, c, 1)
	if string(c.msgs[0].Data) != string(cc) {
		t.Errorf("got %q", c.msgs[0].Data)
	}
	if st.TCPGaps != 1 || st.TCPSkipped != int64(len(a)+len(b)-30) {
		t.Errorf("gaps %d skipped %d", st.TCPGaps, st.TCPSkipped)
	}
	if len(c.bad) != 1 || !strings.Contains(c.bad[0].Reason, "never captured") || !strings.Contains(c.bad[0].Reason, "partial message of 30 bytes") {
		t.Errorf("gap not recorded: %+v", c.bad)
	}
}

func TestTCPStreamEndsInsideBody(t *testing.T) {
	m := pcaptest.Request("MESSAGE", "cut", "z9hG4bK-c", 1, "hello world")
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, syn(), seg(0, m[:len(m)-4]), fin(len(m)-4))
	wantLines(t, c, 1)
	if !c.msgs[0].Truncated {
		t.Error("a message cut by the end of the stream is not marked truncated")
	}
}

func TestTCPNonSIPStreamIsIgnored(t *testing.T) {
	web := pcaptest.TCP(pcaptest.Addr("10.0.0.1:40000"), pcaptest.Addr("10.0.0.2:80"), 5, pcaptest.ACK, []byte(strings.Repeat("<html>body</html>\n", 10)))
	c, st := decodeFrames(t, layers.LinkTypeEthernet, web)
	if len(c.msgs) != 0 || len(c.bad) != 0 || st.StreamsNotSIP != 1 {
		t.Errorf("messages %d, undecodable %+v, not-SIP streams %d", len(c.msgs), c.bad, st.StreamsNotSIP)
	}
}

func TestTCPTLSOnSIPPortIsNamed(t *testing.T) {
	tls := pcaptest.TCP(cli, pcaptest.Addr("10.0.0.2:5061"), 5, pcaptest.ACK, []byte{0x17, 3, 3, 0, 32, 1, 2, 3, 4, 5, 6, 7})
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, tls)
	if len(c.bad) != 1 || !strings.Contains(c.bad[0].Reason, "TLS") {
		t.Errorf("undecodable %+v", c.bad)
	}
}

// Found by reading with the fuzzer: a long start line in 1-byte segments
// was counted again with every segment, so the stream was given up.
func TestTCPLongStartLineInTinySegments(t *testing.T) {
	m := []byte("OPTIONS sip:" + strings.Repeat("a", 400) + "@x SIP/2.0\r\nContent-Length: 0\r\n\r\n")
	frames := [][]byte{syn()}
	for i := range m {
		frames = append(frames, seg(i, m[i:i+1]))
	}
	c, _ := decodeFrames(t, layers.LinkTypeEthernet, frames...)
	wantLines(t, c, 1)
}

// Junk between messages (after gaps, bodies without Content-Length) must
// never make a SIP stream count as non-SIP.
func TestTCPJunkBetweenMessagesNeverEndsTheStream(t *testing.T) {
	junk := []byte(strings.Repeat("a=junk line of an SDP body that lost its head\r\n", 30))
	frames := [][]byte{syn()}
	off := 0
	for i := 0; i < 60; i++ {
		m := pcaptest.Request("OPTIONS", "junk", "z9hG4bK-j"+strings.Repeat("x", i), i+1, "")
		frames = append(frames, seg(off, junk), seg(off+len(junk), m))
		off += len(junk) + len(m)
	}
	c, st := decodeFrames(t, layers.LinkTypeEthernet, frames...)
	wantLines(t, c, 60)
	if st.StreamsNotSIP != 0 {
		t.Errorf("the stream was given up on")
	}
}
