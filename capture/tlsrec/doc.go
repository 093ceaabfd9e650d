// Package tlsrec decrypts captured TLS 1.2 and TLS 1.3 connections with
// the secrets of an NSS key log (the file SSLKEYLOGFILE names).
//
// It reads the record layer of both directions of a connection (RFC 5246
// §6.2, RFC 8446 §5), the hellos it needs (the client and server randoms,
// the cipher suite and the version), derives the traffic keys (the TLS 1.2
// PRF of RFC 5246 §5 and §6.3, the TLS 1.3 HKDF-Expand-Label of RFC 8446
// §7.1) and hands the application_data plaintext of each direction, in
// order, to a callback. A failure stops the direction it happened in and
// becomes its status; nothing panics.
//
// It is pure: no I/O beyond the io.Reader a key log is read from, no
// package-level mutable state. It imports only the standard library and
// golang.org/x/crypto (chacha20poly1305); none of the module's packages.
package tlsrec
