package hep

import (
	"encoding/binary"
	"net/netip"
)

// HEP3 layout (HEP3 spec rev 12): a 6-byte packet header ("HEP3" + total
// length u16, network order, counting the header itself) followed by
// chunks, each a 6-byte chunk header (vendor id u16, type id u16, chunk
// length u16 counting the chunk header) and a value.
const (
	hep3HeaderLen  = 6
	chunkHeaderLen = 6
)

// Generic chunk types (vendor id 0), HEP3 spec chunk type table.
const (
	chunkFamily      = 1  // u8: 2 AF_INET, 10 AF_INET6
	chunkProto       = 2  // u8: IP protocol id
	chunkSrcIP4      = 3  // 4 bytes
	chunkDstIP4      = 4  // 4 bytes
	chunkSrcIP6      = 5  // 16 bytes
	chunkDstIP6      = 6  // 16 bytes
	chunkSrcPort     = 7  // u16
	chunkDstPort     = 8  // u16
	chunkTimeSec     = 9  // u32
	chunkTimeUsec    = 10 // u32
	chunkPayloadType = 11 // u8
	chunkCaptureID   = 12 // u32
	chunkKeepAlive   = 13 // u16, ignored
	chunkAuthKey     = 14 // string
	chunkPayload     = 15 // bytes
	chunkCompressed  = 16 // zlib-compressed payload
	chunkCorrelation = 17 // string
	chunkVLAN        = 18 // u16
	chunkAgentName   = 19 // string
)

// v3State collects what the chunks said before the packet is assembled:
// addresses and ports arrive in separate chunks, in any order.
type v3State struct {
	family              uint8
	src4, dst4          netip.Addr
	src6, dst6          netip.Addr
	srcPort, dstPort    uint16
	sec, usec           uint32
	hasSec              bool
	payload, compressed []byte
	hasPayload, hasComp bool
}

func decodeV3(b []byte) (Packet, int, error) {
	if len(b) < hep3HeaderLen {
		return Packet{}, 0, &Error{Kind: ErrTruncated, Version: 3, code: codeShort, Got: len(b), Want: hep3HeaderLen}
	}
	total := totalLen(b)
	if total < hep3HeaderLen {
		return Packet{}, 0, &Error{Kind: ErrMalformed, Version: 3, code: codeTotalLen, Got: total, Want: hep3HeaderLen}
	}
	if total > len(b) {
		return Packet{}, 0, &Error{Kind: ErrTruncated, Version: 3, code: codeShort, Got: len(b), Want: total}
	}
	p := Packet{Version: 3}
	var st v3State
	body := b[:total]
	for off := hep3HeaderLen; off < total; {
		n, err := chunk(&p, &st, body, off)
		if err != nil {
			return Packet{}, 0, err
		}
		off += n
	}
	if err := finishV3(&p, &st); err != nil {
		return Packet{}, 0, err
	}
	return p, total, nil
}

// chunk decodes the chunk at body[off:] into p or st and returns its length.
func chunk(p *Packet, st *v3State, body []byte, off int) (int, error) {
	if len(body)-off < chunkHeaderLen {
		return 0, &Error{Kind: ErrMalformed, Version: 3, code: codeTrailing, Got: len(body) - off, Off: off}
	}
	h := body[off:]
	vendor := binary.BigEndian.Uint16(h)
	typ := int(binary.BigEndian.Uint16(h[2:]))
	n := int(binary.BigEndian.Uint16(h[4:]))
	if n < chunkHeaderLen {
		return 0, &Error{Kind: ErrMalformed, Version: 3, code: codeChunkShort, Chunk: typ, Got: n, Want: chunkHeaderLen}
	}
	if n > len(h) {
		return 0, &Error{Kind: ErrMalformed, Version: 3, code: codeChunkPastEnd, Chunk: typ, Off: off, Got: n, Want: len(body)}
	}
	// Chunks of other vendors carry vendor-defined types (HEP3 spec,
	// vendor chunks); they are skipped, as are generic types we don't use.
	if vendor != 0 {
		return n, nil
	}
	return n, genericChunk(p, st, typ, h[chunkHeaderLen:n])
}

