package capture

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
)

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// TestLinkTypes decodes the same SIP datagram under every link layer and
// encapsulation the decoder supports.
func TestLinkTypes(t *testing.T) {
	ipv4 := ipPacket(pcaptest.UDP(alice, bob, invite("link")))
	ipv6 := ipPacket(pcaptest.UDP(pcaptest.Addr("[2001:db8::1]:5060"), pcaptest.Addr("[2001:db8::2]:5060"), invite("link6")))
	macs := make([]byte, 12)
	ethHdr := func(et uint16) []byte { return cat(macs, be16(et)) }
	outerIP := func(proto byte, inner []byte) []byte {
		h := make([]byte, 20)
		h[0], h[9] = 0x45, proto
		binary.BigEndian.PutUint16(h[2:], uint16(20+len(inner)))
		copy(h[12:], []byte{192, 0, 2, 1, 192, 0, 2, 2})
		return cat(h, inner)
	}
	sll := cat(be16(0), be16(1), be16(6), make([]byte, 8), be16(0x0800))
	sll2 := cat(be16(0x0800), be16(0), make([]byte, 4), be16(1), []byte{0, 6}, make([]byte, 8))
	cases := []struct {
		name  string
		link  layers.LinkType
		frame []byte
	}{
		{"ethernet", layers.LinkTypeEthernet, cat(ethHdr(0x0800), ipv4)},
		{"ethernet ipv6", layers.LinkTypeEthernet, cat(ethHdr(0x86dd), ipv6)},
		{"802.1Q", layers.LinkTypeEthernet, cat(ethHdr(0x8100), be16(100), be16(0x0800), ipv4)},
		{"QinQ", layers.LinkTypeEthernet, cat(ethHdr(0x88a8), be16(10), be16(0x8100), be16(20), be16(0x0800), ipv4)},
		{"linux sll", layers.LinkTypeLinuxSLL, cat(sll, ipv4)},
		{"linux sll2", layers.LinkTypeLinuxSLL2, cat(sll2, ipv4)},
		{"raw", layers.LinkTypeRaw, ipv4},
		{"raw ipv6", layers.LinkTypeRaw, ipv6},
		{"null little-endian", layers.LinkTypeNull, cat([]byte{2, 0, 0, 0}, ipv4)},
		{"null big-endian ipv6", layers.LinkTypeNull, cat([]byte{0, 0, 0, 30}, ipv6)},
		{"pppoe", layers.LinkTypeEthernet, cat(ethHdr(0x8864), []byte{0x11, 0, 0, 1}, be16(uint16(len(ipv4)+2)), be16(0x0021), ipv4)},
		{"gre", layers.LinkTypeEthernet, cat(ethHdr(0x0800), outerIP(47, cat(be16(0), be16(0x0800), ipv4)))},
		{"gre key+seq", layers.LinkTypeEthernet, cat(ethHdr(0x0800), outerIP(47, cat(be16(0x3000), be16(0x0800), make([]byte, 8), ipv4)))},
		{"erspan II", layers.LinkTypeEthernet, cat(ethHdr(0x0800), outerIP(47, cat(be16(0x1000), be16(0x88be), make([]byte, 4), make([]byte, 8), ethHdr(0x0800), ipv4)))},
		{"erspan III", layers.LinkTypeEthernet, cat(ethHdr(0x0800), outerIP(47, cat(be16(0x1000), be16(0x22eb), make([]byte, 4), make([]byte, 12), ethHdr(0x0800), ipv4)))},
		{"ip-in-ip", layers.LinkTypeEthernet, cat(ethHdr(0x0800), outerIP(4, ipv4))},
		{"ipv6-in-ip", layers.LinkTypeEthernet, cat(ethHdr(0x0800), outerIP(41, ipv6))},
		{"mpls", layers.LinkTypeEthernet, cat(ethHdr(0x8847), []byte{0, 1, 0, 64}, []byte{0, 2, 1, 64}, ipv4)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := decodeFrames(t, c.link, c.frame)
			if len(got.msgs) != 1 || len(got.bad) != 0 {
				t.Fatalf("got %d messages, %v undecodable; want 1 message", len(got.msgs), got.bad)
			}
			m := got.msgs[0]
			if !strings.HasPrefix(string(m.Data), "INVITE sip:bob@example.com SIP/2.0\r\n") || m.Transport != UDP {
				t.Errorf("message %q over %v", m.Data[:20], m.Transport)
			}
			if m.Src.Port() != 5060 || !m.Src.Addr().IsValid() {
				t.Errorf("source %v", m.Src)
			}
		})
	}
}

