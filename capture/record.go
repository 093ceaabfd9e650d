package capture

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/capture/hep"
	"github.com/sipdbg/sipdbg/capture/synth"
)

// Record passes a source's frames through, writing each to a pcapng file
// as it goes, so that nothing seen live is lost when the interface is
// closed. With limit > 0 the file rotates at that size: path, then
// path.1, path.2 … (before the extension).
func Record(src Source, path string, limit int64) (Source, error) {
	r := &recorder{Source: src, path: path, limit: limit}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

type recorder struct {
	Source
	path    string
	limit   int64
	part    int
	f       *os.File
	buf     *bufio.Writer
	w       *pcapgo.NgWriter
	ifaces  map[layers.LinkType]int
	written int64
	// Close comes from another goroutine (a signal, --duration) while
	// Next writes: mu orders them, and once closed Next ends the source
	// so that the session holds exactly what the file holds.
	mu     sync.Mutex
	closed bool
}

func (r *recorder) name() string {
	if r.part == 0 {
		return r.path
	}
	if i := strings.LastIndexByte(r.path, '.'); i > 0 {
		return fmt.Sprintf("%s.%d%s", r.path[:i], r.part, r.path[i:])
	}
	return fmt.Sprintf("%s.%d", r.path, r.part)
}

func (r *recorder) open() error {
	// Owner only: a capture holds digests an offline attack can use.
	f, err := os.OpenFile(r.name(), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("--write: %w", err)
	}
	r.f, r.buf, r.written = f, bufio.NewWriter(f), 0
	r.w, err = pcapgo.NewNgWriterInterface(r.buf, pcapgo.NgInterface{LinkType: layers.LinkTypeRaw, TimestampResolution: 9}, pcapgo.DefaultNgWriterOptions)
	r.ifaces = map[layers.LinkType]int{layers.LinkTypeRaw: 0}
	return err
}

// Next writes each frame before handing it on.
func (r *recorder) Next() (Frame, error) {
	f, err := r.Source.Next()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return Frame{}, io.EOF
	}
	if err != nil {
		if err != ErrIdle {
			r.finish()
		} else {
			r.w.Flush()
		}
		return f, err
	}
	link := f.Link
	switch link {
	case LinkTypeHEP:
		link = layers.LinkTypeRaw // written as what it arrived in: UDP to the HEP port
	case LinkTypeSIP:
		link = layers.LinkTypeEthernet // a made-up packet around the message (synth)
	}
	id, ok := r.ifaces[link]
	if !ok {
		if id, err = r.w.AddInterface(pcapgo.NgInterface{LinkType: link, TimestampResolution: 9}); err != nil {
			return f, fmt.Errorf("--write: %w", err)
		}
		r.ifaces[link] = id
	}
	data := f.Data
	switch f.Link {
	case LinkTypeHEP:
		// Without the agents' password (HEP3 chunk 14): the file keeps
		// what was captured, not the key that let it in.
		data = hepAsUDP(hep.StripAuthKey(f.Data))
	case LinkTypeSIP:
		data = sipAsPacket(f)
	}
	ci := gopacket.CaptureInfo{Timestamp: f.Time, CaptureLength: len(data), Length: len(data), InterfaceIndex: id}
	if err := r.w.WritePacket(ci, data); err != nil {
		return f, fmt.Errorf("--write: %w", err)
	}
	r.written += int64(len(data)) + 32
	if r.limit > 0 && r.written >= r.limit {
		r.finish()
		r.part++
		if err := r.open(); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (r *recorder) finish() {
	if r.f != nil {
		r.w.Flush()
		r.buf.Flush()
		r.f.Close()
		r.f = nil
	}
}

// Refused passes on the recorded source's count.
func (r *recorder) Refused() uint64 { return Refused(r.Source) }

func (r *recorder) RingBytes() int64 { return Rings(r.Source) }

// Drops passes on the recorded source's count.
func (r *recorder) Drops() uint64 {
	n, _ := Drops(r.Source)
	return n
}

func (r *recorder) Close() error {
	r.mu.Lock()
	r.closed = true
	r.finish()
	r.mu.Unlock()
	return r.Source.Close()
}

// hepAsUDP wraps a HEP packet in an IPv4/UDP header (127.0.0.1 → port
// 9060) so that the file opens in any tool.
func hepAsUDP(p []byte) []byte {
	ip := make([]byte, 28, 28+len(p))
	ip[0], ip[8], ip[9] = 0x45, 64, 17
	total := 28 + len(p)
	ip[2], ip[3] = byte(total>>8), byte(total)
	copy(ip[12:16], []byte{127, 0, 0, 1})
	copy(ip[16:20], []byte{127, 0, 0, 1})
	ip[20], ip[21] = 9060>>8, 9060&0xff
	ip[22], ip[23] = 9060>>8, 9060&0xff
	ulen := 8 + len(p)
	ip[24], ip[25] = byte(ulen>>8), byte(ulen)
	sum := uint32(0) // IPv4 header checksum (RFC 791); UDP's may be 0 (RFC 768)
	for i := 0; i < 20; i += 2 {
		sum += uint32(ip[i])<<8 | uint32(ip[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	ip[10], ip[11] = byte(^sum>>8), byte(^sum)
	return append(ip, p...)
}

// sipAsPacket wraps the message of a LinkTypeSIP frame in a made-up
// Ethernet/IP/UDP packet, so that other tools read the file. (Record
// wraps live and HEP sources today, which make no such frames; this
// keeps a file readable should a text trace ever be recorded.)
func sipAsPacket(f Frame) []byte {
	if f.SIP == nil {
		return nil
	}
	return synth.UDP(f.SIP.Src, f.SIP.Dst, f.Data)
}
