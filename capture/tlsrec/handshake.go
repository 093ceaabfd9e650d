package tlsrec

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"
)

// handshake reads the handshake messages of a side (RFC 8446 §4, RFC
// 5246 §7.4: type, 24-bit length, body), which may share a record or
// span several.
func (c *Conn) handshake(side int, frag []byte) {
	h := &c.h[side]
	b := frag
	if len(h.hs) > 0 {
		h.hs = append(h.hs, frag...)
		b = h.hs
	}
	for len(b) >= 4 && h.err == "" && c.state != NoKey {
		n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if n > maxHandshake {
			c.fail(side, "handshake message of "+strconv.Itoa(n)+" bytes")
			return
		}
		if len(b) < 4+n {
			break
		}
		c.message(side, b[0], b[4:4+n])
		b = b[4+n:]
	}
	h.hs = append(h.hs[:0], b...)
}

// message handles one handshake message.
func (c *Conn) message(side int, typ byte, body []byte) {
	h := &c.h[side]
	switch typ {
	case 1: // ClientHello (RFC 8446 §4.1.2): legacy_version, random
		if len(body) >= 34 && h.dec == nil && c.version == 0 {
			c.client, c.cr, c.haveCR = side, [32]byte(body[2:34]), true
			c.pump(side ^ 1) // a ServerHello read first waits for this
		}
	case 2:
		if h.dec == nil && c.version == 0 {
			c.serverHello(side, body)
		}
	case 20: // Finished (RFC 8446 §4.4.4): the application secret follows
		if c.version == 0x0304 && h.inHS {
			h.inHS = false
			c.setSecret(side, h.app)
			h.app = nil
		}
	case 24: // KeyUpdate (RFC 8446 §4.6.3): the sender's next secret
		if c.version == 0x0304 && !h.inHS && h.secret != nil {
			next, err := nextSecret(c.suite.hash, h.secret)
			if err != nil {
				c.fail(side, "key update: "+err.Error())
				return
			}
			c.setSecret(side, next)
		}
	}
}

// helloRetry is the random of a HelloRetryRequest (RFC 8446 §4.1.3).
const helloRetry = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"

// serverHello reads the ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3):
// legacy_version, random, session id, cipher suite, compression, and the
// extensions, whose supported_versions (43) says TLS 1.3. It derives the
// keys of both sides.
func (c *Conn) serverHello(side int, body []byte) {
	if len(body) < 38 || len(body) < 35+int(body[34])+3 {
		c.fail(side, "ServerHello truncated")
		return
	}
	if hex.EncodeToString(body[2:34]) == helloRetry {
		return // a second ClientHello and ServerHello follow
	}
	c.sr = [32]byte(body[2:34])
	p := body[35+int(body[34]):]
	id := binary.BigEndian.Uint16(p)
	c.version = binary.BigEndian.Uint16(body)
	if v, ok := supportedVersion(p[3:]); ok {
		c.version = v
	}
	s, ok := lookupSuite(id)
	switch {
	case !c.haveCR:
		c.fail(side, "ServerHello without a ClientHello")
	case c.version != 0x0303 && c.version != 0x0304:
		c.fail(side, "TLS version "+hex4(c.version)+" is not decrypted")
	case !ok || s.tls13 != (c.version == 0x0304):
		c.fail(side, "unknown cipher suite "+hex4(id))
	default:
		c.suite = s
		c.secrets = c.keys.Lookup(c.cr)
		c.armKeys(side)
		c.pump(side ^ 1) // records the client sent before this one was read
	}
}

// supportedVersion finds the supported_versions extension (RFC 8446
// §4.2.1) in a ServerHello's extensions.
func supportedVersion(p []byte) (uint16, bool) {
	if len(p) < 2 {
		return 0, false
	}
	n := int(binary.BigEndian.Uint16(p))
	p = p[2:min(len(p), 2+n)]
	for len(p) >= 4 {
		typ, l := binary.BigEndian.Uint16(p), int(binary.BigEndian.Uint16(p[2:]))
		if len(p) < 4+l {
			break
		}
		if typ == 43 && l == 2 {
			return binary.BigEndian.Uint16(p[4:]), true
		}
		p = p[4+l:]
	}
	return 0, false
}

// armKeys sets up both sides' protection once the ServerHello is read.
func (c *Conn) armKeys(server int) {
	s := c.secrets
	client := server ^ 1
	if c.version == 0x0303 {
		if s == nil || s.Master == nil {
			c.state = NoKey
			return
		}
		cd, sd, err := keys12(c.suite, s.Master, c.cr, c.sr)
		if err != nil {
			c.fail(server, err.Error())
			return
		}
		c.h[client].next, c.h[server].next = cd, sd
		c.state = Decrypting
		return
	}
	if s == nil || s.ClientHS == nil || s.ServerHS == nil {
		c.state = NoKey
		return
	}
	// RFC 8446 §7.1: the handshake is protected with the handshake
	// traffic secrets; each side turns to its traffic secret_0 after its
	// Finished.
	c.h[client].app, c.h[server].app = s.Client0, s.Server0
	c.h[client].inHS, c.h[server].inHS = true, true
	c.state = Decrypting
	c.setSecret(client, s.ClientHS)
	c.setSecret(server, s.ServerHS)
}

// setSecret turns a TLS 1.3 side to a new traffic secret; its sequence
// number restarts at zero (RFC 8446 §5.3).
func (c *Conn) setSecret(side int, secret []byte) {
	h := &c.h[side]
	if secret == nil {
		c.fail(side, "no application traffic secret for client random "+hex.EncodeToString(c.cr[:]))
		return
	}
	d, err := keys13(c.suite, secret)
	if err != nil {
		c.fail(side, err.Error())
		return
	}
	h.dec, h.secret, h.seq = d, secret, 0
}
