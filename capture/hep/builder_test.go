package hep

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"net/netip"
)

// chunkSpec is one HEP3 chunk for the test builder; length < 0 means
// "compute it", otherwise the chunk length field is forced to it.
type chunkSpec struct {
	vendor, typ uint16
	val         []byte
	length      int
}

func ch(typ uint16, val []byte) chunkSpec { return chunkSpec{typ: typ, val: val, length: -1} }

func u8(v uint8) []byte { return []byte{v} }

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func ip(s string) []byte { return netip.MustParseAddr(s).AsSlice() }

// hep3 builds a HEP3 packet with a correct total length.
func hep3(chunks ...chunkSpec) []byte {
	b := []byte("HEP3\x00\x00")
	for _, c := range chunks {
		n := c.length
		if n < 0 {
			n = chunkHeaderLen + len(c.val)
		}
		b = binary.BigEndian.AppendUint16(b, c.vendor)
		b = binary.BigEndian.AppendUint16(b, c.typ)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
		b = append(b, c.val...)
	}
	binary.BigEndian.PutUint16(b[4:], uint16(len(b)))
	return b
}

// sipChunks are the chunks a typical capture agent sends for one SIP
// message over UDP/IPv4, without the payload.
func sipChunks() []chunkSpec {
	return []chunkSpec{
		ch(chunkFamily, u8(2)),
		ch(chunkProto, u8(17)),
		ch(chunkSrcIP4, ip("192.168.1.1")),
		ch(chunkDstIP4, ip("192.168.1.2")),
		ch(chunkSrcPort, u16(5060)),
		ch(chunkDstPort, u16(5080)),
		ch(chunkTimeSec, u32(1481455196)),
		ch(chunkTimeUsec, u32(100)),
		ch(chunkPayloadType, u8(1)),
		ch(chunkCaptureID, u32(2001)),
	}
}

func sipPacket(payload string, extra ...chunkSpec) []byte {
	cs := append(sipChunks(), extra...)
	return hep3(append(cs, ch(chunkPayload, []byte(payload)))...)
}

// v2Spec describes a HEP v1/v2 packet for the test builder.
type v2Spec struct {
	ver, family, proto uint8
	hl                 int // 0: the right value for the family
	src, dst           string
	sport, dport       uint16
	sec, usec          uint32
	capID              uint16
	payload            string
}

func hep2(s v2Spec) []byte {
	alen := 4
	if s.family == afInet6 {
		alen = 16
	}
	hl := s.hl
	if hl == 0 {
		hl = v2FixedLen + 2*alen
	}
	b := []byte{s.ver, uint8(hl), s.family, s.proto}
	b = binary.BigEndian.AppendUint16(b, s.sport)
	b = binary.BigEndian.AppendUint16(b, s.dport)
	b = append(b, addrBytes(s.src, alen)...)
	b = append(b, addrBytes(s.dst, alen)...)
	if s.ver == 2 {
		b = binary.LittleEndian.AppendUint32(b, s.sec)
		b = binary.LittleEndian.AppendUint32(b, s.usec)
		b = binary.LittleEndian.AppendUint16(b, s.capID)
		b = append(b, 0, 0)
	}
	return append(b, s.payload...)
}

func addrBytes(s string, n int) []byte {
	a := netip.MustParseAddr(s)
	if n == 4 {
		v := a.As4()
		return v[:]
	}
	v := a.As16()
	return v[:]
}

func zlibBytes(p []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(p)
	w.Close()
	return buf.Bytes()
}

func gzipBytes(p []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(p)
	w.Close()
	return buf.Bytes()
}

func flateBytes(p []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(p)
	w.Close()
	return buf.Bytes()
}

const invite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 192.168.1.1:5060;branch=z9hG4bK776asdhds\r\n" +
	"Max-Forwards: 70\r\n" +
	"To: Bob <sip:bob@example.com>\r\n" +
	"From: Alice <sip:alice@example.com>;tag=1928301774\r\n" +
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"Contact: <sip:alice@192.168.1.1>\r\n" +
	"Content-Length: 0\r\n\r\n"
