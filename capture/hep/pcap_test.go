package hep

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/siplex"
)

// readUDPPayloads returns the UDP payload of every packet in a pcap or
// pcapng file.
func readUDPPayloads(t *testing.T, name string) [][]byte {
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
	var src interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var link layers.LinkType
	if strings.HasSuffix(name, ".pcapng") {
		r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatal(err)
		}
		src, link = r, r.LinkType()
	} else {
		r, err := pcapgo.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		src, link = r, r.LinkType()
	}
	var out [][]byte
	for {
		data, _, err := src.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		pkt := gopacket.NewPacket(data, link, gopacket.Default)
		if udp, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
			out = append(out, udp.Payload)
		}
	}
}

// startLine returns the first line of a payload.
func startLine(p []byte) string {
	if i := bytes.IndexAny(p, "\r\n"); i >= 0 {
		p = p[:i]
	}
	return string(p)
}

func TestPcapHEP(t *testing.T) {
	payloads := readUDPPayloads(t, "hep-wireshark__hep.pcap")
	var sip []string
	var other []uint8
	for i, b := range payloads {
		if !Is(b) {
			t.Fatalf("packet %d: Is = false", i)
		}
		p, n, err := Decode(b)
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if n != len(b) || p.Version != 3 || p.Proto != ProtoUDP || !p.Src.IsValid() || p.Time.IsZero() {
			t.Errorf("packet %d: n=%d/%d %+v", i, n, len(b), p)
		}
		if p.PayloadType == TypeSIP && siplex.IsStartPrefix(p.Payload) {
			sip = append(sip, startLine(p.Payload))
			continue
		}
		other = append(other, p.PayloadType)
		t.Logf("non-SIP chunk: payload type %d: %.40q", p.PayloadType, p.Payload)
	}
	want := []string{
		"INVITE sip:nodejs@127.0.0.1 SIP/2.0",
		"SIP/2.0 100 Trying",
		"SIP/2.0 407 Proxy Authentication Required",
		"OPTIONS sip:127.0.0.1 SIP/2.0",
		"SIP/2.0 200 Alive",
		"PUBLISH sip:nodejs@127.0.0.1:5999;transport=udp SIP/2.0",
	}
	if strings.Join(sip, "\n") != strings.Join(want, "\n") {
		t.Errorf("SIP start lines:\n%s\nwant:\n%s", strings.Join(sip, "\n"), strings.Join(want, "\n"))
	}
	if len(other) != 2 || other[0] != TypeLog || other[1] != TypeRTCP {
		t.Errorf("non-SIP payload types = %v, want [100 5] (LOG, RTCP JSON)", other)
	}
}

func TestPcapHEP3Compressed(t *testing.T) {
	payloads := readUDPPayloads(t, "hep-wireshark__hep3_compressed.pcap.pcapng")
	if len(payloads) != 21 {
		t.Errorf("HEP packets = %d, want 21", len(payloads))
	}
	seen := map[string]bool{}
	var msgs []string
	for i, b := range payloads {
		p, _, err := Decode(b)
		if err != nil {
			t.Fatalf("packet %d: %v", i, err)
		}
		if !p.Compressed || p.Proto != ProtoTCP || p.PayloadType != TypeSIP || !siplex.IsStartPrefix(p.Payload) ||
			p.AuthKey != "myHep" || p.CaptureID != 228 {
			t.Errorf("packet %d: %+v", i, p)
		}
		if !seen[string(p.Payload)] {
			seen[string(p.Payload)] = true
			msgs = append(msgs, string(p.Payload))
		}
	}
	// Each message is captured on both legs of the SBC (client side and
	// registrar side), except the final 200 OK: 7 distinct messages.
	want := []struct{ start, header string }{
		{"REGISTER sip:rcs.st SIP/2.0", `nonce=""`},
		{"REGISTER sip:rcs.st SIP/2.0", `nonce=""`},
		{"SIP/2.0 401 Unauthorized", "Www-Authenticate: Digest"},
		{"SIP/2.0 401 Unauthorized", "Www-Authenticate: Digest"},
		{"REGISTER sip:rcs.st SIP/2.0", `response="3d8abd09c6c13a7cd3e769379b5f20d4"`},
		{"REGISTER sip:rcs.st SIP/2.0", `response="3d8abd09c6c13a7cd3e769379b5f20d4"`},
		{"SIP/2.0 200 OK", "Service-Route:"},
	}
	if len(msgs) != len(want) {
		t.Fatalf("distinct SIP messages = %d, want %d", len(msgs), len(want))
	}
	for i, w := range want {
		if startLine([]byte(msgs[i])) != w.start || !strings.Contains(msgs[i], w.header) {
			t.Errorf("message %d: start %q, want %q containing %q", i, startLine([]byte(msgs[i])), w.start, w.header)
		}
	}
}