func TestUnsupportedLinkIsRecorded(t *testing.T) {
	got, st := decodeFrames(t, layers.LinkType(147), []byte("whatever"))
	if len(got.bad) != 1 || !strings.Contains(got.bad[0].Reason, "unsupported link type 147") || got.bad[0].Packet != 1 {
		t.Fatalf("undecodable = %+v", got.bad)
	}
	if st.UnknownLinks != 1 {
		t.Errorf("UnknownLinks = %d", st.UnknownLinks)
	}
}

func TestMalformedHeadersAreRecorded(t *testing.T) {
	frame := pcaptest.UDP(alice, bob, invite("bad"))
	cases := map[string][]byte{
		"IPv4 header truncated":     frame[:14+10],
		"UDP header truncated":      frame[:14+20+4],
		"IPv4 header length":        cat(frame[:14], []byte{0x41}, frame[15:]),
		"Ethernet header truncated": frame[:6],
	}
	for want, f := range cases {
		got, _ := decodeFrames(t, layers.LinkTypeEthernet, f)
		if len(got.msgs) != 0 || len(got.bad) != 1 || !strings.Contains(got.bad[0].Reason, want) {
			t.Errorf("%s: messages %d, undecodable %+v", want, len(got.msgs), got.bad)
		}
	}
}

func TestSnapLengthCutMessageIsKeptAndMarked(t *testing.T) {
	frame := pcaptest.UDP(alice, bob, invite("cut"))
	got, _ := decodeFrames(t, layers.LinkTypeEthernet, frame[:len(frame)-3])
	if len(got.msgs) != 1 || !got.msgs[0].Truncated {
		t.Fatalf("got %+v", got.msgs)
	}
}

func TestNonSIPOnSIPPortIsRecordedButRTPIsNot(t *testing.T) {
	rtp := pcaptest.UDP(pcaptest.Addr("10.0.0.1:40000"), pcaptest.Addr("10.0.0.2:40002"), []byte{0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	text := pcaptest.UDP(alice, bob, []byte("HELLO THIS IS NOT SIP\r\n"))
	keepalive := pcaptest.UDP(alice, bob, []byte("\r\n\r\n"))
	got, st := decodeFrames(t, layers.LinkTypeEthernet, rtp, text, keepalive)
	if len(got.msgs) != 0 || len(got.bad) != 1 || got.bad[0].Packet != 2 {
		t.Fatalf("messages %d, undecodable %+v", len(got.msgs), got.bad)
	}
	if st.NonSIP != 2 || st.Keepalives != 1 {
		t.Errorf("NonSIP %d Keepalives %d", st.NonSIP, st.Keepalives)
	}
}

// A UA on the VXLAN or GTP-U port is still SIP: found by the generator,
// whose UAs' NAT ports land on 4789 (INVITE's 'I' has the VXLAN I bit).
func TestSIPOnTunnelPorts(t *testing.T) {
	for _, port := range []string{"4789", "2152"} {
		ua := pcaptest.Addr("10.0.0.7:" + port)
		frames := [][]byte{pcaptest.UDP(ua, bob, invite("vx"+port)), pcaptest.UDP(bob, ua, pcaptest.Response(200, "OK", "OPTIONS", "o", "b", 1, "t"))}
		got, _ := decodeFrames(t, layers.LinkTypeEthernet, frames...)
		if len(got.msgs) != 2 {
			t.Errorf("port %s: %d messages, undecodable %+v", port, len(got.msgs), got.bad)
		}
	}
}
