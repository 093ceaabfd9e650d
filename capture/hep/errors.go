package hep

import (
	"errors"
	"strconv"
)

// Error kinds; every error Decode returns is an *Error whose Kind is one
// of these, so callers can use errors.Is.
var (
	// ErrNotHEP: b does not start with a HEP3 magic or a valid v1/v2 header.
	ErrNotHEP = errors.New("not a HEP packet")
	// ErrTruncated: b ends before the packet does; on a stream, wait for
	// more bytes (Need tells how many).
	ErrTruncated = errors.New("truncated HEP packet")
	// ErrMalformed: the packet is inconsistent (bad lengths, bad values).
	ErrMalformed = errors.New("malformed HEP packet")
	// ErrTooLarge: a compressed payload inflates beyond MaxPayload.
	ErrTooLarge = errors.New("HEP payload too large")
)

type errCode uint8

const (
	codeNotHEP errCode = iota
	codeShort
	codeTotalLen
	codeTrailing
	codeChunkShort
	codeChunkPastEnd
	codeChunkSize
	codeInflate
	codeTooLarge
	codeV2Family
	codeV2HeaderLen
	codeV2Proto
)

// Error describes why a packet could not be decoded. The message is only
// built when Error is called, so rejecting garbage stays cheap.
type Error struct {
	Kind    error // ErrNotHEP, ErrTruncated, ErrMalformed or ErrTooLarge
	Version int   // 1, 2 or 3; 0 when the version is unknown
	Chunk   int   // HEP3 chunk type involved, if any
	Off     int   // byte offset involved, if any
	Got     int   // the offending value
	Want    int   // the bound it broke
	Cause   error // underlying error (decompression), may be nil
	code    errCode
}

// Unwrap lets errors.Is match both the kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Kind, e.Cause}
	}
	return []error{e.Kind}
}

func (e *Error) Error() string {
	p := "hep" + strconv.Itoa(e.Version) + ": "
	if e.Version == 0 {
		p = "hep: "
	}
	d := strconv.Itoa
	switch e.code {
	case codeNotHEP:
		return p + "not a HEP packet (first byte " + d(e.Got) + ")"
	case codeShort:
		return p + "have " + d(e.Got) + " bytes, packet needs " + d(e.Want)
	case codeTotalLen:
		return p + "total length " + d(e.Got) + " below the " + d(e.Want) + "-byte header"
	case codeTrailing:
		return p + d(e.Got) + " bytes left at offset " + d(e.Off) + ", too few for a chunk header"
	case codeChunkShort:
		return p + "chunk type " + d(e.Chunk) + " length " + d(e.Got) + " below the " + d(e.Want) + "-byte chunk header"
	case codeChunkPastEnd:
		return p + "chunk type " + d(e.Chunk) + " length " + d(e.Got) + " at offset " + d(e.Off) +
			" past end of packet (" + d(e.Want) + " bytes)"
	case codeChunkSize:
		return p + "chunk type " + d(e.Chunk) + " value is " + d(e.Got) + " bytes, want " + d(e.Want)
	case codeInflate:
		return p + "compressed payload (chunk 16): " + e.Cause.Error()
	case codeTooLarge:
		return p + "decompressed payload exceeds " + d(e.Want) + " bytes"
	case codeV2Family:
		return p + "address family " + d(e.Got) + " unsupported (want 2 or 10)"
	case codeV2HeaderLen:
		return p + "header length " + d(e.Got) + " does not match its address family (want " + d(e.Want) + ")"
	case codeV2Proto:
		return p + "IP protocol " + d(e.Got) + " unsupported (want 6, 17, 132 or 22)"
	}
	return p + e.Kind.Error()
}

func notHEP(b []byte) error {
	first := -1
	if len(b) > 0 {
		first = int(b[0])
	}
	return &Error{Kind: ErrNotHEP, code: codeNotHEP, Got: first}
}
