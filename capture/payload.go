package capture

import (
	"net/netip"
	"time"
)

// Transport is the transport a SIP message travelled on.
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

// Payload is one framed SIP message found in a capture.
type Payload struct {
	Packet    int // frame number of the packet that completed the message
	Time      time.Time
	Src, Dst  netip.AddrPort
	Transport Transport
	// Data is the message exactly as it travelled. It belongs to the
	// Decoder and is valid only during the Sink call, unless Stable.
	Data []byte
	// Stable is set when Data lies in a mapped capture file (a UDP
	// message as captured): it stays valid, and need not be copied.
	Stable bool
	// HEP is set when the message arrived encapsulated in HEP; Src, Dst
	// and Time are then the inner ones the agent reported.
	HEP       bool
	CaptureID uint32
	// Truncated is set when the capture holds fewer bytes than were sent
	// (snap length, or a TCP gap inside the message).
	Truncated bool
	// Meta carries the frame's gaps (text traces) to the message.
	Meta FrameMeta
	// Fragmented is set when the datagram that carried the message was
	// rebuilt from IP fragments.
	Fragmented bool
}

// Undecodable is a packet, or a part of a stream, that could not be
// decoded. Reason says what failed, in words.
type Undecodable struct {
	Packet int
	Time   time.Time
	Reason string
}

// Sink receives the decoder's output.
type Sink interface {
	Message(p *Payload)
	Undecodable(u Undecodable)
}

// Stats counts what the decoder saw.
type Stats struct {
	Frames        int
	Bytes         int64
	NonSIP        int // packets with a payload that is not SIP (RTP, …)
	DNS           int // DNS messages reported to a DNSSink
	Media         int // datagrams that may be RTP or RTCP, reported to a DatagramSink
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

// Stream reports whether the transport is a byte stream, on which RFC 3261
// §18.3 requires Content-Length to frame messages.
func (t Transport) Stream() bool { return t == TCP || t == TLS }
