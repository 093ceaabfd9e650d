package ws

import (
	"errors"
	"strconv"
)

// Error kinds; every error Feed returns is an *Error whose Kind is one of
// these, so callers can use errors.Is.
var (
	// ErrProtocol: the bytes break RFC 6455 framing (or the handshake
	// header block never ends).
	ErrProtocol = errors.New("websocket protocol error")
	// ErrTooLarge: a message exceeds MaxMessage.
	ErrTooLarge = errors.New("websocket message too large")
)

type errCode uint8

const (
	codeRSV errCode = iota
	codeReservedOp
	codeControlFrag
	codeControlLen
	codeLen64
	codeTooLarge
	codeContNoStart
	codeNewInFrag
	codeHTTPTooLong
)

// Error describes a framing error. The message is built only when Error
// is called.
type Error struct {
	Kind error  // ErrProtocol or ErrTooLarge
	Op   byte   // opcode of the offending frame
	Len  uint64 // offending length or bits
	code errCode
}

func (e *Error) Unwrap() error { return e.Kind }

func (e *Error) Error() string {
	op := "opcode 0x" + strconv.FormatUint(uint64(e.Op), 16)
	n := strconv.FormatUint(e.Len, 10)
	switch e.code {
	case codeRSV:
		return "ws: RSV bits 0x" + strconv.FormatUint(e.Len, 16) + " set on " + op +
			" frame without a negotiated extension (RFC 6455 §5.2; permessage-deflate is not supported)"
	case codeReservedOp:
		return "ws: reserved " + op + " (RFC 6455 §5.2)"
	case codeControlFrag:
		return "ws: fragmented control frame, " + op + " (RFC 6455 §5.5)"
	case codeControlLen:
		return "ws: control frame " + op + " payload length " + n + " over 125 (RFC 6455 §5.5)"
	case codeLen64:
		return "ws: 64-bit payload length 0x" + strconv.FormatUint(e.Len, 16) +
			" has the most significant bit set (RFC 6455 §5.2)"
	case codeTooLarge:
		return "ws: message length " + n + " over the " + strconv.Itoa(MaxMessage) + "-byte limit"
	case codeContNoStart:
		return "ws: continuation frame with no message to continue (RFC 6455 §5.4)"
	case codeNewInFrag:
		return "ws: new data frame " + op + " inside a fragmented message (RFC 6455 §5.4)"
	case codeHTTPTooLong:
		return "ws: handshake header block over " + n + " bytes without a blank line (RFC 6455 §4.1)"
	}
	return "ws: " + e.Kind.Error()
}
