#!/usr/bin/env python3
"""Verify the lab captures with tshark (and, for HEP, by decoding the HEPv3
packets here: tshark 4.0 has no HEP dissector) and produce expected.json.

usage: verify-fixtures.py CAPTURES_DIR [--write]
  without --write: compare with CAPTURES_DIR/expected.json, exit 1 on any
                   difference (the per-run timestamps/tags/nonces are not
                   part of expected.json, so a fresh regen must match)
  with --write:    (re)write CAPTURES_DIR/expected.json

Every fixture also has hard assertions (e.g. "some TCP segment carries 2+
SIP messages"); the script exits 1 if one fails.
"""
import json
import os
import subprocess
import sys
import zlib
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "py"))
import pcaplite  # noqa: E402

AGG = "|"
FAILED = []


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print(f"  ASSERTION FAILED: {what}", file=sys.stderr)


def tshark_fields(path, fields, dfilter=None, decode_as=None):
    """Run tshark -T fields; return one list-of-lists per frame (occurrences split)."""
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", f"aggregator={AGG}"]
    if decode_as:
        cmd += ["-d", decode_as]
    if dfilter:
        cmd += ["-Y", dfilter]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        rows.append([c.split(AGG) if c else [] for c in cols])
    return rows


def cmdline(path, fields, dfilter=None, decode_as=None):
    s = "tshark -r " + os.path.basename(path)
    if decode_as:
        s += f" -d {decode_as}"
    if dfilter:
        s += f" -Y '{dfilter}'"
    return s + " -T fields " + " ".join("-e " + f for f in fields)


def sip_summary(path, decode_as=None):
    """SIP messages as tshark sees them: count, Call-IDs, flow, per-frame counts."""
    fields = ["frame.number", "sip.Call-ID", "sip.CSeq.method", "sip.Status-Code",
              "sip.Method", "sip.resend"]
    rows = tshark_fields(path, fields, "sip", decode_as)
    flow, cids, per_frame, resent = [], [], {}, 0
    for frame, cid, cseq_m, codes, methods, resend in rows:
        n = len(cseq_m)
        per_frame[int(frame[0])] = n
        cids += cid
        resent += sum(1 for r in resend if r in ("1", "True"))
        if codes and methods:
            flow.append(f"<frame {frame[0]}: mixed requests/responses>")
        elif codes:
            flow += [f"{c} {m}" for c, m in zip(codes, cseq_m)]
        else:
            flow += methods
    return {
        "sip_msgs": sum(per_frame.values()),
        "call_ids": len(set(cids)),
        "flow": flow,
        "per_frame": per_frame,
        "resent": resent,
        "oracle": cmdline(path, ["frame.number", "sip.Call-ID", "sip.CSeq.method"], "sip", decode_as),
    }


def frame_count(path, dfilter=None, decode_as=None):
    return len(tshark_fields(path, ["frame.number"], dfilter, decode_as))


def base(path, notes):
    linktype, pkts = pcaplite.read_pcap(path)
    return {
        "file": os.path.basename(path),
        "link": pcaplite.LINK_NAMES.get(linktype, str(linktype)),
        "linktype": linktype,
        "packets": len(pkts),
        "notes": notes,
    }


def sip_fields(d, s):
    d["sip_msgs"] = s["sip_msgs"]
    d["call_ids"] = s["call_ids"]
    d["flow"] = s["flow"]
    d["tshark"] = s["oracle"]


# ---------------------------------------------------------------- fixtures

def fx_sll2(path):
    d = base(path, "tcpdump -i any (LINUX_SLL2) of SIPp <-> Kamailio 5.6 over UDP: bob "
                   "REGISTER -> 401 -> REGISTER+Authorization -> 200; alice INVITE -> 407 "
                   "(stateful, t_newtran) -> ACK -> INVITE+Proxy-Authorization -> 100 -> "
                   "relayed to bob's SIPp UAS -> 180/200 -> ACK -> BYE -> 200 through the "
                   "Record-Route. Counts: tshark -Y sip.")
    s = sip_summary(path)
    sip_fields(d, s)
    d["sip_transport"] = "udp"
    d["digest_401"] = s["flow"].count("401 REGISTER")
    d["digest_407"] = s["flow"].count("407 INVITE")
    d["sip_retransmissions"] = s["resent"]
    check(d["link"] == "linux-sll2", "sll2: link type 276")
    check(d["digest_401"] == 1 and d["digest_407"] == 1, "sll2: one 401 and one 407")
    check(d["flow"][:4] == ["REGISTER", "401 REGISTER", "REGISTER", "200 REGISTER"],
          "sll2: REGISTER/401/REGISTER/200 first")
    check("ACK" in d["flow"] and "200 BYE" in d["flow"], "sll2: ACK and 200 BYE present")
    return d


