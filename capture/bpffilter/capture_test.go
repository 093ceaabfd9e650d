package bpffilter

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// capture is a capture file read into memory.
type capture struct {
	name     string
	path     string
	linkType layers.LinkType
	packets  [][]byte
}

// packetSource is what pcapgo's pcap and pcapng readers have in common.
type packetSource interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

// openPackets opens pcap or pcapng data, telling them apart by the magic
// number (pcapng's Section Header Block type is 0x0A0D0D0A).
func openPackets(data []byte) (packetSource, error) {
	if len(data) >= 4 && bytes.Equal(data[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		return pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
	}
	return pcapgo.NewReader(bytes.NewReader(data))
}

// readPackets returns every packet of a capture held in data.
func readPackets(data []byte) (layers.LinkType, [][]byte, error) {
	src, err := openPackets(data)
	if err != nil {
		return 0, nil, err
	}
	var pkts [][]byte
	for {
		pkt, _, err := src.ReadPacketData()
		if errors.Is(err, io.EOF) {
			return src.LinkType(), pkts, nil
		}
		if err != nil {
			return src.LinkType(), pkts, err
		}
		pkts = append(pkts, append([]byte(nil), pkt...))
	}
}

// loadCaptures reads every capture in dir whose link type Compile
// supports; the others are logged and left out.
func loadCaptures(t *testing.T, dir string) []capture {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var caps []capture
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lt, pkts, err := readPackets(data)
		if err != nil {
			if len(pkts) == 0 {
				continue // not a capture (INDEX.md, JSON)
			}
			t.Logf("%s: read %d packets, then: %v", e.Name(), len(pkts), err)
		}
		if _, ok := linkFor(lt); !ok {
			t.Logf("%s: link type %v is not supported; not compared", e.Name(), lt)
			continue
		}
		caps = append(caps, capture{name: e.Name(), path: path, linkType: lt, packets: pkts})
	}
	sort.Slice(caps, func(i, j int) bool { return caps[i].name < caps[j].name })
	return caps
}

// writeCapture writes packets as a pcap file in dir and returns the capture.
func writeCapture(t *testing.T, dir, name string, lt layers.LinkType, pkts [][]byte) capture {
	t.Helper()
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	if err := w.WriteFileHeader(262144, lt); err != nil {
		t.Fatal(err)
	}
	for i, p := range pkts {
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(int64(i), 0), CaptureLength: len(p), Length: len(p)}
		if err := w.WritePacket(ci, p); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return capture{name: name, path: path, linkType: lt, packets: pkts}
}
