package tlsrec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"encoding/binary"
	"errors"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// expandLabel is HKDF-Expand-Label (RFC 8446 §7.1): HKDF-Expand(secret,
// HkdfLabel, length) where HkdfLabel is the uint16 length, the label
// "tls13 " + label and the context, each of the last two length-prefixed.
func expandLabel(h func() hash.Hash, secret []byte, label string, context []byte, n int) ([]byte, error) {
	full := "tls13 " + label
	info := make([]byte, 0, 4+len(full)+len(context))
	info = binary.BigEndian.AppendUint16(info, uint16(n))
	info = append(info, byte(len(full)))
	info = append(info, full...)
	info = append(info, byte(len(context)))
	info = append(info, context...)
	return hkdf.Expand(h, secret, string(info), n)
}

// nextSecret is the secret after a KeyUpdate (RFC 8446 §7.2):
// application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N,
// "traffic upd", "", Hash.length).
func nextSecret(h func() hash.Hash, secret []byte) ([]byte, error) {
	return expandLabel(h, secret, "traffic upd", nil, h().Size())
}

// keys13 derives the record protection of a traffic secret (RFC 8446
// §7.3): key = HKDF-Expand-Label(secret, "key", "", key_length) and iv =
// HKDF-Expand-Label(secret, "iv", "", 12).
func keys13(s suite, secret []byte) (*aead13, error) {
	if len(secret) != s.hash().Size() {
		return nil, errors.New("traffic secret of the wrong length for " + s.name)
	}
	key, err := expandLabel(s.hash, secret, "key", nil, s.keyLen)
	if err != nil {
		return nil, err
	}
	iv, err := expandLabel(s.hash, secret, "iv", nil, 12)
	if err != nil {
		return nil, err
	}
	var a cipher.AEAD
	if s.kind == kindChaCha {
		a, err = chacha20poly1305.New(key)
	} else {
		var b cipher.Block
		if b, err = aes.NewCipher(key); err == nil {
			a, err = cipher.NewGCM(b)
		}
	}
	if err != nil {
		return nil, err
	}
	return &aead13{aead: a, iv: [12]byte(iv)}, nil
}

// aead13 opens TLS 1.3 records (RFC 8446 §5.2): the nonce is the IV XOR
// the sequence number (§5.3), the additional data the record header, and
// the plaintext a TLSInnerPlaintext: content, the real content type, then
// zero padding.
type aead13 struct {
	aead  cipher.AEAD
	iv    [12]byte
	nonce [12]byte
}

func (a *aead13) open(seq uint64, hdr, payload []byte) (byte, []byte, error) {
	if len(payload) < a.aead.Overhead() {
		return 0, nil, errors.New("record shorter than its authentication tag")
	}
	a.nonce = a.iv
	xorSeq(a.nonce[:], seq)
	pt, err := a.aead.Open(payload[:0], a.nonce[:], payload, hdr)
	if err != nil {
		return 0, nil, errBadMAC
	}
	i := len(pt) - 1
	for i >= 0 && pt[i] == 0 {
		i--
	}
	if i < 0 {
		return 0, nil, errors.New("inner plaintext without a content type")
	}
	return pt[i], pt[:i], nil
}
