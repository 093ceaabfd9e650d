package session

import (
	"testing"
	"time"
)

func filterMsg(t *testing.T, raw string) Message {
	t.Helper()
	var b Builder
	return b.Message(&Input{Packet: 1, Time: time.Unix(0, 0), Data: []byte(raw)})
}

const (
	filterInvite = "INVITE sip:bob@b.test SIP/2.0\r\nVia: SIP/2.0/UDP a.test;branch=z9hG4bK1\r\nFrom: <sip:Alice@a.test>;tag=1\r\nTo: <sip:bob@b.test>\r\nCall-ID: Call-1@a.test\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
	filterBye    = "BYE sip:alice@a.test SIP/2.0\r\nVia: SIP/2.0/UDP b.test;branch=z9hG4bK2\r\nFrom: <sip:bob@b.test>;tag=2\r\nTo: <sip:Alice@a.test>;tag=1\r\nCall-ID: Call-1@a.test\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n"
	filterOK     = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a.test;branch=z9hG4bK3\r\nFrom: <sip:x@a.test>;tag=1\r\nTo: <sip:y@b.test>;tag=2\r\nCall-ID: ping-9\r\nCSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n"
)

func TestKeeper(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Filter
		want []bool // filterInvite, filterBye (the callee's, same call), filterOK
	}{
		{"none", Filter{}, []bool{true, true, true}},
		{"no-options", Filter{NoOptions: true}, []bool{true, true, false}},
		{"method", Filter{Methods: []string{"INVITE"}}, []bool{true, true, false}},
		{"method options", Filter{Methods: []string{"REGISTER", "OPTIONS"}}, []bool{false, false, true}},
		{"from, any case", Filter{From: "ALICE"}, []bool{true, true, false}},
		{"to", Filter{To: "bob@"}, []bool{true, true, false}},
		{"call-id", Filter{CallID: "call-1"}, []bool{true, true, false}},
		{"call-id and from", Filter{CallID: "call-1", From: "bob"}, []bool{false, false, false}},
	} {
		k := NewKeeper(tc.f)
		if (k == nil) != tc.f.IsZero() {
			t.Errorf("%s: keeper %v", tc.name, k)
		}
		for i, raw := range []string{filterInvite, filterBye, filterOK} {
			m := filterMsg(t, raw)
			if got := k.Keep(&m); got != tc.want[i] {
				t.Errorf("%s: message %d kept %v, want %v", tc.name, i, got, tc.want[i])
			}
		}
	}
}

// A dropped message's bytes go back to the builder's arena.
func TestBuilderDrop(t *testing.T) {
	var b Builder
	in := Input{Packet: 1, Data: []byte(filterInvite)}
	m := b.Message(&in)
	before := len(b.arena.chunk)
	b.Drop(&m)
	if after := len(b.arena.chunk); after != before-len(filterInvite) {
		t.Errorf("arena holds %d bytes after the drop, %d before", after, before)
	}
}
