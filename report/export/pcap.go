// Package export writes SIP messages as a pcap file that sipdbg, sngrep
// and Wireshark open: each datagram message one UDP packet, stream
// messages TCP segments numbered per direction. Link and IP headers are
// made up; addresses, ports, times and SIP bytes are the real ones.
//
// It imports session and capture/synth (the frames) only.
package export

import (
	"io"
	"net/netip"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sipdbg/sipdbg/capture/synth"
	"github.com/sipdbg/sipdbg/session"
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
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(65536, layers.LinkTypeEthernet); err != nil {
		return err
	}
	add := func(at time.Time, frame []byte) error {
		return pw.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(frame), Length: len(frame)}, frame)
	}
	seq := map[[2]netip.AddrPort]uint32{}
	for _, m := range msgs {
		if !m.Stream {
			if err := add(m.Time, synth.UDP(m.Src, m.Dst, m.Data)); err != nil {
				return err
			}
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
		if err := add(m.Time, synth.TCP(m.Src, m.Dst, seq[k], synth.ACK|synth.PSH, data)); err != nil {
			return err
		}
		seq[k] += uint32(len(data))
	}
	return nil
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
		out = append(out, Msg{Time: m.Time(), Src: m.Src(), Dst: m.Dst(), Stream: m.Transport != session.UDP && m.Transport != session.SCTP,
			WS: m.Transport == session.WS || m.Transport == session.WSS, Data: m.Raw()})
	}
	return out
}
