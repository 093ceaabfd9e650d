package tlsrec

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strconv"
)

// cipherKind is how a suite protects its records.
type cipherKind uint8

const (
	kindGCM    cipherKind = iota + 1 // AES-GCM (RFC 5288; RFC 8446 §5.2)
	kindChaCha                       // ChaCha20-Poly1305 (RFC 7905; RFC 8446 §5.2)
	kindCBC                          // AES-CBC with HMAC, MAC-then-encrypt (RFC 5246 §6.2.3.2)
)

// suite is what decryption needs of a cipher suite.
type suite struct {
	name   string
	tls13  bool
	kind   cipherKind
	keyLen int
	macLen int              // CBC only: the HMAC length
	mac    func() hash.Hash // CBC only: the HMAC hash
	hash   func() hash.Hash // the PRF (TLS 1.2) or HKDF (TLS 1.3) hash
}

func sha1New() hash.Hash   { return sha1.New() }
func sha256New() hash.Hash { return sha256.New() }
func sha384New() hash.Hash { return sha512.New384() }

var (
	// Read-only tables: lookupSuite hands out copies.
	aes128GCM = suite{name: "AES_128_GCM_SHA256", kind: kindGCM, keyLen: 16, hash: sha256New}
	aes256GCM = suite{name: "AES_256_GCM_SHA384", kind: kindGCM, keyLen: 32, hash: sha384New}
	chacha    = suite{name: "CHACHA20_POLY1305_SHA256", kind: kindChaCha, keyLen: 32, hash: sha256New}
)

// lookupSuite returns the suite of an IANA cipher suite number (RFC 5246
// Appendix A.5, RFC 5288, RFC 5289, RFC 7905, RFC 8446 Appendix B.4), or
// false for one this package cannot decrypt.
func lookupSuite(id uint16) (suite, bool) {
	cbc := func(name string, keyLen, macLen int, mac, prf func() hash.Hash) suite {
		return suite{name: name, kind: kindCBC, keyLen: keyLen, macLen: macLen, mac: mac, hash: prf}
	}
	switch id {
	case 0x1301, 0x1302, 0x1303: // TLS 1.3 (RFC 8446 §B.4)
		s := [...]suite{aes128GCM, aes256GCM, chacha}[id-0x1301]
		s.tls13, s.name = true, "TLS_"+s.name
		return s, true
	case 0xc02f, 0xc02b, 0x009c, 0x009e:
		return aes128GCM, true
	case 0xc030, 0xc02c, 0x009d, 0x009f:
		return aes256GCM, true
	case 0xcca8, 0xcca9, 0xccaa:
		return chacha, true
	case 0xc013, 0xc009, 0x002f, 0x0033:
		return cbc("AES_128_CBC_SHA", 16, 20, sha1New, sha256New), true
	case 0xc014, 0xc00a, 0x0035, 0x0039:
		return cbc("AES_256_CBC_SHA", 32, 20, sha1New, sha256New), true
	case 0xc027, 0xc023, 0x003c, 0x0067:
		return cbc("AES_128_CBC_SHA256", 16, 32, sha256New, sha256New), true
	case 0x003d, 0x006b:
		return cbc("AES_256_CBC_SHA256", 32, 32, sha256New, sha256New), true
	case 0xc028, 0xc024:
		return cbc("AES_256_CBC_SHA384", 32, 48, sha384New, sha384New), true
	}
	return suite{}, false
}

func hex4(v uint16) string {
	s := strconv.FormatUint(uint64(v), 16)
	for len(s) < 4 {
		s = "0" + s
	}
	return "0x" + s
}
