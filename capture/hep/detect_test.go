package hep

import "testing"

func TestIs(t *testing.T) {
	v2 := v2Spec{ver: 2, family: 2, proto: 17, src: "10.0.0.1", dst: "10.0.0.2", payload: invite}
	bin := v2
	bin.payload = "\x80\x00\x01\x02rtp"
	tests := []struct {
		name string
		in   []byte
		want bool
	}{
		{"hep3", sipPacket(invite), true},
		{"hep3 magic only", []byte("HEP3"), true},
		{"hep3 bad length", []byte("HEP3\x00\x01"), false},
		{"v2 sip", hep2(v2), true},
		{"v2 binary payload", hep2(bin), false},
		{"v2 header only", hep2(v2)[:28], false},
		{"sip", []byte(invite), false},
		{"http", []byte("GET / HTTP/1.1\r\n\r\n"), false},
		{"empty", nil, false},
		{"one", []byte{1}, false},
	}
	for _, tt := range tests {
		if got := Is(tt.in); got != tt.want {
			t.Errorf("%s: Is = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNeed(t *testing.T) {
	pkt := sipPacket(invite)
	tests := []struct {
		name string
		in   []byte
		want int
	}{
		{"empty", nil, 0},
		{"partial magic", []byte("HE"), 0},
		{"magic", []byte("HEP3\x01"), 0},
		{"header", pkt[:6], len(pkt)},
		{"whole", pkt, len(pkt)},
		{"bad length", []byte("HEP3\x00\x02"), -1},
		{"not hep", []byte("HTTP"), -1},
		{"v2 has no length", hep2(v2Spec{ver: 2, family: 2, proto: 17, src: "1.1.1.1", dst: "2.2.2.2"}), -1},
	}
	for _, tt := range tests {
		if got := Need(tt.in); got != tt.want {
			t.Errorf("%s: Need = %d, want %d", tt.name, got, tt.want)
		}
	}
}
