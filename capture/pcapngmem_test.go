package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// ngBuilder writes pcapng blocks in either byte order, with the odd
// cases pcapgo.NgWriter cannot write: big-endian, binary and coarse time
// resolutions, simple and obsolete packet blocks, name records, sections
// of another version, blocks that lie about their length.
type ngBuilder struct {
	o   ngOrder
	buf []byte
}

// ngOrder is binary.LittleEndian or binary.BigEndian.
type ngOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func newNg(o ngOrder) *ngBuilder { return &ngBuilder{o: o} }

func (b *ngBuilder) u16(v uint16) []byte { return b.o.AppendUint16(nil, v) }
func (b *ngBuilder) u32(v uint32) []byte { return b.o.AppendUint32(nil, v) }
func (b *ngBuilder) u64(v uint64) []byte { return b.o.AppendUint64(nil, v) }

// opt is one option, padded, in the builder's byte order.
func (b *ngBuilder) opt(code uint16, v []byte) []byte {
	out := append(b.u16(code), b.u16(uint16(len(v)))...)
	out = append(out, v...)
	return append(out, make([]byte, (4-len(v)%4)%4)...)
}

// endOpts closes a list of options.
func (b *ngBuilder) endOpts(opts ...[]byte) []byte {
	var out []byte
	for _, o := range opts {
		out = append(out, o...)
	}
	if len(opts) > 0 {
		out = append(out, 0, 0, 0, 0)
	}
	return out
}

// block appends a block of type typ whose body is padded to 32 bits.
func (b *ngBuilder) block(typ uint32, body []byte) *ngBuilder {
	body = append(body, make([]byte, (4-len(body)%4)%4)...)
	n := uint32(12 + len(body))
	b.buf = append(b.buf, b.u32(typ)...)
	b.buf = append(b.buf, b.u32(n)...)
	b.buf = append(b.buf, body...)
	b.buf = append(b.buf, b.u32(n)...)
	return b
}

// shb starts a section (version 1.0 unless told), with the builder's
// byte order from here on.
func (b *ngBuilder) shb(version ...uint16) *ngBuilder {
	major, minor := uint16(1), uint16(0)
	if len(version) == 2 {
		major, minor = version[0], version[1]
	}
	body := binary.BigEndian.AppendUint32(nil, ngMagic)
	if b.o == binary.LittleEndian {
		body = binary.LittleEndian.AppendUint32(nil, ngMagic)
	}
	body = append(body, b.u16(major)...)
	body = append(body, b.u16(minor)...)
	body = append(body, b.u64(^uint64(0))...)
	body = append(body, b.endOpts(b.opt(4, []byte("sipdbg test")))...)
	return b.block(ngSHB, body)
}

// idb describes an interface; resol 0 leaves if_tsresol out.
func (b *ngBuilder) idb(link layers.LinkType, snap uint32, resol byte, offset uint64) *ngBuilder {
	body := append(b.u16(uint16(link)), 0, 0)
	body = append(body, b.u32(snap)...)
	var opts [][]byte
	opts = append(opts, b.opt(2, []byte("eth0")))
	if resol != 0 {
		opts = append(opts, b.opt(ngOptTSResol, []byte{resol}))
	}
	if offset != 0 {
		opts = append(opts, b.opt(ngOptTSOffset, b.u64(offset)))
	}
	return b.block(ngIDB, append(body, b.endOpts(opts...)...))
}

// epb is an enhanced packet with a comment and flags.
func (b *ngBuilder) epb(iface uint32, ts uint64, data []byte) *ngBuilder {
	body := b.u32(iface)
	body = append(body, b.u32(uint32(ts>>32))...)
	body = append(body, b.u32(uint32(ts))...)
	body = append(body, b.u32(uint32(len(data)))...)
	body = append(body, b.u32(uint32(len(data)+4))...)
	body = append(body, data...)
	body = append(body, make([]byte, (4-len(data)%4)%4)...)
	return b.block(ngEPB, append(body, b.endOpts(b.opt(1, []byte("a comment")), b.opt(2, b.u32(1)))...))
}

