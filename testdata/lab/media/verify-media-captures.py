#!/usr/bin/env python3
"""Verify the media-lab captures with tshark and produce expected.json.

usage: verify-media-captures.py CAPTURES_DIR [--write] [--failed FILE] [--only NAME...]
  without --write: recompute everything from the captures and compare with
                   CAPTURES_DIR/expected.json (exit 1 on a difference):
                   counts, addresses, SSRCs, payload types, DTMF digits
                   exactly; jitter and delta within 0.1 ms or 5 %
  with --write:    (re)write CAPTURES_DIR/expected.json from the captures
  --only NAME...:  only these scenarios (trial runs of the regen script)
  --failed FILE:   write the names of the captures that failed an assertion
                   (random loss or a loaded machine can miss a threshold),
                   one a line, so that the regen script records them again

The oracle is tshark 4.0:
  streams  tshark -n -r F -q -z rtp,streams   (RTP found from the SDP tshark
           saw in the capture: the default; the same command with
           -o rtp.heuristic_rtp:TRUE is run too and must find the same
           streams, recorded as streams_heuristic_same)
  packets  tshark -Y rtp -T fields (payload type and UDP length per packet)
  rtcp     tshark -Y "rtcp || srtcp" (packet types, SR/RR report blocks)
  dtmf     tshark -Y rtpevent -T fields -e frame.number -e rtpevent.event_id
           -e rtpevent.end_of_event -e rtpevent.duration (grouped per event
           by RTP timestamp)
  sip/sdp  tshark -Y sip / -Y sdp -T fields

The verdicts (`expect`: code, severity, reason; `absent`: code, reason)
were written by hand from these tshark outputs before sipdbg analysed any
of the captures; the numbers in the reasons are filled in from each
capture, and every expected or absent code has an assertion on the
packets here, so a regenerated capture keeps its verdict or fails.

Thresholds assumed for the warnings: media-loss when a stream lost >= 3 %
of its packets (RFC 3550 A.3 expected - received); media-jitter when a
stream's max interarrival jitter (RFC 3550 A.8, as tshark computes it)
is >= 30 ms.

Roles are addresses: 127.0.0.1 proxy, 127.0.0.10 alice, 127.0.0.20 bob.
"""
import json
import os
import re
import subprocess
import sys

ROLES = {"127.0.0.1": "proxy", "127.0.0.10": "alice", "127.0.0.20": "bob", "127.0.0.30": "carol"}
ALICE, BOB = "127.0.0.10", "127.0.0.20"
PROXY_IP, ALICE_IP, BOB_IP = "127.0.0.1", ALICE, BOB
LOSS_WARN = 3.0  # % lost
JITTER_WARN = 30.0  # ms, max interarrival jitter
MEDIA_CODES = ["one-way-media", "no-media", "media-address-mismatch", "media-loss", "media-jitter",
               "codec-mismatch", "dtmf-mismatch", "srtp-mismatch"]
DIGITS = "0123456789*#ABCD"
FAILED = []


