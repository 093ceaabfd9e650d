package ws

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/siplex"
)

type segment struct {
	seq  uint32
	data []byte
}

// tcpStreams returns the payload segments of each TCP direction, keyed by
// "src>dst", in capture order.
func tcpStreams(t *testing.T, name string) map[string][]segment {
	t.Helper()
	path := filepath.Join(testenv.SharedPcaps(t), name)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("sample capture %s not present", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]segment{}
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		pkt := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		tcp, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if !ok || len(tcp.Payload) == 0 {
			continue
		}
		key := pkt.NetworkLayer().NetworkFlow().String() + ":" + tcp.TransportFlow().String()
		out[key] = append(out[key], segment{tcp.Seq, tcp.Payload})
	}
}

// TestPcapWebSocket reads the SIP-over-WebSocket sample (SIP.js client and
// an OpenSIPS WS listener): handshake, masked client frames, unmasked
// server frames, messages spanning two TCP segments.
func TestPcapWebSocket(t *testing.T) {
	streams := tcpStreams(t, "heplify__sip_tcp_websocket.pcap")
	var starts []string
	for _, key := range slices.Sorted(maps.Keys(streams)) {
		segs := streams[key]
		if ws, decided := IsHandshake(segs[0].data); !ws || !decided {
			t.Errorf("%s: IsHandshake = %v, %v", key, ws, decided)
		}
		slices.SortStableFunc(segs, func(a, b segment) int { return int(int32(a.seq - b.seq)) })
		var r Reader
		next := segs[0].seq
		for _, s := range segs {
			if s.seq != next {
				continue // retransmission
			}
			next += uint32(len(s.data))
			err := r.Feed(s.data, func(p []byte) {
				if !siplex.IsStartPrefix(p) {
					t.Errorf("%s: non-SIP message %.40q", key, p)
				}
				line, _, _ := bytes.Cut(p, []byte("\r\n"))
				starts = append(starts, string(line))
			})
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
		}
		if r.Buffered() != 0 {
			t.Errorf("%s: %d bytes left buffered", key, r.Buffered())
		}
	}
	// Server-to-client direction sorts first (10.243.0.157 < 10.243.17.55).
	want := []string{
		"SIP/2.0 407 Proxy Authentication Required",
		"SIP/2.0 100 Giving a try",
		"SIP/2.0 180 Ringing",
		"SIP/2.0 183 Session Progress",
		"SIP/2.0 200 OK",
		"SIP/2.0 200 OK",
		"INVITE sip:+12263382742@dev-mike.tncp.textnow.com SIP/2.0",
		"ACK sip:+12263382742@dev-mike.tncp.textnow.com SIP/2.0",
		"INVITE sip:+12263382742@dev-mike.tncp.textnow.com SIP/2.0",
		"ACK sip:+12263382742@10.243.0.143:5060;transport=udp SIP/2.0",
		"BYE sip:+12263382742@10.243.0.143:5060;transport=udp SIP/2.0",
	}
	if !slices.Equal(starts, want) {
		t.Errorf("start lines:\n%q\nwant:\n%q", starts, want)
	}
}
