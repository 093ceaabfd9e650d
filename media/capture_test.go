package media

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

var rtpmapRE = regexp.MustCompile(`a=rtpmap: *(\d+) +([^\r\n]+)`)

// frame is one UDP datagram of a capture, wherever it was tunnelled.
type frame struct {
	at       time.Time
	src, dst string
	payload  []byte
}

// feed reads the capture, learns the rtpmaps of its SDP bodies and
// runs one Stats per tshark stream over the stream's packets.
func feed(file string, streams []*tsStream) error {
	frames, maps, err := readCapture(file)
	if err != nil {
		return err
	}
	byKey := map[string]*tsStream{}
	for _, s := range streams {
		byKey[s.key()] = s
		s.stats = NewStats(0)
		for pt, m := range maps {
			switch {
			case IsTelephoneEvent(m):
				s.stats.SetEventPT(pt, ClockRate(pt, m))
			default:
				s.stats.SetClock(pt, ClockRate(pt, m))
			}
		}
	}
	for _, fr := range frames {
		if IsRTCP(fr.payload) {
			continue
		}
		p, ok := ParseRTP(fr.payload)
		if !ok {
			continue
		}
		if s := byKey[fr.src+" "+fr.dst+" "+strconv.Itoa(int(p.SSRC))]; s != nil {
			p.Time = fr.at
			s.stats.Add(p)
			s.packets = append(s.packets, p)
		}
	}
	return nil
}

// readCapture returns the UDP datagrams of a pcap or pcapng file
// (gzipped or not) and the rtpmap lines found anywhere in its frames.
func readCapture(file string) ([]frame, map[uint8]string, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, nil, err
		}
	}
	next, err := packetReader(raw)
	if err != nil {
		return nil, nil, err
	}
	var frames []frame
	maps := map[uint8]string{}
	for {
		data, ci, lt, err := next()
		if err != nil {
			break
		}
		for _, m := range rtpmapRE.FindAllSubmatch(data, -1) {
			if pt, err := strconv.Atoi(string(m[1])); err == nil && pt < 128 {
				if _, seen := maps[uint8(pt)]; !seen {
					maps[uint8(pt)] = strings.TrimSpace(string(m[2]))
				}
			}
		}
		if fr, ok := udpOf(data, lt); ok {
			fr.at = ci.Timestamp
			frames = append(frames, fr)
		}
	}
	return frames, maps, nil
}

type nextFunc func() ([]byte, gopacket.CaptureInfo, layers.LinkType, error)

func packetReader(raw []byte) (nextFunc, error) {
	if len(raw) >= 4 && bytes.Equal(raw[:4], []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return nil, err
		}
		return func() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
			data, ci, err := r.ReadPacketData()
			lt := r.LinkType()
			if err == nil {
				if intf, ierr := r.Interface(ci.InterfaceIndex); ierr == nil {
					lt = intf.LinkType
				}
			}
			return data, ci, lt, err
		}, nil
	}
	r, err := pcapgo.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return func() ([]byte, gopacket.CaptureInfo, layers.LinkType, error) {
		data, ci, err := r.ReadPacketData()
		return data, ci, r.LinkType(), err
	}, nil
}

// udpOf finds the innermost UDP datagram of a frame and the IP header
// before it (GTP-U and IP-in-IP tunnels are decoded by gopacket).
func udpOf(data []byte, lt layers.LinkType) (frame, bool) {
	var dec gopacket.Decoder = lt
	if lt == layers.LinkTypeRaw || lt == 228 /* DLT_IPV4 */ {
		if len(data) > 0 && data[0]>>4 == 6 {
			dec = layers.LayerTypeIPv6
		} else {
			dec = layers.LayerTypeIPv4
		}
	}
	pkt := gopacket.NewPacket(data, dec, gopacket.NoCopy)
	var src, dst string
	var fr frame
	found := false
	for _, l := range pkt.Layers() {
		switch l := l.(type) {
		case *layers.IPv4:
			src, dst = l.SrcIP.String(), l.DstIP.String()
		case *layers.IPv6:
			src, dst = l.SrcIP.String(), l.DstIP.String()
		case *layers.UDP:
			fr = frame{
				src:     fmt.Sprintf("%s %d", src, l.SrcPort),
				dst:     fmt.Sprintf("%s %d", dst, l.DstPort),
				payload: l.Payload,
			}
			found = true
		}
	}
	return fr, found
}
