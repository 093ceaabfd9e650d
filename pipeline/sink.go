package pipeline

import (
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/media"
	"github.com/sipdbg/sipdbg/session"
)

// storeSink feeds a store directly from the decoder (Load, in one
// goroutine).
type storeSink struct{ s *session.Store }

func (k storeSink) Message(p *capture.Payload) {
	var in session.Input
	input(&in, p)
	k.s.Message(&in)
}

func (k storeSink) Undecodable(u capture.Undecodable) { k.s.Undecodable(session.Undecodable(u)) }

func (k storeSink) DNS(q capture.DNS) { k.s.DNS(session.DNS(q)) }

func (k storeSink) ICMP(q capture.ICMP) { k.s.ICMP(session.ICMP(q)) }

func (k storeSink) Datagram(d *capture.Datagram) {
	if r, ok := rtpOf(d); ok {
		k.s.RTP(&r)
	} else if c, ok := rtcpOf(d); ok {
		k.s.RTCP(&c)
	}
}

// rtcpOf reads a datagram as an RTCP compound packet (media.ParseRTCP).
func rtcpOf(d *capture.Datagram) (session.RTCP, bool) {
	if !media.IsRTCP(d.Data) {
		return session.RTCP{}, false
	}
	reports, ok := media.ParseRTCP(d.Data, d.Time)
	if !ok {
		return session.RTCP{}, false
	}
	return session.RTCP{Packet: d.Packet, Time: d.Time, Src: d.Src, Dst: d.Dst, Reports: reports}, true
}

// rtpOf reads a datagram as RTP (media.ParseRTP); RTCP and anything else
// is not.
func rtpOf(d *capture.Datagram) (session.RTP, bool) {
	var r session.RTP
	ok := rtpInto(&r, d)
	return r, ok
}

// rtpInto is rtpOf into r, which a batch appends in place: a packet is
// not copied again on its way into the batch.
func rtpInto(r *session.RTP, d *capture.Datagram) bool {
	p, ok := media.ParseRTP(d.Data)
	if !ok {
		return false
	}
	p.Time = d.Time
	*r = session.RTP{Packet: d.Packet, Src: d.Src, Dst: d.Dst, P: p}
	return true
}

// input turns a decoded payload into the session's input. The two types
// are kept apart so that the model imports no source; this is the one
// place that knows both.
func input(in *session.Input, p *capture.Payload) {
	*in = session.Input{
		Packet:      p.Packet,
		Time:        p.Time,
		Src:         p.Src,
		Dst:         p.Dst,
		Transport:   session.Transport(p.Transport),
		Data:        p.Data,
		Stable:      p.Stable,
		HEP:         p.HEP,
		CaptureID:   p.CaptureID,
		Truncated:   p.Truncated,
		SrcInferred: p.Meta.SrcInferred,
		DstInferred: p.Meta.DstInferred,
		NoTime:      p.Meta.NoTime,
		Fragmented:  p.Fragmented,
	}
}
