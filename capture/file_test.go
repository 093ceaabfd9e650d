package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

var stamp = time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)

func readAll(t *testing.T, data []byte) ([]Frame, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), "test.pcap", int64(len(data)))
	if err != nil {
		return nil, err
	}
	var out []Frame
	for {
		f, err := r.Next()
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return out, err
		}
		f.Data = append([]byte(nil), f.Data...)
		out = append(out, f)
	}
}

func pcapMicro(t *testing.T, frames ...[]byte) []byte {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(65536, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	for _, f := range frames {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: stamp, CaptureLength: len(f), Length: len(f)}, f); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// pcapBigEndian writes a pcap as a big-endian host would.
func pcapBigEndian(frame []byte) []byte {
	be := binary.BigEndian
	h := make([]byte, 24)
	be.PutUint32(h[0:], 0xa1b2c3d4)
	be.PutUint16(h[4:], 2)
	be.PutUint16(h[6:], 4)
	be.PutUint32(h[16:], 65535)
	be.PutUint32(h[20:], 1)
	r := make([]byte, 16)
	be.PutUint32(r[0:], uint32(stamp.Unix()))
	be.PutUint32(r[4:], uint32(stamp.Nanosecond()/1000))
	be.PutUint32(r[8:], uint32(len(frame)))
	be.PutUint32(r[12:], uint32(len(frame)))
	return cat(h, r, frame)
}

func TestReaderFormats(t *testing.T) {
	frame := pcaptest.UDP(alice, bob, invite("fmt"))
	nanos := pcaptest.New(layers.LinkTypeEthernet)
	nanos.Time = stamp
	nanos.Add(frame)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(nanos.Bytes())
	zw.Close()
	cases := []struct {
		name string
		data []byte
		want time.Time
	}{
		{"pcap microseconds", pcapMicro(t, frame), stamp.Truncate(time.Microsecond)},
		{"pcap nanoseconds", nanos.Bytes(), stamp},
		{"pcap big-endian", pcapBigEndian(frame), stamp.Truncate(time.Microsecond)},
		{"gzip", gz.Bytes(), stamp},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			frames, err := readAll(t, c.data)
			if err != nil || len(frames) != 1 {
				t.Fatalf("%d frames, %v", len(frames), err)
			}
			f := frames[0]
			if !f.Time.Equal(c.want) || f.Link != layers.LinkTypeEthernet || !bytes.Equal(f.Data, frame) || f.Num != 1 {
				t.Errorf("frame %d at %v link %v", f.Num, f.Time, f.Link)
			}
		})
	}
}

func TestReaderPcapNGMixedLinkTypes(t *testing.T) {
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{LinkType: layers.LinkTypeEthernet, TimestampResolution: 9}, pcapgo.DefaultNgWriterOptions)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := w.AddInterface(pcapgo.NgInterface{LinkType: layers.LinkTypeRaw, TimestampResolution: 6})
	if err != nil {
		t.Fatal(err)
	}
	eth := pcaptest.UDP(alice, bob, invite("ng-eth"))
	ip := ipPacket(pcaptest.UDP(alice, bob, invite("ng-raw")))
	w.WritePacket(gopacket.CaptureInfo{Timestamp: stamp, CaptureLength: len(eth), Length: len(eth)}, eth)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: stamp, CaptureLength: len(ip), Length: len(ip), InterfaceIndex: raw}, ip)
	w.Flush()
	frames, err := readAll(t, buf.Bytes())
	if err != nil || len(frames) != 2 {
		t.Fatalf("%d frames, %v", len(frames), err)
	}
	if frames[0].Link != layers.LinkTypeEthernet || frames[1].Link != layers.LinkTypeRaw {
		t.Errorf("link types %v, %v", frames[0].Link, frames[1].Link)
	}
	c, _ := decodeFrames(t, frames[0].Link, frames[0].Data)
	c2, _ := decodeFrames(t, frames[1].Link, frames[1].Data)
	if len(c.msgs) != 1 || len(c2.msgs) != 1 {
		t.Errorf("decoded %d and %d messages", len(c.msgs), len(c2.msgs))
	}
}

func TestReaderTruncatedKeepsWhatItRead(t *testing.T) {
	data := pcapMicro(t, pcaptest.UDP(alice, bob, invite("a")), pcaptest.UDP(alice, bob, invite("b")))
	frames, err := readAll(t, data[:len(data)-20])
	if len(frames) != 1 || !errors.Is(err, ErrTruncated) {
		t.Fatalf("%d frames, error %v", len(frames), err)
	}
	if !strings.Contains(err.Error(), "test.pcap") || !strings.Contains(err.Error(), "frame 2") {
		t.Errorf("error %q does not name the file and frame", err)
	}
}

func TestReaderErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	notCapture := filepath.Join(dir, "notes.txt")
	empty := filepath.Join(dir, "empty.pcap")
	os.WriteFile(notCapture, []byte("hello, this is text"), 0o644)
	os.WriteFile(empty, nil, 0o644)
	cases := map[string]string{
		notCapture:                        "notes.txt: not a pcap, pcapng or NetMon 2 capture",
		empty:                             "empty.pcap: empty or too short",
		filepath.Join(dir, "absent.pcap"): "absent.pcap: no such file or directory",
		dir:                               "is a directory",
	}
	for path, want := range cases {
		_, err := Open(path)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("Open(%s) = %v, want one line containing %q", filepath.Base(path), err, want)
		}
	}
}

func TestReaderProgress(t *testing.T) {
	data := pcapMicro(t, pcaptest.UDP(alice, bob, invite("p")))
	r, err := NewReader(bytes.NewReader(data), "p", int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	if read, size := r.Progress(); read != int64(len(data)) || size != int64(len(data)) {
		t.Errorf("progress %d/%d, want %d", read, size, len(data))
	}
}
