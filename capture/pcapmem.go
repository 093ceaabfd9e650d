package capture

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// A pcap or pcapng (pcapngmem.go) file on disk is read through a
// read-only mapping: its frames are slices of the file itself, so a UDP
// message is kept as it lies in the file, never copied (Frame.Stable).
// The pages read are handed back to the kernel as the reading moves on
// (and by Release), so resident memory stays a window, not the file: the
// page cache keeps them, and a message touched again is a minor fault,
// not a read.

// paging is when a mapped reader hands back the pages behind it: every
// is how much is read between two hand-backs, lag how much stays mapped
// behind it for the batches still on their way to the store. protect
// makes a page handed back unreadable (tests: the load must not go back
// to what it has read). Each reader has its own; tests shrink theirs.
type paging struct {
	every, lag int
	protect    bool
}

func defaultPaging() paging { return paging{every: 32 << 20, lag: 16 << 20} }

// memPcap reads pcap records from a mapped file. Its mapping and window
// of pages handed back serve the pcapng reader too (memPcapng).
type memPcap struct {
	b        []byte
	off      int
	order    binary.ByteOrder
	nanos    bool
	released int  // bytes handed back from the start
	behind   int  // bytes handed back by ReleaseBehind
	random   bool // read to the end, now read here and there
	pg       paging
}

// openMapped returns a Reader over the mapped pcap or pcapng file f, or
// nil when f is neither or cannot be mapped (the caller then streams it).
func openMapped(f *os.File, path string, size int64) *Reader {
	if size < 24 || size != int64(int(size)) {
		return nil
	}
	var magic [4]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil || !isPcap(magic[:]) && !isPcapNG(magic[:]) {
		return nil
	}
	b, err := mapFile(f, size)
	if err != nil {
		return nil
	}
	if isPcapNG(magic[:]) {
		return openMappedNg(f, path, size, b)
	}
	mp := &memPcap{b: b, off: 24, pg: defaultPaging()}
	mp.order, mp.nanos = pcapOrder(b)
	// The link type's upper bits may carry FCS information (pcap-linktype).
	link := layers.LinkType(mp.order.Uint32(b[20:]) & 0x0fffffff)
	rd := &Reader{name: path, size: size, counter: &countingReader{n: 24}, closer: f, link: link, stable: true, mapped: mp}
	rd.next = func() ([]byte, gopacket.CaptureInfo, error) {
		data, ci, err := mp.next()
		rd.counter.n = int64(mp.off)
		return data, ci, err
	}
	return rd
}

// pcapOrder reads the byte order and time resolution from the magic.
func pcapOrder(b []byte) (binary.ByteOrder, bool) {
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4:
		return binary.LittleEndian, false
	case 0xa1b23c4d:
		return binary.LittleEndian, true
	case 0xd4c3b2a1:
		return binary.BigEndian, false
	}
	return binary.BigEndian, true // 0x4d3cb2a1
}

// OpenMapped returns a Reader over f, mapped, when f is a regular file
// holding a pcap or pcapng; f then belongs to the Reader. Otherwise it
// returns nil and f is untouched (its offset too).
func OpenMapped(f *os.File, path string) *Reader {
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil
	}
	return openMapped(f, path, st.Size())
}

// maxRecord bounds a record's length: more is a corrupt header, not a
// packet (pcapgo refuses the same).
const maxRecord = 256 << 20

func (mp *memPcap) next() ([]byte, gopacket.CaptureInfo, error) {
	rest := len(mp.b) - mp.off
	if rest == 0 {
		return nil, gopacket.CaptureInfo{}, io.EOF
	}
	if rest < 16 {
		return nil, gopacket.CaptureInfo{}, io.ErrUnexpectedEOF
	}
	h := mp.b[mp.off : mp.off+16]
	sec, frac := mp.order.Uint32(h), mp.order.Uint32(h[4:])
	incl, orig := mp.order.Uint32(h[8:]), mp.order.Uint32(h[12:])
	if incl > maxRecord {
		return nil, gopacket.CaptureInfo{}, fmt.Errorf("record length %d is not a packet", incl)
	}
	if int(incl) > rest-16 {
		return nil, gopacket.CaptureInfo{}, io.ErrUnexpectedEOF
	}
	start := mp.off + 16
	mp.off = start + int(incl)
	ns := int64(frac)
	if !mp.nanos {
		ns *= 1000 // a corrupt record may count a million µs or more: as the streamed reader, it carries over
	}
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(sec), ns).UTC(), CaptureLength: int(incl), Length: int(orig)}
	if mp.off-mp.released > mp.pg.every+mp.pg.lag {
		mp.release(mp.off - mp.pg.lag)
	}
	return mp.b[start:mp.off:mp.off], ci, nil
}

// release hands back the pages of b[:upTo] (page-aligned).
func (mp *memPcap) release(upTo int) {
	upTo &^= os.Getpagesize() - 1
	if upTo > 0 {
		unmapPages(mp.b[:upTo], mp.pg.protect)
		mp.released = upTo
	}
}

// Release hands back every page of a mapped capture that is not being
// read: what was already read is touched again only here and there (a
// report walking its calls), and comes back from the page cache then.
func (rd *Reader) Release() {
	mp := rd.mapped
	if mp == nil {
		return
	}
	if mp.off == len(mp.b) { // read to the end: from now on, here and there
		if !mp.random {
			randomAccess(mp.b)
			mp.random = true
		}
		mp.release(len(mp.b))
		return
	}
	mp.release(mp.off - mp.pg.lag)
}

// Release asks a source that maps its file to hand back its pages (see
// Reader.Release); other sources ignore it.
func Release(s Source) {
	if r, ok := s.(interface{ Release() }); ok {
		r.Release()
	}
}
