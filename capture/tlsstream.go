package capture

import (
	"encoding/hex"
	"strconv"

	"github.com/sipdbg/sipdbg/capture/tlsrec"
)

// tlsConn joins the two directions of a TCP connection that carries TLS
// (SIP over TLS, RFC 3261 §26.2; WSS, RFC 7118 §5): the records of both
// go to one tlsrec.Conn, and the plaintext of each goes through the same
// framing as plain TCP, on its half's stream.
type tlsConn struct {
	conn    *tlsrec.Conn
	half    [2]*tcpHalf
	dead    [2]bool   // a hole or an error stopped this side
	told    [2]string // the error already recorded for a side
	givenUp bool      // the connection cannot be decrypted: recorded once
}

// SetKeylog gives the decoder the TLS secrets it decrypts with; nil
// means none. Without the key of a connection, its TLS is recorded as
// undecodable with the client random whose key is missing.
func (d *Decoder) SetKeylog(k *tlsrec.Keylog) { d.keylog = k }

// startTLS makes a half that starts with a TLS record one side of a
// tlsConn: the reverse half's when it already has one.
func (d *Decoder) startTLS(h *tcpHalf) {
	rev := d.tcp.flows[flowKey{h.key.dst, h.key.src}]
	if rev != nil && rev.tls != nil && !rev.closed && rev.tls.half[rev.tlsSide^1] == nil {
		h.tls, h.tlsSide = rev.tls, rev.tlsSide^1
		h.tls.half[h.tlsSide] = h
		if h.tls.givenUp {
			d.tlsNotSIP(h.tls, h)
		}
		return
	}
	t := &tlsConn{}
	t.conn = tlsrec.NewConn(d.keylog, func(side int, p []byte) {
		if hh := t.half[side]; hh != nil && !t.dead[side] {
			d.feedStream(hh, p)
		}
	})
	h.tls, h.tlsSide = t, 0
	t.half[0] = h
}

// feedTLS hands a half's in-order bytes to its connection, and records
// what the connection says when it cannot go on.
func (d *Decoder) feedTLS(h *tcpHalf, data []byte) {
	t := h.tls
	// A direction whose plaintext is not SIP (HTTPS of a browser whose
	// keys were logged too) is not decrypted further.
	if t.dead[h.tlsSide] || t.givenUp || h.stream.mode == modeOther {
		return
	}
	t.conn.Feed(h.tlsSide, data)
	if t.conn.State() == tlsrec.NoKey {
		cr, _ := t.conn.ClientRandom()
		d.tlsGiveUp(t, h, "TLS-encrypted, no key for client random "+hex.EncodeToString(cr[:8])+"…")
		return
	}
	for side, hh := range t.half {
		if err := t.conn.Err(side); err != "" && t.told[side] == "" && hh != nil {
			t.told[side], t.dead[side] = err, true
			d.bad("TLS " + hh.name() + ": decryption stopped: " + err)
		}
	}
}

// tlsGiveUp records, once, why a connection cannot be decrypted; its
// halves are then not SIP, as a TLS stream was before key logs.
func (d *Decoder) tlsGiveUp(t *tlsConn, h *tcpHalf, why string) {
	if t.givenUp {
		return
	}
	t.givenUp = true
	if isSIPPort(h.key.src.Port()) || isSIPPort(h.key.dst.Port()) {
		d.bad("TCP " + h.name() + " on a SIP port: " + why)
	}
	for _, hh := range t.half {
		if hh != nil {
			d.tlsNotSIP(t, hh)
		}
	}
}

func (d *Decoder) tlsNotSIP(t *tlsConn, h *tcpHalf) {
	h.stream.mode = modeOther
	d.stats.StreamsNotSIP++
}

// tlsHole stops a side after bytes were lost: the record layer cannot
// find its way again.
func (d *Decoder) tlsHole(h *tcpHalf, missing uint32) {
	t := h.tls
	if t.dead[h.tlsSide] || t.givenUp {
		return
	}
	t.dead[h.tlsSide] = true
	d.bad("TLS " + h.name() + ": " + strconv.FormatUint(uint64(missing), 10) + " bytes never captured; decryption of this direction stops")
}

// tlsEnd records a connection that ended before its keys were known.
func (d *Decoder) tlsEnd(h *tcpHalf) {
	t := h.tls
	if t.givenUp || t.conn.State() != tlsrec.Handshake {
		return
	}
	why := "TLS-encrypted, no ClientHello captured (it cannot be decrypted)"
	if _, ok := t.conn.ClientRandom(); ok {
		why = "TLS-encrypted, the capture ends before the ServerHello"
	}
	d.tlsGiveUp(t, h, why)
}

// tr is the transport of what a half carries: TLS or WSS when it is
// decrypted.
func (h *tcpHalf) tr(t Transport) Transport {
	switch {
	case h.tls == nil:
		return t
	case t == WS:
		return WSS
	}
	return TLS
}
