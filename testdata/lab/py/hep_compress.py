#!/usr/bin/env python3
"""Re-send the HEPv3 packets of a capture with the SIP payload compressed.

Reads every HEPv3 packet sent to UDP port DPORT in IN.pcap, replaces the
payload chunk (vendor 0, type 15) by a zlib-compressed payload chunk
(vendor 0, type 16, zlib.compress() i.e. zlib format with header), keeps all
other chunks (ip family/proto, addresses, ports, timestamps, proto type,
capture id, correlation id...) and sends each rebuilt packet over UDP from
SRC_PORT to HOST:DPORT.

usage: hep_compress.py IN.pcap HOST DPORT [SRC_PORT]
"""
import socket
import sys
import time
import zlib

import pcaplite


def main():
    src, host, dport = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sport = int(sys.argv[4]) if len(sys.argv) > 4 else 9061
    linktype, pkts = pcaplite.read_pcap(src)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((host, sport))
    sent = 0
    for _sec, _usec, frame in pkts:
        u = pcaplite.udp(linktype, frame)
        if not u or u[3] != dport or u[4][:4] != b"HEP3":
            continue
        chunks = pcaplite.hep3_chunks(u[4])
        out = []
        for vendor, typ, val in chunks:
            if vendor == 0 and typ == 15:
                out.append((0, 16, zlib.compress(val)))
            else:
                out.append((vendor, typ, val))
        if not any(t == 16 for _, t, _ in out):
            sys.exit("packet without a type-15 payload chunk")
        sock.sendto(pcaplite.hep3_build(out), (host, dport))
        sent += 1
        time.sleep(0.01)
    print(f"hep_compress: re-sent {sent} HEPv3 packets with zlib payload (chunk 16)")
    if sent == 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
