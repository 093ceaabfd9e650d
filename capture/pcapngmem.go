package capture

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// A pcapng file on disk is read through the same mapping as a classic
// pcap (pcapmem.go): its packets are slices of the file, kept as they lie
// there. The reader walks the blocks exactly as pcapgo.NgReader does with
// WantMixedLinkType and SkipUnknownVersion (the options the streamed path
// uses), byte for byte, so the two read the same packets, the same
// times, and stop at the same place for the same kind of reason, even in
// a damaged file: its counts of what is left of a block wrap as pcapgo's
// do, its lengths are trusted as far as pcapgo trusts them, and it fails
// where pcapgo fails. Where it stops short, the error is
// io.ErrUnexpectedEOF, as pcapgo's; where pcapgo calls a short read of a
// name record or a decryption secret a corrupt block (an error that does
// not wrap io.ErrUnexpectedEOF), so does this reader.

// Block types and the byte-order magic of pcapng (draft-ietf-opsawg-pcapng).
const (
	ngIDB   = 1          // interface description
	ngPB    = 2          // packet (obsolete)
	ngSPB   = 3          // simple packet
	ngNRB   = 4          // name resolution
	ngISB   = 5          // interface statistics
	ngEPB   = 6          // enhanced packet
	ngSHB   = 0x0a0d0d0a // section header, the same in either byte order
	ngMagic = 0x1a2b3c4d // byte-order magic of a section header
)

// Options read here: the end of options, and an interface's time
// resolution and offset.
const (
	ngOptEnd      = 0
	ngOptTSResol  = 9
	ngOptTSOffset = 14
)

// memPcapng reads pcapng packets from a mapped file.
type memPcapng struct {
	memPcap // the mapping and its window of pages handed back (order and nanos unused)
	big     bool
	// left is what remains of the current block, counted as pcapgo
	// counts it: from the block's own length, so a block shorter than
	// its fields wraps it around and the next skip runs into the end of
	// the file, as pcapgo's does.
	left   uint32
	ifaces []ngIface // the current section's interfaces
	anc    [1]any    // CaptureInfo.AncillaryData: reused, as pcapgo's zero-copy read reuses it
}

// ngIface is what a packet needs from its interface description.
type ngIface struct {
	link   any    // its layers.LinkType, boxed once and not for every packet
	snap   uint32 // snap length, which cuts a simple packet
	offset uint64 // if_tsoffset, seconds added to every time
	units  uint64 // time units per second (if_tsresol)
	up     uint64 // nanoseconds = units' remainder * up / down
	down   uint64
}

// openMappedNg returns a Reader over the pcapng mapped in b, or nil (b
// unmapped) when its first section header is unreadable: the streamed
// reader then says why, in its own words.
func openMappedNg(f *os.File, path string, size int64, b []byte) *Reader {
	ng := &memPcapng{memPcap: memPcap{b: b, pg: defaultPaging()}}
	if err := ng.start(); err != nil {
		unmapFile(b)
		return nil
	}
	rd := &Reader{name: path, size: size, counter: &countingReader{n: int64(ng.off)}, closer: f, mixed: true, stable: true, mapped: &ng.memPcap}
	rd.next = func() ([]byte, gopacket.CaptureInfo, error) {
		data, ci, err := ng.next()
		rd.counter.n = int64(ng.off)
		return data, ci, err
	}
	return rd
}

// newMemPcapng reads the first section header of b (tests: a reader
// over bytes that are not mapped).
func newMemPcapng(b []byte) (*memPcapng, error) {
	ng := &memPcapng{memPcap: memPcap{b: b, pg: defaultPaging()}}
	return ng, ng.start()
}

// start reads the section header a pcapng must begin with, as
// pcapgo.NewNgReader does before the first packet is asked for.
func (ng *memPcapng) start() error {
	typ, err := ng.block()
	if err != nil {
		return err
	}
	if typ != ngSHB {
		return fmt.Errorf("starts with block type %#x, not a section header", typ)
	}
	return ng.section()
}