// pb is an obsolete packet block.
func (b *ngBuilder) pb(iface uint16, ts uint64, data []byte) *ngBuilder {
	body := append(b.u16(iface), b.u16(0)...)
	body = append(body, b.u32(uint32(ts>>32))...)
	body = append(body, b.u32(uint32(ts))...)
	body = append(body, b.u32(uint32(len(data)))...)
	body = append(body, b.u32(uint32(len(data)))...)
	return b.block(ngPB, append(body, data...))
}

// spb is a simple packet of orig bytes on the wire, data captured.
func (b *ngBuilder) spb(orig uint32, data []byte) *ngBuilder {
	return b.block(ngSPB, append(b.u32(orig), data...))
}

// nrb resolves an IPv4 and an IPv6 address and has a record of an
// unknown type.
func (b *ngBuilder) nrb() *ngBuilder {
	rec := func(typ uint16, v []byte) []byte {
		out := append(b.u16(typ), b.u16(uint16(len(v)))...)
		out = append(out, v...)
		return append(out, make([]byte, (4-len(v)%4)%4)...)
	}
	var body []byte
	body = append(body, rec(1, append([]byte{10, 0, 0, 1}, "alice.example\x00"...))...)
	body = append(body, rec(2, append(make([]byte, 16), "bob.example\x00"...))...)
	body = append(body, rec(77, []byte("future"))...)
	body = append(body, rec(0, nil)...)
	return b.block(ngNRB, body)
}

// isb is statistics of an interface.
func (b *ngBuilder) isb(iface uint32) *ngBuilder {
	body := append(b.u32(iface), b.u32(0)...)
	body = append(body, b.u32(1000)...)
	return b.block(ngISB, append(body, b.endOpts(b.opt(4, b.u64(12)))...))
}

