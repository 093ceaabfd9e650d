package ws

import "encoding/binary"

// frameSpec describes one frame for the test builder.
type frameSpec struct {
	notFin  bool // FIN is set unless this is true
	op      byte
	rsv     byte // raw RSV bits (0x70 mask)
	masked  bool
	key     [4]byte
	payload string
	width   int    // length encoding: 0 minimal, 16 or 64 forces it
	rawLen  uint64 // when non-zero, written as the 64-bit length instead
}

var testKey = [4]byte{0x37, 0xfa, 0x21, 0x3d}

func build(s frameSpec) []byte {
	b0 := s.op | s.rsv
	if !s.notFin {
		b0 |= 0x80
	}
	var m byte
	if s.masked {
		m = 0x80
	}
	n := len(s.payload)
	b := []byte{b0}
	switch {
	case s.rawLen != 0 || s.width == 64 || n > 0xffff:
		b = append(b, m|127)
		l := uint64(n)
		if s.rawLen != 0 {
			l = s.rawLen
		}
		b = binary.BigEndian.AppendUint64(b, l)
	case s.width == 16 || n > 125:
		b = append(b, m|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, m|byte(n))
	}
	if !s.masked {
		return append(b, s.payload...)
	}
	b = append(b, s.key[:]...)
	for i := 0; i < n; i++ {
		b = append(b, s.payload[i]^s.key[i%4])
	}
	return b
}

func text(p string) []byte { return build(frameSpec{op: opText, payload: p}) }

func maskedText(p string) []byte {
	return build(frameSpec{op: opText, masked: true, key: testKey, payload: p})
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

const sipInvite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks\r\n" +
	"From: sip:alice@example.com;tag=asdyka899\r\n" +
	"To: sip:bob@example.com\r\n" +
	"Call-ID: asidkj3ss\r\n" +
	"CSeq: 1 INVITE\r\n" +
	"Max-Forwards: 70\r\n" +
	"Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\r\n" +
	"Content-Length: 0\r\n\r\n"

const sipOK = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"

const upgradeRequest = "GET / HTTP/1.1\r\n" +
	"Host: proxy.example.com\r\n" +
	"Upgrade: websocket\r\n" +
	"Connection: Upgrade\r\n" +
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
	"Sec-WebSocket-Protocol: sip\r\n" +
	"Sec-WebSocket-Version: 13\r\n\r\n"

const upgradeResponse = "HTTP/1.1 101 Switching Protocols\r\n" +
	"Upgrade: websocket\r\n" +
	"Connection: Upgrade\r\n" +
	"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
	"Sec-WebSocket-Protocol: sip\r\n\r\n"
