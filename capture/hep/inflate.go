package hep

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
)

// inflate decompresses a chunk 16 value. The HEP3 spec says the chunk holds
// a zlib stream (RFC 1950); senders built on other libraries have been seen
// to emit gzip (RFC 1952) or raw deflate (RFC 1951), so those are tried
// when the zlib header does not check out. The output is capped at
// MaxPayload.
func inflate(c []byte) ([]byte, error) {
	out, err := inflateZlib(c)
	if err == nil || errors.Is(err, ErrTooLarge) {
		return out, err
	}
	if len(c) >= 2 && c[0] == 0x1f && c[1] == 0x8b {
		out, gerr := inflateGzip(c)
		if gerr == nil || errors.Is(gerr, ErrTooLarge) {
			return out, gerr
		}
	}
	out, ferr := readCapped(flate.NewReader(bytes.NewReader(c)), len(c))
	if ferr == nil || errors.Is(ferr, ErrTooLarge) {
		return out, ferr
	}
	// Report the zlib failure: zlib is what the spec asks for.
	return nil, &Error{Kind: ErrMalformed, Version: 3, Chunk: chunkCompressed, Cause: err, code: codeInflate}
}

func inflateZlib(c []byte) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(c))
	if err != nil {
		return nil, err
	}
	return readCapped(r, len(c))
}

func inflateGzip(c []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(c))
	if err != nil {
		return nil, err
	}
	// One member only: a second member would be a second payload.
	r.Multistream(false)
	return readCapped(r, len(c))
}

// readCapped reads r to EOF (so zlib and gzip verify their checksums) and
// fails with ErrTooLarge as soon as more than MaxPayload bytes come out,
// without ever holding more than MaxPayload+1 bytes.
func readCapped(r io.Reader, inLen int) ([]byte, error) {
	// SIP text compresses about 3:1; start there to avoid regrowing.
	size := 4 * inLen
	if size < 512 {
		size = 512
	}
	if size > MaxPayload+1 {
		size = MaxPayload + 1
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if len(buf) > MaxPayload {
				return nil, &Error{Kind: ErrTooLarge, Version: 3, Chunk: chunkCompressed, Want: MaxPayload, code: codeTooLarge}
			}
			next := min(2*cap(buf), MaxPayload+1)
			buf = append(make([]byte, 0, next), buf...)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(buf) > MaxPayload {
		return nil, &Error{Kind: ErrTooLarge, Version: 3, Chunk: chunkCompressed, Want: MaxPayload, code: codeTooLarge}
	}
	return buf, nil
}
