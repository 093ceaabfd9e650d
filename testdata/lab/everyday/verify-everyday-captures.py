#!/usr/bin/env python3
"""Verify the everyday-lab captures with tshark and produce expected.json.

usage: verify-everyday-captures.py CAPTURES_DIR [--write] [--failed FILE] [--only NAME...]
  without --write: recompute everything from the captures and compare with
                   CAPTURES_DIR/expected.json (exit 1 on a difference)
  with --write:    (re)write CAPTURES_DIR/expected.json
  --only NAME...:  check only these scenarios (trial runs of the regen script)
  --failed FILE:   write the names of the captures that failed an assertion
                   (without .pcap), one a line, so regen.sh can record them again
  --skip NAME...:  leave these captures out of expected.json (their entry
                   is still checked): captures on which sipdbg raises a
                   false alarm stay in the directory without an entry, so
                   the Go test stays green while the disagreement is open

The captures are ordinary, successful (or normally ended) SIP exchanges:
every entry expects nothing (`expect` is empty) and lists as `absent` every
failure, authentication and media code with a reason computed from the
packets and asserted, like the failure lab. The tshark reading, the SIP
message model and the `absent` reasons are those of
../failures/verify-failure-captures.py (imported, not copied); this script
adds the scenarios, their assertions and the media codes.

The entries (scenario, what must be absent and why) were written from
`tshark -V -Y sip` of the first captures before sipdbg was run on them.

Roles are addresses (every element uses udp port 5060): 127.0.0.1 proxy,
127.0.0.10 alice, 127.0.0.20 bob, 127.0.0.30 carol.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # importing ../failures/verify-failure-captures.py

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "failurelab", os.path.join(HERE, "..", "failures", "verify-failure-captures.py"))
fl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fl)
fl.ROLES.update({"127.0.0.30": "carol"})
check = fl.check  # appends to fl.FAILED

MEDIA_CODES = ["one-way-media", "no-media", "media-address-mismatch", "media-loss", "media-jitter",
               "codec-mismatch", "dtmf-mismatch", "srtp-mismatch"]
ALL_CODES = fl.FAILURE_CODES + fl.AUTH_CODES + MEDIA_CODES

KAM = "Kamailio {kamailio} (kamailio-everyday.cfg) proxy"
SIPP = "SIPp {sipp}"

NO_MEDIA_MAY = ("no-media", "the call was answered ({answered}) and the capture holds no RTP at all: SIPp "
                "sends none here (and tcpdump recorded only udp port 5060); with no RTP in the capture "
                "sipdbg may say so, at most as info, never as a warning or error")

# --------------------------------------------------------------------------
# per capture: the scenario as the packets show it; expect is empty (these
# flows went fine); may: (code, reason template); absent_more: extra words
# for an absent code's computed reason (template filled with the facts the
# scenario's check returns)
# --------------------------------------------------------------------------
SCENARIOS = {
    "early-media.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio; bob sends 100, then 183 Session "
                 "Progress with an SDP answer (early media), 1.5 s later 200 OK with the same SDP; ACK; "
                 "alice hangs up 1 s later (BYE/200). A normal call with early media.",
        stacks=[SIPP + " alice, scenarios/uac-call.xml", KAM, SIPP + " bob, scenarios/uas-early-media.xml"],
        may=[NO_MEDIA_MAY],
        absent_more={"slow-setup": "the 183 came {t183} s after the INVITE and the 200 {t200} s after it",
                     "sdp-no-common-codec": "the 183 (f{f183}) and the 200 (f{f200}) carry the same answer "
                                            "(o= version {over}, m={mline})"}),
    "prack-100rel.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio with reliable provisional responses "
                 "(RFC 3262): INVITE with Supported and Require 100rel; bob's 183 (Require: 100rel, RSeq 1, "
                 "SDP) is PRACKed (RAck 1 1 INVITE, CSeq 2) -> 200; then 200 to the INVITE -> ACK; BYE "
                 "(CSeq 3) -> 200.",
        stacks=[SIPP + " alice, scenarios/uac-100rel.xml", KAM, SIPP + " bob, scenarios/uas-100rel.xml"],
        may=[NO_MEDIA_MAY],
        absent_more={"transaction-timeout": "the PRACK (f{prack}) got its 200 (f{prack_ok}) on both hops",
                     "dialog-mismatch-481": "the PRACK carries the 183's To tag {tag} and RAck {rack}"}),
    "session-refresh.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio with session timers (RFC 4028: "
                 "Supported: timer, Session-Expires: 90); bob's 200 makes him the refresher "
                 "(refresher=uas); 3 s after the ACK bob refreshes the session with a re-INVITE (his CSeq "
                 "101, the same SDP) -> 100 from the proxy -> 200 from alice -> ACK; alice hangs up 1 s "
                 "later (BYE/200).",
        stacks=[SIPP + " alice, scenarios/uac-refresh.xml", KAM, SIPP + " bob, scenarios/uas-refresh.xml"],
        may=[NO_MEDIA_MAY],
        absent_more={"ack-2xx-missing": "the re-INVITE's 200 (f{reok}) is ACKed by bob (f{reack}, CSeq 101 ACK)",
                     "dialog-mismatch-481": "the re-INVITE (f{reinv}) is bob's request in the dialog: From "
                                            "tag {btag} (bob's), To tag {atag} (alice's), CSeq 101 in bob's "
                                            "own sequence"}),
    "redirect.pcap": dict(
        scenario="alice (SIPp) calls bob through Kamailio; bob (SIPp UAS) redirects with 302 Moved "
                 "Temporarily, Contact sip:carol@127.0.0.30:5060; the proxy ACKs bob and relays the 302, "
                 "alice ACKs it and sends a new INVITE (same Call-ID and From tag, CSeq 2) to that "
                 "Contact; carol (SIPp UAS) answers: 100/180/200/ACK; BYE (CSeq 3) -> 200.",
        stacks=[SIPP + " alice, scenarios/uac-redirect.xml", KAM,
                SIPP + " bob, scenarios/uas-redirect.xml", SIPP + " carol, scenarios/uas-answer.xml"],
        may=[NO_MEDIA_MAY],
        absent_more={"call-rejected": "the only non-2xx final is {s302} (f{f302}, relayed f{f302r}): a "
                                      "redirect, followed {retry_after} s later by the INVITE to its Contact "
                                      "(f{inv2}, CSeq 2), which carol answered 200 (f{ok})"}),
    "info-dtmf.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio; once the call is up alice sends "
                 "four DTMF digits as SIP INFO (Content-Type application/dtmf-relay, Signal=1, 5, 9, #, "
                 "Duration=160), one a second, each answered 200 OK on both hops; BYE/200.",
        stacks=[SIPP + " alice, scenarios/uac-info-dtmf.xml", KAM, SIPP + " bob, scenarios/uas-answer.xml"],
        may=[NO_MEDIA_MAY],
        absent_more={"dtmf-mismatch": "the digits went as SIP INFO ({digits}), each answered 200 (f{info_oks}); "
                                      "both SDPs list telephone-event ({te}) and no RTP at all is in the "
                                      "capture, so nothing was sent in a form the other side did not take"}),
    "message-options.pcap": dict(
        scenario="alice (SIPp) sends an instant MESSAGE (text/plain) to bob through Kamailio -> 202 "
                 "Accepted from bob (SIPp UAS), relayed; then alice's OPTIONS keepalive to the proxy "
                 "(sip:127.0.0.1:5060) -> 200 OK from the proxy. No call.",
        stacks=[SIPP + " alice, scenarios/uac-message.xml and scenarios/uac-keepalive.xml", KAM,
                SIPP + " bob, scenarios/uas-message.xml"],
        absent_more={"call-rejected": "the MESSAGE got 202 Accepted (f{f202}) and the OPTIONS 200 (f{fopt})"}),
    "subscribe-presence.pcap": dict(
        scenario="alice (SIPp) subscribes to bob's presence through Kamailio (record-routed): SUBSCRIBE "
                 "(Event: presence, Expires: 600) -> 200 (Expires: 600) from bob (SIPp UAS); bob's NOTIFY "
                 "(Subscription-State: active;expires=600, PIDF open) -> 200; 2 s later alice "
                 "unsubscribes in the dialog (Expires: 0, CSeq 2) -> 200; bob's final NOTIFY "
                 "(Subscription-State: terminated;reason=timeout, PIDF closed) -> 200. No call.",
        stacks=[SIPP + " alice, scenarios/uac-subscribe.xml", KAM, SIPP + " bob, scenarios/uas-presence.xml"],
        absent_more={"dialog-mismatch-481": "both NOTIFYs and the un-SUBSCRIBE carry the dialog's tags "
                                            "(alice {atag}, bob {btag}) and were answered 200"}),
    "long-call.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio and stays in the call 40 s, sending "
                 "an in-dialog OPTIONS every 10 s (CSeq 2, 3, 4), each answered 200 by bob; BYE (CSeq 5) "
                 "at +40 s -> 200. Longer than 64*T1 = 32 s.",
        stacks=[SIPP + " alice, scenarios/uac-long-call.xml", KAM, SIPP + " bob, scenarios/uas-answer.xml"],
        may=[NO_MEDIA_MAY],
        absent_more={"transaction-timeout": "the call lasted {dur} s (> 32 s = 64*T1) but every transaction "
                                            "was answered within {maxrt} ms; the OPTIONS at +{opt_times} s "
                                            "after the ACK each got 200",
                     "ack-2xx-missing": "one 200 to INVITE per hop, ACKed at once; nothing retransmitted "
                                        "during the {dur} s"}),
}


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def frames(ms):
    return [m.frame for m in ms]


def fls(ms):
    return ",".join(str(m.frame) for m in ms)


def answered_calls(cap):
    oks = [r for r in cap.rsp("INVITE", status=200) if r.dst == "alice" and r.copy_no == 0]
    return ", ".join(f"200 f{r.frame}" for r in oks) or "no 200"


def media_absent_reason(cap, code, fx):
    """why a media code must not be raised: there is no RTP in the capture"""
    non_sip = [int(fl.first(r, "frame.number")) for r in cap.rows if not r["sip.CSeq.seq"]]
    check(not non_sip, f"{cap.name}: absent {code} but non-SIP frames {non_sip}")
    calls = [r for r in cap.rsp("INVITE", status=200) if r.copy_no == 0]
    if code == "no-media":
        check(not calls, f"{cap.name}: no-media listed absent but a call was answered")
        return "no INVITE answered in the capture (no call, so no media to expect)"
    base = "no RTP or RTCP in the capture (only SIP: SIPp sends no media here, tcpdump filter udp port 5060)"
    if not cap.req("INVITE"):
        return "no INVITE and no SDP in the capture: no call, no media"
    if code == "codec-mismatch":
        offer = next(m for m in cap.sip if m.sdp and m.is_request)
        answer = next(m for m in cap.sip if m.sdp and not m.is_request)
        common = [p for p in answer.sdp["m"][0].split()[3:] if p in offer.sdp["m"][0].split()[3:]]
        check(bool(common), f"{cap.name}: absent codec-mismatch but offer and answer share no payload type")
        names = {a.split()[0][len("rtpmap:"):]: a.split()[1] for a in answer.sdp["a"] if a.startswith("rtpmap:")}
        return base + (f"; the answer (f{answer.frame}) keeps {', '.join(f'{p} {names.get(p, p)}' for p in common)} "
                       f"of the offer (f{offer.frame})")
    if code == "srtp-mismatch":
        sdps = [m for m in cap.sip if m.sdp]
        check(all(" RTP/AVP " in (" " + x + " ") for m in sdps for x in m.sdp["m"]),
              f"{cap.name}: absent srtp-mismatch but a non-RTP/AVP m= line")
        return base + "; every m= line is RTP/AVP (no SRTP offered)"
    return base


def ok_hops(cap, method, status=200, cseq=None):
    """finals to METHOD (first copies), per hop, optionally of one CSeq"""
    return [r for r in cap.finals(method) if r.status == status and (cseq is None or r.cseq == cseq)]


def call_basics(cap, ok, callee="bob"):
    inv = cap.req("INVITE", src="alice")
    ok(len(inv) == 1 and inv[0].copy_no == 0, "alice sent one INVITE, once")
    fa = cap.finals("INVITE", dst="alice")
    ok([r.status for r in fa] == [200], "alice's INVITE final: 200")
    ok(bool(cap.rsp("INVITE", src="proxy", dst="alice", status=100)), "100 Trying from the proxy")
    ok(bool(cap.req("INVITE", src="proxy", dst=callee)), f"the INVITE relayed to {callee}")
    acks = [a for a in cap.req("ACK") if a.cseq == inv[0].cseq]
    ok(len(acks) == 2 and {(a.src, a.dst) for a in acks} == {("alice", "proxy"), ("proxy", callee)},
       "the 200 ACKed on both hops")
    bye = cap.req("BYE")
    ok(len(bye) == 2 and bye[0].src == "alice", "alice's BYE on both hops")
    ok(len([r for r in cap.finals("BYE") if r.status == 200]) == 2, "BYE answered 200 on both hops")
    ok(not fl.hop_requests_with_copies(cap), "no request sent twice on any hop")
    return inv[0], fa[0]


def sdp_lines(m):
    return [ln for ln in m.body.split("\r\n") if ln]


# --------------------------------------------------------------------------
# per-scenario assertions: (verified, facts for the reason templates)
# --------------------------------------------------------------------------

def verify(cap):
    name = cap.name
    v = []
    fx = {"answered": answered_calls(cap)}

    def ok(cond, what):
        if check(cond, f"{name}: {what}"):
            v.append(what)

    if name == "early-media.pcap":
        inv, okr = call_basics(cap, ok)
        p183 = cap.rsp("INVITE", src="bob", status=183)
        r183 = cap.rsp("INVITE", dst="alice", status=183)
        ok(len(p183) == 1 and len(r183) == 1 and p183[0].sdp and r183[0].sdp,
           "183 Session Progress with SDP from bob, relayed to alice")
        ok(not cap.rsp("INVITE", status=180), "no 180 (early media instead of ringing)")
        ok(okr.sdp is not None and sdp_lines(okr) == sdp_lines(r183[0]), "the 200 carries the 183's SDP, byte for byte")
        ok(okr.t - r183[0].t >= 1.4, f"200 {okr.t - r183[0].t:.2f} s after the 183")
        o = next(x for x in sdp_lines(okr) if x.startswith("o="))
        fx.update(t183=f"{r183[0].t - inv.t:.3f}", t200=f"{okr.t - inv.t:.3f}", f183=r183[0].frame,
                  f200=okr.frame, over=o.split()[2], mline=okr.sdp["m"][0])
    elif name == "prack-100rel.pcap":
        inv, okr = call_basics(cap, ok)
        ok("100rel" in (inv.hdr("Supported") or "") and "100rel" in (inv.hdr("Require") or ""),
           "INVITE: Supported: 100rel, Require: 100rel")
        p183 = cap.rsp("INVITE", status=183)
        ok(len(p183) == 2 and all(r.hdr("RSeq") == "1" and "100rel" in (r.hdr("Require") or "") and r.sdp
                                  for r in p183), "183 with Require: 100rel, RSeq: 1 and SDP on both hops")
        pr = cap.req("PRACK")
        ok(len(pr) == 2 and pr[0].src == "alice" and pr[1].dst == "bob", "PRACK from alice relayed to bob")
        ok(all(p.hdr("RAck") == "1 1 INVITE" and p.cseq == 2 for p in pr), "PRACK: RAck 1 1 INVITE, CSeq 2")
        ok(pr[0].tag("To") == p183[0].tag("To"), "PRACK in the early dialog (the 183's To tag)")
        pok = ok_hops(cap, "PRACK")
        ok(len(pok) == 2, "PRACK answered 200 on both hops")
        ok(okr.t > pok[-1].t, "the 200 to the INVITE comes after the PRACK's 200")
        ok([b.cseq for b in cap.req("BYE")] == [3, 3], "BYE CSeq 3")
        fx.update(prack=pr[0].frame, prack_ok=pok[-1].frame, tag=pr[0].tag("To"), rack=pr[0].hdr("RAck"))
    elif name == "session-refresh.pcap":
        inv, okr = call_basics(cap, ok)
        ok(inv.hdr("Session-Expires") == "90" and "timer" in (inv.hdr("Supported") or ""),
           "INVITE: Supported: timer, Session-Expires: 90")
        ok(okr.hdr("Session-Expires") == "90;refresher=uas" and "timer" in (okr.hdr("Require") or ""),
           "200: Require: timer, Session-Expires: 90;refresher=uas")
        re_inv = cap.req("INVITE", src="bob")
        ok(len(re_inv) == 1 and re_inv[0].cseq == 101, "bob sent one re-INVITE, CSeq 101")
        ri = re_inv[0]
        ack1 = cap.req("ACK", src="alice")[0]
        ok(ri.t - ack1.t >= 2.5, f"re-INVITE {ri.t - ack1.t:.1f} s after the ACK")
        ok(ri.tag("From") == okr.tag("To") and ri.tag("To") == inv.tag("From") and ri.call_id == inv.call_id,
           "re-INVITE in the dialog (From bob's tag, To alice's tag)")
        ok(ri.hdr("Session-Expires") == "90;refresher=uac", "re-INVITE: Session-Expires: 90;refresher=uac")
        ok(ri.sdp and sdp_lines(ri) == sdp_lines(cap.rsp("INVITE", src="bob", status=200)[0]),
           "re-INVITE SDP = bob's first answer (o= version unchanged)")
        ok(bool(cap.req("INVITE", src="proxy", dst="alice")), "re-INVITE relayed to alice")
        ok(bool(cap.rsp("INVITE", src="proxy", dst="bob", status=100)), "100 Trying from the proxy to bob")
        rok = [r for r in cap.finals("INVITE") if r.cseq == 101]
        ok([(r.src, r.status) for r in rok] == [("alice", 200), ("proxy", 200)], "re-INVITE answered 200 by alice, relayed")
        ok(rok[0].hdr("Session-Expires") == "90;refresher=uac" and "timer" in (rok[0].hdr("Require") or ""),
           "alice's 200: Require: timer, Session-Expires: 90;refresher=uac")
        rack = [a for a in cap.req("ACK") if a.cseq == 101]
        ok(len(rack) == 2 and rack[0].src == "bob", "bob ACKed the 200, relayed")
        ok(cap.req("BYE")[0].t > rack[-1].t, "alice's BYE after the refresh")
        fx.update(reok=rok[0].frame, reack=rack[0].frame, reinv=ri.frame, btag=ri.tag("From"), atag=ri.tag("To"))
    elif name == "redirect.pcap":
        invs = cap.req("INVITE", src="alice")
        ok(len(invs) == 2, "alice sent two INVITEs (each once)")
        i1, i2 = invs
        f1 = [r for r in cap.finals("INVITE") if r.cseq == 1]
        ok([(r.src, r.dst, r.status) for r in f1] == [("bob", "proxy", 302), ("proxy", "alice", 302)],
           "302 from bob, relayed to alice")
        r302 = f1[1]
        contact = re.search(r"<([^>]+)>", r302.hdr("Contact") or "")
        ok(contact and contact.group(1) == "sip:carol@127.0.0.30:5060", "302 Contact: <sip:carol@127.0.0.30:5060>")
        st = [(r, s, o) for r, s, o in fl.ack_state(cap) if r.status == 302]
        ok(len(st) == 2 and all(len(s) == 1 and not o for _, s, o in st),
           "the 302 ACKed on both hops with the INVITE's branch")
        ok(i2.cseq == 2 and i2.call_id == i1.call_id and i2.tag("From") == i1.tag("From") and i2.tag("To") is None,
           "new INVITE: same Call-ID and From tag, CSeq 2, no To tag")
        ok(i2.ruri == contact.group(1) and i2.branch != i1.branch, "new INVITE to the 302's Contact, new branch")
        ok(bool(cap.req("INVITE", src="proxy", dst="carol")), "relayed to carol")
        f2 = [r for r in cap.finals("INVITE", dst="alice") if r.cseq == 2]
        ok([r.status for r in f2] == [200] and cap.rsp("INVITE", src="carol", status=200), "carol answered 200")
        ok(len([a for a in cap.req("ACK") if a.cseq == 2]) == 2, "the 200 ACKed on both hops")
        ok([(b.cseq, b.dst) for b in cap.req("BYE")] == [(3, "proxy"), (3, "carol")], "BYE (CSeq 3) to carol")
        ok(len([r for r in cap.finals("BYE") if r.status == 200]) == 2, "BYE answered 200 on both hops")
        ok(not fl.hop_requests_with_copies(cap), "no request sent twice on any hop")
        fx.update(s302=f"{r302.status} {r302.phrase}", f302=f1[0].frame, f302r=r302.frame,
                  retry_after=f"{i2.t - r302.t:.3f}", inv2=i2.frame, ok=f2[0].frame)
    elif name == "info-dtmf.pcap":
        inv, okr = call_basics(cap, ok)
        info = cap.req("INFO", src="alice")
        ok(len(info) == 4, "alice sent four INFOs")
        ok(all(m.hdr("Content-Type") == "application/dtmf-relay" for m in info), "Content-Type application/dtmf-relay")
        digits = [re.search(r"Signal=(\S+)", m.body).group(1) for m in info]
        ok(digits == ["1", "5", "9", "#"], f"digits {digits}")
        ok([m.cseq for m in info] == [2, 3, 4, 5], "CSeq 2..5")
        ioks = ok_hops(cap, "INFO")
        ok(len(ioks) == 8, "every INFO answered 200 on both hops")
        te = [m for m in (inv, okr) if any("telephone-event" in a for a in m.sdp["a"])]
        ok(len(te) == 2, "offer and answer both list telephone-event")
        fx.update(digits=" ".join(digits), info_oks=fls([r for r in ioks if r.dst == "alice"]),
                  te="payload type " + "/".join(sorted({m.sdp["m"][0].split()[-1] for m in te})))
    elif name == "message-options.pcap":
        msg = cap.req("MESSAGE")
        ok(len(msg) == 2 and msg[0].src == "alice" and msg[1].dst == "bob", "MESSAGE from alice relayed to bob")
        ok((msg[0].hdr("Content-Type") or "") == "text/plain", "text/plain body")
        m202 = cap.finals("MESSAGE")
        ok([(r.src, r.status) for r in m202] == [("bob", 202), ("proxy", 202)], "202 Accepted from bob, relayed")
        opt = cap.req("OPTIONS")
        ok(len(opt) == 1 and opt[0].src == "alice" and opt[0].dst == "proxy", "one OPTIONS, alice to the proxy")
        oo = cap.finals("OPTIONS")
        ok([(r.src, r.status) for r in oo] == [("proxy", 200)], "200 OK from the proxy")
        ok(not cap.req("INVITE"), "no INVITE")
        ok(len({m.call_id for m in cap.sip}) == 2, "two Call-IDs")
        fx.update(f202=m202[1].frame, fopt=oo[0].frame)
    elif name == "subscribe-presence.pcap":
        sub = cap.req("SUBSCRIBE", src="alice")
        ok(len(sub) == 2 and [s.hdr("Expires") for s in sub] == ["600", "0"], "SUBSCRIBE Expires 600, then 0")
        ok(all(s.hdr("Event") == "presence" for s in sub), "Event: presence")
        ok(sub[1].cseq == 2 and sub[1].tag("To") is not None, "un-SUBSCRIBE in the dialog, CSeq 2")
        ok(len(cap.req("SUBSCRIBE")) == 4, "both SUBSCRIBEs relayed to bob")
        sok = ok_hops(cap, "SUBSCRIBE")
        ok(len(sok) == 4, "both answered 200 on both hops")
        nt = cap.req("NOTIFY", src="bob")
        ok(len(nt) == 2, "bob sent two NOTIFYs")
        ok((nt[0].hdr("Subscription-State") or "").startswith("active")
           and (nt[1].hdr("Subscription-State") or "").startswith("terminated"), "NOTIFY active, then terminated")
        ok(nt[1].t > sok[-1].t, "the final NOTIFY follows the un-SUBSCRIBE's 200")
        ok(len(ok_hops(cap, "NOTIFY")) == 4, "both NOTIFYs answered 200 on both hops")
        ok(not cap.req("INVITE"), "no INVITE")
        fx.update(atag=sub[0].tag("From"), btag=nt[0].tag("From"))
    elif name == "long-call.pcap":
        inv, okr = call_basics(cap, ok)
        opt = cap.req("OPTIONS", src="alice")
        ack = cap.req("ACK", src="alice")[0]
        gaps = [m.t - ack.t for m in opt]
        ok(len(opt) == 3 and all(abs(g - w) < 1 for g, w in zip(gaps, (10, 20, 30))),
           f"in-dialog OPTIONS at +{', '.join(f'{g:.1f}' for g in gaps)} s")
        ok(len(ok_hops(cap, "OPTIONS")) == 6, "each OPTIONS answered 200 on both hops")
        bye = cap.req("BYE", src="alice")[0]
        ok(bye.t - ack.t >= 39, f"BYE {bye.t - ack.t:.1f} s after the ACK")
        rts = []
        for m in cap.sip:
            if m.is_request and m.method != "ACK":
                r = [x for x in cap.sip if not x.is_request and x.branch == m.branch and x.src_ip == m.dst_ip]
                if r:
                    rts.append(r[0].t - m.t)
        fx.update(dur=f"{bye.t - inv.t:.1f}", maxrt=f"{max(rts) * 1000:.0f}",
                  opt_times=", ".join(f"{g:.1f}" for g in gaps))
    else:
        check(False, f"{name}: no assertions defined")
    ok(all(a.startswith("127.") for a in cap.addrs), "every packet is between 127.0.0.0/8 addresses")
    return v, fx


def tool_versions():
    def grab(cmd, rx):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return "?"
        m = re.search(rx, out.stdout + out.stderr)
        return m.group(1) if m else "?"
    return {
        "kamailio": grab(["kamailio", "-v"], r"kamailio (\S+)"),
        "sipp": grab(["sipp", "-v"], r"SIPp (v[0-9.]*[0-9])"),
        "tshark": grab(["tshark", "-v"], r"TShark \(Wireshark\) (\S+)"),
        "tcpdump": grab(["tcpdump", "--version"], r"tcpdump version (\S+)"),
    }


def build(cap, meta, versions):
    verified, fx = verify(cap)
    e = {"file": cap.name, "scenario": meta["scenario"],
         "stacks": [s.format(**versions) for s in meta["stacks"]]}
    e["flow"] = [m.label() for m in cap.sip]
    e["expect"] = []
    may = [{"code": c, "reason": r.format(**fx)} for c, r in meta.get("may", [])]
    named = {x["code"] for x in may}
    absent = []
    for c in ALL_CODES:
        if c in named:
            continue
        reason = media_absent_reason(cap, c, fx) if c in MEDIA_CODES else fl.absent_reason(cap, c)
        more = meta.get("absent_more", {}).get(c)
        if more:
            try:
                reason += "; " + more.format(**fx)
            except (KeyError, IndexError) as ex:
                check(False, f"{cap.name}: reason for absent {c} lacks {ex}")
        absent.append({"code": c, "reason": reason})
    e["absent"] = absent
    if may:
        e["may"] = may
    for k in ("notes", "deviation"):
        if k in meta:
            e[k] = meta[k]
    e["packets"] = len(cap.rows)
    e["sip_msgs"] = len(cap.sip)
    e["call_ids"] = len({m.call_id for m in cap.sip})
    e["largest_sip_bytes"] = max((m.size for m in cap.sip), default=0)
    e["duration_s"] = round(float(fl.first(cap.rows[-1], "frame.time_relative")), 3) if cap.rows else 0
    e["bytes"] = os.path.getsize(cap.path)
    e["verified"] = verified
    return e


def names_after(args, flag):
    if flag not in args:
        return None
    out = []
    for a in args[args.index(flag) + 1:]:
        if a.startswith("--"):
            break
        out.append(a if a.endswith(".pcap") else a + ".pcap")
    return set(out)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    d = args[0]
    write = "--write" in args
    failed_file = args[args.index("--failed") + 1] if "--failed" in args else None
    only = names_after(args, "--only")
    skip = names_after(args, "--skip") or set()
    versions = tool_versions()
    entries = []
    for name, meta in SCENARIOS.items():
        if only is not None and name not in only:
            continue
        path = os.path.join(d, name)
        print(f"checking {name}", file=sys.stderr)
        if not check(os.path.exists(path), f"{name}: missing"):
            continue
        cap = fl.Capture(path)
        try:
            e = build(cap, meta, versions)
        except (IndexError, KeyError, TypeError, AttributeError, ValueError) as ex:
            check(False, f"{name}: capture does not have the expected shape ({ex!r})")
            continue
        check(e["bytes"] < 40000, f"{name}: {e['bytes']} bytes (want < 40 KB)")
        if name not in skip:
            entries.append(e)
    doc = {
        "generated_by": "testdata/lab/everyday/regen.sh (verify-everyday-captures.py)",
        "tool_versions": versions,
        "notes": [
            "Everyday flows that went fine: a guard against false alarms. One capture per scenario, tcpdump "
            "-i lo 'udp port 5060' inside the scenario's own network namespace, every address in "
            "127.0.0.0/8. Roles by address (all udp port 5060): 127.0.0.1 proxy (Kamailio), 127.0.0.10 "
            "alice, 127.0.0.20 bob, 127.0.0.30 carol (SIPp).",
            "flow: one entry per SIP message, 'fN +T src>dst METHOD-or-STATUS (CSeq n METHOD)', T in s "
            "from the first packet; [resend] = tshark's sip.resend.",
            "expect is empty: nothing went wrong. absent: every failure, authentication and media code, "
            "each with a reason computed from the packets and asserted. may: codes that may appear at "
            "info (no-media: SIPp sends no RTP).",
            "Entries were written from tshark -V -Y sip before sipdbg was run on these captures.",
            "tshark: " + fl.TSHARK_CMD,
        ],
        "captures": entries,
    }
    out = os.path.join(d, "expected.json")
    if write:
        if only is not None and os.path.exists(out):
            with open(out) as fh:
                old = json.load(fh)
            keep = [c for c in old.get("captures", []) if c["file"] not in only]
            doc["captures"] = sorted(keep + entries, key=lambda c: list(SCENARIOS).index(c["file"]))
        with open(out, "w") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
        print(f"wrote {out}", file=sys.stderr)
    else:
        with open(out) as fh:
            old = json.load(fh)
        oldc = {e["file"]: e for e in old["captures"]}
        for e in entries:
            if oldc.get(e["file"]) != e:
                check(False, f"{e['file']}: differs from expected.json")
        if only is None:
            extra = set(oldc) - {e["file"] for e in entries}
            check(not extra, f"expected.json lists captures that were not checked: {sorted(extra)}")
    if failed_file:
        names = sorted({f.split(":", 1)[0][:-len(".pcap")] for f in fl.FAILED
                        if f.split(":", 1)[0].endswith(".pcap")})
        with open(failed_file, "w") as fh:
            fh.write("".join(n + "\n" for n in names))
    if fl.FAILED:
        print(f"{len(fl.FAILED)} assertion(s) failed", file=sys.stderr)
        return 1
    print(f"all {len(entries)} captures verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
