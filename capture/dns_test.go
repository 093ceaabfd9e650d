package capture

import "testing"

// A query and a response as on the wire (RFC 1035 §4.1), and what must
// not pass for one.
func TestParseDNS(t *testing.T) {
	query := []byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
		4, '_', 's', 'i', 'p', 4, '_', 'u', 'd', 'p', 3, 'S', 'I', 'P', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 33, 0, 1}
	q, ok := ParseDNS(query)
	if !ok || q.ID != 0x1234 || q.Response || q.Name != "_sip._udp.sip.example" || q.Type != 33 {
		t.Fatalf("query: %+v %v", q, ok)
	}
	resp := append([]byte{}, query...)
	resp[2], resp[3], resp[7] = 0x81, 0x83, 0 // response, NXDOMAIN
	r, ok := ParseDNS(resp)
	if !ok || !r.Response || r.RCode != 3 || r.Answers != 0 {
		t.Fatalf("response: %+v %v", r, ok)
	}
	for name, b := range map[string][]byte{
		"short":          query[:11],
		"no question":    append([]byte{0, 1, 1, 0, 0, 0}, make([]byte, 6)...),
		"label past end": append(append([]byte{}, query[:12]...), 40, 'a'),
		"pointer":        append(append([]byte{}, query[:12]...), 0xc0, 12, 0, 1),
		"no type":        append(append([]byte{}, query[:12]...), 1, 'a', 0, 0),
		"sip text":       []byte("REGISTER sip:x SIP/2.0\r\n\r\n"),
	} {
		if d, ok := ParseDNS(b); ok {
			t.Errorf("%s: parsed as %+v", name, d)
		}
	}
}

// FuzzParseDNS: no input panics, and a parsed name is short and dotted.
func FuzzParseDNS(f *testing.F) {
	f.Add([]byte{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', 'b', 'c', 0, 0, 1, 0, 1})
	f.Add([]byte("REGISTER sip:x SIP/2.0\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if q, ok := ParseDNS(b); ok && len(q.Name) > 255 {
			t.Fatalf("name of %d bytes", len(q.Name))
		}
	})
}