// ngSeeds are small pcapng files, valid and not, that together take the
// reader through every block type and most of its ways to fail.
func ngSeeds(t testing.TB) map[string][]byte {
	t.Helper()
	m1, m2, m3 := pcaptest.UDP(alice, bob, invite("ng1")), pcaptest.UDP(bob, alice, invite("ng2")), pcaptest.UDP(alice, bob, invite("ng3"))
	ts := uint64(stamp.UnixNano())
	seeds := map[string][]byte{}
	for _, o := range []ngOrder{binary.LittleEndian, binary.BigEndian} {
		name := "le"
		if o == binary.BigEndian {
			name = "be"
		}
		// Interfaces in µs (default), ns, 2^-20 s with an offset, and
		// 10^-2 s; Ethernet, raw IP, Linux cooked; an SPB cut by a snap
		// length; name records, statistics, decryption secrets, a
		// custom block; then a section in the other byte order.
		b := newNg(o).shb().
			idb(layers.LinkTypeEthernet, 0, 0, 0).
			idb(layers.LinkTypeRaw, 0, 9, 0).
			idb(layers.LinkTypeLinuxSLL, 0, 0x80|20, 1000).
			idb(layers.LinkTypeEthernet, 96, 2, 0).
			nrb().
			epb(0, ts/1000, m1).
			epb(1, ts, ipPacket(m2)).
			epb(2, (ts/1e9)<<20|12345, m3).
			isb(1).
			block(0x0a, append(newNg(o).u32(0x544c534b), newNg(o).u32(4)...)).
			block(0x40000bad, []byte("custom")).
			pb(0, ts/1000, m2).
			epb(3, ts/1e7, m1)
		other := newNg(binary.BigEndian)
		if o == binary.BigEndian {
			other = newNg(binary.LittleEndian)
		}
		other.buf = b.buf
		other.shb().idb(layers.LinkTypeRaw, 200, 0, 0).epb(0, ts/1000, ipPacket(m3))
		seeds[name+"-mixed"] = other.buf
		seeds[name+"-spb"] = newNg(o).shb().idb(layers.LinkTypeEthernet, 100, 0, 0).spb(uint32(len(m1)), m1[:100]).spb(40, m1[:40]).buf
		// A section of version 1.2 is skipped, up to the next one or to
		// the end of the file.
		seeds[name+"-unknown-version"] = newNg(o).shb(1, 2).idb(layers.LinkTypeEthernet, 0, 0, 0).epb(0, 1, m1).
			shb().idb(layers.LinkTypeEthernet, 0, 0, 0).epb(0, 2, m2).buf
		seeds[name+"-unknown-version-last"] = newNg(o).shb().idb(layers.LinkTypeEthernet, 0, 0, 0).epb(0, 1, m1).
			shb(2, 0).idb(layers.LinkTypeEthernet, 0, 0, 0).epb(0, 2, m2).buf
		seeds[name+"-only-unknown"] = newNg(o).shb(2, 0).idb(layers.LinkTypeEthernet, 0, 0, 0).buf
		// Failures: a packet of no interface, a simple packet before any
		// interface, resolutions too fine, 10^-30 (wraps, accepted).
		seeds[name+"-no-iface"] = newNg(o).shb().idb(layers.LinkTypeEthernet, 0, 0, 0).epb(1, 1, m1).buf
		seeds[name+"-spb-first"] = newNg(o).shb().spb(10, m1[:10]).buf
		seeds[name+"-resol-2^-64"] = newNg(o).shb().idb(layers.LinkTypeEthernet, 0, 0x80|64, 0).epb(0, 1, m1).buf
		seeds[name+"-resol-10^-64"] = newNg(o).shb().idb(layers.LinkTypeEthernet, 0, 64, 0).epb(0, 1, m1).buf
		seeds[name+"-resol-10^-30"] = newNg(o).shb().idb(layers.LinkTypeEthernet, 0, 30, 1<<62).epb(0, ^uint64(0), m1).buf
		seeds[name+"-isb-no-iface"] = newNg(o).shb().isb(0).buf
	}
	// pcapgo's own writer: several interfaces with their offsets.
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{LinkType: layers.LinkTypeEthernet, Name: "a"}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddInterface(pcapgo.NgInterface{LinkType: layers.LinkTypeRaw, TimestampOffset: 3600}); err != nil {
		t.Fatal(err)
	}
	for i, f := range [][]byte{m1, ipPacket(m2), m3} {
		ci := gopacket.CaptureInfo{Timestamp: stamp.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(f), Length: len(f), InterfaceIndex: i % 2}
		if i == 1 {
			f = f[:len(f)-3] // captured less than was sent
			ci.CaptureLength = len(f)
		}
		if err := w.WritePacket(ci, f); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	seeds["ngwriter"] = buf.Bytes()
	// Corrupt: a wrong byte-order magic, a block shorter than its own
	// header (pcapgo's count of the rest wraps), an end of options with a
	// length, a captured length beyond the block.
	good := seeds["le-mixed"]
	bad := bytes.Clone(good)
	bad[8] ^= 0xff
	seeds["bad-magic"] = bad
	le := newNg(binary.LittleEndian)
	seeds["short-block"] = le.shb().idb(layers.LinkTypeEthernet, 0, 0, 0).block(ngEPB, nil).epb(0, 1, m1).buf
	le = newNg(binary.LittleEndian).shb().idb(layers.LinkTypeEthernet, 0, 0, 0)
	le.buf = append(le.buf, le.u32(ngEPB)...)
	le.buf = append(le.buf, le.u32(36)...)
	le.buf = append(le.buf, make([]byte, 12)...)
	le.buf = append(le.buf, le.u32(300)...) // captured more than the block holds
	le.buf = append(le.buf, le.u32(300)...)
	le = le.epb(0, 1, m1).epb(0, 2, m2)
	seeds["caplen-beyond-block"] = le.buf
	le = newNg(binary.LittleEndian).shb().idb(layers.LinkTypeEthernet, 0, 0, 0)
	seeds["end-opt-length"] = le.block(ngIDB, append(append(le.u16(1), 0, 0, 0, 0, 0, 0), 0, 0, 4, 0)).buf
	// Cut short: at every few bytes of a valid file.
	for i := 1; i < len(good); i += 13 {
		seeds[fmt.Sprintf("cut-%d", i)] = good[:i]
	}
	return seeds
}

// ngKind is how a read ended: nil, io.EOF, io.ErrUnexpectedEOF (the
// Reader calls it truncated inside a frame) or anything else (an
// unreadable record).
func ngKind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case err == io.EOF:
		return "EOF"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected EOF"
	}
	return "error"
}

