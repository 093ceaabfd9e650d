package capture

import (
	"encoding/binary"
	"net/netip"
	"slices"
	"strconv"
	"time"
)

// Bounds of the TCP reassembler. A hole is declared (and counted) when
// the segments waiting behind it exceed these, when they have waited
// longer than holeWait in capture time, or when the stream ends.
const (
	maxPendingSegments = 256
	maxPendingBytes    = 4 << 20
	holeWait           = 5 * time.Second
	idleStream         = 10 * time.Minute
	closedLinger       = 5 * time.Second // a closed half is kept this long for late retransmissions
	sweepEvery         = 5 * time.Second
	maxUnknownScan     = 64 << 10 // bytes scanned for a SIP start before a stream is called non-SIP
)

type flowKey struct{ src, dst netip.AddrPort }

type segment struct {
	seq  uint32
	data []byte
	at   time.Time
}

// tcpHalf is one direction of a connection: the reassembly state and the
// stream parser that its in-order bytes feed.
type tcpHalf struct {
	key     flowKey
	next    uint32 // next expected sequence number
	isn     uint32 // initial sequence number, when the SYN was seen
	pending []segment
	pendLen int
	last    time.Time
	stream  stream
	closed  bool     // FIN or RST seen: kept to recognise late retransmissions
	tls     *tlsConn // the connection, shared with the reverse half, when it carries TLS
	tlsSide int      // this half's side in tls
}

type tcpTable struct {
	flows     map[flowKey]*tcpHalf
	lastSweep time.Time
}

func newTCPTable() tcpTable { return tcpTable{flows: make(map[flowKey]*tcpHalf)} }

// tcpSegment handles one TCP segment (RFC 9293 §3.1 header). A stream
// whose SYN was not captured starts at the first segment seen.
func (d *Decoder) tcpSegment(src, dst netip.Addr, b []byte) {
	if len(b) < 20 {
		d.bad("TCP header truncated")
		return
	}
	off := int(b[12]>>4) * 4
	if off < 20 || off > len(b) {
		d.bad("TCP data offset " + strconv.Itoa(off) + " is invalid")
		return
	}
	d.stats.TCPSegments++
	key := flowKey{netip.AddrPortFrom(src, binary.BigEndian.Uint16(b[0:2])), netip.AddrPortFrom(dst, binary.BigEndian.Uint16(b[2:4]))}
	seq, flags, data := binary.BigEndian.Uint32(b[4:8]), b[13], b[off:]
	h := d.tcp.flows[key]
	if flags&0x02 != 0 && (h == nil || h.isn != seq) { // SYN: a new connection, whatever came before
		if h != nil {
			d.closeHalf(h)
		}
		h = &tcpHalf{key: key, next: seq + 1, isn: seq}
		d.tcp.flows[key] = h
	}
	if flags&0x02 != 0 {
		seq++
	}
	if h == nil || (h.closed && len(data) > 0 && int32(seq-h.next) > 0) {
		if len(data) == 0 {
			return
		}
		h = &tcpHalf{key: key, next: seq}
		h.stream.midStream = true
		d.tcp.flows[key] = h
	}
	h.last = d.frame.Time
	if len(data) > 0 {
		d.segment(h, seq, data)
	}
	if flags&0x05 != 0 { // FIN or RST: the stream ends here
		d.closeHalf(h)
	}
}

func (d *Decoder) segment(h *tcpHalf, seq uint32, data []byte) {
	diff := int32(seq - h.next)
	switch {
	case diff == 0:
	case diff < 0:
		if int32(seq+uint32(len(data))-h.next) <= 0 {
			d.stats.TCPRetrans++
			return
		}
		data = data[-diff:] // a retransmission that also carries new bytes
	default:
		d.hold(h, seq, data)
		return
	}
	d.deliver(h, data)
	d.drain(h)
}