class CheckError(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise CheckError(msg)


def role(ip):
    return ROLES.get(ip, ip)


def tshark(path, *args):
    out = subprocess.run(["tshark", "-n", "-r", path, *args], check=True, capture_output=True, text=True)
    return out.stdout


ALL_FIELDS = ["frame.number", "frame.time_relative", "frame.protocols", "ip.src", "ip.dst", "udp.srcport",
              "udp.dstport", "udp.length", "_ws.col.Protocol", "sip.Method", "sip.Status-Code", "sip.Status-Line",
              "sip.CSeq.seq", "sip.CSeq.method", "sdp.connection_info", "sdp.media", "sdp.media_attr", "rtp.ssrc",
              "rtp.p_type", "rtp.timestamp", "rtp.marker", "rtpevent.event_id", "rtpevent.end_of_event",
              "rtpevent.duration", "rtcp.pt", "rtcp.senderssrc", "rtcp.ssrc.identifier", "rtcp.ssrc.fraction",
              "rtcp.ssrc.cum_nr", "rtcp.ssrc.jitter"]
_ROWS = {}


def fields(path, filt, names):
    """rows of the frames whose protocols include one of filt ('a || b'),
    from one tshark pass per capture (all fields at once)"""
    if path not in _ROWS:
        args = ["-Y", "sip || sdp || rtp || rtcp || srtcp", "-T", "fields", "-E", "occurrence=a",
                "-E", "aggregator=|"]
        for n in ALL_FIELDS:
            args += ["-e", n]
        rows = []
        for line in tshark(path, *args).splitlines():
            vals = line.split("\t")
            vals += [""] * (len(ALL_FIELDS) - len(vals))
            r = dict(zip(ALL_FIELDS, vals))
            r["_protos"] = set(r["frame.protocols"].split(":"))
            rows.append(r)
        _ROWS[path] = rows
    want = {f.strip() for f in filt.split("||")}
    return [r for r in _ROWS[path] if r["_protos"] & want]


# --------------------------------------------------------------------------
# tshark extraction
# --------------------------------------------------------------------------
STREAM_RE = re.compile(
    r"^\s*([\d.]+)\s+([\d.]+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(0x[0-9A-Fa-f]+)\s+(.+?)\s+(\d+)\s+"
    r"(-?\d+) \((-?[\d.]+)%\)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*(X?)\s*$")


def rtp_streams(path, heuristic=False):
    args = ["-q", "-z", "rtp,streams"]
    if heuristic:
        args = ["-o", "rtp.heuristic_rtp:TRUE"] + args
    streams = []
    for line in tshark(path, *args).splitlines():
        m = STREAM_RE.match(line)
        if not m:
            continue
        g = m.groups()
        streams.append(dict(
            src=f"{g[2]}:{g[3]}", dst=f"{g[4]}:{g[5]}", direction=f"{role(g[2])}>{role(g[4])}",
            ssrc=g[6].lower(), payload=g[7], packets=int(g[8]), lost=int(g[9]), lost_pct=float(g[10]),
            start=float(g[0]), end=float(g[1]),
            min_delta_ms=float(g[11]), mean_delta_ms=float(g[12]), max_delta_ms=float(g[13]),
            min_jitter_ms=float(g[14]), mean_jitter_ms=float(g[15]), max_jitter_ms=float(g[16]),
            problem=g[17] == "X"))
    return streams


def rtp_packets(path, streams):
    """payload types and UDP lengths per stream (by src, dst, ssrc)"""
    rows = fields(path, "rtp", ["ip.src", "udp.srcport", "ip.dst", "udp.dstport", "rtp.ssrc", "rtp.p_type",
                                "udp.length"])
    per = {}
    for r in rows:
        key = (f"{r['ip.src']}:{r['udp.srcport']}", f"{r['ip.dst']}:{r['udp.dstport']}",
               "0x%08x" % int(r["rtp.ssrc"], 16))
        d = per.setdefault(key, {"pt": {}, "udp_len": {}})
        d["pt"][r["rtp.p_type"]] = d["pt"].get(r["rtp.p_type"], 0) + 1
        d["udp_len"][r["udp.length"]] = d["udp_len"].get(r["udp.length"], 0) + 1
    for s in streams:
        d = per.get((s["src"], s["dst"], s["ssrc"]), {"pt": {}, "udp_len": {}})
        s["payload_types"] = {k: d["pt"][k] for k in sorted(d["pt"], key=int)}
        s["udp_lengths"] = {k: d["udp_len"][k] for k in sorted(d["udp_len"], key=int)}
    return len(rows)


def sip_flow(path):
    rows = fields(path, "sip", ["frame.number", "frame.time_relative", "ip.src", "ip.dst", "sip.Method",
                                "sip.Status-Code", "sip.Status-Line", "sip.CSeq.seq", "sip.CSeq.method"])
    flow, msgs = [], []
    for r in rows:
        t = float(r["frame.time_relative"])
        what = r["sip.Method"] or r["sip.Status-Line"].replace("SIP/2.0 ", "")
        flow.append(f"f{r['frame.number']} +{t:.3f} {role(r['ip.src'])}>{role(r['ip.dst'])} {what} "
                    f"(CSeq {r['sip.CSeq.seq']} {r['sip.CSeq.method']})")
        msgs.append(dict(frame=int(r["frame.number"]), t=t, src=r["ip.src"], dst=r["ip.dst"],
                         method=r["sip.Method"], status=r["sip.Status-Code"], cseq=r["sip.CSeq.method"]))
    return flow, msgs


def sdps(path):
    rows = fields(path, "sdp", ["frame.number", "ip.src", "ip.dst", "sip.Method", "sip.Status-Code",
                                "sdp.connection_info", "sdp.media", "sdp.media_attr"])
    out = []
    for r in rows:
        c = r["sdp.connection_info"].split("|")[0].split()[-1]
        m = r["sdp.media"].split("|")[0].split()
        attrs = r["sdp.media_attr"].split("|") if r["sdp.media_attr"] else []
        rtpmap = [a[len("rtpmap:"):] for a in attrs if a.startswith("rtpmap:")]
        out.append(dict(frame=int(r["frame.number"]), hop=f"{role(r['ip.src'])}>{role(r['ip.dst'])}",
                        msg=r["sip.Method"] or r["sip.Status-Code"], c=c, port=int(m[1]), proto=m[2],
                        pts=m[3:], rtpmap=rtpmap, crypto=any(a.startswith("crypto:") for a in attrs),
                        rtcp_mux=any(a == "rtcp-mux" for a in attrs),
                        dir=next((a for a in attrs if a in ("sendrecv", "sendonly", "recvonly", "inactive")),
                                 "sendrecv")))
    return out


def sdp_str(s):
    return (f"f{s['frame']} {s['hop']} {s['msg']}: c={s['c']} m=audio {s['port']} {s['proto']} "
            f"{' '.join(s['pts'])}" + (" a=crypto" if s["crypto"] else "") + (" a=rtcp-mux" if s["rtcp_mux"] else "")
            + (" [" + ", ".join(s["rtpmap"]) + "]" if s["rtpmap"] else ""))


def rtcp(path):
    rows = fields(path, "rtcp || srtcp", ["frame.number", "frame.time_relative", "ip.src", "udp.srcport", "ip.dst",
                                          "udp.dstport", "_ws.col.Protocol", "rtcp.pt", "rtcp.senderssrc",
                                          "rtcp.ssrc.identifier", "rtcp.ssrc.fraction", "rtcp.ssrc.cum_nr",
                                          "rtcp.ssrc.jitter"])
    names = {"200": "SR", "201": "RR", "202": "SDES", "203": "BYE", "204": "APP", "205": "RTPFB", "206": "PSFB"}
    out = []
    for r in rows:
        pts = [names.get(p, p) for p in r["rtcp.pt"].split("|") if p]
        line = (f"f{r['frame.number']} +{float(r['frame.time_relative']):.3f} {r['_ws.col.Protocol']} "
                f"{role(r['ip.src'])}:{r['udp.srcport']}>{role(r['ip.dst'])}:{r['udp.dstport']} {'+'.join(pts)}")
        if r["rtcp.ssrc.fraction"]:
            # report blocks come first; SDES chunks and BYE reuse rtcp.ssrc.identifier
            ids = r["rtcp.ssrc.identifier"].split("|")
            fr = r["rtcp.ssrc.fraction"].split("|")
            cum = r["rtcp.ssrc.cum_nr"].split("|")
            jit = r["rtcp.ssrc.jitter"].split("|")
            for i, ident in enumerate(ids[:len(fr)]):
                line += (f"; report block on 0x{int(ident, 16) if ident.startswith('0x') else int(ident):08x}: "
                         f"fraction lost {fr[i]}/256, cumulative lost {cum[i]}, jitter {jit[i]} (timestamp units)")
        out.append(line)
    return out


def dtmf(path):
    rows = fields(path, "rtpevent", ["frame.number", "frame.time_relative", "ip.src", "ip.dst", "rtp.p_type",
                                     "rtp.timestamp", "rtp.marker", "rtpevent.event_id",
                                     "rtpevent.end_of_event", "rtpevent.duration"])
    events = {}
    order = []
    for r in rows:
        key = (r["ip.src"], r["rtp.timestamp"])
        if key not in events:
            order.append(key)
            ev = int(r["rtpevent.event_id"])
            events[key] = dict(digit=DIGITS[ev] if ev < 16 else str(ev), event_id=ev,
                               direction=f"{role(r['ip.src'])}>{role(r['ip.dst'])}", pt=int(r["rtp.p_type"]),
                               first_frame=int(r["frame.number"]), start=round(float(r["frame.time_relative"]), 3),
                               marker=r["rtp.marker"] in ("1", "True"), packets=0, end_packets=0,
                               end_frame=None, end=None, duration=0)
        e = events[key]
        e["packets"] += 1
        e["duration"] = max(e["duration"], int(r["rtpevent.duration"]))
        if r["rtpevent.end_of_event"] in ("1", "True"):
            e["end_packets"] += 1
            if e["end_frame"] is None:
                e["end_frame"] = int(r["frame.number"])
                e["end"] = round(float(r["frame.time_relative"]), 3)
    out = []
    for k in order:
        e = events[k]
        e["duration_ms"] = e["duration"] / 8.0
        out.append(e)
    return out


def analyse(path):
    flow, msgs = sip_flow(path)
    streams = rtp_streams(path)
    heur = rtp_streams(path, heuristic=True)
    nrtp = rtp_packets(path, streams)
    key = lambda s: (s["src"], s["dst"], s["ssrc"], s["packets"])
    return dict(flow=flow, msgs=msgs, sdp=sdps(path), streams=streams,
                heuristic_same=sorted(map(key, streams)) == sorted(map(key, heur)),
                heuristic=[f"{s['src']}>{s['dst']} {s['ssrc']} {s['payload']} {s['packets']} pkts" for s in heur],
                rtp_packets=nrtp, rtcp=rtcp(path), dtmf=dtmf(path))


# --------------------------------------------------------------------------
# checks shared by the scenarios
# --------------------------------------------------------------------------
def stream(a, direction):
    s = [x for x in a["streams"] if x["direction"] == direction]
    need(len(s) == 1, f"expected exactly one {direction} stream, found {len(s)}")
    return s[0]


def call_connected(a):
    oks = [m for m in a["msgs"] if m["status"] == "200" and m["cseq"] == "INVITE"]
    acks = [m for m in a["msgs"] if m["method"] == "ACK"]
    byes = [m for m in a["msgs"] if m["method"] == "BYE"]
    need(oks and acks and byes, "call not connected (200 INVITE / ACK / BYE missing)")
    bye_ok = [m for m in a["msgs"] if m["status"] == "200" and m["cseq"] == "BYE"]
    need(bye_ok, "BYE not answered 200")
    return dict(ok=oks[-1]["frame"], ack=acks[0]["frame"], bye=byes[0]["frame"], t_ack=acks[0]["t"],
                t_bye=byes[0]["t"], call_s=round(byes[0]["t"] - acks[0]["t"], 2))


def sdp_at(a, hop, msg):
    s = [x for x in a["sdp"] if x["hop"] == hop and x["msg"] == msg]
    need(s, f"no SDP {msg} on {hop}")
    return s[0]


def offer_answer(a):
    """the offer alice sent and the answer she received"""
    return sdp_at(a, "alice>proxy", "INVITE"), sdp_at(a, "proxy>alice", "200")


def both_ways(a, lost_zero=True):
    ab, ba = stream(a, "alice>bob"), stream(a, "bob>alice")
    for s in (ab, ba):
        need(s["packets"] >= 50, f"{s['direction']}: only {s['packets']} packets")
        if lost_zero:
            need(s["lost"] == 0, f"{s['direction']}: lost {s['lost']}")
    return ab, ba


def fmt_stream(s):
    return (f"{s['direction']} {s['src']} > {s['dst']} SSRC {s['ssrc']} {s['payload']}: {s['packets']} packets, "
            f"lost {s['lost']} ({s['lost_pct']}%), max delta {s['max_delta_ms']} ms, jitter mean "
            f"{s['mean_jitter_ms']} / max {s['max_jitter_ms']} ms")


def absent_reasons(a, skip):
    """a reason, computed from the packets, for every media code not in skip"""
    out = []
    streams = a["streams"]
    dirs = sorted({s["direction"] for s in streams})
    sd = a["sdp"]

    def add(code, reason):
        if code not in skip:
            out.append(dict(code=code, reason=reason))

    if "one-way-media" not in skip:
        need(all(">".join(reversed(d.split(">"))) in dirs for d in dirs), "media is one-way")
        add("one-way-media", "RTP flows both ways: " + "; ".join(
            f"{s['direction']} {s['packets']} packets" for s in streams) if streams else
            "no RTP at all (that is no-media, not one-way)")
    if "no-media" not in skip:
        answered = [m for m in a["msgs"] if m["status"] == "200" and m["cseq"] == "INVITE"]
        if answered:
            need(a["rtp_packets"] > 0, "no RTP")
            add("no-media", f"{a['rtp_packets']} RTP packets in {len(streams)} streams")
        else:
            need(a["rtp_packets"] == 0, "RTP without a 200 to the INVITE")
            add("no-media", "no 200 to the INVITE: the call never connected, so no media was due")
    if "media-address-mismatch" not in skip:
        eps = {(x["c"], x["port"]) for x in sd}
        for s in streams:
            ip, port = s["src"].rsplit(":", 1)
            need((ip, int(port)) in eps, f"{s['direction']} source {s['src']} is in no SDP")
            ip, port = s["dst"].rsplit(":", 1)
            need((ip, int(port)) in eps, f"{s['direction']} destination {s['dst']} is in no SDP")
        add("media-address-mismatch", "every stream comes from and goes to the c=/m= address:port of an SDP in "
            "the call: " + "; ".join(f"{s['direction']} {s['src']} > {s['dst']}" for s in streams)
            if streams else "no RTP")
    if "media-loss" not in skip:
        worst = max((s["lost_pct"] for s in streams), default=0.0)
        need(worst < LOSS_WARN, f"loss {worst}% >= {LOSS_WARN}%")
        add("media-loss", f"highest loss in any stream {worst}% (< {LOSS_WARN}%): " + ", ".join(
            f"{s['direction']} lost {s['lost']}" for s in streams) if streams else "no RTP")
    if "media-jitter" not in skip:
        worst = max((s["max_jitter_ms"] for s in streams), default=0.0)
        need(worst < JITTER_WARN, f"max jitter {worst} ms >= {JITTER_WARN} ms")
        add("media-jitter", f"highest max jitter in any stream {worst} ms (< {JITTER_WARN} ms)"
            if streams else "no RTP")
    neg = set()
    for x in sd:
        neg |= set(x["pts"])
    if "codec-mismatch" not in skip:
        used = {pt for s in streams for pt in s["payload_types"]}
        need(used <= neg, f"payload types {sorted(used - neg)} not in any SDP")
        add("codec-mismatch", f"payload types sent {sorted(used, key=int)} are all in the SDP "
            f"(offered/answered {sorted(neg, key=int)})" if streams else "no RTP")
    if "dtmf-mismatch" not in skip:
        te = [x for x in sd if any("telephone-event" in r for r in x["rtpmap"])]
        if a["dtmf"]:
            pts = {e["pt"] for e in a["dtmf"]}
            need(all(str(p) in x["pts"] for p in pts for x in sd), "DTMF payload type not negotiated")
            add("dtmf-mismatch", f"RFC 4733 events sent with payload type {sorted(pts)}, offered and answered as "
                "telephone-event/8000 in every SDP")
        else:
            add("dtmf-mismatch", "no RFC 4733 event in the capture" +
                (" (telephone-event negotiated, never used)" if te else ""))
    if "srtp-mismatch" not in skip:
        savp = [x for x in sd if x["proto"] == "RTP/SAVP"]
        crypto = [x for x in sd if x["crypto"]]
        if savp:
            need(len(savp) == len(sd) and len(crypto) == len(sd), "SAVP not in every SDP")
            lens = sorted({int(k) for s in streams for k in s["udp_lengths"]})
            add("srtp-mismatch", f"every SDP (offer and answer, both hops) is RTP/SAVP with a=crypto; the RTP "
                f"is SRTP both ways (UDP lengths {lens}: 8 + 12 header + 160 PCMU + 10-byte HMAC-SHA1-80 tag)")
        else:
            need(not crypto, "a=crypto without SAVP")
            add("srtp-mismatch", "no RTP/SAVP and no a=crypto in any SDP; plain RTP (UDP lengths " +
                str(sorted({int(k) for s in streams for k in s["udp_lengths"]})) + ")")
    return out


# --------------------------------------------------------------------------
# scenarios: each check returns the facts its reasons are filled from
# --------------------------------------------------------------------------
BARESIP = "baresip {baresip}"
KAM = "Kamailio {kamailio} (kamailio-media.cfg)"
SIPP = "SIPp {sipp}"
BARESIP_A = BARESIP + " alice (PCMU, 1 kHz tone from aufile, dials bob via outbound proxy, hangs up at the end of its run)"
BARESIP_B = BARESIP + " bob (answermode=auto, PCMU, 440 Hz tone)"


def chk_clean(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    need(ab["payload_types"] == {"0": ab["packets"]} and ba["payload_types"] == {"0": ba["packets"]}, "not all PCMU")
    need(any("SR" in r for r in a["rtcp"] if "alice:" in r.split()[3][:6]), "no SR from alice")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba))