def fx_tcp(path):
    d = base(path, "one TCP connection to Kamailio: a single send() carrying OPTIONS + "
                   "REGISTER + OPTIONS (one segment, 3 SIP messages) -> 200, 401, 200; "
                   "then the authenticated REGISTER written in 3 pieces 50 ms apart with "
                   "TCP_NODELAY (3 segments, reassembled by tshark) -> 200. "
                   "Counts: tshark -Y sip; a frame with several messages gives "
                   "several values per field.")
    s = sip_summary(path)
    sip_fields(d, s)
    multi = {f: n for f, n in s["per_frame"].items() if n >= 2}
    d["sip_transport"] = "tcp"
    d["tcp_segments_with_multiple_sip"] = len(multi)
    d["max_sip_per_segment"] = max(s["per_frame"].values())
    seg = tshark_fields(path, ["frame.number", "tcp.segment.count"], "sip && tcp.segment.count")
    d["sip_split_across_segments"] = len(seg)
    d["segments_of_split_message"] = [int(c[0]) for _, c in seg]
    d["tcp_segments_with_payload"] = frame_count(path, "tcp.len > 0")
    d["tshark_split"] = "tshark -r %s -Y 'sip && tcp.segment.count' -T fields -e frame.number -e tcp.segment.count" % d["file"]
    check(d["tcp_segments_with_multiple_sip"] >= 1, "tcp: a segment with 2+ SIP messages")
    check(d["sip_split_across_segments"] >= 1, "tcp: a SIP message split across segments")
    return d


def fx_ws(path, port):
    da = f"tcp.port=={port},http"
    d = base(path, "SIP over WebSocket (RFC 7118, Sec-WebSocket-Protocol: sip) to Kamailio's "
                   "websocket module: HTTP upgrade, masked text frame REGISTER -> unmasked 401; "
                   "authenticated REGISTER as one fragmented message (text FIN=0 + "
                   "continuation FIN=1, both masked, separate TCP segments) -> 200; masked "
                   f"close -> close. Counts: tshark -d {da} -Y sip.")
    s = sip_summary(path, da)
    sip_fields(d, s)
    d["sip_transport"] = "ws"
    d["decode_as"] = da
    rows = tshark_fields(path, ["websocket.opcode", "websocket.fin", "websocket.mask"],
                         "websocket", da)
    frames = []
    for ops, fins, masks in rows:
        frames += zip(ops, fins, masks)
    truthy = ("1", "True")
    d["ws_frames"] = len(frames)
    d["ws_masked_frames"] = sum(1 for _, _, m in frames if m in truthy)
    d["ws_unmasked_frames"] = sum(1 for _, _, m in frames if m not in truthy)
    d["ws_fragmented_messages"] = sum(1 for o, f, _ in frames if o in ("1", "2") and f not in truthy)
    d["ws_continuation_frames"] = sum(1 for o, _, _ in frames if o == "0")
    d["ws_close_frames"] = sum(1 for o, _, _ in frames if o == "8")
    d["tshark_ws"] = f"tshark -r {d['file']} -d {da} -Y websocket -T fields -e websocket.opcode -e websocket.fin -e websocket.mask"
    check(d["ws_masked_frames"] >= 3, "ws: masked client frames")
    check(d["ws_fragmented_messages"] == 1, "ws: one fragmented message")
    check(d["sip_msgs"] == 4, "ws: 4 SIP messages (REGISTER, 401, REGISTER, 200)")
    return d


