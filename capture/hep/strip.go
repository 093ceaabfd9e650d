package hep

import "encoding/binary"

// StripAuthKey returns the HEP packet b without its authentication key
// (HEP3 generic chunk 14): a capture file that keeps what a listener
// accepted must not keep the password agents send with it. The result is
// a new slice when a key was removed, b itself otherwise (HEP v1/v2
// carry no key). A packet whose chunks do not parse is returned without
// any chunk at all after the header that cannot be read past: the key
// may lie beyond it, and a damaged packet loses nothing it could say.
func StripAuthKey(b []byte) []byte {
	if !hasMagic(b) || len(b) < hep3HeaderLen {
		return b
	}
	total := min(totalLen(b), len(b))
	if total < hep3HeaderLen {
		return b
	}
	out := make([]byte, hep3HeaderLen, total)
	copy(out, b[:hep3HeaderLen])
	removed := false
	off := hep3HeaderLen
	for off+chunkHeaderLen <= total {
		vendor := binary.BigEndian.Uint16(b[off:])
		typ := binary.BigEndian.Uint16(b[off+2:])
		n := int(binary.BigEndian.Uint16(b[off+4:]))
		if n < chunkHeaderLen || off+n > total {
			removed = true // unreadable from here on: dropped (see above)
			off = total
			break
		}
		if vendor == 0 && typ == chunkAuthKey {
			removed = true
		} else {
			out = append(out, b[off:off+n]...)
		}
		off += n
	}
	if off < total { // a few trailing bytes, shorter than a chunk header
		removed = true
	}
	if !removed {
		return b
	}
	binary.BigEndian.PutUint16(out[4:], uint16(len(out)))
	return out
}