def chk_one_way(a):
    c = call_connected(a)
    ab = stream(a, "alice>bob")
    need(not [s for s in a["streams"] if s["direction"] == "bob>alice"], "bob>alice RTP present")
    need(ab["packets"] >= 50 and ab["lost"] == 0, "alice>bob stream too short or lossy")
    ans = sdp_at(a, "proxy>alice", "200")
    return dict(c, ab=fmt_stream(ab), ans_port=ans["port"], bob_c=ans["c"],
                alice_port=sdp_at(a, "alice>proxy", "INVITE")["port"])


def chk_no_media(a):
    c = call_connected(a)
    need(a["rtp_packets"] == 0 and not a["streams"] and not a["rtcp"], "RTP/RTCP present")
    off, ans = offer_answer(a)
    return dict(c, off=f"{off['c']}:{off['port']}", ans=f"{ans['c']}:{ans['port']}")


def chk_loss(a):
    c = call_connected(a)
    ab, ba = both_ways(a, lost_zero=False)
    need(ab["lost"] == 0, "alice>bob lost packets")
    need(ba["lost_pct"] >= LOSS_WARN, f"bob>alice loss {ba['lost_pct']}% < {LOSS_WARN}%")
    need(ba["max_jitter_ms"] < JITTER_WARN, "jitter too high")
    rr = [r for r in a["rtcp"] if r.split()[3].startswith("alice:") and "report block" in r]
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), lost=ba["lost"], pct=ba["lost_pct"],
                expected=ba["packets"] + ba["lost"], rtcp=rr[0] if rr else "none")


