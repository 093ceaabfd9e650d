package capture

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

// readPath reads every frame of a file through Open (mapped when it is
// a pcap or pcapng file), copying nothing.
func readPath(t *testing.T, path string, pg ...paging) (*Reader, []Frame, error) {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		return nil, nil, err
	}
	if len(pg) > 0 && r.mapped != nil {
		r.mapped.pg = pg[0] // before the first Next: nothing was handed back yet
	}
	var out []Frame
	for {
		f, err := r.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return r, out, err
		}
		out = append(out, f)
	}
}

// A pcap on disk is read through a mapping: the same frames as the
// streamed reader, in every byte order and time resolution, with Stable
// data that survives Release and the next reads; a truncated file stops
// at the same frame with the same kind of error.
func TestMappedPcapReadsLikeStreamed(t *testing.T) {
	frames := [][]byte{pcaptest.UDP(alice, bob, invite("m1")), pcaptest.UDP(bob, alice, invite("m2")), pcaptest.UDP(alice, bob, invite("m3"))}
	nanos := pcaptest.New(layers.LinkTypeEthernet)
	nanos.Time = stamp
	for _, f := range frames {
		nanos.Add(f)
	}
	cases := map[string][]byte{
		"micro":       pcapMicro(t, frames...),
		"nanos":       nanos.Bytes(),
		"big-endian":  pcapBigEndian(frames[0]),
		"truncated":   pcapMicro(t, frames...)[:len(pcapMicro(t, frames...))-30],
		"header only": pcapMicro(t)[:24],
		"cut header":  pcapMicro(t, frames...)[:24+10],
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.pcap")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			want, werr := readAll(t, data)
			r, got, gerr := readPath(t, path)
			if r == nil || r.mapped == nil {
				t.Fatalf("%s was not mapped (%v)", name, gerr)
			}
			r.Release()
			if len(got) != len(want) || errors.Is(gerr, ErrTruncated) != errors.Is(werr, ErrTruncated) || (gerr == nil) != (werr == nil) {
				t.Fatalf("mapped: %d frames, %v; streamed: %d frames, %v", len(got), gerr, len(want), werr)
			}
			for i := range want {
				g, w := got[i], want[i]
				if !g.Stable || g.Num != w.Num || !g.Time.Equal(w.Time) || g.Link != w.Link || !bytes.Equal(g.Data, w.Data) {
					t.Errorf("frame %d: mapped %v %v %v stable %v; streamed %v %v %v", i+1, g.Num, g.Time, g.Link, g.Stable, w.Num, w.Time, w.Link)
				}
			}
			if gerr != nil && !bytes.Contains([]byte(gerr.Error()), []byte("x.pcap")) {
				t.Errorf("the error does not name the file: %v", gerr)
			}
			r.Close()
		})
	}
}

// A pcap or pcapng file maps; gzip (and stdin) are streamed.
func TestOnlyPcapFilesMap(t *testing.T) {
	dir := t.TempDir()
	ngData := pcapngOf(t, pcaptest.UDP(alice, bob, invite("ng")))
	for name, c := range map[string]struct {
		data   []byte
		mapped bool
	}{
		"x.pcapng":    {ngData, true},
		"x.pcapng.gz": {gzipped(ngData), false},
		"x.pcap.gz":   {gzipped(pcapMicro(t, pcaptest.UDP(alice, bob, invite("gz")))), false},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, frames, err := readPath(t, path)
		if err != nil || len(frames) != 1 || (r.mapped != nil) != c.mapped || frames[0].Stable != c.mapped {
			t.Errorf("%s: %d frames, %v, mapped %v", name, len(frames), err, r.mapped != nil)
		}
		r.Close()
	}
}

func pcapngOf(t *testing.T, frames ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{LinkType: layers.LinkTypeEthernet, TimestampResolution: 9}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: stamp, CaptureLength: len(f), Length: len(f)}, f); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}

// FuzzMappedPcap reads any bytes as a mapped pcap would be read: no
// panic, and the frames and the stop are those of the streamed reader.
func FuzzMappedPcap(f *testing.F) {
	f.Add(pcapMicro(&testing.T{}, pcaptest.UDP(alice, bob, invite("f"))))
	f.Add(pcapBigEndian(pcaptest.UDP(alice, bob, invite("g"))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 24 || !isPcap(data) {
			return
		}
		want, werr := readAll(t, data)
		mp := &memPcap{b: data, off: 24}
		mp.order, mp.nanos = pcapOrder(data)
		n := 0
		var gerr error
		for {
			// gopacket's streamed reader scales µs in 32 bits, so a
			// corrupt count of a million µs or more wraps there, not here.
			validTime := mp.nanos || mp.off+8 > len(data) || mp.order.Uint32(data[mp.off+4:]) < 1e6
			d, ci, err := mp.next()
			if err != nil {
				if err != io.EOF {
					gerr = err
				}
				break
			}
			if n < len(want) && (!bytes.Equal(d, want[n].Data) || validTime && !ci.Timestamp.Equal(want[n].Time)) {
				t.Fatalf("frame %d differs: %v, streamed %v", n+1, ci.Timestamp, want[n].Time)
			}
			n++
		}
		// The readers word a bad record differently (gopacket may call
		// a huge length the end): when neither complains, they agree.
		if werr == nil && gerr == nil && n != len(want) {
			t.Fatalf("mapped: %d frames, %v; streamed: %d frames", n, gerr, len(want))
		}
	})
}
