// Package export writes SIP messages as a pcap file that sipdbg, sngrep
// and Wireshark open: each datagram message one UDP packet, stream
// messages TCP segments numbered per direction. Link and IP headers are
// made up; addresses, ports, times and SIP bytes are the real ones.
package export

import (
	"io"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/sipdbg/sipdbg/internal/pcaptest"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
)

// Msg is one message to write.
type Msg struct {
	Time     time.Time
	Src, Dst netip.AddrPort
	Stream   bool // TCP, TLS, WS: written as TCP segments
	WS       bool // inside a WebSocket text frame (RFC 7118), so that readers see WS
	Data     []byte
}

// Write writes msgs as a pcap file.
func Write(w io.Writer, msgs []Msg) error {
	c := pcaptest.New(layers.LinkTypeEthernet)
	seq := map[[2]netip.AddrPort]uint32{}
	for _, m := range msgs {
		c.Time = m.Time
		if !m.Stream {
			c.Add(pcaptest.UDP(m.Src, m.Dst, m.Data))
			continue
		}
		data := m.Data
		if m.WS {
			data = wsFrame(data)
		}
		k := [2]netip.AddrPort{m.Src, m.Dst}
		if seq[k] == 0 {
			seq[k] = 1
		}
		c.Add(pcaptest.TCP(m.Src, m.Dst, seq[k], pcaptest.ACK|pcaptest.PSH, data))
		seq[k] += uint32(len(data))
	}
	_, err := w.Write(c.Bytes())
	return err
}

// wsFrame wraps a message in one unmasked, final text frame (RFC 6455
// §5.2).
func wsFrame(p []byte) []byte {
	h := []byte{0x81}
	switch n := len(p); {
	case n < 126:
		h = append(h, byte(n))
	case n < 1<<16:
		h = append(h, 126, byte(n>>8), byte(n))
	default:
		h = append(h, 127, 0, 0, 0, 0, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(h, p...)
}

// FromStore picks messages of a store by index, in the order given.
func FromStore(s *session.Store, idx []int32) []Msg {
	out := make([]Msg, 0, len(idx))
	for _, i := range idx {
		m := s.Msg(int(i))
		out = append(out, Msg{Time: m.Time(), Src: m.Src(), Dst: m.Dst(), Stream: m.Transport != capture.UDP && m.Transport != capture.SCTP,
			WS: m.Transport == capture.WS || m.Transport == capture.WSS, Data: m.Raw()})
	}
	return out
}