// diffMappedNg reads the pcapng in data from the file at path mapped and
// with pcapgo.NgReader as the streamed path does, and says where they
// differ ("" when they do not): packets, capture info, link types, and
// how they stop.
func diffMappedNg(t testing.TB, path string, data []byte) string {
	t.Helper()
	want, werr := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.NgReaderOptions{WantMixedLinkType: true, SkipUnknownVersion: true})
	// The first section header, read from bytes as from the mapping.
	if _, gerr := newMemPcapng(data); ngKind(gerr) != ngKind(werr) {
		return fmt.Sprintf("open: mapped %v, pcapgo %v", gerr, werr)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rd := OpenMapped(f, path)
	if rd == nil {
		f.Close()
		if werr == nil {
			return "not mapped, yet pcapgo reads it"
		}
		return ""
	}
	defer func() {
		unmapFile(rd.mapped.b) // a fuzz run maps thousands of files
		rd.Close()
	}()
	if werr != nil {
		return fmt.Sprintf("mapped, yet pcapgo cannot open it: %v", werr)
	}
	for n := 1; ; n++ {
		wd, wci, werr := want.ZeroCopyReadPacketData()
		gd, gci, gerr := rd.next()
		if ngKind(gerr) != ngKind(werr) {
			return fmt.Sprintf("packet %d: mapped %v, pcapgo %v", n, gerr, werr)
		}
		if werr != nil {
			return ""
		}
		if !bytes.Equal(gd, wd) || len(gd) != len(wd) {
			return fmt.Sprintf("packet %d: mapped %d bytes, pcapgo %d bytes", n, len(gd), len(wd))
		}
		if gci.Timestamp != wci.Timestamp || gci.CaptureLength != wci.CaptureLength || gci.Length != wci.Length || gci.InterfaceIndex != wci.InterfaceIndex {
			return fmt.Sprintf("packet %d: mapped %+v, pcapgo %+v", n, gci, wci)
		}
		if len(gci.AncillaryData) != 1 || len(wci.AncillaryData) != 1 || gci.AncillaryData[0] != wci.AncillaryData[0] {
			return fmt.Sprintf("packet %d: mapped link %v, pcapgo %v", n, gci.AncillaryData, wci.AncillaryData)
		}
		if _, ok := gci.AncillaryData[0].(layers.LinkType); !ok {
			return fmt.Sprintf("packet %d: link type is a %T", n, gci.AncillaryData[0])
		}
	}
}

// Every seed reads mapped as pcapgo reads it.
func TestMappedPcapngLikePcapgo(t *testing.T) {
	dir := t.TempDir()
	for name, data := range ngSeeds(t) {
		path := filepath.Join(dir, name+".pcapng")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if d := diffMappedNg(t, path, data); d != "" {
			t.Errorf("%s: %s", name, d)
		}
	}
}

