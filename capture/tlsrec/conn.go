package tlsrec

import (
	"encoding/hex"
	"strconv"
)

// State is how far a connection's decryption got.
type State uint8

const (
	Handshake  State = iota // no ServerHello yet: the keys are not known
	Decrypting              // the keys are known; records are being opened
	NoKey                   // the key log has no secret for the client random
	Failed                  // a direction stopped on an error (see Status)
)

// Record layer limits (RFC 8446 §5.2: a TLSCiphertext fragment is at
// most 2^14 + 256 bytes; RFC 5246 §6.2.3: 2^14 + 2048).
const (
	maxFragment  = 1<<14 + 2048
	maxHandshake = 1 << 18 // a handshake message longer than this is not followed
	maxWaiting   = 1 << 20 // bytes held while waiting for the ServerHello
)

// Conn decrypts the two directions of one TLS connection. Sides are the
// caller's numbering (0 and 1); the side that sends the ClientHello is
// the client. It is not safe for concurrent use.
type Conn struct {
	keys    *Keylog
	out     func(side int, plaintext []byte)
	h       [2]half
	client  int // side of the client, -1 until the ClientHello
	cr, sr  [32]byte
	haveCR  bool
	version uint16 // 0x0303 or 0x0304 once the ServerHello is read
	suite   suite
	secrets *Secrets
	state   State
	status  string
}

// half is one direction: its record buffer and its protection.
type half struct {
	buf     []byte
	off     int
	records int    // records read, for error messages
	hs      []byte // handshake bytes not yet a whole message
	dec     decrypter
	next    decrypter // TLS 1.2: the protection a ChangeCipherSpec turns on
	seq     uint64
	secret  []byte // TLS 1.3: the current traffic secret
	app     []byte // TLS 1.3: the application secret after Finished
	inHS    bool   // TLS 1.3: protected with the handshake secret
	err     string // the error that stopped this direction
}

// NewConn returns a connection that decrypts with the secrets of keys
// and hands each application_data plaintext to out. The plaintext is
// valid only during the call.
func NewConn(keys *Keylog, out func(side int, plaintext []byte)) *Conn {
	return &Conn{keys: keys, out: out, client: -1}
}

// State is the connection's state.
func (c *Conn) State() State { return c.state }

// ClientRandom is the ClientHello's random, once it has been read.
func (c *Conn) ClientRandom() ([32]byte, bool) { return c.cr, c.haveCR }

// Status is a one-line account of the connection: its version and
// suite while decrypting, the client random whose key is missing, or
// the error that stopped a direction.
func (c *Conn) Status() string {
	switch c.state {
	case Handshake:
		if !c.haveCR {
			return "no ClientHello seen"
		}
		return "handshake in progress"
	case NoKey:
		return "no key for client random " + hex.EncodeToString(c.cr[:])
	case Failed:
		return c.status
	}
	v := "TLS 1.2"
	if c.version == 0x0304 {
		v = "TLS 1.3"
	}
	return "decrypting (" + v + ", " + c.suite.name + ")"
}

// Err is the error that stopped a side, or "".
func (c *Conn) Err(side int) string { return c.h[side&1].err }

// Feed hands the next in-order bytes a side sent. Bytes after a failure
// of that side are dropped.
func (c *Conn) Feed(side int, b []byte) {
	side &= 1
	h := &c.h[side]
	if h.err != "" || c.state == NoKey {
		return
	}
	h.buf = append(h.buf, b...)
	c.pump(side)
}

// pump reads the whole records a side holds (RFC 5246 §6.2.1, RFC 8446
// §5.1: type, legacy version, length, fragment).
func (c *Conn) pump(side int) {
	h := &c.h[side]
	for h.err == "" && c.state != NoKey {
		rest := h.buf[h.off:]
		if len(rest) < 5 {
			break
		}
		typ, n := rest[0], int(rest[3])<<8|int(rest[4])
		if typ < 20 || typ > 24 || rest[1] != 3 {
			c.fail(side, "not a TLS record at record "+strconv.Itoa(h.records+1))
			break
		}
		if n > maxFragment {
			c.fail(side, "record "+strconv.Itoa(h.records+1)+" is "+strconv.Itoa(n)+" bytes, over the limit")
			break
		}
		if len(rest) < 5+n {
			break
		}
		if c.wait(side, rest[:5+n]) {
			if len(h.buf)-h.off > maxWaiting {
				c.fail(side, "records held too long waiting for the other side's hello")
			}
			break
		}
		h.records++
		h.off += 5 + n
		c.record(side, rest[:5], rest[5:5+n])
	}
	c.compact(h)
}

// wait says whether a record must wait for the other side: a protected
// record or a ChangeCipherSpec before the ServerHello is read, or a
// ServerHello before the ClientHello (the two directions of a capture
// need not be fed in the order they were sent).
func (c *Conn) wait(side int, rec []byte) bool {
	switch {
	case c.version != 0 || c.h[side].dec != nil:
		return false
	case rec[0] == 20 || rec[0] == 23:
		return c.haveCR
	}
	return rec[0] == 22 && !c.haveCR && len(rec) > 5 && rec[5] == 2
}

func (c *Conn) compact(h *half) {
	if h.err != "" || c.state == NoKey {
		h.buf, h.off = nil, 0
		return
	}
	if h.off == len(h.buf) {
		h.buf, h.off = h.buf[:0], 0
	} else if h.off > 1<<16 {
		h.buf, h.off = append(h.buf[:0], h.buf[h.off:]...), 0
	}
}

// record handles one record: it is opened when its direction is
// protected, and its content goes to the handshake reader or out.
func (c *Conn) record(side int, hdr, frag []byte) {
	h := &c.h[side]
	typ := hdr[0]
	if h.dec != nil && !(typ == 20 && c.version == 0x0304) { // a TLS 1.3 ChangeCipherSpec is never protected (RFC 8446 §5)
		var err error
		typ, frag, err = h.dec.open(h.seq, hdr, frag)
		if err != nil {
			c.fail(side, err.Error()+" at record "+strconv.Itoa(h.records))
			return
		}
		h.seq++
	}
	switch typ {
	case 20: // change_cipher_spec (RFC 5246 §7.1): what follows is protected
		if c.version == 0x0303 && h.dec == nil {
			if h.next == nil {
				c.fail(side, "ChangeCipherSpec before the keys are known")
				return
			}
			h.dec, h.next, h.seq = h.next, nil, 0
		}
	case 22:
		c.handshake(side, frag)
	case 23:
		if h.dec == nil {
			c.fail(side, "application data before the handshake protected its direction")
			return
		}
		if len(frag) > 0 && c.out != nil {
			c.out(side, frag)
		}
	}
}

// fail stops a side with a one-line reason.
func (c *Conn) fail(side int, why string) {
	who := "server"
	if side == c.client {
		who = "client"
	}
	c.h[side].err = who + " direction: " + why
	if c.state != Failed {
		c.state, c.status = Failed, c.h[side].err
	}
}
