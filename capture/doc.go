// Package capture turns capture files into SIP message candidates.
//
// It is the I/O edge of the session core: Open sniffs a file's format
// (pcap in every timestamp resolution, pcapng with mixed link types, both
// optionally gzip-compressed, or stdin) and yields frames; a Decoder walks
// each frame through the link layer, tunnels, IPv4/IPv6 (with fragment
// reassembly), UDP, TCP (with stream reassembly), SCTP, WebSocket and HEP,
// and hands every framed SIP message to a Sink together with its capture
// time and addresses. Anything it cannot decode becomes an Undecodable
// record with the frame number and the reason; nothing stops a load.
//
// It owns every source (files, live interfaces, HEP listeners, text traces
// through source) and the memory mapping of capture files: the mapping,
// its faults (Guard) and its page release stay in here. It must not import
// session, pipeline or anything above: the pipeline turns its output into
// the model's types. It imports only siplex, the SIP lexer that tells
// where a message starts and how long it is, and its own subpackages
// (tlsrec decrypts SIP over TLS and WSS with a key log, ws, hep).
package capture
