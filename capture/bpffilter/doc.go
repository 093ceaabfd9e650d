// Package bpffilter compiles the common subset of tcpdump's filter language
// (pcap-filter(7)) to classic BPF, for live capture without cgo and so
// without libpcap's compiler: the program is attached to the AF_PACKET
// socket so that uninteresting packets never reach user space.
//
// # Grammar
//
//	expr      = term { ("and" | "&&" | "or" | "||") (term | id) }
//	term      = ("not" | "!") term | "(" expr ")" | primitive
//	primitive = proto                               e.g. udp, ip6
//	          | "vlan" [NUM]
//	          | [proto] [dir] [type] id             at least dir or type
//	proto     = "ip" | "ip6" | "arp" | "rarp" | "tcp" | "udp" | "sctp" | "icmp" | "icmp6"
//	dir       = "src" | "dst" | "src or dst" | "src and dst" (also dst-first, && and ||)
//	type      = "host" | "net" | "port" | "portrange"   (default host)
//	id        = value | ("not" | "!") id | "(" id { ("and" | "or") id } ")"
//
// As in pcap-filter(7), `not` binds tightest and `and`/`or` have equal
// precedence, associating to the left: `udp or tcp and port 5060` is
// `(udp or tcp) and port 5060`. A bare value after `and`/`or` repeats the
// qualifiers of the previous primitive: `port 5060 or 5061`, `udp dst port
// 5060 or not 5061`, `host 10.0.0.1 or 10.0.0.2`.
//
// Values: IPv4 dotted quads and IPv6 literals for host; for net
// `A[.B[.C[.D]]]` (a short address implies /8, /16 or /24), ADDR/LEN, and
// `A.B.C.D mask M`; port numbers in decimal, 0x hex or 0-octal; portrange
// N-M (either order) or N. Host names, port names, byte accessors
// (`udp[8]`), comparisons, `ether`, `proto`, `len`/`greater`/`less`,
// `broadcast` and the other libpcap keywords are rejected with an *Error
// naming them; nothing unsupported ever compiles to pass-all.
//
// # Semantics
//
// The generated code follows libpcap's (gencode.c):
//
//   - `host`/`net` without a protocol match IPv4, ARP and RARP for an IPv4
//     address (ARP sender/target addresses), IPv6 for an IPv6 one.
//   - `port`/`portrange` match TCP, UDP and SCTP (or the qualified one). In
//     IPv4 the transport header is found through the IHL field
//     (`ldx 4*([nl]&0xf)`) and non-first fragments never match. In IPv6
//     the transport header is assumed to follow the 40-byte fixed header:
//     like libpcap, extension headers are not walked, so a UDP datagram
//     behind a Fragment or Hop-by-Hop header has no port.
//   - `tcp`, `udp`, `sctp`, `icmp6` in IPv6 also match when a Fragment
//     header directly follows the fixed header and names that protocol,
//     as libpcap's gen_proto does; no other extension header is walked.
//   - Every `vlan` keyword shifts the offsets of everything parsed after it
//     by 4 bytes, on both sides of `or` (pcap-filter(7)). TPIDs 0x8100,
//     0x88a8 and 0x9100 are accepted. `vlan` is only for Ethernet.
//   - A load past the end of the packet rejects it, even under `not`.
//   - A filter that can never match on the link type (`ip6` on
//     LINKTYPE_IPV4, `arp` on raw IP) compiles to `ret #0`; libpcap's
//     optimizer reports "expression rejects all packets" instead.
//
// Link types: Ethernet (network header at 14), Linux SLL (16), Linux SLL2
// (20), raw IP as DLT_RAW (101 or 12: the version nibble tells IPv4 from
// IPv6), LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229).
//
// # Differences from libpcap
//
//   - `host 80` (libpcap: 0.0.0.80) and `host 10.1` (libpcap: the network
//     10.1.0.0/16) are refused: host wants a full address. `net N` with N
//     above 255 or in hex is refused too.
//   - `net 10/8` and `net 10.0.0.0 mask 255` are accepted (libpcap wants a
//     dotted address before `/` or `mask`).
//   - The code is not optimised: tests are not shared between primitives,
//     and programs are longer than libpcap's, but they decide the same.
//   - On a live AF_PACKET socket the kernel usually strips the 802.1Q tag
//     before the filter runs (VLAN offload); libpcap then tests the tag
//     with BPF extensions, which this package does not generate, so `vlan`
//     filters are only meaningful where tags stay in the packet (files,
//     sockets without offload).
//
// Programs end in `ret #snaplen` (match) or `ret #0`; conditional jumps
// farther than 255 instructions go through `ja` trampolines, and programs
// over the kernel's 4096-instruction limit are refused.
//
// It imports nothing of sipdbg.
package bpffilter