def chk_jitter(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    need(ba["max_jitter_ms"] >= JITTER_WARN, f"bob>alice max jitter {ba['max_jitter_ms']} < {JITTER_WARN}")
    need(ab["max_jitter_ms"] < JITTER_WARN, f"alice>bob max jitter {ab['max_jitter_ms']} >= {JITTER_WARN}")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), maxj=ba["max_jitter_ms"], meanj=ba["mean_jitter_ms"],
                maxd=ba["max_delta_ms"], ab_maxj=ab["max_jitter_ms"])


def chk_dtmf(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    digits = "".join(e["digit"] for e in a["dtmf"])
    need(digits == "123#", f"digits {digits!r} != '123#'")
    need(all(e["direction"] == "alice>bob" and e["pt"] == 101 and e["end_frame"] and e["marker"]
             for e in a["dtmf"]), "event not alice>bob PT 101 with marker and end")
    need(set(ab["payload_types"]) == {"0", "101"}, "alice>bob payload types")
    ev = "; ".join(f"{e['digit']} at +{e['start']} s (f{e['first_frame']}, end f{e['end_frame']} +{e['end']} s, "
                   f"{e['duration_ms']} ms, {e['end_packets']} end packets)" for e in a["dtmf"])
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), digits=digits, events=ev)


def chk_addr(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    bob_ans, alice_ans = sdp_at(a, "bob>proxy", "200"), sdp_at(a, "proxy>alice", "200")
    need(alice_ans["port"] == 17000 and bob_ans["port"] != 17000, "answer not rewritten")
    need(ab["dst"] == f"{BOB}:17000", f"alice sends to {ab['dst']}")
    need(ba["src"] == f"{BOB}:{bob_ans['port']}", f"bob sends from {ba['src']}")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), bob_f=bob_ans["frame"], bob_port=bob_ans["port"],
                alice_f=alice_ans["frame"], ba_src=ba["src"], ab_dst=ab["dst"])


def chk_codec(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    off, ans = offer_answer(a)
    need(off["pts"] == ["0", "101"] and "8" not in ans["pts"], "SDP offers/answers PCMA")
    need(set(ab["payload_types"]) == {"8"}, f"alice>bob payload types {ab['payload_types']}")
    need(set(ba["payload_types"]) == {"0"}, "bob>alice not PCMU")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), off=" ".join(off["pts"]), ans=" ".join(ans["pts"]),
                off_f=off["frame"], ans_f=ans["frame"], n8=ab["payload_types"]["8"])


def chk_dtmf_mismatch(a):
    c = call_connected(a)
    off, ans = offer_answer(a)
    need(off["pts"] == ["0"] and ans["pts"] == ["0"], "telephone-event negotiated")
    digits = "".join(e["digit"] for e in a["dtmf"])
    need(digits == "1" and a["dtmf"][0]["pt"] == 101 and a["dtmf"][0]["direction"] == "alice>bob",
         f"digits {digits!r}")
    ev = a["dtmf"][0]
    ab = [s for s in a["streams"] if s["direction"] == "alice>bob"]
    ba = stream(a, "bob>alice")
    return dict(c, off_f=off["frame"], ans_f=ans["frame"], ev_f=ev["first_frame"], ev_t=ev["start"],
                ev_end=ev["end_frame"], dur=ev["duration_ms"], n=ev["packets"], nend=ev["end_packets"],
                ab=fmt_stream(ab[0]) if ab else "none", ba=fmt_stream(ba))


def chk_srtp_mismatch(a):
    off = sdp_at(a, "alice>proxy", "INVITE")
    need(off["proto"] == "RTP/SAVP" and off["crypto"], "offer not SAVP+crypto")
    rej = [m for m in a["msgs"] if m["status"] == "488"]
    need(rej, "no 488")
    need(a["rtp_packets"] == 0 and not a["streams"], "RTP present")
    need(not [m for m in a["msgs"] if m["status"] == "200"], "a 200 in the capture")
    return dict(off_f=off["frame"], f488=rej[0]["frame"], hop488=f"{role(rej[0]['src'])}>{role(rej[0]['dst'])}")


def chk_srtp_fallback(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    off, ans = offer_answer(a)
    need(off["proto"] == "RTP/AVP" and off["crypto"] and ans["proto"] == "RTP/AVP" and not ans["crypto"],
         "not a best-effort offer answered without crypto")
    need(set(ab["udp_lengths"]) == {"180"} and set(ba["udp_lengths"]) == {"180"}, "not plain 160-byte PCMU")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), off_f=off["frame"], ans_f=ans["frame"])


def chk_srtp_call(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    need(all(x["proto"] == "RTP/SAVP" and x["crypto"] for x in a["sdp"]), "not SAVP everywhere")
    need(set(ab["udp_lengths"]) == {"190"} and set(ba["udp_lengths"]) == {"190"}, "not SRTP-sized")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba))


def reinvites(a):
    """the re-INVITEs alice sent (after the first 200), with the direction of each SDP on both hops"""
    invs = [m for m in a["msgs"] if m["method"] == "INVITE" and m["src"] == ALICE_IP]
    return invs[1:]


def chk_hold(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    re_inv = reinvites(a)
    need(len(re_inv) == 2, f"{len(re_inv)} re-INVITEs from alice, expected 2 (hold, resume)")
    dirs = {x["frame"]: x["dir"] for x in a["sdp"]}
    hold, resume = re_inv
    need(dirs.get(hold["frame"]) == "sendonly", f"hold re-INVITE f{hold['frame']} is {dirs.get(hold['frame'])}")
    need(dirs.get(resume["frame"]) == "sendrecv", f"resume re-INVITE f{resume['frame']} is "
                                                  f"{dirs.get(resume['frame'])}")
    ans = [x for x in a["sdp"] if x["msg"] == "200" and x["hop"] == "proxy>alice" and x["dir"] == "recvonly"]
    need(ans, "no recvonly answer to the hold")
    for st in (ab, ba):
        need(st["max_delta_ms"] >= 2000, f"{st['direction']} has no gap while on hold (max delta "
                                         f"{st['max_delta_ms']} ms)")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba), hold=hold["frame"], t_hold=round(hold["t"], 2),
                resume=resume["frame"], t_resume=round(resume["t"], 2), ans=ans[0]["frame"])


def final_to_invite(a, src):
    fs = [m for m in a["msgs"] if m["cseq"] == "INVITE" and m["status"] and int(m["status"]) >= 200
          and m["src"] == src]
    need(len(fs) == 1, f"{len(fs)} final responses to INVITE from {src}")
    return fs[0]


def chk_cancel(a):
    cancels = [m for m in a["msgs"] if m["method"] == "CANCEL"]
    need(len(cancels) == 2, f"{len(cancels)} CANCELs, expected one per hop")
    need(cancels[0]["src"] == ALICE_IP, "the first CANCEL is not alice's")
    f487 = [final_to_invite(a, BOB_IP), final_to_invite(a, PROXY_IP)]
    need(all(m["status"] == "487" for m in f487), "the INVITE did not end 487 on both hops")
    acks = [m for m in a["msgs"] if m["method"] == "ACK"]
    need(len(acks) == 2, f"{len(acks)} ACKs, expected one per hop")
    ring = [m for m in a["msgs"] if m["status"] == "180"]
    need(ring, "no 180")
    return dict(cancel=cancels[0]["frame"], t_cancel=round(cancels[0]["t"], 2), bob487=f487[0]["frame"],
                alice487=f487[1]["frame"], ring=ring[0]["frame"])


