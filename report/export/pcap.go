// Package export writes SIP messages as a pcap file that sipdbg, sngrep
// and Wireshark open: each datagram message one UDP packet, stream
// messages TCP segments numbered per direction, and the calls' RTP, when
// it is read back, as UDP packets among them in time order. Link and IP headers are
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

// Datagram is one UDP datagram to write as it was captured: an RTP
// packet read back from the capture (its payloads are not in memory).
type Datagram struct {
	Time     time.Time
	Src, Dst netip.AddrPort
	Data     []byte // the UDP payload; it need not outlive the call to emit
}

// Write writes msgs as a pcap file.
func Write(w io.Writer, msgs []Msg) error { return WriteWith(w, msgs, nil) }

// WriteWith writes msgs and the datagrams that media emits, merged in
// time order, as a pcap file: media calls emit for each datagram in
// capture order, and each is written at once, after the messages that
// came before it, so that no datagram is held. A nil media writes the
// messages alone. media's error (or emit's) stops the writing and is
// returned.
func WriteWith(w io.Writer, msgs []Msg, media func(emit func(d Datagram) error) error) error {
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(65536, layers.LinkTypeEthernet); err != nil {
		return err
	}
	x := &writer{pw: pw, seq: map[[2]netip.AddrPort]uint32{}}
	if media != nil {
		err := media(func(d Datagram) error {
			for len(msgs) > 0 && !msgs[0].Time.After(d.Time) {
				if err := x.msg(msgs[0]); err != nil {
					return err
				}
				msgs = msgs[1:]
			}
			return x.add(d.Time, synth.UDP(d.Src, d.Dst, d.Data))
		})
		if err != nil {
			return err
		}
	}
	for _, m := range msgs {
		if err := x.msg(m); err != nil {
			return err
		}
	}
	return nil
}

// writer writes frames, numbering each direction's TCP segments.
type writer struct {
	pw  *pcapgo.Writer
	seq map[[2]netip.AddrPort]uint32
}

func (x *writer) add(at time.Time, frame []byte) error {
	return x.pw.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(frame), Length: len(frame)}, frame)
}

func (x *writer) msg(m Msg) error {
	if !m.Stream {
		return x.add(m.Time, synth.UDP(m.Src, m.Dst, m.Data))
	}
	data := m.Data
	if m.WS {
		data = wsFrame(data)
	}
	k := [2]netip.AddrPort{m.Src, m.Dst}
	if x.seq[k] == 0 {
		x.seq[k] = 1
	}
	if err := x.add(m.Time, synth.TCP(m.Src, m.Dst, x.seq[k], synth.ACK|synth.PSH, data)); err != nil {
		return err
	}
	x.seq[k] += uint32(len(data))
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