// Through Open, a pcapng maps: its frames are those of the streamed
// reader, Stable, and still there after Release and when pages are
// handed back along the way; a truncated or damaged file stops at the
// same frame with the same kind of error.
func TestMappedPcapngFrames(t *testing.T) {
	seeds := ngSeeds(t)
	big := newNg(binary.LittleEndian).shb().idb(layers.LinkTypeEthernet, 0, 9, 0)
	for i := range 200 { // some 100 KB: pages are handed back while reading
		big.epb(0, uint64(stamp.UnixNano())+uint64(i), pcaptest.UDP(alice, bob, invite(fmt.Sprintf("big-%d", i))))
	}
	seeds["big"] = big.buf
	for name, data := range seeds {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.pcapng")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			want, werr := readAll(t, data)
			r, got, gerr := readPath(t, path, paging{every: 4096, lag: 4096})
			if _, err := NewReader(bytes.NewReader(data), "x.pcapng", int64(len(data))); err != nil {
				if r != nil {
					t.Fatalf("Open reads what the streamed reader cannot open: %v", err)
				}
				return
			}
			if r == nil || r.mapped == nil {
				t.Fatalf("not mapped (%v)", gerr)
			}
			defer r.Close()
			r.Release()
			if len(got) != len(want) || (gerr == nil) != (werr == nil) || !sameStop(gerr, werr) {
				t.Fatalf("mapped: %d frames, %v; streamed: %d frames, %v", len(got), gerr, len(want), werr)
			}
			for i := range want {
				g, w := got[i], want[i]
				if !g.Stable || g.Num != w.Num || !g.Time.Equal(w.Time) || g.Link != w.Link || !bytes.Equal(g.Data, w.Data) {
					t.Errorf("frame %d: mapped %v %v %v stable %v; streamed %v %v %v", i+1, g.Num, g.Time, g.Link, g.Stable, w.Num, w.Time, w.Link)
				}
			}
		})
	}
}

// sameStop says whether two Reader errors are the same kind of stop: the
// end, a file cut inside a frame, or an unreadable record.
func sameStop(a, b error) bool {
	inside := func(err error) bool {
		return err != nil && bytes.Contains([]byte(err.Error()), []byte("stopped inside frame"))
	}
	return errors.Is(a, ErrTruncated) == errors.Is(b, ErrTruncated) && inside(a) == inside(b)
}

// Every pcapng of the shared corpus reads mapped as pcapgo reads it.
func TestSharedPcapngMapped(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.pcapng"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no pcapng in %s (%v)", dir, err)
	}
	mapped := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 4 || !isPcapNG(data) { // a pcap or gzip named .pcapng
			continue
		}
		mapped++
		if d := diffMappedNg(t, path, data); d != "" {
			t.Errorf("%s: %s", filepath.Base(path), d)
		}
		// And through Open: the frames of the streamed reader, Stable.
		want, werr := readAll(t, data)
		r, got, gerr := readPath(t, path)
		if r == nil || r.mapped == nil || len(got) != len(want) || !sameStop(gerr, werr) {
			t.Errorf("%s: mapped %d frames, %v; streamed %d frames, %v", filepath.Base(path), len(got), gerr, len(want), werr)
			continue
		}
		r.Release()
		for i := range want {
			if g, w := got[i], want[i]; !g.Stable || !g.Time.Equal(w.Time) || g.Link != w.Link || !bytes.Equal(g.Data, w.Data) {
				t.Errorf("%s: frame %d differs", filepath.Base(path), i+1)
				break
			}
		}
		r.Close()
	}
	t.Logf("%d pcapng files of %d read mapped", mapped, len(paths))
}

// FuzzMappedPcapng reads any bytes as a mapped pcapng file and as
// pcapgo.NgReader: no panic, the same packets, capture info and link
// types, and the same kind of stop.
func FuzzMappedPcapng(f *testing.F) {
	for _, data := range ngSeeds(f) {
		f.Add(data)
	}
	for _, data := range sharedSeeds() {
		if len(data) >= 4 && isPcapNG(data) {
			f.Add(data)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 4 || !isPcapNG(data) {
			return
		}
		tmp, err := os.CreateTemp(dir, "*.pcapng")
		if err != nil {
			t.Fatal(err)
		}
		defer os.Remove(tmp.Name())
		if _, err := tmp.Write(data); err != nil {
			t.Fatal(err)
		}
		tmp.Close()
		if d := diffMappedNg(t, tmp.Name(), data); d != "" {
			t.Fatal(d)
		}
	})
}
