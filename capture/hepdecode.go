package capture

import (
	"github.com/sipdbg/sipdbg/capture/hep"
	"github.com/sipdbg/sipdbg/siplex"
)

// hepDatagram decodes a UDP payload as HEP when it is one. The message is
// then shown with the addresses and time the agent reported.
func (d *Decoder) hepDatagram(b []byte) bool {
	if !hep.Is(b) {
		return false
	}
	d.hepPacket(b)
	return true
}

func (d *Decoder) hepPacket(b []byte) {
	d.stats.HEPPackets++
	p, _, err := hep.Decode(b)
	if err != nil {
		d.bad("HEP: " + err.Error())
		return
	}
	if p.PayloadType != 1 {
		d.stats.HEPNonSIP++
		return
	}
	msg := skipCRLF(p.Payload)
	if !siplex.IsStart(msg) {
		d.bad("HEP payload of type SIP from " + p.Src.String() + " does not start with a SIP start line")
		return
	}
	tr := UDP
	switch p.Proto {
	case 6:
		tr = TCP
	case 132:
		tr = SCTP
	}
	t := p.Time
	if t.IsZero() {
		t = d.frame.Time
	}
	d.stats.SIPMessages++
	d.out = Payload{Packet: d.frame.Num, Time: t, Src: p.Src, Dst: p.Dst, Transport: tr, Data: msg, HEP: true, CaptureID: p.CaptureID}
	d.sink.Message(&d.out)
}
