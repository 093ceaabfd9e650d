package report

import (
	"net/netip"
	"testing"

	"github.com/sipdbg/sipdbg/session"
)

func TestWAVNameAndSkip(t *testing.T) {
	ap := netip.MustParseAddrPort
	for _, c := range []struct {
		st         session.Stream
		name, skip string
	}{
		{session.Stream{Seq: 4, Call: 2, Src: ap("10.0.0.1:4000"), Dst: ap("10.0.0.2:5000"), SSRC: 0x1234abcd, Codec: "PCMU/8000", Types: []session.TypeCount{{PT: 0, Packets: 3}}},
			"call3-10.0.0.1_4000-to-10.0.0.2_5000-0x1234abcd.wav", ""},
		{session.Stream{Seq: 0, Call: -1, Src: ap("[2001:db8::1]:4000"), Dst: ap("[2001:db8::2]:6000"), SSRC: 7, Codec: "PT 96", Types: []session.TypeCount{{PT: 96, Packets: 1}, {PT: 8, Packets: 9}}},
			"stream1-2001-db8--1_4000-to-2001-db8--2_6000-0x00000007.wav", ""},
		{session.Stream{Call: 0, Src: ap("10.0.0.1:4000"), Dst: ap("10.0.0.2:5000"), Codec: "opus/48000/2", Types: []session.TypeCount{{PT: 111, Packets: 3}}},
			"call1-10.0.0.1_4000-to-10.0.0.2_5000-0x00000000.wav", "opus cannot be decoded to WAV (only G.711: PCMU and PCMA)"},
		{session.Stream{Call: 0, Codec: "", Types: nil}, "call1-invalid-AddrPort-to-invalid-AddrPort-0x00000000.wav", "its codec cannot be decoded to WAV (only G.711: PCMU and PCMA)"},
	} {
		if got := WAVName(&c.st); got != c.name {
			t.Errorf("name %q, want %q", got, c.name)
		}
		if got := WAVSkip(&c.st); got != c.skip {
			t.Errorf("skip %q, want %q", got, c.skip)
		}
	}
}