def chk_busy(a):
    bob, relayed = final_to_invite(a, BOB_IP), final_to_invite(a, PROXY_IP)
    need(bob["status"] == "486" and relayed["status"] == "486", "not 486 on both hops")
    need(bob["frame"] < relayed["frame"], "the proxy's 486 came before bob's")
    acks = [m for m in a["msgs"] if m["method"] == "ACK"]
    need(len(acks) == 2, f"{len(acks)} ACKs, expected one per hop")
    need(not [m for m in a["msgs"] if m["method"] == "CANCEL"], "a CANCEL")
    ring = [m for m in a["msgs"] if m["status"] == "180"]
    need(ring, "no 180")
    return dict(bob486=bob["frame"], alice486=relayed["frame"], t486=round(bob["t"], 2), ring=ring[0]["frame"])


def chk_callee_bye(a):
    c = call_connected(a)
    ab, ba = both_ways(a)
    byes = [m for m in a["msgs"] if m["method"] == "BYE"]
    need(byes and byes[0]["src"] == BOB_IP, "the first BYE is not bob's")
    return dict(c, ab=fmt_stream(ab), ba=fmt_stream(ba))


def chk_transfer(a):
    refer = [m for m in a["msgs"] if m["method"] == "REFER"]
    need(len(refer) == 2 and refer[0]["src"] == BOB_IP, "no REFER from bob on both hops")
    acc = [m for m in a["msgs"] if m["cseq"] == "REFER" and m["status"] == "202"]
    need(len(acc) == 2, "REFER not accepted 202 on both hops")
    notifies = [m for m in a["msgs"] if m["method"] == "NOTIFY"]
    need(len(notifies) >= 4, f"{len(notifies)} NOTIFYs, expected 100 Trying and 200 OK on both hops")
    ok_notify = [m for m in a["msgs"] if m["cseq"] == "NOTIFY" and m["status"] == "200"]
    need(len(ok_notify) == len(notifies), "a NOTIFY not answered 200")
    carol_ok = [m for m in a["msgs"] if m["src"] == "127.0.0.30" and m["cseq"] == "INVITE" and m["status"] == "200"]
    need(carol_ok, "carol did not answer")
    byes = [m for m in a["msgs"] if m["method"] == "BYE"]
    need(len(byes) == 4, f"{len(byes)} BYEs, expected 2 hops x 2 calls")
    need(all(m["status"] == "200" for m in a["msgs"] if m["cseq"] == "BYE" and m["status"]), "a BYE not 200")
    out = {}
    for d in ("alice>bob", "bob>alice", "alice>carol", "carol>alice"):
        st = stream(a, d)
        need(st["packets"] >= 50 and st["lost"] == 0, f"{d}: {st['packets']} packets, lost {st['lost']}")
        out[d.replace(">", "_")] = fmt_stream(st)
    return dict(out, refer=refer[0]["frame"], t_refer=round(refer[0]["t"], 2), carol_ok=carol_ok[0]["frame"],
                bye=byes[0]["frame"])


def chk_fork(a):
    f = chk_fork_common(a)
    cancel = [m for m in a["msgs"] if m["method"] == "CANCEL"]
    need(len(cancel) == 1 and cancel[0]["src"] == PROXY_IP and cancel[0]["dst"] == BOB_IP, "no CANCEL of bob's branch")
    f487 = final_to_invite(a, BOB_IP)
    need(f487["status"] == "487", "bob's branch did not end 487")
    return dict(f, cancel=cancel[0]["frame"], f487=f487["frame"])


def chk_fork_common(a):
    invs = [m for m in a["msgs"] if m["method"] == "INVITE" and m["src"] == PROXY_IP]
    need({m["dst"] for m in invs} == {BOB_IP, "127.0.0.30"}, "the INVITE was not forked to bob and carol")
    ring = [m for m in a["msgs"] if m["status"] == "180" and m["dst"] == ALICE_IP]
    need(len(ring) == 2, f"{len(ring)} 180s to alice, expected one per branch")
    ok = [m for m in a["msgs"] if m["status"] == "200" and m["cseq"] == "INVITE" and m["src"] == "127.0.0.30"]
    need(ok, "carol did not answer")
    need(not [m for m in a["msgs"] if m["dst"] == ALICE_IP and m["status"] and int(m["status"]) >= 300],
         "alice got a failure response")
    out = {}
    for d in ("alice>carol", "carol>alice"):
        st = stream(a, d)
        need(st["packets"] >= 50 and st["lost"] == 0, f"{d}: {st['packets']} packets, lost {st['lost']}")
        out[d.replace(">", "_")] = fmt_stream(st)
    need(not [x for x in a["streams"] if "bob" in x["direction"]], "RTP to or from bob")
    return dict(out, ok=ok[0]["frame"], t_ok=ok[0]["t"])


def chk_fork_busy(a):
    f = chk_fork_common(a)
    busy = final_to_invite(a, BOB_IP)
    need(busy["status"] == "486", f"bob's branch ended {busy['status']}, expected 486")
    need(busy["t"] < f["t_ok"], "bob refused after carol answered")
    need(not [m for m in a["msgs"] if m["method"] == "CANCEL"], "a CANCEL (bob had already refused)")
    return dict(f, f486=busy["frame"], t486=round(busy["t"], 2))