def fx_frag(path, v6):
    fam = "IPv6" if v6 else "IPv4"
    fragf = "ipv6.fraghdr" if v6 else "ip.flags.mf == 1 || ip.frag_offset > 0"
    reasm = "ipv6.reassembled.length" if v6 else "ip.reassembled.length"
    count = "ipv6.fragment.count" if v6 else "ip.fragment.count"
    mtu = 1280 if v6 else 576
    d = base(path, f"SIP over {fam} UDP inside a private network namespace whose lo has "
                   f"MTU {mtu}: SIPp sends a ~3 KB INVITE (large SDP), the kernel fragments "
                   f"it; SIPp UAS answers 180/200, then ACK, BYE, 200 (unfragmented). "
                   f"Counts: tshark -Y sip (after IP reassembly).")
    s = sip_summary(path)
    sip_fields(d, s)
    d["sip_transport"] = "udp"
    d["ip_version"] = 6 if v6 else 4
    d["link_mtu"] = mtu
    d["ip_fragments"] = frame_count(path, fragf)
    r = tshark_fields(path, ["frame.number", reasm, count], f"sip && {reasm}")
    d["sip_from_ip_reassembly"] = len(r)
    d["fragments_per_datagram"] = [int(c[0]) for _, _, c in r]
    d["reassembled_ip_payload_bytes"] = [int(x[0]) for _, x, _ in r]
    d["tshark_frag"] = f"tshark -r {d['file']} -Y 'sip && {reasm}' -T fields -e frame.number -e {reasm} -e {count}"
    check(d["sip_from_ip_reassembly"] >= 1, f"{fam}: SIP from IP reassembly")
    check(d["ip_fragments"] >= 2, f"{fam}: fragments present")
    return d


def hep_packets(path, port):
    linktype, pkts = pcaplite.read_pcap(path)
    out = []
    for _s, _u, frame in pkts:
        u = pcaplite.udp(linktype, frame)
        if u and u[3] == port and u[4][:4] == b"HEP3":
            out.append(pcaplite.hep3_chunks(u[4]))
    return out


def hep_sip(chunks):
    for v, t, val in chunks:
        if v == 0 and t == 15:
            return val, False
        if v == 0 and t == 16:
            return zlib.decompress(val), True
    return None, False


def call_id(msg):
    for line in msg.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() in (b"call-id", b"i"):
            return v.strip().decode()
    return None


