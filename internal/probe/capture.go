package probe

import (
	"bytes"
	"io"

	"github.com/gopacket/gopacket/layers"

	"github.com/sipdbg/sipdbg/internal/pcaptest"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
)

// Pcap writes the recording as a capture file: each UDP message one
// datagram, stream transports as TCP segments numbered per direction, so
// that `sipdbg FILE` and every other tool reads the exchange like any
// capture (including what crosses TLS, which a network capture cannot
// show).
func Pcap(recs []Record, w io.Writer) error {
	c := pcaptest.New(layers.LinkTypeEthernet)
	seq := map[[2]string]uint32{}
	for _, r := range recs {
		c.Time = r.Time
		if r.Transport == "UDP" {
			c.Add(pcaptest.UDP(r.Src, r.Dst, r.Data))
			continue
		}
		k := [2]string{r.Src.String(), r.Dst.String()}
		if _, ok := seq[k]; !ok {
			seq[k] = 1
		}
		c.Add(pcaptest.TCP(r.Src, r.Dst, seq[k], pcaptest.ACK|pcaptest.PSH, r.Data))
		seq[k] += uint32(len(r.Data))
	}
	_, err := w.Write(c.Bytes())
	return err
}

// Store decodes the recording through the same pipeline as a capture
// file, so the probe's exchange gets the same ladder and findings.
func Store(recs []Record) (*session.Store, error) {
	var buf bytes.Buffer
	if err := Pcap(recs, &buf); err != nil {
		return nil, err
	}
	r, err := capture.NewReader(&buf, "probe", int64(buf.Len()))
	if err != nil {
		return nil, err
	}
	s := session.NewStore()
	return s, session.Load(r, s)
}