SCENARIOS = {
    "clean-call.pcap": dict(
        scenario="alice (baresip) calls bob (baresip, auto-answer) through Kamailio; PCMU both ways (two tones) "
                 "for ~7 s with RTCP, then alice hangs up; nothing wrong (false-alarm guard).",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP_B],
        check=chk_clean, expect=[],
        notes=["200 f{ok}, ACK f{ack}, BYE f{bye} ({call_s} s after the ACK).",
               "streams: {ab}; {ba}.",
               "baresip sends RTP (and an RTCP APP 'PING') before it has the ACK, as soon as the 200 is out; "
               "RTCP on RTP port + 1 (no rtcp-mux): APP PING at the start, one SR+SDES per side at ~+5 s, "
               "BYE+SDES at the end."]),
    "one-way-media.pcap": dict(
        scenario="the clean call with a firewall (nftables, output hook: the packets never reach the wire) "
                 "dropping everything bob's media ports send to alice: RTP alice>bob only.",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP_B, "nftables: ip saddr 127.0.0.20 ip daddr 127.0.0.10 "
                "udp sport 16100-16199 drop"],
        check=chk_one_way,
        expect=[("one-way-media", "error",
                 "the call is up (200 f{ok}, ACK f{ack}, BYE f{bye}, {call_s} s) but RTP flows only alice>bob "
                 "({ab}); nothing comes from bob ({bob_c}:{ans_port} per his answer) to alice's "
                 "{alice_port}: the bob>alice direction is missing, alice hears nothing")],
        notes=["bob's RTCP is dropped too (same port range); alice's RTCP APP and BYE reach bob."]),
    "no-media.pcap": dict(
        scenario="the clean call (~4 s) with a firewall (nftables) dropping every packet from either UA's "
                 "media ports: 200/ACK/BYE, and no RTP or RTCP at all.",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP_B, "nftables: udp sport 16000-16099 drop; "
                "udp sport 16100-16199 drop"],
        check=chk_no_media,
        expect=[("no-media", "info",
                 "the call is up (200 f{ok}, ACK f{ack}, BYE f{bye} {call_s} s later) and the SDP agreed on "
                 "{off} (alice) and {ans} (bob), but not one RTP or RTCP packet is in the capture, either way; "
                 "info, not an error: a capture with no RTP at all is also what a filter for SIP alone gives, "
                 "so the packets cannot tell a call without media from a capture without it")]),
    "media-loss.pcap": dict(
        scenario="the clean call (~7 s) with ~5 % random loss on bob>alice RTP (nftables numgen random mod 100 < 5 "
                 "drop, output hook); RTCP is not dropped.",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP_B, "nftables: ip saddr 127.0.0.20 ip daddr 127.0.0.10 udp sport "
                "16100-16199 udp dport 16000-16099 numgen random mod 100 < 5 drop"],
        check=chk_loss,
        expect=[("media-loss", "warning",
                 "bob>alice lost {lost} of {expected} expected packets ({pct}%, RFC 3550 A.3 from the sequence "
                 "numbers; threshold assumed 3 %): {ba}; alice>bob lost none")],
        notes=["alice's RTCP: {rtcp}."]),
    "media-jitter.pcap": dict(
        scenario="the clean call (~7 s) with bob's baresip paused (SIGSTOP) for 400 ms every 600 ms, 8 times "
                 "(SIGCONT in between): bob's RTP comes in bursts; nothing is lost.",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP_B + ", SIGSTOP/SIGCONT by the regen script"],
        check=chk_jitter,
        expect=[("media-jitter", "warning",
                 "bob>alice interarrival jitter (RFC 3550 A.8) reaches {maxj} ms (mean {meanj} ms, max delta "
                 "{maxd} ms; threshold assumed 30 ms max jitter) with no loss: {ba}; alice>bob stays at "
                 "{ab_maxj} ms")],
        notes=["After each pause baresip sends the packets its audio timer owes at once (min delta ~4 ms), "
               "so the stream has no gaps in sequence or timestamp, only in arrival time."]),
    "dtmf.pcap": dict(
        scenario="the clean call (~6 s); alice types 1 2 3 # into baresip's console (cons module, TCP "
                 "127.0.0.10:5555, each key held 250 ms, released with 0x04, 500 ms apart): RFC 4733 "
                 "telephone-event (PT 101) alice>bob.",
        stacks=[BARESIP_A + ", module cons.so", KAM + " proxy", BARESIP_B],
        check=chk_dtmf, expect=[],
        notes=["digits {digits}: {events}.",
               "baresip keeps sending PCMU while a digit is held: the alice>bob stream (one SSRC) interleaves "
               "PT 0 and PT 101 packets (sequence numbers alternate), and each event ends with 3 end packets "
               "(same timestamp and duration). Each event starts with the marker bit.",
               "streams: {ab}; {ba}.",
               "Without the 0x04 release the cons module never releases a key: a digit lasts until the next key "
               "and the last digit never gets its end packets (seen in a first try)."]),
    "media-address-mismatch.pcap": dict(
        scenario="bob (baresip, RTP port 16100) answers m=audio 16100; Kamailio (-A REWRITE_ANSWER) rewrites the "
                 "answer it relays to alice to m=audio 17000 (like a broken ALG); alice sends to 17000, a "
                 "stateless nftables prerouting rule (after tcpdump on lo saw the packet) delivers it to bob's "
                 "16100; bob sends from 16100.",
        stacks=[BARESIP_A, KAM + " proxy, -A REWRITE_ANSWER (textops subst_body)", BARESIP_B + ", rtp_ports "
                "16100-16101", "nftables prerouting: udp dport 17000 -> 16100, 17001 -> 16101"],
        check=chk_addr,
        expect=[("media-address-mismatch", "warning",
                 "the answer alice received (f{alice_f}, relayed by the proxy) says bob receives on "
                 "127.0.0.20:17000, and alice sends there ({ab_dst}), but bob's RTP comes from {ba_src} (the port "
                 "of bob's own answer f{bob_f}, which the proxy rewrote): RTP arrives from a port the SDP "
                 "alice got does not name; audio still flows both ways")],
        notes=["streams: {ab}; {ba}.",
               "Both copies of the answer are in the capture: bob>proxy f{bob_f} m=audio {bob_port}, proxy>alice "
               "f{alice_f} m=audio 17000."]),
    "codec-mismatch.pcap": dict(
        scenario="alice (SIPp) offers PCMU + telephone-event only (RTP/AVP 0 101), bob (baresip) answers PCMU "
                 "(0 101); alice then plays SIPp's g711a.pcap with play_pcap_audio: PCMA (PT 8) alice>bob, "
                 "a payload type neither SDP has.",
        stacks=[SIPP + " alice, scenarios/uac-pcap-play.xml, play_pcap_audio /usr/share/sip-tester/g711a.pcap",
                KAM + " proxy", BARESIP_B],
        check=chk_codec,
        expect=[("codec-mismatch", "error",
                 "alice>bob RTP is payload type 8 (PCMA, {n8} packets) but the offer (f{off_f}) had only "
                 "{off} and the answer (f{ans_f}) {ans}: bob cannot decode what alice sends: {ab}")],
        notes=["streams: {ab}; {ba}.",
               "SIPp keeps the pcap's payload type, SSRC, sequence numbers and timestamps (30 ms packets) and "
               "sends from its media port 6000; the BYE cuts the 7 s file after ~4 s."]),
    "dtmf-mismatch.pcap": dict(
        scenario="alice (SIPp) offers PCMU only (RTP/AVP 0, no telephone-event), bob (baresip) answers PCMU only; "
                 "alice plays SIPp's dtmf_2833_1.pcap: an RFC 4733 event (digit 1, PT 101) nobody negotiated.",
        stacks=[SIPP + " alice, scenarios/uac-pcap-play.xml, play_pcap_audio /usr/share/sip-tester/"
                "dtmf_2833_1.pcap", KAM + " proxy", BARESIP_B],
        check=chk_dtmf_mismatch,
        expect=[("dtmf-mismatch", "warning",
                 "alice sends an RFC 4733 event (digit 1, PT 101, f{ev_f} at +{ev_t} s, {n} packets, end f{ev_end}, "
                 "{dur} ms) but neither the offer (f{off_f}) nor the answer (f{ans_f}) has telephone-event: "
                 "m=audio ... RTP/AVP 0 both; bob may ignore the digit")],
        may=[("codec-mismatch", "PT 101 is also a payload type the SDP did not negotiate; if reported, it should "
                                "point at the DTMF (dtmf-mismatch), not at the audio codec")],
        notes=["alice>bob: {ab} (tshark counts the pcap's 3 end packets, which repeat one sequence number, as "
               "-2 lost: expected 8, received 10); bob>alice: {ba}."]),
    "srtp-mismatch.pcap": dict(
        scenario="alice (baresip, srtp module, mediaenc=srtp-mand) offers RTP/SAVP with an SDES a=crypto; bob "
                 "(baresip without the srtp module) cannot do SRTP: 488 Not Acceptable Here, no media.",
        stacks=[BARESIP_A + ", module srtp.so, mediaenc=srtp-mand", KAM + " proxy", BARESIP_B + " (no srtp module)"],
        check=chk_srtp_mismatch,
        expect=[("srtp-mismatch", "error",
                 "alice's offer (f{off_f}) is RTP/SAVP with a=crypto (SRTP required); bob, who has no SRTP, "
                 "rejects it with 488 (f{f488}, {hop488}): the call fails on the media security profile, not "
                 "on the codecs (PCMU is on both sides)")],
        may=[("no-media", "there is no RTP, but the call never connected (488); if reported, it must not be "
                          "the main finding"),
             ("sdp-no-common-codec", "the 488 refuses the offer; sdp-no-common-codec beside srtp-mismatch is "
                                     "acceptable (the verdict is srtp-mismatch, which names the cause)")]),
    "srtp-fallback.pcap": dict(
        scenario="alice (baresip, mediaenc=srtp: best effort) offers RTP/AVP with an SDES a=crypto; bob (no srtp "
                 "module) answers RTP/AVP without a=crypto; both send plain RTP: the call works unencrypted.",
        stacks=[BARESIP_A + ", module srtp.so, mediaenc=srtp", KAM + " proxy", BARESIP_B + " (no srtp module)"],
        check=chk_srtp_fallback, expect=[],
        may=[("srtp-mismatch", "alice offered SRTP (a=crypto, f{off_f}) and bob's answer (f{ans_f}) declined "
                               "it; both then agree on plain RTP, so at most info ('media not encrypted')")],
        notes=["streams: {ab}; {ba}; every RTP packet is 180 bytes of UDP (8 + 12 + 160): plain PCMU."]),
    "srtp-call.pcap": dict(
        scenario="alice and bob (baresip, srtp module, mediaenc=srtp-mand): RTP/SAVP offer and answer, each "
                 "with its a=crypto; SRTP and SRTCP both ways (false-alarm guard for srtp-mismatch).",
        stacks=[BARESIP_A + ", module srtp.so, mediaenc=srtp-mand", KAM + " proxy",
                BARESIP_B + ", module srtp.so, mediaenc=srtp-mand"],
        check=chk_srtp_call, expect=[],
        notes=["streams: {ab}; {ba}; RTP headers are in clear, so tshark finds the streams and their numbers; "
               "payload encrypted, UDP length 190 = 8 + 12 + 160 + 10 (HMAC-SHA1-80 tag).",
               "RTCP: baresip's first APP 'PING' goes out unprotected (tshark shows it as SRTCP), the rest is "
               "SRTCP."]),
    "hold-resume.pcap": dict(
        scenario="the clean call (~8 s); alice puts bob on hold at +2.5 s (baresip /hold: re-INVITE a=sendonly, "
                 "bob answers a=recvonly) and resumes 2.5 s later (re-INVITE a=sendrecv); baresip sends no RTP "
                 "either way while on hold (false-alarm guard: the gap is the hold).",
        stacks=[BARESIP_A + ", module cons.so (/hold, /resume)", KAM + " proxy", BARESIP_B],
        check=chk_hold, expect=[],
        notes=["hold re-INVITE f{hold} at +{t_hold} s (a=sendonly), answered recvonly (f{ans}); resume re-INVITE "
               "f{resume} at +{t_resume} s (a=sendrecv).",
               "streams: {ab}; {ba}: one SSRC each way for the whole call, no loss; the max delta is the hold."]),
    "caller-cancel.pcap": dict(
        scenario="bob (baresip, answermode=manual) rings; alice gives up after 3 s: CANCEL, 200, 487 Request "
                 "Terminated, ACK on both hops (false-alarm guard: the caller hung up, nothing failed).",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP + " bob (answermode=manual)"],
        check=chk_cancel, expect=[],
        notes=["180 f{ring}; alice's CANCEL f{cancel} at +{t_cancel} s; 487 from bob f{bob487}, relayed to alice "
               "f{alice487}; each ACKed on its hop."]),
    "callee-busy.pcap": dict(
        scenario="bob (baresip, answermode=manual) rings and refuses after ~1.5 s (baresip /hangup on a ringing "
                 "call: 486 Rejected); Kamailio ACKs it and relays the 486 to alice, who ACKs it.",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP + " bob (answermode=manual, module cons.so: /hangup)"],
        check=chk_busy,
        expect=[("call-rejected", "error",
                 "bob (127.0.0.20, baresip) refused alice's INVITE with 486 (f{bob486}, +{t486} s after a 180 "
                 "f{ring}); the proxy relayed that 486 to alice (f{alice486}): one refusal, by bob, seen on both "
                 "hops")],
        notes=["The capture is taken on the proxy's host, so both hops of the one INVITE transaction are in it: "
               "the refusal must be told once, naming bob, not once per hop (the proxy did not refuse)."]),
    "callee-hangs-up.pcap": dict(
        scenario="the clean call, ended by bob after ~3 s (baresip /hangup: BYE from bob, relayed to alice, 200 "
                 "on both hops): nothing wrong (false-alarm guard).",
        stacks=[BARESIP_A, KAM + " proxy", BARESIP_B + ", module cons.so (/hangup)"],
        check=chk_callee_bye, expect=[],
        notes=["streams: {ab}; {ba}."]),
    "transfer.pcap": dict(
        scenario="alice calls bob; after ~2.5 s bob transfers her to carol (baresip /transfer: REFER, 202, NOTIFY "
                 "100 Trying); alice calls carol (baresip, auto-answer) through the proxy, NOTIFYs bob 200 OK, bob "
                 "hangs up; the alice-carol call runs to its end: two calls, nothing wrong (false-alarm guard).",
        stacks=[BARESIP_A, KAM + " proxy (carol@ to 127.0.0.30)", BARESIP_B + ", module cons.so (/transfer)",
                BARESIP + " carol (answermode=auto, 660 Hz, run as uid 65534 so that a routing rule gives her "
                "source 127.0.0.30)"],
        check=chk_transfer, expect=[],
        notes=["REFER f{refer} at +{t_refer} s; carol's 200 f{carol_ok}; bob's BYE f{bye}.",
               "streams: {alice_bob}; {bob_alice}; {alice_carol}; {carol_alice}."]),
    "parallel-fork.pcap": dict(
        scenario="alice calls group@lab.test, which Kamailio forks to bob and carol at once (append_branch); both "
                 "ring, carol answers after ~2 s, and the proxy cancels bob's branch (CANCEL, 200, 487, ACK): one "
                 "call alice-carol with RTP both ways, nothing wrong (false-alarm guard: a hunt group).",
        stacks=[BARESIP_A, KAM + " proxy (group@ forked to bob and carol)", BARESIP + " bob (answermode=manual)",
                BARESIP + " carol (answermode=manual, /accept; run as uid 65534)"],
        check=chk_fork, expect=[],
        notes=["carol's 200 f{ok}; the proxy's CANCEL to bob f{cancel}, bob's 487 f{f487}; alice got two 180s "
               "(one early dialog per branch) and only carol's 200.",
               "streams: {alice_carol}; {carol_alice}."]),
    "fork-one-busy.pcap": dict(
        scenario="the parallel fork, but bob refuses at once (baresip /hangup while ringing: 486) before carol "
                 "answers: the proxy keeps the other branch, carol's 200 is the answer alice gets; bob's 486 is one "
                 "branch's answer the proxy did not forward (RFC 3261 §16.7), not a failure of the call "
                 "(false-alarm guard).",
        stacks=[BARESIP_A, KAM + " proxy (group@ forked to bob and carol)",
                BARESIP + " bob (answermode=manual, /hangup)", BARESIP + " carol (answermode=manual, /accept; "
                "run as uid 65534)"],
        check=chk_fork_busy, expect=[],
        notes=["bob's 486 f{f486} at +{t486} s, ACKed by the proxy and not forwarded; carol's 200 f{ok} is the "
               "only final response alice gets.",
               "streams: {alice_carol}; {carol_alice}."]),
}


