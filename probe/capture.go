package probe

import (
	"bytes"
	"io"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report/export"
	"github.com/sipdbg/sipdbg/session"
)

// Pcap writes the recording as a capture file: each UDP message one
// datagram, stream transports as TCP segments numbered per direction, so
// that `sipdbg FILE` and every other tool reads the exchange like any
// capture (including what crosses TLS, which a network capture cannot
// show).
func Pcap(recs []Record, w io.Writer) error {
	msgs := make([]export.Msg, len(recs))
	for i, r := range recs {
		msgs[i] = export.Msg{Time: r.Time, Src: r.Src, Dst: r.Dst, Stream: r.Transport != "UDP", WS: r.Transport == "WS" || r.Transport == "WSS", Data: r.Data}
	}
	return export.Write(w, msgs)
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
	return s, pipeline.Load(r, s)
}
