package probe

import "testing"

// Watch sees the recording grow message by message, in order, and stops
// seeing it when unset.
func TestTracerWatch(t *testing.T) {
	tr := NewTracer()
	tr.Start()
	var seen []int
	tr.Watch(func(r []Record) { seen = append(seen, len(r)) })
	req := []byte("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n\r\n")
	resp := []byte("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nCSeq: 1 OPTIONS\r\n\r\n")
	tr.SIPTraceWrite("UDP", "127.0.0.1:5070", "127.0.0.1:5060", req)
	tr.SIPTraceRead("UDP", "127.0.0.1:5070", "127.0.0.1:5060", resp)
	tr.Watch(nil)
	tr.SIPTraceRead("UDP", "127.0.0.1:5070", "127.0.0.1:5060", resp)
	if len(seen) != 2 || seen[0] != 1 || seen[1] != 2 {
		t.Fatalf("watch saw %v, want [1 2]", seen)
	}
	if got := tr.Stop(); len(got) != 3 {
		t.Fatalf("recorded %d", len(got))
	}
}
