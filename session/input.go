package session

import (
	"net/netip"
	"strconv"
	"time"
)

// The session has its own small types for what a source hands it, so
// that the model imports no source: the pipeline package converts the
// capture decoder's output into these. Each mirrors the capture type of
// the same name field for field, which lets the pipeline convert without
// copying by hand, and a field added on one side only fails to compile.

// Transport is the transport a message travelled on.
type Transport uint8

// Transports, in the order RFC 3261 §18 and RFC 7118 name them.
const (
	UDP Transport = iota + 1
	TCP
	TLS
	SCTP
	WS
	WSS
)

var transportNames = [...]string{"", "udp", "tcp", "tls", "sctp", "ws", "wss"}

func (t Transport) String() string {
	if int(t) < len(transportNames) {
		return transportNames[t]
	}
	return "unknown"
}

// Stream reports whether the transport is a byte stream, on which RFC 3261
// §18.3 requires Content-Length to frame messages.
func (t Transport) Stream() bool { return t == TCP || t == TLS }

// Input is one framed SIP message as a source found it.
type Input struct {
	Packet    int // frame number of the packet that completed the message
	Time      time.Time
	Src, Dst  netip.AddrPort
	Transport Transport
	// Data is the message exactly as it travelled. It is valid only
	// during the call that hands it over, unless Stable.
	Data []byte
	// Stable is set when Data stays valid for as long as the source is
	// open (a UDP message in a mapped capture file): it is not copied.
	Stable bool
	// HEP is set when the message arrived encapsulated in HEP; Src, Dst
	// and Time are then the inner ones the agent reported.
	HEP       bool
	CaptureID uint32
	// Truncated is set when the source holds fewer bytes than were sent.
	Truncated bool
	// SrcInferred, DstInferred and NoTime come from text traces: the
	// addresses were inferred from headers, or the trace gives no time.
	SrcInferred, DstInferred, NoTime bool
	// Fragmented: the datagram was rebuilt from IP fragments.
	Fragmented bool
}

// Undecodable is a packet, or a part of a stream, that could not be
// decoded. Reason says what failed, in words.
type Undecodable struct {
	Packet int
	Time   time.Time
	Reason string
}

// DNS is one DNS message seen on port 53 (RFC 1035 §4.1): its header and
// first question. A client that looks up its proxy before it answers a
// challenge can wait seconds on DNS; the analysis says what it waited for.
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

// TypeName names the question's type as a zone file does.
func (q *DNS) TypeName() string {
	switch q.Type {
	case 1:
		return "A"
	case 28:
		return "AAAA"
	case 33:
		return "SRV"
	case 35:
		return "NAPTR"
	}
	return "type " + strconv.Itoa(int(q.Type))
}

// DecoderStats is what the source's decoder counted.
type DecoderStats struct {
	Frames        int
	Bytes         int64
	NonSIP        int // packets with a payload that is not SIP (RTP, …)
	DNS           int // DNS messages reported
	Media         int // datagrams that may be RTP or RTCP
	Keepalives    int // CRLF keep-alives (RFC 5626 §3.5.1) and empty payloads
	Fragments     int // IP fragments that went into reassembly
	Reassembled   int // IP datagrams rebuilt from fragments
	TCPSegments   int
	TCPRetrans    int // segments whose bytes were all seen already
	TCPGaps       int // holes in a TCP stream: the stream parser restarted after each
	TCPSkipped    int64
	WSFrames      int
	HEPPackets    int
	ICMPQuoted    int // ICMP errors that quote a packet (not counted as messages)
	UnknownLinks  int
	Undecodable   int
	SIPMessages   int
	HEPNonSIP     int // HEP packets whose payload is not SIP (logs, RTCP, …)
	StreamsNotSIP int // TCP streams on which nothing looked like SIP
}
