"""Minimal classic-pcap reader (stdlib only): enough to pull UDP payloads out
of the lab's captures. Handles link types ether (1), raw (101), null (0),
linux-sll (113), linux-sll2 (276); IPv4 and IPv6 (unfragmented) UDP."""

import struct

LINK_NAMES = {0: "null", 1: "ether", 101: "raw", 113: "linux-sll", 276: "linux-sll2"}


def read_pcap(path):
    """-> (linktype, [(ts_sec, ts_usec, bytes)])"""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise ValueError(f"{path}: not a classic pcap file")
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    pkts, off = [], 24
    while off + 16 <= len(data):
        sec, usec, incl, _orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        pkts.append((sec, usec, data[off:off + incl]))
        off += incl
    return linktype, pkts


def l3(linktype, frame):
    """-> (ethertype, network-layer bytes) or (None, None)."""
    if linktype == 1:
        et, off = struct.unpack("!H", frame[12:14])[0], 14
        while et == 0x8100:
            et, off = struct.unpack("!H", frame[off + 2:off + 4])[0], off + 4
        return et, frame[off:]
    if linktype == 113:
        return struct.unpack("!H", frame[14:16])[0], frame[16:]
    if linktype == 276:
        return struct.unpack("!H", frame[0:2])[0], frame[20:]
    if linktype == 101:
        v = frame[0] >> 4
        return (0x0800 if v == 4 else 0x86DD), frame
    if linktype == 0:
        fam = struct.unpack("<I", frame[:4])[0]
        return (0x0800 if fam == 2 else 0x86DD), frame[4:]
    return None, None


def udp(linktype, frame):
    """-> (src_ip, src_port, dst_ip, dst_port, payload) or None."""
    et, pkt = l3(linktype, frame)
    if et == 0x0800 and pkt and pkt[9] == 17:
        flags_frag = struct.unpack("!H", pkt[6:8])[0]
        if flags_frag & 0x3FFF:  # fragment
            return None
        ihl = (pkt[0] & 0x0F) * 4
        sp, dp, ln = struct.unpack("!HHH", pkt[ihl:ihl + 6])
        return pkt[12:16], sp, pkt[16:20], dp, pkt[ihl + 8:ihl + ln]
    if et == 0x86DD and pkt and pkt[6] == 17:
        sp, dp, ln = struct.unpack("!HHH", pkt[40:46])
        return pkt[8:24], sp, pkt[24:40], dp, pkt[48:40 + ln]
    return None


def hep3_chunks(payload):
    """HEPv3 packet -> list of (vendor, type, value); raises on malformed."""
    if payload[:4] != b"HEP3":
        raise ValueError("not HEP3")
    total = struct.unpack("!H", payload[4:6])[0]
    if total != len(payload):
        raise ValueError(f"HEP3 length {total} != {len(payload)}")
    out, off = [], 6
    while off < total:
        vendor, typ, ln = struct.unpack("!HHH", payload[off:off + 6])
        if ln < 6 or off + ln > total:
            raise ValueError("bad chunk length")
        out.append((vendor, typ, payload[off + 6:off + ln]))
        off += ln
    return out


def hep3_build(chunks):
    body = b"".join(struct.pack("!HHH", v, t, len(val) + 6) + val for v, t, val in chunks)
    return b"HEP3" + struct.pack("!H", len(body) + 6) + body
