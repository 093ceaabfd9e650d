// Package pcaptest builds captures in memory for tests and benchmarks:
// Ethernet/IPv4/IPv6 frames carrying UDP or TCP (capture/synth's
// frames), written as pcap, and SIP requests and responses to put in
// them. A test kit: only tests import it.
package pcaptest

import (
	"bytes"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/capture/synth"
)

// Capture accumulates frames and renders them as a pcap file.
type Capture struct {
	buf  bytes.Buffer
	w    *pcapgo.Writer
	Time time.Time // time of the next frame; each frame adds Step
	Step time.Duration
}

// New starts a capture with the given link type and nanosecond stamps.
func New(link layers.LinkType) *Capture {
	c := &Capture{Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Step: time.Millisecond}
	c.w = pcapgo.NewWriterNanos(&c.buf)
	if err := c.w.WriteFileHeader(65536, link); err != nil {
		panic(err)
	}
	return c
}

// Add appends a frame.
func (c *Capture) Add(frame []byte) {
	ci := gopacket.CaptureInfo{Timestamp: c.Time, CaptureLength: len(frame), Length: len(frame)}
	if err := c.w.WritePacket(ci, frame); err != nil {
		panic(err)
	}
	c.Time = c.Time.Add(c.Step)
}

// Bytes returns the pcap file.
func (c *Capture) Bytes() []byte { return c.buf.Bytes() }

// Addr parses "ip:port".
func Addr(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// UDP returns an Ethernet frame carrying payload in UDP over IPv4 or IPv6.
func UDP(src, dst netip.AddrPort, payload []byte) []byte { return synth.UDP(src, dst, payload) }

// TCP flag bits for TCP.
const (
	FIN = synth.FIN
	SYN = synth.SYN
	RST = synth.RST
	PSH = synth.PSH
	ACK = synth.ACK
)

// TCP returns an Ethernet frame carrying one TCP segment.
func TCP(src, dst netip.AddrPort, seq uint32, flags int, payload []byte) []byte {
	return synth.TCP(src, dst, seq, flags, payload)
}

// Request returns a SIP request with the headers that place it in a
// transaction and a dialog.
func Request(method, callID, branch string, cseq int, body string) []byte {
	return []byte(method + " sip:bob@example.com SIP/2.0\r\n" +
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=" + branch + "\r\n" +
		"Max-Forwards: 70\r\n" +
		"From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n" +
		"To: <sip:bob@example.com>\r\n" +
		"Call-ID: " + callID + "\r\n" +
		"CSeq: " + itoa(cseq) + " " + method + "\r\n" +
		"Contact: <sip:alice@10.0.0.1:5060>\r\n" +
		"Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body)
}

// Response returns a response to a request built by Request.
func Response(status int, reason, method, callID, branch string, cseq int, toTag string) []byte {
	to := "<sip:bob@example.com>"
	if toTag != "" {
		to += ";tag=" + toTag
	}
	return []byte("SIP/2.0 " + itoa(status) + " " + reason + "\r\n" +
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=" + branch + "\r\n" +
		"From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n" +
		"To: " + to + "\r\n" +
		"Call-ID: " + callID + "\r\n" +
		"CSeq: " + itoa(cseq) + " " + method + "\r\n" +
		"Content-Length: 0\r\n\r\n")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}