// hold keeps an out-of-order segment until the hole before it fills.
func (d *Decoder) hold(h *tcpHalf, seq uint32, data []byte) {
	i, found := slices.BinarySearchFunc(h.pending, seq, func(s segment, t uint32) int { return int(int32(s.seq - t)) })
	if found && len(h.pending[i].data) >= len(data) {
		d.stats.TCPRetrans++
		return
	}
	s := segment{seq: seq, data: append([]byte(nil), data...), at: d.frame.Time}
	if found {
		h.pendLen -= len(h.pending[i].data)
		h.pending[i] = s
	} else {
		h.pending = slices.Insert(h.pending, i, s)
	}
	h.pendLen += len(data)
	if len(h.pending) > maxPendingSegments || h.pendLen > maxPendingBytes {
		d.skipHole(h)
	}
}

// drain delivers the held segments that are now in order.
func (d *Decoder) drain(h *tcpHalf) {
	for len(h.pending) > 0 {
		s := h.pending[0]
		diff := int32(s.seq - h.next)
		if diff > 0 {
			return
		}
		h.pending = h.pending[1:]
		h.pendLen -= len(s.data)
		if int32(s.seq+uint32(len(s.data))-h.next) <= 0 {
			d.stats.TCPRetrans++
			continue
		}
		d.deliver(h, s.data[-diff:])
	}
	h.pending = nil
}

// skipHole gives up on the bytes missing before the first held segment:
// the hole is counted and recorded, and the stream parser restarts after it.
func (d *Decoder) skipHole(h *tcpHalf) {
	if len(h.pending) == 0 {
		return
	}
	missing := h.pending[0].seq - h.next
	d.stats.TCPGaps++
	d.stats.TCPSkipped += int64(missing)
	if h.tls != nil {
		d.tlsHole(h, missing) // the record layer cannot resync
	} else {
		d.bad("TCP " + h.key.src.String() + " → " + h.key.dst.String() + ": " + strconv.FormatUint(uint64(missing), 10) +
			" bytes never captured" + h.stream.dropNote() + "; the SIP parser restarts after the gap")
	}
	h.stream.reset()
	h.next = h.pending[0].seq
	d.drain(h)
}

func (d *Decoder) deliver(h *tcpHalf, data []byte) {
	h.next += uint32(len(data))
	d.feed(h, data)
}

// closeHalf ends a direction: held segments are delivered across their
// holes, and what is left in the parser is reported. The half stays in
// the table until it is idle, so that a retransmission arriving after the
// FIN is recognised as one instead of starting a new stream.
func (d *Decoder) closeHalf(h *tcpHalf) {
	for len(h.pending) > 0 {
		d.skipHole(h)
	}
	d.endStream(h)
	h.closed = true
}

// expire sweeps, once a second of capture time, for holes that waited
// too long and for idle streams, so that memory stays bounded on long
// captures.
func (t *tcpTable) expire(d *Decoder, now time.Time) {
	if now.Sub(t.lastSweep) < sweepEvery && !now.Before(t.lastSweep) {
		return
	}
	t.lastSweep = now
	for _, h := range t.flows {
		if len(h.pending) > 0 && now.Sub(h.pending[0].at) > holeWait {
			d.skipHole(h)
		}
		if idle := now.Sub(h.last); idle > idleStream || (h.closed && idle > closedLinger) {
			d.closeHalf(h)
			delete(t.flows, h.key)
		}
	}
}

func (t *tcpTable) flushAll(d *Decoder) {
	keys := make([]flowKey, 0, len(t.flows))
	for k := range t.flows {
		keys = append(keys, k)
	}
	// A stable order keeps output reproducible.
	slices.SortFunc(keys, func(a, b flowKey) int {
		if c := a.src.Compare(b.src); c != 0 {
			return c
		}
		return a.dst.Compare(b.dst)
	})
	for _, k := range keys {
		d.closeHalf(t.flows[k])
		delete(t.flows, k)
	}
}
