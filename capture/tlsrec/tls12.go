package tlsrec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"encoding/binary"
	"errors"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// decrypter opens the protected records of one direction.
type decrypter interface {
	// open decrypts a record in place: hdr is its 5-byte header, payload
	// its fragment. It returns the content type and the plaintext.
	open(seq uint64, hdr, payload []byte) (byte, []byte, error)
}

var errBadMAC = errors.New("bad MAC")

// prf12 is the TLS 1.2 PRF (RFC 5246 §5): P_hash(secret, label + seed),
// where A(0) = seed, A(i) = HMAC(secret, A(i-1)) and each output block is
// HMAC(secret, A(i) + seed).
func prf12(h func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	ls := append([]byte(label), seed...)
	mac := hmac.New(h, secret)
	mac.Write(ls)
	a := mac.Sum(nil)
	out := make([]byte, 0, n+mac.Size())
	for len(out) < n {
		mac.Reset()
		mac.Write(a)
		mac.Write(ls)
		out = mac.Sum(out)
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0])
	}
	return out[:n]
}

// keys12 derives both directions' decrypters from the master secret
// (RFC 5246 §6.3): key_block = PRF(master, "key expansion", server_random
// + client_random), cut into the client and server MAC keys, encryption
// keys and implicit IVs, in that order.
func keys12(s suite, master []byte, cr, sr [32]byte) (client, server decrypter, err error) {
	ivLen := map[cipherKind]int{kindGCM: 4, kindChaCha: 12, kindCBC: 0}[s.kind]
	seed := append(sr[:], cr[:]...)
	kb := prf12(s.hash, master, "key expansion", seed, 2*(s.macLen+s.keyLen+ivLen))
	cut := func(n int) []byte { v := kb[:n:n]; kb = kb[n:]; return v }
	cMac, sMac := cut(s.macLen), cut(s.macLen)
	cKey, sKey := cut(s.keyLen), cut(s.keyLen)
	cIV, sIV := cut(ivLen), cut(ivLen)
	if client, err = new12(s, cKey, cMac, cIV); err != nil {
		return nil, nil, err
	}
	server, err = new12(s, sKey, sMac, sIV)
	return client, server, err
}

func new12(s suite, key, macKey, iv []byte) (decrypter, error) {
	switch s.kind {
	case kindChaCha:
		a, err := chacha20poly1305.New(key)
		return &aead12{aead: a, iv: iv}, err
	case kindGCM:
		b, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		a, err := cipher.NewGCM(b)
		return &aead12{aead: a, iv: iv, explicit: true}, err
	}
	b, err := aes.NewCipher(key)
	return &cbc12{block: b, mac: hmac.New(s.mac, macKey)}, err
}

// aead12 opens TLS 1.2 AEAD records. AES-GCM (RFC 5288 §3): the nonce is
// the 4-byte implicit salt and the 8-byte explicit nonce that starts the
// fragment. ChaCha20-Poly1305 (RFC 7905 §2): the nonce is the 12-byte IV
// XOR the sequence number. The additional data is seq_num + type +
// version + plaintext length (RFC 5246 §6.2.3.3).
type aead12 struct {
	aead     cipher.AEAD
	iv       []byte
	explicit bool
	nonce    [12]byte
	ad       [13]byte
}

func (a *aead12) open(seq uint64, hdr, payload []byte) (byte, []byte, error) {
	if a.explicit {
		if len(payload) < 8 {
			return 0, nil, errors.New("record shorter than its explicit nonce")
		}
		copy(a.nonce[:4], a.iv)
		copy(a.nonce[4:], payload[:8])
		payload = payload[8:]
	} else {
		copy(a.nonce[:], a.iv)
		xorSeq(a.nonce[:], seq)
	}
	if len(payload) < a.aead.Overhead() {
		return 0, nil, errors.New("record shorter than its authentication tag")
	}
	binary.BigEndian.PutUint64(a.ad[:8], seq)
	copy(a.ad[8:11], hdr[:3])
	binary.BigEndian.PutUint16(a.ad[11:], uint16(len(payload)-a.aead.Overhead()))
	pt, err := a.aead.Open(payload[:0], a.nonce[:], payload, a.ad[:])
	if err != nil {
		return 0, nil, errBadMAC
	}
	return hdr[0], pt, nil
}

// xorSeq XORs the big-endian sequence number into the last 8 bytes of
// the nonce (RFC 7905 §2, RFC 8446 §5.3).
func xorSeq(nonce []byte, seq uint64) {
	for i := range 8 {
		nonce[len(nonce)-1-i] ^= byte(seq >> (8 * i))
	}
}

// cbc12 opens TLS 1.2 block-cipher records (RFC 5246 §6.2.3.2): an
// explicit IV, then the encrypted content + MAC + padding + padding
// length, where the MAC is HMAC(mac_key, seq_num + type + version +
// length + content) (§6.2.3.1).
type cbc12 struct {
	block cipher.Block
	mac   hash.Hash
	hdr   [13]byte
}

func (c *cbc12) open(seq uint64, hdr, payload []byte) (byte, []byte, error) {
	bs := c.block.BlockSize()
	if len(payload) < 2*bs || len(payload)%bs != 0 {
		return 0, nil, errors.New("block-cipher record of a bad length")
	}
	body := payload[bs:]
	cipher.NewCBCDecrypter(c.block, payload[:bs]).CryptBlocks(body, body)
	pad := int(body[len(body)-1])
	ms := c.mac.Size()
	if len(body) < pad+1+ms {
		return 0, nil, errors.New("bad padding")
	}
	for _, p := range body[len(body)-1-pad : len(body)-1] {
		if int(p) != pad {
			return 0, nil, errors.New("bad padding")
		}
	}
	content := body[:len(body)-1-pad-ms]
	binary.BigEndian.PutUint64(c.hdr[:8], seq)
	copy(c.hdr[8:11], hdr[:3])
	binary.BigEndian.PutUint16(c.hdr[11:], uint16(len(content)))
	c.mac.Reset()
	c.mac.Write(c.hdr[:])
	c.mac.Write(content)
	if !hmac.Equal(c.mac.Sum(nil), body[len(content):len(content)+ms]) {
		return 0, nil, errBadMAC
	}
	return hdr[0], content, nil
}
