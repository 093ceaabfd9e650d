package ws

import "encoding/binary"

// Opcodes, RFC 6455 §5.2. 0x3-0x7 and 0xB-0xF are reserved.
const (
	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)

// maxControl is the largest control frame payload, RFC 6455 §5.5.
const maxControl = 125

// header is a parsed frame header, RFC 6455 §5.2.
type header struct {
	fin    bool
	op     byte
	masked bool
	key    [4]byte
	hlen   int // header length including extended length and mask key
}

// parseHeader reads the frame header at the start of p. It returns the
// number of bytes the frame needs: when that is more than len(p) and
// len(p) < h.hlen, only the header is known to be incomplete and the
// caller must call again with more bytes to learn the full size; once the
// header is complete it is hlen plus the payload length. Errors are
// reported as soon as the bytes that show them are present, so a stream
// fed byte by byte fails at the same point as one fed whole.
func parseHeader(p []byte) (header, int, error) {
	var h header
	if len(p) == 0 {
		return h, 2, nil
	}
	if err := checkFirstByte(p[0]); err != nil {
		return h, 0, err
	}
	h.fin, h.op = p[0]&0x80 != 0, p[0]&0x0f
	if len(p) < 2 {
		return h, 2, nil
	}
	h.masked = p[1]&0x80 != 0
	n7 := int(p[1] & 0x7f)
	if h.op >= opClose && n7 > maxControl {
		return h, 0, &Error{Kind: ErrProtocol, code: codeControlLen, Op: h.op, Len: uint64(n7)}
	}
	h.hlen = 2
	switch n7 {
	case 126:
		h.hlen += 2
	case 127:
		h.hlen += 8
	}
	if h.masked {
		h.hlen += 4
	}
	if len(p) < h.hlen {
		return h, h.hlen, nil
	}
	plen, err := payloadLen(p, n7)
	if err != nil {
		return h, 0, err
	}
	if h.masked {
		copy(h.key[:], p[h.hlen-4:h.hlen])
	}
	return h, h.hlen + plen, nil
}

// checkFirstByte validates FIN/RSV/opcode (RFC 6455 §5.2, §5.5).
func checkFirstByte(b byte) error {
	if rsv := b & 0x70; rsv != 0 {
		// RSV bits need a negotiated extension; the one seen in practice
		// is permessage-deflate (RFC 7692), which this reader cannot
		// inflate without the handshake's parameters.
		return &Error{Kind: ErrProtocol, code: codeRSV, Op: b & 0x0f, Len: uint64(rsv)}
	}
	op := b & 0x0f
	switch op {
	case opCont, opText, opBinary:
		return nil
	case opClose, opPing, opPong:
		if b&0x80 == 0 {
			return &Error{Kind: ErrProtocol, code: codeControlFrag, Op: op}
		}
		return nil
	}
	return &Error{Kind: ErrProtocol, code: codeReservedOp, Op: op}
}

// payloadLen decodes the 7-bit, 16-bit or 64-bit payload length
// (RFC 6455 §5.2); p holds the whole header.
func payloadLen(p []byte, n7 int) (int, error) {
	switch n7 {
	case 126:
		return int(binary.BigEndian.Uint16(p[2:])), nil
	case 127:
		v := binary.BigEndian.Uint64(p[2:])
		if v>>63 != 0 {
			return 0, &Error{Kind: ErrProtocol, code: codeLen64, Len: v}
		}
		if v > MaxMessage {
			return 0, &Error{Kind: ErrTooLarge, code: codeTooLarge, Len: v}
		}
		return int(v), nil
	}
	return n7, nil
}

// unmask XORs src with the masking key into dst (RFC 6455 §5.3); dst may
// be src. It works eight bytes at a time: the key repeats every four
// bytes, so two copies of it make a 64-bit mask.
func unmask(dst, src []byte, key [4]byte) {
	k := uint64(binary.LittleEndian.Uint32(key[:]))
	k |= k << 32
	dst = dst[:len(src)]
	i := 0
	for ; i+8 <= len(src); i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(src[i:])^k)
	}
	for ; i < len(src); i++ {
		dst[i] = src[i] ^ key[i&3]
	}
}