func (ng *memPcapng) u16(b []byte) uint16 {
	if ng.big {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func (ng *memPcapng) u32(b []byte) uint32 {
	if ng.big {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func (ng *memPcapng) u64(b []byte) uint64 {
	if ng.big {
		return binary.BigEndian.Uint64(b)
	}
	return binary.LittleEndian.Uint64(b)
}

// read returns the next n bytes of the file, or io.ErrUnexpectedEOF with
// the reader at the end, as a stream that ran out. Its callers count the
// bytes against the block themselves (or do not), as pcapgo does.
func (ng *memPcapng) read(n uint32) ([]byte, error) {
	if uint64(n) > uint64(len(ng.b)-ng.off) {
		ng.off = len(ng.b)
		return nil, io.ErrUnexpectedEOF
	}
	end := ng.off + int(n)
	p := ng.b[ng.off:end:end]
	ng.off = end
	return p, nil
}

// skip passes over n bytes of the current block.
func (ng *memPcapng) skip(n uint32) error {
	if _, err := ng.read(n); err != nil {
		return err
	}
	ng.left -= n
	return nil
}

// block reads the type and length of the next block; a section header's
// byte-order magic too, which sets the byte order from there on. The file
// may end cleanly (io.EOF) only where a block would begin.
func (ng *memPcapng) block() (uint32, error) {
	if ng.off == len(ng.b) {
		return 0, io.EOF
	}
	h, err := ng.read(8)
	if err != nil {
		return 0, err
	}
	typ := ng.u32(h)
	if typ != ngSHB {
		ng.left = ng.u32(h[4:]) - 8
		return typ, nil
	}
	m, err := ng.read(4)
	if err != nil {
		return 0, err
	}
	switch {
	case binary.BigEndian.Uint32(m) == ngMagic:
		ng.big = true
	case binary.LittleEndian.Uint32(m) == ngMagic:
		ng.big = false
	default:
		return 0, fmt.Errorf("section header with byte-order magic % x", m)
	}
	ng.left = ng.u32(h[4:]) - 12
	return typ, nil
}

// option reads one option of the current block: its code (ngOptEnd at
// the end) and value. A block with only its trailing length left has no
// more options, whether or not it says so.
func (ng *memPcapng) option() (uint16, []byte, error) {
	if ng.left == 4 {
		return ngOptEnd, nil, nil
	}
	h, err := ng.read(4)
	if err != nil {
		return 0, nil, err
	}
	ng.left -= 4
	code, n := ng.u16(h), ng.u16(h[2:])
	if code == ngOptEnd {
		if n != 0 {
			return 0, nil, fmt.Errorf("end of options with a length of %d", n)
		}
		return ngOptEnd, nil, nil
	}
	if n == 0 {
		return code, nil, nil
	}
	v, err := ng.read(uint32(n))
	if err != nil {
		return 0, nil, err
	}
	if pad := (4 - n%4) % 4; pad > 0 {
		if err := ng.skip(uint32(pad)); err != nil {
			return 0, nil, err
		}
	}
	ng.left -= uint32(n)
	return code, v, nil
}

// skipOptions passes over the options of the current block.
func (ng *memPcapng) skipOptions() error {
	for {
		code, _, err := ng.option()
		if err != nil || code == ngOptEnd {
			return err
		}
	}
}

// section reads a section header after its block header: a new section
// has no interfaces yet. A section of a version other than 1.0 is
// skipped whole, up to the next section header (or the end of the file,
// a clean end), as the standard recommends and pcapgo does.
func (ng *memPcapng) section() error {
	ng.ifaces = ng.ifaces[:0]
	for {
		h, err := ng.read(12) // version (major, minor) and section length
		if err != nil {
			return err
		}
		ng.left -= 12
		if ng.u16(h) == 1 && ng.u16(h[2:]) == 0 {
			break
		}
		if err := ng.skip(ng.left); err != nil {
			return err
		}
		for {
			typ, err := ng.block()
			if err != nil {
				return err
			}
			if typ == ngSHB {
				break
			}
			if err := ng.skip(ng.left); err != nil {
				return err
			}
		}
	}
	if err := ng.skipOptions(); err != nil {
		return err
	}
	return ng.skip(ng.left)
}

// iface reads an interface description after its block header.
func (ng *memPcapng) iface() error {
	h, err := ng.read(8) // link type, reserved, snap length
	if err != nil {
		return err
	}
	ng.left -= 8
	link := layers.LinkType(ng.u16(h))
	in := ngIface{snap: ng.u32(h[4:])}
	var resol byte
	for {
		code, v, err := ng.option()
		if err != nil {
			return err
		}
		if code == ngOptEnd {
			break
		}
		// An option too short for its value is ignored, not an error.
		switch {
		case code == ngOptTSResol && len(v) >= 1:
			resol = v[0]
		case code == ngOptTSOffset && len(v) >= 8:
			in.offset = ng.u64(v)
		}
	}
	if err := ng.skip(ng.left); err != nil {
		return err
	}
	if resol == 0 {
		resol = 6 // microseconds, the default
	}
	// The top bit says a negative power of 2, else of 10. Beyond 63 the
	// units no longer fit (pcapgo refuses them); between 20 and 63 a
	// power of 10 overflows 64 bits, and wraps as pcapgo's does.
	exp := resol & 0x7f
	if exp > 63 {
		base := 10
		if resol&0x80 != 0 {
			base = 2
		}
		return fmt.Errorf("interface time resolution %d^-%d is too fine", base, exp)
	}
	if resol&0x80 != 0 {
		in.units = 1 << exp
	} else {
		in.units = 1
		for range exp {
			in.units *= 10
		}
	}
	in.up, in.down = 1, 1
	if in.units < 1e9 {
		in.up = 1e9 / in.units
	} else {
		in.down = in.units / 1e9
	}
	in.link = link
	ng.ifaces = append(ng.ifaces, in)
	return nil
}

// time converts a packet's timestamp on interface in, with pcapgo's
// 64-bit arithmetic (which wraps on absurd resolutions and offsets).
func (in *ngIface) time(ts uint64) time.Time {
	return time.Unix(int64(ts/in.units+in.offset), int64(ts%in.units*in.up/in.down)).UTC()
}

// errNoIface is a packet of an interface the section has not described.
func (ng *memPcapng) errNoIface(id uint32) error {
	return fmt.Errorf("packet of interface %d in a section of %d interface(s)", id, len(ng.ifaces))
}

// stats passes over an interface statistics block after its header: only
// its interface must exist.
func (ng *memPcapng) stats() error {
	h, err := ng.read(12) // interface, timestamp
	if err != nil {
		return err
	}
	ng.left -= 12
	if id := ng.u32(h); uint64(id) >= uint64(len(ng.ifaces)) {
		return fmt.Errorf("statistics of interface %d in a section of %d interface(s)", id, len(ng.ifaces))
	}
	if err := ng.skipOptions(); err != nil {
		return err
	}
	return ng.skip(ng.left)
}

// names passes over a name resolution block after its header, record by
// record as pcapgo reads it: a record of an address type shorter than
// its address is an error, and the records end at an end record or
// where the block (as counted) ends. pcapgo reports a record cut short
// by the end of the file as a corrupt block, not a truncated one: the
// errors here keep that (%v, not %w).
func (ng *memPcapng) names() error {
	for ng.left > 0 {
		h, err := ng.read(4)
		if err != nil {
			return fmt.Errorf("name record header: %v", err)
		}
		ng.left -= 4
		typ, n := ng.u16(h), uint32(ng.u16(h[2:]))
		n = min(n, ng.left)
		pad := (4 - n%4) % 4
		var addr uint32
		switch typ {
		case 0: // end of records
			return ng.skip(ng.left)
		case 1:
			addr = 4 // IPv4
		case 2:
			addr = 16 // IPv6
		case 3:
			addr = 6 // EUI-48
		case 4:
			addr = 8 // EUI-64
		default:
			if err := ng.skip(n + pad); err != nil {
				return fmt.Errorf("name record of type %d: %v", typ, err)
			}
			continue
		}
		if n < addr {
			return fmt.Errorf("name record of type %d is %d bytes, too short for its address", typ, n)
		}
		if _, err := ng.read(addr); err != nil {
			return fmt.Errorf("name record address: %v", err)
		}
		ng.left -= n
		if _, err := ng.read(n - addr); err != nil {
			return fmt.Errorf("name record names: %v", err)
		}
		if err := ng.skip(pad); err != nil {
			return err
		}
	}
	return ng.skip(ng.left)
}

// next returns the next packet, a slice of the file (its captured bytes,
// not the padding), and what pcapgo.NgReader says of it: time, lengths,
// interface, and the interface's link type as AncillaryData[0] (shared
// between calls, as pcapgo's zero-copy read shares it).
func (ng *memPcapng) next() ([]byte, gopacket.CaptureInfo, error) {
	var ci gopacket.CaptureInfo
	var in *ngIface
	var typ uint32
	for in == nil {
		var err error
		if typ, err = ng.block(); err != nil {
			return nil, ci, err
		}
		switch typ {
		case ngEPB, ngPB:
			h, err := ng.read(20) // interface, timestamp (high, low), captured and original lengths
			if err != nil {
				return nil, ci, err
			}
			ng.left -= 20
			id := ng.u32(h)
			if typ == ngPB {
				id = uint32(ng.u16(h)) // then a 16-bit drop count
			}
			if uint64(id) >= uint64(len(ng.ifaces)) {
				return nil, ci, ng.errNoIface(id)
			}
			in = &ng.ifaces[id]
			ci.InterfaceIndex = int(id)
			ci.Timestamp = in.time(uint64(ng.u32(h[4:]))<<32 | uint64(ng.u32(h[8:])))
			ci.CaptureLength = int(ng.u32(h[12:]))
			ci.Length = int(ng.u32(h[16:]))
		case ngSPB:
			h, err := ng.read(4) // original length
			if err != nil {
				return nil, ci, err
			}
			ng.left -= 4
			if len(ng.ifaces) == 0 {
				return nil, ci, errors.New("simple packet in a section with no interface")
			}
			in = &ng.ifaces[0]
			orig := ng.u32(h)
			ci.Length, ci.CaptureLength = int(orig), int(orig)
			if in.snap != 0 && orig > in.snap {
				ci.CaptureLength = int(in.snap)
			}
		case ngIDB:
			err = ng.iface()
		case ngISB:
			err = ng.stats()
		case ngSHB:
			err = ng.section()
		case ngNRB:
			err = ng.names()
		default: // decryption secrets, custom blocks, anything newer
			err = ng.skip(ng.left)
		}
		if err != nil {
			return nil, ci, err
		}
	}
	ng.anc[0] = in.link
	ci.AncillaryData = ng.anc[:]
	caplen := uint32(ci.CaptureLength)
	data, err := ng.read(caplen)
	if err != nil {
		return nil, ci, err
	}
	ng.left -= caplen
	if pad := (4 - caplen%4) % 4; pad > 0 {
		if err := ng.skip(pad); err != nil {
			return nil, ci, err
		}
	}
	if typ == ngEPB { // the obsolete packet block's options are skipped with the rest
		if err := ng.skipOptions(); err != nil {
			return nil, ci, err
		}
	}
	if err := ng.skip(ng.left); err != nil {
		return nil, ci, err
	}
	if ng.off-ng.released > ng.pg.every+ng.pg.lag {
		ng.release(ng.off - ng.pg.lag)
	}
	return data, ci, nil
}