def fx_hep(path, port, compressed, sll2_msgs=None, plain_payloads=None, wire_flow=None):
    pk = hep_packets(path, port)
    payloads, ncomp, types, stamps = [], 0, Counter(), []
    for chunks in pk:
        for v, t, val in chunks:
            types[t] += 1
            if v == 0 and t == 9:
                sec = int.from_bytes(val, "big")
            if v == 0 and t == 10:
                usec = int.from_bytes(val, "big")
        stamps.append(sec * 1_000_000 + usec)
        p, c = hep_sip(chunks)
        payloads.append(p)
        ncomp += c
    if compressed:
        notes = ("HEPv3 over UDP to 127.0.0.1:%d, made by py/hep_compress.py from hep3.pcap: "
                 "identical chunks except the SIP payload chunk (type 15) replaced by a "
                 "zlib-compressed payload chunk (type 16, zlib.compress format). "
                 "tshark 4.0 has no HEP dissector: counts are by construction and by "
                 "decoding the HEP chunks (verify-fixtures.py)." % port)
    else:
        notes = ("HEPv3 over UDP to 127.0.0.1:%d from Kamailio's siptrace module "
                 "(hep_mode_on, hep_version 3, trace_mode 1 = every SIP message Kamailio "
                 "receives or sends), recorded during the sll2-register-auth.pcap run, so it "
                 "mirrors the same %s SIP messages (Kamailio is one end of every message). "
                 "Source port is Kamailio's SIP port. Neither the HEP arrival order nor the HEP timestamps (chunks 9/10) always follow the wire order: siptrace mirrors from several worker processes and stamps a sent message after sending it (see hep_*_order_matches_wire). tshark 4.0 has no HEP dissector: counts "
                 "are by construction and by decoding the HEP chunks (verify-fixtures.py)."
                 % (port, sll2_msgs if sll2_msgs is not None else "N"))
    d = base(path, notes)
    good = [p for p in payloads if p]
    d["hep_packets"] = len(pk)
    d["sip_msgs"] = len(good)
    d["call_ids"] = len({call_id(p) for p in good})
    d["hep_compressed"] = ncomp
    d["hep_chunk_types"] = {str(k): v for k, v in sorted(types.items())}
    d["tshark_sip_msgs"] = frame_count(path, "sip")
    first = lambda p: p.split(b"\r\n", 1)[0].decode()
    flow = []
    for p in good:
        fl = first(p)
        if fl.startswith("SIP/2.0"):
            cseq = [ln for ln in p.split(b"\r\n") if ln.lower().startswith(b"cseq:")][0]
            flow.append(fl.split()[1] + " " + cseq.split()[-1].decode())
        else:
            flow.append(fl.split()[0])
    d["flow"] = flow
    check(len(good) == len(pk), f"{d['file']}: every HEP packet has a SIP payload")
    check(d["tshark_sip_msgs"] == 0, f"{d['file']}: tshark sees no SIP (no HEP dissector)")
    if compressed:
        check(ncomp == len(pk) and ncomp > 0, "hep3-compressed: every payload compressed")
        check(plain_payloads == good, "hep3-compressed: payloads decompress to hep3.pcap's")
    else:
        check(ncomp == 0, "hep3: no compressed payloads")
        if sll2_msgs is not None:
            check(len(good) == sll2_msgs, "hep3: as many HEP packets as SIP messages in sll2")
    if wire_flow is not None:
        # informational: siptrace mirrors from several worker processes, so the
        # HEP arrival order can differ from the wire order (seen: ACK before 407)
        d["hep_arrival_order_matches_wire"] = flow == wire_flow
        # siptrace stamps a sent message after sending it, so a fast answer
        # can carry an earlier HEP timestamp than the request it answers
        by_ts = [f for _, f in sorted(zip(stamps, flow), key=lambda x: x[0])]
        d["hep_timestamp_order_matches_wire"] = by_ts == wire_flow
    return d, good


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cap = sys.argv[1]
    write = "--write" in sys.argv[2:]
    ws_port = int(os.environ.get("WS_PORT", "8090"))
    hep_port = int(os.environ.get("HEP_PORT", "9060"))
    P = lambda f: os.path.join(cap, f)

    fx = []
    sll2 = fx_sll2(P("sll2-register-auth.pcap"))
    fx.append(sll2)
    hep, plain = fx_hep(P("hep3.pcap"), hep_port, False, sll2["sip_msgs"], wire_flow=sll2["flow"])
    fx.append(hep)
    hepc, _ = fx_hep(P("hep3-compressed.pcap"), hep_port, True, plain_payloads=plain)
    fx.append(hepc)
    fx.append(fx_tcp(P("tcp-multi-per-segment.pcap")))
    fx.append(fx_ws(P("ws-masked.pcap"), ws_port))
    fx.append(fx_frag(P("ipv6-frag-udp.pcap"), True))
    if os.path.exists(P("ipv4-frag-udp.pcap")):
        fx.append(fx_frag(P("ipv4-frag-udp.pcap"), False))

    for d in fx:
        d["bytes"] = os.path.getsize(P(d["file"]))
        check(d["bytes"] < 200_000, f"{d['file']}: under 200 KB")
        extra = {k: v for k, v in d.items() if k not in ("notes", "flow", "file") and not k.startswith("tshark")}
        print(f"{d['file']}: {json.dumps(extra)}", file=sys.stderr)

    doc = {
        "generated_by": "testdata/lab/regen-fixtures.sh (verify-fixtures.py)",
        "tool_versions": tool_versions(),
        "fixtures": fx,
    }
    path = P("expected.json")
    if write:
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print(f"wrote {path}", file=sys.stderr)
    else:
        old = json.load(open(path))
        # values that legitimately change from run to run (pids in tags and
        # Call-IDs change sizes; HEP arrival order depends on process timing)
        volatile = {"bytes", "reassembled_ip_payload_bytes", "hep_arrival_order_matches_wire",
                    "hep_timestamp_order_matches_wire", "packets"}
        strip = lambda fs: [{k: v for k, v in d.items()
                             if k not in volatile and not (k == "flow" and "hep_packets" in d)}
                            for d in fs]
        if strip(old["fixtures"]) != strip(fx):
            FAILED.append("expected.json differs from the captures")
            print("  expected.json differs from what the captures give", file=sys.stderr)
    if FAILED:
        print(f"{len(FAILED)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("all fixture checks passed", file=sys.stderr)


def tool_versions():
    def first(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
            out = (r.stdout + r.stderr).strip().splitlines()
            return next((l.strip() for l in out if l.strip() and "Running as" not in l), "")
        except OSError:
            return ""
    return {
        "kamailio": first(["kamailio", "-v"]),
        "sipp": first(["sipp", "-v"]),
        "tcpdump": first(["tcpdump", "--version"]),
        "tshark": first(["tshark", "--version"]),
        "kernel": os.uname().release,
    }


if __name__ == "__main__":
    main()
