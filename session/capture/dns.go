package capture

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
	"time"
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
// 1035 §4.1.1, §4.1.2). It reports false for anything that is not one.
func ParseDNS(b []byte) (DNS, bool) {
	if len(b) < 12 {
		return DNS{}, false
	}
	flags := binary.BigEndian.Uint16(b[2:4])
	q := DNS{ID: binary.BigEndian.Uint16(b[0:2]), Response: flags&0x8000 != 0, RCode: uint8(flags & 0xf),
		Answers: binary.BigEndian.Uint16(b[6:8])}
	if flags>>11&0xf != 0 || binary.BigEndian.Uint16(b[4:6]) == 0 {
		return DNS{}, false // not a standard query, or no question
	}
	var name strings.Builder
	i := 12
	for {
		if i >= len(b) {
			return DNS{}, false
		}
		n := int(b[i])
		if n == 0 {
			i++
			break
		}
		if n > 63 || i+1+n > len(b) || name.Len()+n+1 > 255 {
			return DNS{}, false // a pointer (RFC 1035 §4.1.4) has no place in a question; too long a name
		}
		if name.Len() > 0 {
			name.WriteByte('.')
		}
		name.WriteString(strings.ToLower(string(b[i+1 : i+1+n])))
		i += 1 + n
	}
	if i+2 > len(b) {
		return DNS{}, false
	}
	q.Name, q.Type = name.String(), binary.BigEndian.Uint16(b[i:i+2])
	return q, true
}

// DNSType names the record types a SIP client asks for (RFC 3263).
func DNSType(t uint16) string {
	switch t {
	case 1:
		return "A"
	case 28:
		return "AAAA"
	case 33:
		return "SRV"
	case 35:
		return "NAPTR"
	}
	return "type " + strconv.Itoa(int(t))
}