// genericChunk stores one vendor-0 chunk value.
func genericChunk(p *Packet, st *v3State, typ int, v []byte) error {
	switch typ {
	case chunkFamily, chunkProto, chunkPayloadType:
		return u8Chunk(p, st, typ, v)
	case chunkSrcIP4, chunkDstIP4, chunkSrcIP6, chunkDstIP6:
		return addrChunk(st, typ, v)
	case chunkSrcPort, chunkDstPort, chunkVLAN:
		return u16Chunk(p, st, typ, v)
	case chunkTimeSec, chunkTimeUsec, chunkCaptureID:
		return u32Chunk(p, st, typ, v)
	case chunkAuthKey:
		p.AuthKey = cString(v)
	case chunkCorrelation:
		p.CorrelationID = cString(v)
	case chunkAgentName:
		p.AgentName = cString(v)
	case chunkPayload:
		st.payload, st.hasPayload = v, true
	case chunkCompressed:
		st.compressed, st.hasComp = v, true
	}
	return nil
}

func sizeErr(typ, got, want int) error {
	return &Error{Kind: ErrMalformed, Version: 3, code: codeChunkSize, Chunk: typ, Got: got, Want: want}
}

func u8Chunk(p *Packet, st *v3State, typ int, v []byte) error {
	if len(v) != 1 {
		return sizeErr(typ, len(v), 1)
	}
	switch typ {
	case chunkFamily:
		st.family = v[0]
	case chunkProto:
		p.Proto = v[0]
	default:
		p.PayloadType = v[0]
	}
	return nil
}

func u16Chunk(p *Packet, st *v3State, typ int, v []byte) error {
	if len(v) != 2 {
		return sizeErr(typ, len(v), 2)
	}
	x := binary.BigEndian.Uint16(v)
	switch typ {
	case chunkSrcPort:
		st.srcPort = x
	case chunkDstPort:
		st.dstPort = x
	default:
		p.VLAN = x
	}
	return nil
}

func u32Chunk(p *Packet, st *v3State, typ int, v []byte) error {
	if len(v) != 4 {
		return sizeErr(typ, len(v), 4)
	}
	x := binary.BigEndian.Uint32(v)
	switch typ {
	case chunkTimeSec:
		st.sec, st.hasSec = x, true
	case chunkTimeUsec:
		st.usec = x
	default:
		p.CaptureID = x
	}
	return nil
}

func addrChunk(st *v3State, typ int, v []byte) error {
	switch typ {
	case chunkSrcIP4, chunkDstIP4:
		if len(v) != 4 {
			return sizeErr(typ, len(v), 4)
		}
		a := netip.AddrFrom4([4]byte(v))
		if typ == chunkSrcIP4 {
			st.src4 = a
		} else {
			st.dst4 = a
		}
	default:
		if len(v) != 16 {
			return sizeErr(typ, len(v), 16)
		}
		a := netip.AddrFrom16([16]byte(v))
		if typ == chunkSrcIP6 {
			st.src6 = a
		} else {
			st.dst6 = a
		}
	}
	return nil
}

// finishV3 assembles addresses, time and payload once every chunk is seen.
func finishV3(p *Packet, st *v3State) error {
	src, dst := st.src4, st.dst4
	// The family chunk picks between v4 and v6 address chunks when a
	// sender includes both; otherwise whichever kind is present is used.
	if st.src6.IsValid() && (st.family == 10 || !src.IsValid()) {
		src = st.src6
	}
	if st.dst6.IsValid() && (st.family == 10 || !dst.IsValid()) {
		dst = st.dst6
	}
	p.Src = addrPort(src, st.srcPort)
	p.Dst = addrPort(dst, st.dstPort)
	if st.hasSec {
		p.Time = unixTime(st.sec, st.usec)
	}
	// A plain payload wins over a compressed one if a sender put both:
	// it needs no work and says the same thing.
	switch {
	case st.hasPayload:
		p.Payload = st.payload
	case st.hasComp:
		out, err := inflate(st.compressed)
		if err != nil {
			return err
		}
		p.Payload, p.Compressed = out, true
	}
	return nil
}

// addrPort keeps a port even when no address chunk came (the zero Addr
// with a port is still useful to show), and is the zero value otherwise.
func addrPort(a netip.Addr, port uint16) netip.AddrPort {
	if !a.IsValid() && port == 0 {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(a, port)
}

// cString converts a string chunk, dropping the NUL terminator some C
// encoders count into the chunk length.
func cString(v []byte) string {
	for len(v) > 0 && v[len(v)-1] == 0 {
		v = v[:len(v)-1]
	}
	if len(v) == 0 {
		return ""
	}
	return string(v)
}
