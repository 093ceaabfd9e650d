package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Microsoft Network Monitor 2.x captures ("GMBU"), still found among
// older test suites (the PROTOS SIP test set ships as one). The layout:
// a header with the capture start time and the offset of a table of frame
// offsets; each frame a microsecond delta, lengths and data. The frame
// table sits at the end, so the file is read whole.
const netmonHeaderLen = 32

var errNetmonShort = errors.New("netmon: frame table or frame past the end of the file")

type netmonReader struct {
	data  []byte
	table []byte
	start time.Time
	link  layers.LinkType
	i     int
}

func isNetmon2(m []byte) bool { return string(m) == "GMBU" }

func newNetmonReader(src io.Reader) (*netmonReader, error) {
	data, err := io.ReadAll(io.LimitReader(src, 1<<31))
	if err != nil {
		return nil, err
	}
	if len(data) < netmonHeaderLen {
		return nil, errors.New("netmon: header truncated")
	}
	le := binary.LittleEndian
	st := func(i int) int { return int(le.Uint16(data[8+2*i:])) }
	start := time.Date(st(0), time.Month(st(1)), st(3), st(4), st(5), st(6), st(7)*int(time.Millisecond), time.UTC)
	off, n := int(le.Uint32(data[24:])), int(le.Uint32(data[28:]))
	if off < 0 || n < 0 || off+n > len(data) || off+n < off {
		return nil, errNetmonShort
	}
	link := layers.LinkTypeEthernet
	if mt := le.Uint16(data[6:]); mt != 1 {
		link = layers.LinkType(0xffff) // reported per frame as unsupported
	}
	return &netmonReader{data: data, table: data[off : off+n], start: start, link: link}, nil
}

// next returns the next frame in the order of the frame table.
func (r *netmonReader) next() ([]byte, gopacket.CaptureInfo, error) {
	le := binary.LittleEndian
	if (r.i+1)*4 > len(r.table) {
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	off := int(le.Uint32(r.table[r.i*4:]))
	r.i++
	if off < 0 || off+16 > len(r.data) {
		return nil, gopacket.CaptureInfo{}, fmt.Errorf("%w (frame %d at offset %d)", errNetmonShort, r.i, off)
	}
	delta := le.Uint64(r.data[off:])
	orig, capLen := int(le.Uint32(r.data[off+8:])), int(le.Uint32(r.data[off+12:]))
	if capLen < 0 || off+16+capLen > len(r.data) {
		return nil, gopacket.CaptureInfo{}, fmt.Errorf("%w (frame %d, %d bytes at offset %d)", errNetmonShort, r.i, capLen, off)
	}
	ci := gopacket.CaptureInfo{
		Timestamp:     r.start.Add(time.Duration(delta) * time.Microsecond),
		CaptureLength: capLen, Length: orig,
		AncillaryData: []any{r.link},
	}
	return r.data[off+16 : off+16+capLen], ci, nil
}