def versions():
    def first(cmd, pat):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            m = re.search(pat, out.stdout + out.stderr)
            return m.group(1) if m else "?"
        except (OSError, subprocess.SubprocessError):
            return "?"
    return dict(kamailio=first(["kamailio", "-v"], r"version: kamailio (\S+)"),
                sipp=first(["sipp", "-v"], r"SIPp (v[\d.]+)"),
                baresip=first(["baresip", "-h"], r"baresip (v[\d.]+)"),
                nft=first(["nft", "--version"], r"nftables (v[\d.]+)"),
                tshark=first(["tshark", "--version"], r"TShark \(Wireshark\) ([\d.]+)"),
                tcpdump=first(["tcpdump", "--version"], r"tcpdump version (\S+)"))


def entry(directory, name, spec, ver):
    path = os.path.join(directory, name)
    a = analyse(path)
    facts = spec["check"](a)
    skip = {c for c, _, _ in spec["expect"]} | {c for c, _ in spec.get("may", [])}
    absent = absent_reasons(a, skip)
    fmt = lambda t: t.format(**facts, **ver)
    e = dict(file=name, scenario=spec["scenario"], stacks=[fmt(s) for s in spec["stacks"]], flow=a["flow"],
             sdp=[sdp_str(s) for s in a["sdp"]],
             streams=[{k: v for k, v in s.items() if k not in ("start", "end")} | dict(
                 start=round(s["start"], 3), end=round(s["end"], 3)) for s in a["streams"]],
             streams_heuristic_same=a["heuristic_same"], rtp_packets=a["rtp_packets"], rtcp=a["rtcp"],
             dtmf=a["dtmf"],
             expect=[dict(code=c, severity=sev, reason=fmt(r)) for c, sev, r in spec["expect"]],
             absent=absent)
    if spec.get("may"):
        e["may"] = [dict(code=c, reason=fmt(r)) for c, r in spec["may"]]
    if spec.get("notes"):
        e["notes"] = [fmt(n) for n in spec["notes"]]
    need(a["heuristic_same"], f"heuristic RTP finds other streams: {a['heuristic']}")
    return e


