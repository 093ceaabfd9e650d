package capture

import (
	"encoding/binary"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// A client that looks up its proxy before it answers a challenge can
// wait seconds on DNS (an SRV query retried for _sip._udp of the
// domain), and by then the server's nonce has changed. The DNS packets
// are in the capture: the decoder reports each query and response to a
// sink that wants them (DNSSink), so that the analysis can say what the
// client waited for.

// DNS is one DNS message seen on port 53 (RFC 1035 §4.1): its header and
// first question.
type DNS struct {
	Packet   int
	Time     time.Time
	Src, Dst netip.AddrPort
	ID       uint16
	Response bool
	RCode    uint8  // response code: 0 no error, 2 server failure, 3 no such name
	Answers  uint16 // answer records in a response
	Name     string // the first question's name, dotted, lower case
	Type     uint16 // its type: 1 A, 28 AAAA, 33 SRV, 35 NAPTR
}

// DNSSink is a Sink that also takes the DNS messages of the capture.
type DNSSink interface {
	DNS(q DNS)
}

const portDNS = 53 // RFC 1035 §4.2.1

// dns reports the DNS message pl if it is one and the sink wants it.
func (d *Decoder) dns(src, dst netip.AddrPort, pl []byte) bool {
	ds, ok := d.sink.(DNSSink)
	if !ok || (src.Port() != portDNS && dst.Port() != portDNS) {
		return false
	}
	q, ok := ParseDNS(pl)
	if !ok {
		return false
	}
	d.stats.DNS++
	q.Packet, q.Time, q.Src, q.Dst = d.frame.Num, d.frame.Time, src, dst
	ds.DNS(q)
	return true
}

// ParseDNS reads the header and first question of a DNS message (RFC
// 1035 §4.1.1, §4.1.2), with the parser the probe's resolver uses
// (golang.org/x/net/dns/dnsmessage). It reports false for anything that
// is not a standard query or its response with a question.
func ParseDNS(b []byte) (DNS, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil || h.OpCode != 0 {
		return DNS{}, false
	}
	q, err := p.Question()
	if err != nil {
		return DNS{}, false
	}
	answers := 0
	if len(b) >= 8 {
		answers = int(binary.BigEndian.Uint16(b[6:8])) // the count as sent, whatever follows
	}
	name := strings.ToLower(strings.TrimSuffix(q.Name.String(), "."))
	if len(name) > 253 { // RFC 1035 §3.1: 255 octets on the wire, 253 as text
		return DNS{}, false
	}
	return DNS{ID: h.ID, Response: h.Response, RCode: uint8(h.RCode), Answers: uint16(answers), Name: name, Type: uint16(q.Type)}, true
}
