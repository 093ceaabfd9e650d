package media

import (
	"testing"

	"github.com/pion/rtp"
)

func rtpBytes(t testing.TB, h rtp.Header, payload []byte, pad byte) []byte {
	if pad > 0 {
		h.Padding = true
		h.PaddingSize = pad
	}
	p := rtp.Packet{Header: h, Payload: payload, PaddingSize: pad}
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRTP(t *testing.T) {
	h := rtp.Header{Version: 2, PayloadType: 0, SequenceNumber: 7, Timestamp: 160, SSRC: 9, Marker: true}
	ext := h
	ext.Extension, ext.ExtensionProfile = true, 0xBEDE
	_ = ext.SetExtension(1, []byte{0xaa})
	csrc := h
	csrc.CSRC = []uint32{1, 2}
	event := h
	event.PayloadType = 101
	tests := []struct {
		name string
		b    []byte
		ok   bool
		size int
		head [4]byte
	}{
		{"plain", rtpBytes(t, h, []byte{1, 2, 3, 4, 5}, 0), true, 5, [4]byte{1, 2, 3, 4}},
		{"padding", rtpBytes(t, h, []byte{1, 2}, 4), true, 2, [4]byte{1, 2}},
		{"extension", rtpBytes(t, ext, []byte{7, 7, 7, 7}, 0), true, 4, [4]byte{7, 7, 7, 7}},
		{"csrc", rtpBytes(t, csrc, []byte{8}, 0), true, 1, [4]byte{8}},
		{"event", rtpBytes(t, event, []byte{5, 0x8a, 3, 0x20}, 0), true, 4, [4]byte{5, 0x8a, 3, 0x20}},
		{"header only", rtpBytes(t, h, nil, 0), true, 0, [4]byte{}},
		{"short", []byte{0x80, 0, 0, 1}, false, 0, [4]byte{}},
		{"version 1", []byte{0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}, false, 0, [4]byte{}},
		{"RTCP SR (PT 72)", []byte{0x80, 0xc8, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0}, false, 0, [4]byte{}},
		{"csrc past the end", []byte{0x8f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1}, false, 0, [4]byte{}},
		{"padding past the payload", []byte{0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9}, false, 0, [4]byte{}},
		{"zero padding count", []byte{0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, false, 0, [4]byte{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := ParseRTP(tt.b)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			if ok && (p.Size != tt.size || p.Head != tt.head || p.SSRC != 9 || p.Seq != 7 || p.TS != 160 || !p.Marker) {
				t.Errorf("%+v", p)
			}
		})
	}
}

func TestIsRTCP(t *testing.T) {
	for b, want := range map[string]bool{
		"\x80\xc8\x00\x06\x00\x00\x00\x01": true,
		"\x81\xcf\x00\x06\x00\x00\x00\x01": true,
		"\x80\x00\x00\x06\x00\x00\x00\x01": false,
		"\x80\xc8\x00":                     false,
	} {
		if IsRTCP([]byte(b)) != want {
			t.Errorf("IsRTCP(%q) != %v", b, want)
		}
	}
}

func FuzzParseRTP(f *testing.F) {
	f.Add(rtpBytes(f, rtp.Header{Version: 2, SequenceNumber: 1, SSRC: 2}, []byte{1, 2, 3, 4}, 0))
	f.Add(rtpBytes(f, rtp.Header{Version: 2, PayloadType: 101, CSRC: []uint32{3}}, []byte{5, 0x80, 0, 160}, 2))
	f.Add([]byte{0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok := ParseRTP(b)
		if !ok {
			return
		}
		if p.Size < 0 || p.Size > len(b)-12 {
			t.Fatalf("size %d of %d bytes", p.Size, len(b))
		}
		// The fixed header read in place agrees with pion's reading.
		var h rtp.Header
		if n, err := h.Unmarshal(b); b[0]&0x3f == 0 && (err != nil || n != 12 || h.SSRC != p.SSRC || h.Timestamp != p.TS ||
			h.SequenceNumber != p.Seq || h.PayloadType != p.PT || h.Marker != p.Marker) {
			t.Fatalf("in place %+v, pion %+v (%d, %v)", p, h, n, err)
		}
		s := NewStats(8000)
		s.SetEventPT(p.PT, 8000)
		s.Add(p)
		s.Add(p)
		if sm := s.Summary(); sm.Packets != 2 || sm.Duplicates != 1 {
			t.Fatalf("%+v", sm)
		}
	})
}