NUM_TOL = ("min_delta_ms", "mean_delta_ms", "max_delta_ms", "min_jitter_ms", "mean_jitter_ms", "max_jitter_ms")


def close(x, y):
    return abs(x - y) <= max(0.1, 0.05 * abs(y))


def compare(got, want, name):
    errs = []
    gs, ws = got.get("streams", []), want.get("streams", [])
    if len(gs) != len(ws):
        errs.append(f"{name}: {len(gs)} streams, expected {len(ws)}")
    for g, w in zip(gs, ws):
        for k in w:
            if k in NUM_TOL:
                if not close(g[k], w[k]):
                    errs.append(f"{name}: {w['direction']} {k} {g[k]} != {w[k]}")
            elif k in ("start", "end"):
                if abs(g[k] - w[k]) > 0.002:
                    errs.append(f"{name}: {w['direction']} {k} {g[k]} != {w[k]}")
            elif g.get(k) != w[k]:
                errs.append(f"{name}: {w['direction']} {k} {g.get(k)!r} != {w[k]!r}")
    for k in want:
        if k in ("streams", "stacks", "expect", "absent", "may", "notes", "scenario"):
            continue
        if got.get(k) != want[k]:
            errs.append(f"{name}: {k} differs:\n  got  {got.get(k)!r}\n  want {want[k]!r}")
    for k in ("expect", "absent", "may"):
        gc = [x["code"] for x in got.get(k, [])]
        wc = [x["code"] for x in want.get(k, [])]
        if gc != wc:
            errs.append(f"{name}: {k} codes {gc} != {wc}")
    return errs


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    directory = args.pop(0)
    write = "--write" in args
    failed_file = None
    if "--failed" in args:
        failed_file = args[args.index("--failed") + 1]
    only = None
    if "--only" in args:
        only = {n if n.endswith(".pcap") else n + ".pcap" for n in args[args.index("--only") + 1:]}
    ver = versions()
    exp_path = os.path.join(directory, "expected.json")
    old = {}
    if os.path.exists(exp_path):
        with open(exp_path) as f:
            old = {c["file"]: c for c in json.load(f)["captures"]}
    entries, errs = [], []
    for name, spec in SCENARIOS.items():
        if only is not None and name not in only:
            if name in old:
                entries.append(old[name])
            continue
        if not os.path.exists(os.path.join(directory, name)):
            errs.append(f"{name}: missing")
            FAILED.append(name[:-5])
            continue
        try:
            e = entry(directory, name, spec, ver)
        except CheckError as ex:
            errs.append(f"{name}: {ex}")
            FAILED.append(name[:-5])
            continue
        entries.append(e)
        if not write:
            if name not in old:
                errs.append(f"{name}: not in expected.json")
            else:
                errs += compare(e, old[name], name)
        print(f"ok   {name}: " + ", ".join(f"{s['direction']} {s['packets']} pkts lost {s['lost']} "
                                          f"jit {s['mean_jitter_ms']}/{s['max_jitter_ms']}" for s in e["streams"])
              + (" dtmf " + "".join(d["digit"] for d in e["dtmf"]) if e["dtmf"] else "")
              + " expect " + ",".join(x["code"] for x in e["expect"]), file=sys.stderr)
    for e in errs:
        print("FAIL " + e, file=sys.stderr)
    if failed_file:
        with open(failed_file, "w") as f:
            f.writelines(n + "\n" for n in FAILED)
    if write and not errs:
        doc = dict(
            generated_by="testdata/lab/media/regen-media-captures.sh (verify-media-captures.py)",
            tool_versions=ver,
            notes=[
                "One capture per scenario, tcpdump -i lo --immediate-mode -U 'udp' inside the scenario's own network "
                "namespace (ether link type), every address in 127.0.0.0/8. Roles by address: 127.0.0.1 proxy "
                "(Kamailio, 5060), 127.0.0.10 alice, 127.0.0.20 bob (SIP on 5060; baresip RTP alice 16000-16099, "
                "bob 16100-16199, RTCP = RTP + 1, no rtcp-mux; SIPp media port 6000).",
                "streams: tshark -n -r FILE -q -z rtp,streams (RTP found from the SDP tshark saw, its default); "
                "streams_heuristic_same: the same with -o rtp.heuristic_rtp:TRUE finds the same streams. lost = "
                "expected - received (RFC 3550 A.3), jitter RFC 3550 A.8 in ms, problem = tshark's 'X'. "
                "payload_types / udp_lengths: packet counts per RTP payload type / UDP length (tshark -Y rtp).",
                "rtcp: tshark -Y 'rtcp || srtcp', one line per packet with its RTCP packet types and SR/RR report "
                "blocks. dtmf: tshark -Y rtpevent grouped per event (RTP timestamp): digit, first/end frame, "
                "duration (ms, from rtpevent.duration / 8), packets and end packets.",
                "flow: one entry per SIP message, 'fN +T src>dst METHOD-or-STATUS (CSeq n METHOD)'; sdp: every SDP "
                "with its c=, m= and whether it has a=crypto / a=rtcp-mux.",
                "expect: codes the analysis must raise, severity error = why the call's audio failed, warning = a "
                "risk proven by the packets (thresholds assumed: loss >= 3 %, max jitter >= 30 ms), info = "
                "normal. absent: media codes that must NOT be raised, each reason computed from the packets and "
                "asserted. may: codes that may legitimately also appear.",
                "Verdicts were written from tshark output before sipdbg was run on these captures; regeneration "
                "rewrites the numbers from tshark on the new capture, the verdicts stay.",
            ],
            thresholds=dict(media_loss_pct=LOSS_WARN, media_jitter_max_ms=JITTER_WARN),
            captures=entries)
        with open(exp_path, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
