package capture

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Frame is one captured packet as the file holds it.
type Frame struct {
	Num  int // 1-based, as Wireshark and tshark number frames
	Time time.Time
	Link layers.LinkType
	Data []byte // owned by the Reader: valid until the next call to Next, unless Stable
	// Stable is set when Data is a slice of a mapped file, valid as long
	// as the process: a message in it need not be copied.
	Stable bool
	// Meta says what the source could not know, for sources that are not
	// captures (text traces); zero for packets.
	Meta FrameMeta
	// SIP gives the addresses and transport of a LinkTypeSIP frame.
	SIP *SIPFrame
}

// SIPFrame is where a message of a LinkTypeSIP frame travelled.
type SIPFrame struct {
	Src, Dst  netip.AddrPort
	Transport Transport
}

// FrameMeta are the gaps a text trace leaves.
type FrameMeta struct {
	SrcInferred bool // the source address was inferred from headers (or is unknown)
	DstInferred bool // likewise the destination
	NoTime      bool // the trace gives no time: the order is all there is
}

// ErrTruncated wraps the error of a capture that ends inside a record.
var ErrTruncated = errors.New("capture file is truncated")

// Reader reads frames from a pcap, pcapng or NetMon 2 stream.
type Reader struct {
	name    string
	size    int64 // -1 when unknown (stdin, gzip)
	counter *countingReader
	closer  io.Closer
	next    func() ([]byte, gopacket.CaptureInfo, error)
	link    layers.LinkType // pcap: the file's one link type
	mixed   bool            // pcapng: link type per packet
	num     int
	done    error
	stable  bool     // frames are slices of a mapped file
	mapped  *memPcap // the mapped file's window (pcap or pcapng), nil when streamed
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// Open opens a capture file; "-" reads standard input.
func Open(path string) (*Reader, error) {
	if path == "-" {
		return NewReader(os.Stdin, "stdin", -1)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			f.Close()
			return nil, fmt.Errorf("%s: is a directory, not a capture file", path)
		}
		size = st.Size()
		if st.Mode().IsRegular() {
			if r := openMapped(f, path, size); r != nil {
				return r, nil
			}
		}
	}
	r, err := NewReader(f, path, size)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.closer = f
	return r, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// NewReader sniffs the format of r from its first bytes. name is used in
// error messages; size is the byte length for progress, or -1.
func NewReader(r io.Reader, name string, size int64) (*Reader, error) {
	cr := &countingReader{r: r}
	rd := &Reader{name: name, size: size, counter: cr}
	br := bufio.NewReaderSize(cr, 256<<10)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("%s: empty or too short to be a capture file", name)
	}
	var src io.Reader = br
	if magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %v", name, err)
		}
		gbr := bufio.NewReaderSize(Capped(zr, GunzipLimit(size)), 256<<10)
		if magic, err = gbr.Peek(4); err != nil {
			return nil, fmt.Errorf("%s: gzip content is empty or too short to be a capture file", name)
		}
		src = gbr
	}
	if err := rd.openFormat(src, magic); err != nil {
		return nil, err
	}
	return rd, nil
}

func (rd *Reader) openFormat(src io.Reader, magic []byte) error {
	switch {
	case isPcapNG(magic):
		ng, err := pcapgo.NewNgReader(src, pcapgo.NgReaderOptions{WantMixedLinkType: true, SkipUnknownVersion: true})
		if err != nil {
			return fmt.Errorf("%s: pcapng: %v", rd.name, err)
		}
		rd.mixed = true
		rd.next = ng.ZeroCopyReadPacketData
	case isPcap(magic):
		p, err := pcapgo.NewReader(src)
		if err != nil {
			return fmt.Errorf("%s: pcap: %v", rd.name, err)
		}
		rd.link = p.LinkType()
		rd.next = p.ZeroCopyReadPacketData
	case isNetmon2(magic):
		nm, err := newNetmonReader(src)
		if err != nil {
			return fmt.Errorf("%s: %v", rd.name, err)
		}
		rd.mixed = true
		rd.next = nm.next
	default:
		return fmt.Errorf("%s: not a pcap, pcapng or NetMon 2 capture (starts with % x)", rd.name, magic)
	}
	return nil
}

func isPcapNG(m []byte) bool { return m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a }

func isPcap(m []byte) bool {
	switch uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3]) {
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
		return true
	}
	return false
}

// Next returns the next frame. At the end it returns io.EOF; a capture
// that ends inside a record returns an error wrapping ErrTruncated that
// names the frame, and every later call returns the same error.
func (rd *Reader) Next() (Frame, error) {
	if rd.done != nil {
		return Frame{}, rd.done
	}
	data, ci, err := rd.next()
	if err != nil {
		rd.done = rd.classify(err)
		return Frame{}, rd.done
	}
	rd.num++
	link := rd.link
	if rd.mixed && len(ci.AncillaryData) > 0 {
		if lt, ok := ci.AncillaryData[0].(layers.LinkType); ok {
			link = lt
		}
	}
	return Frame{Num: rd.num, Time: ci.Timestamp, Link: link, Data: data, Stable: rd.stable}, nil
}

func (rd *Reader) classify(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: %w: stopped inside frame %d after %d bytes", rd.name, ErrTruncated, rd.num+1, rd.counter.n)
	}
	if errors.Is(err, ErrInflated) { // it names the file and says what to do
		return fmt.Errorf("%s: stopped at frame %d: %w", rd.name, rd.num+1, err)
	}
	return fmt.Errorf("%s: %w: unreadable record at frame %d: %v", rd.name, ErrTruncated, rd.num+1, err)
}

// Name is the name given to Open or NewReader.
func (rd *Reader) Name() string { return rd.name }

// Progress returns the bytes consumed from the underlying file and its
// size (-1 when unknown), for a progress bar.
func (rd *Reader) Progress() (read, size int64) { return rd.counter.n, rd.size }

// Close closes the file opened by Open.
func (rd *Reader) Close() error {
	if rd.closer != nil {
		return rd.closer.Close()
	}
	return nil
}
