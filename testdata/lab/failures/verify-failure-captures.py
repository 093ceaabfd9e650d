#!/usr/bin/env python3
"""Verify the failure-lab captures with tshark and produce expected.json.

usage: verify-failure-captures.py CAPTURES_DIR [--write] [--failed FILE] [--only NAME...]
  without --write: recompute everything from the captures and compare with
                   CAPTURES_DIR/expected.json (exit 1 on a difference)
  with --write:    (re)write CAPTURES_DIR/expected.json
  --only NAME...:  check only these scenarios (trial runs of the regen script)
  --failed FILE:   write the names of the captures that failed an assertion
                   (without .pcap), one a line, so the regen script can
                   record those scenarios again (a loaded machine can delay
                   Kamailio's timers)

tshark (two passes, so that IP fragments know their reassembly) gives per
frame the IP/UDP/fragment fields, the SIP fields (sip.Method,
sip.Status-Code, sip.CSeq.*, sip.Call-ID, sip.resend) and the DNS fields;
the raw UDP payload is parsed here for the header details (Via, tags,
Max-Forwards, Contact, Reason, Warning, Min-Expires, SDP). Each scenario has
hard assertions that the intended behaviour really is in the capture, and
every code listed as `absent` is checked against the packets too (the reason
given for it is computed from them). The script exits 1 if one fails.

The verdicts (`expect`: code, severity, reason) were written by hand from
the packets (tshark -V) before sipdbg was run on any of these captures; the
frames that prove them and the numbers in the reasons are filled in from
each capture, so a regenerated capture gets the same verdict with its own
frame numbers.

Roles are addresses (every element uses port 5060, dnsmasq 53):
127.0.0.1 proxy, 127.0.0.2 proxy2, 127.0.0.10 alice, 127.0.0.20 bob,
127.0.0.53 dns, 127.0.0.99 marker.
"""
import ipaddress
import json
import os
import re
import subprocess
import sys

AGG = "|"
FAILED = []

ROLES = {"127.0.0.1": "proxy", "127.0.0.2": "proxy2", "127.0.0.10": "alice", "127.0.0.20": "bob",
         "127.0.0.53": "dns", "127.0.0.99": "marker"}
DNS_TYPES = {"1": "A", "28": "AAAA", "33": "SRV", "35": "NAPTR"}
RCODES = {"0": "NOERROR", "2": "SERVFAIL", "3": "NXDOMAIN", "5": "REFUSED"}

# the catalogue codes of issue 18 and the authentication codes that could
# plausibly be raised on SIP calls and registrations without digest auth
FAILURE_CODES = ["ack-2xx-missing", "transaction-timeout", "call-rejected", "sdp-no-common-codec",
                 "nat-private-contact", "nat-private-sdp", "udp-too-large", "slow-setup",
                 "dialog-mismatch-481", "loop-or-hops", "interval-too-brief", "dns-failure",
                 "retransmissions"]
AUTH_CODES = ["challenge-401", "challenge-407", "ack-missing", "ack-branch-mismatch",
              "no-credentials-sent", "answer-not-captured", "credentials-rejected", "auth-accepted"]

KAM = "Kamailio {kamailio} (kamailio-failures.cfg)"
SIPP = "SIPp {sipp}"
BARESIP = "baresip {baresip}"

# --------------------------------------------------------------------------
# per capture: what the analysis must / may report. expect: (code, severity,
# reason template); the template is filled with the facts the scenario's
# check returns. may: (code, reason). Every other code of FAILURE_CODES and
# AUTH_CODES is `absent`, with a reason computed from the packets.
# --------------------------------------------------------------------------
SCENARIOS = {
    "clean-call.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio: INVITE/100/180/200/ACK, "
                 "BYE/200 on both hops; nothing wrong (false-alarm guard).",
        stacks=[SIPP + " alice, scenarios/uac-call.xml", KAM + " proxy", SIPP + " bob, scenarios/uas.xml"],
        expect=[]),
    "clean-register.pcap": dict(
        scenario="alice (baresip) registers through Kamailio's registrar (Expires 3600 -> 200) and "
                 "unregisters at the end of the run (expires=0 -> 200); nothing wrong (false-alarm guard).",
        stacks=[BARESIP + " alice (regint=3600)", KAM + " registrar"],
        expect=[]),
    "ack-2xx-missing.pcap": dict(
        scenario="alice (SIPp) calls bob (baresip, auto-answer) through Kamailio and never ACKs the "
                 "200; bob retransmits it (T1 doubling up to T2) and hangs up with BYE after 64*T1.",
        stacks=[SIPP + " alice, scenarios/uac-noack.xml", KAM + " proxy", BARESIP + " bob (answermode=auto)"],
        expect=[("ack-2xx-missing", "error",
                 "bob's 200 OK to INVITE (frame {first200}) was sent {n200} times (copies at +{gaps} s) "
                 "and never ACKed (no ACK in the capture); bob gave up {bye_after} s after the first 200 and sent "
                 "BYE (frame {bye}), ending the call alice thought was up")],
        may=[("retransmissions", "the {n200} copies of the 200 (and their relayed copies) are "
                                 "retransmissions, but caused by the missing ACK, not by loss; if "
                                 "reported, at most info, pointing at ack-2xx-missing")],
        notes=["T1 = 500 ms, T2 = 4 s (baresip/libre): copies at +0.5, +1.5, +3.5, +7.5, then every 4 s "
               "until +31.5 s; BYE at +32.0 s = 64*T1 after the first 200 (RFC 3261 13.3.1.4).",
               "Kamailio relays every 200 copy to alice (2xx retransmissions pass a proxy); the BYE "
               "follows the Record-Route set (Route: <sip:127.0.0.1;lr>) and alice answers it 200."]),
    "transaction-timeout-silent.pcap": dict(
        scenario="alice (baresip) calls through her outbound proxy 127.0.0.1, which is black-holed "
                 "(nftables drop, no ICMP): the INVITE is retransmitted until Timer B, no response at all.",
        stacks=[BARESIP + " alice (outbound sip:127.0.0.1:5060)", "nftables (drop to 127.0.0.1:5060)",
                "sipsak {sipsak} (the end marker)"],
        expect=[("transaction-timeout", "error",
                 "alice's INVITE (frame {first}) was sent {n} times (frames {frames_str}) at +{times} s "
                 "and got no response at all, not even 100 Trying; the capture runs on to +{marker} s "
                 "(frame {marker_frame}), past Timer B (64*T1 = 32 s): the transaction timed out and "
                 "the call never reached the proxy")],
        may=[("retransmissions", "the INVITE copies are Timer A retransmissions; their cause is the "
                                 "silent next hop (transaction-timeout), not loss on one hop of a "
                                 "working path; if reported, at most info")],
        notes=["T1 = 500 ms (baresip/libre): INVITE copies at +0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s "
               "(Timer A doubling, no T2 cap for INVITE); baresip logs 'session closed: Connection "
               "timed out' at +32 s and sends nothing more.",
               "The last exchange is the end marker: sipsak (127.0.0.99) OPTIONS sip:alice@127.0.0.10 -> "
               "200 from baresip, so the capture shows the silence lasted past Timer B."]),
    "transaction-timeout-408.pcap": dict(
        scenario="alice (SIPp) calls through Kamailio (fr_timer 4 s); bob's host is black-holed "
                 "(nftables drop): Kamailio retransmits the INVITE to bob, then answers alice "
                 "408 Request Timeout.",
        stacks=[SIPP + " alice, scenarios/uac-rejected.xml", KAM + " proxy, -A FR_TIMER=4000",
                "nftables (drop to 127.0.0.20:5060)"],
        expect=[("transaction-timeout", "error",
                 "the proxy relayed alice's INVITE to bob {n} times (frames {frames_str}, +{times} s) "
                 "with no response from bob, then generated 408 Request Timeout to alice (frame "
                 "{f408}, +{t408} s after her INVITE); the next hop (bob, 127.0.0.20) is the one "
                 "that was silent")],
        may=[("call-rejected", "the 408 is a final 4xx to the INVITE; a generic call-rejected "
                               "naming '408 from proxy' is acceptable beside transaction-timeout, "
                               "but not instead of it"),
             ("retransmissions", "the proxy>bob INVITE copies are Timer A retransmissions caused by "
                                 "the silent hop; if reported, at most info")],
        notes=["Kamailio tm: T1 500 ms, fr_timer 4 s (-A FR_TIMER=4000; default 30 s): copies to bob at "
               "about +0.5, +1.5, +3.5 s (Kamailio's timer ticks make them a few tens of ms early or "
               "late), 408 at +4.0 s; alice stopped retransmitting at once because of the proxy's "
               "100 Trying."]),
    "call-rejected-503.pcap": dict(
        scenario="alice (SIPp) calls through Kamailio, which rejects the INVITE itself: "
                 "503 Service Unavailable with Reason (SIP and Q.850), Warning and Retry-After.",
        stacks=[SIPP + " alice, scenarios/uac-rejected.xml", KAM + " proxy, -A REJECT_503"],
        expect=[("call-rejected", "error",
                 "the proxy (127.0.0.1) answered alice's INVITE (frame {inv}) with {status} (frame "
                 "{final}) carrying Reason: {reasons}, Warning: {warning} and Retry-After: {retry}; "
                 "alice ACKed it (frame {ack})")],
        notes=["The 503 is a stateful reply (t_newtran + send_reply) with append_to_reply headers; "
               "no 100 Trying precedes it because the proxy answers before relaying anything."]),
    "call-rejected-480.pcap": dict(
        scenario="alice (SIPp) calls bob, who never registered: Kamailio's lookup(\"location\") fails "
                 "-> 480 Temporarily Unavailable with Reason Q.850 cause 20.",
        stacks=[SIPP + " alice, scenarios/uac-rejected.xml", KAM + " registrar/proxy, -A REJECT_480"],
        expect=[("call-rejected", "error",
                 "the proxy (127.0.0.1) answered alice's INVITE (frame {inv}) with {status} (frame "
                 "{final}) carrying Reason: {reasons}; alice ACKed it (frame {ack})")]),
    "sdp-no-common-codec.pcap": dict(
        scenario="alice (SIPp) offers only G722 and G729 (RTP/AVP 9 18) to bob (baresip, PCMA "
                 "only) through Kamailio -> 488 Not Acceptable Here from bob.",
        stacks=[SIPP + " alice, scenarios/uac-rejected.xml", KAM + " proxy",
                BARESIP + " bob (audio_codecs=PCMA/8000)"],
        expect=[("sdp-no-common-codec", "error",
                 "alice's offer (frame {inv}) has m=audio {mline}; bob (baresip) supports only PCMA "
                 "(8) and answered {status} (frame {final}, relayed to alice in frame {relayed}): "
                 "no payload type in common")],
        may=[("call-rejected", "the 488 is a final 4xx to the INVITE; a generic call-rejected beside "
                               "sdp-no-common-codec is acceptable, not instead of it")],
        notes=["baresip's 488 carries no Warning header (RFC 3261 21.4.26 says it SHOULD, e.g. "
               "304/305); its log says 'call: no common audio codecs - rejected'.",
               "What bob supports is not in the packets (he sent no SDP); the analysis can only see "
               "that the offer was refused with 488."]),
    "sdp-no-common-codec-savp.pcap": dict(
        scenario="alice (SIPp) offers RTP/SAVP (SDES a=crypto) with PCMU/PCMA to bob (baresip "
                 "without SRTP) through Kamailio -> 488 Not Acceptable Here.",
        stacks=[SIPP + " alice, scenarios/uac-rejected.xml", KAM + " proxy",
                BARESIP + " bob (audio_codecs=PCMU/8000,PCMA/8000, no mediaenc)"],
        expect=[("srtp-mismatch", "error",
                 "alice's offer (frame {inv}) has m=audio {mline} with a=crypto (SRTP); bob "
                 "(baresip, plain RTP/AVP) answered {status} (frame {final}, relayed in frame "
                 "{relayed}): the transport profile does not match although the codecs would, so the "
                 "security profile is what to change (the media lab's srtp-mismatch.pcap)")],
        may=[("call-rejected", "the 488 is a final 4xx to the INVITE; a generic call-rejected beside "
                               "srtp-mismatch is acceptable, not instead of it"),
             ("sdp-no-common-codec", "at info only: the offer's PCMU/PCMA are codecs bob has; the 488 "
                                     "refused the profile, which srtp-mismatch says")],
        notes=["baresip logs the same 'no common audio codecs - rejected' as for a codec mismatch: "
               "an RTP/SAVP m= line makes its RTP/AVP codecs unusable."]),
    "nat-private-contact.pcap": dict(
        scenario="alice (SIPp) registers from 127.0.0.10 with Via sent-by and Contact "
                 "192.168.1.20:5060 (no rport): a NAT that rewrites nothing; Kamailio stores the "
                 "private Contact -> 200.",
        stacks=[SIPP + " alice, scenarios/uac-register-nat.xml", KAM + " registrar"],
        expect=[("nat-private-contact", "warning",
                 "the REGISTER (frame {reg}) comes from {src} but its Via says {via} (no rport, no "
                 "received) and its Contact {contact}; the registrar accepted and stored that private "
                 "Contact (200, frame {ok}): calls to alice would be sent to an unroutable address")],
        notes=["Kamailio added received=127.0.0.10 to the Via of its 200 and sent it to "
               "127.0.0.10:5060 (received address, Via port): the registration itself works, which "
               "is why this is a warning, not an error.",
               "Nothing in this lab routes to the stored Contact (the proxy never uses the location "
               "table for INVITEs): no packet goes to 192.168.1.20."]),
    "nat-private-sdp.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio with SDP c=IN IP4 192.168.1.20 "
                 "(her LAN address) while signalling from 127.0.0.10; Via and Contact are right; "
                 "the call completes.",
        stacks=[SIPP + " alice, scenarios/uac-call.xml -key sdp_ip 192.168.1.20", KAM + " proxy",
                SIPP + " bob, scenarios/uas.xml"],
        expect=[("nat-private-sdp", "info",
                 "alice's INVITE (frame {inv}) comes from {src} but its SDP says c={c} (m=audio port "
                 "{port}): bob's media would go to a private, unroutable address (one-way or no "
                 "audio); the signalling succeeded (200 frame {ok}, BYE/200). Info, not a warning: "
                 "whether media flows (the callee may send to where the RTP comes from, symmetric "
                 "RTP) is for the media analysis to say, and sipdbg reads no RTP yet")],
        notes=["SIPp sends no RTP, so nothing is ever sent to 192.168.1.20."]),
    "udp-too-large.pcap": dict(
        scenario="alice (SIPp) sends a ~3.2 KB INVITE (WebRTC-style SDP, 24 ICE candidates) over "
                 "UDP through Kamailio to bob (SIPp UAS) on a link with MTU 1500: IP fragments on "
                 "both hops; the call completes.",
        stacks=[SIPP + " alice, scenarios/uac-big-invite.xml", KAM + " proxy", SIPP + " bob, scenarios/uas.xml",
                "Linux kernel IP fragmentation (lo MTU 1500)"],
        expect=[("udp-too-large", "warning",
                 "alice's INVITE is {size_a} bytes of SIP over UDP (> 1300, RFC 3261 18.1.1), sent in "
                 "{frags_a} IP fragments (frames {frames_a}); the proxy relayed it over UDP as "
                 "{size_b} bytes in {frags_b} fragments (frames {frames_b}); it got through here "
                 "(200 frame {ok}), but one lost fragment loses the whole request")],
        notes=["tcpdump ran unfiltered: non-first fragments carry no UDP header. tshark reassembles "
               "the INVITE in the last fragment's frame.",
               "Kamailio did not switch to TCP (udp_mtu is not set in kamailio-failures.cfg)."]),
    "slow-setup.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio; bob sends 100 Trying at once "
                 "but waits 6.5 s before 180 Ringing; then the call completes.",
        stacks=[SIPP + " alice, scenarios/uac-call.xml", KAM + " proxy", SIPP + " bob, scenarios/uas.xml -d 6500"],
        expect=[("slow-setup", "info",
                 "post-dial delay {pdd} s: alice's INVITE (frame {inv}) to the first 18x she received "
                 "({first18x}, frame {f18x}); only 100 Trying came before (frame {f100}); the call was "
                 "then answered (200 frame {ok}). Info, not a warning: 6.5 s is past the 5 s threshold but within what callers bear (a mobile number through the PSTN often takes as long); past twice the threshold it is a warning, and a caller who gives up first makes it an error")],
        notes=["Measured at alice's side (INVITE sent -> 180 received); on the bob hop the delay "
               "is the same within a few ms."]),
    "dialog-mismatch-481.pcap": dict(
        scenario="alice (SIPp) calls bob (baresip) through Kamailio; after 200/ACK alice hangs up "
                 "with a BYE whose To tag bob never gave -> 481 from bob; bob's side stays up until "
                 "he hangs up himself (BYE -> 200).",
        stacks=[SIPP + " alice, scenarios/uac-bye-481.xml", KAM + " proxy", BARESIP + " bob (answermode=auto)"],
        expect=[("dialog-mismatch-481", "error",
                 "alice's BYE (frame {bye}, CSeq {cseq}) carries To tag '{bad_tag}' while bob's 200 "
                 "(frame {ok}) gave '{good_tag}'; bob answered {status} (frame {f481}, relayed in "
                 "frame {f481r}): alice's hang-up failed and bob's leg stayed up until his own BYE "
                 "{later} s later (frame {bob_bye})")],
        notes=["baresip's reason phrase is 'Call Does Not Exist' (RFC 3261: 'Call/Transaction Does "
               "Not Exist').", "The wrong tag is the only difference: Call-ID, From tag, Route set "
               "and Request-URI (bob's Contact) are right."]),
    "loop-or-hops-483.pcap": dict(
        scenario="two Kamailio proxies route INVITEs to each other (a routing loop); alice (SIPp) "
                 "sends Max-Forwards 5; each hop decrements it and the proxy that receives 0 answers "
                 "483 Too Many Hops, relayed back hop by hop.",
        stacks=[SIPP + " alice, scenarios/uac-rejected.xml -key maxfwd 5",
                KAM + " proxy (NEXT_HOP proxy2)", KAM + " proxy2 (NEXT_HOP proxy)"],
        expect=[("loop-or-hops", "error",
                 "the INVITE went {path} with Max-Forwards {mf} (frames {inv_frames}): the same "
                 "request passed the same two proxies again and again; {sender} answered 483 Too "
                 "Many Hops (frame {f483}) when it arrived with Max-Forwards 0, and alice got the "
                 "483 in frame {f483a}")],
        may=[("call-rejected", "the 483 is a final 4xx to the INVITE; a generic call-rejected beside "
                               "loop-or-hops is acceptable, not instead of it"),
             ("retransmissions", "relayed 483s retransmitted by proxy2 in this run: {resend483}. "
                                 "The first ACK arrived within a millisecond of the relayed 483 and "
                                 "did not stop it, the same ACK to the copy did: a race inside "
                                 "Kamailio (relaying the reply vs. matching the ACK, two workers), not "
                                 "loss; if reported, at most info")],
        deviation="Asked for 483 and/or 482. Only 483 is made: Kamailio 5.6 has no RFC 3261 16.3 "
                  "loop detection of its own (no 482 unless the script writes one), so a loop between "
                  "two proxies ends by Max-Forwards. The other real source of 482, a UAS detecting a "
                  "merged request (RFC 3261 8.2.2.2), was tried with baresip behind a proxy forking "
                  "one INVITE to it twice: baresip answered both branches 200 (no 482), so no 482 "
                  "capture. Max-Forwards 5 (not 70) keeps the capture small."),
    "interval-too-brief.pcap": dict(
        scenario="alice (baresip, regint=30) registers: expires 30 -> 423 Interval Too Brief with "
                 "Min-Expires 60 (Kamailio registrar min_expires 60, min_expires_mode 1) -> retry "
                 "with 60 -> 200; un-REGISTER at the end -> 200.",
        stacks=[BARESIP + " alice (regint=30)", KAM + " registrar (min_expires 60, min_expires_mode 1)"],
        expect=[("interval-too-brief", "info",
                 "REGISTER (frame {reg1}) asked for expires {exp1}; the registrar answered 423 (frame "
                 "{f423}) with Min-Expires: {minexp}; alice retried (frame {reg2}, same Call-ID, CSeq "
                 "{cseq2}) with expires {exp2} and got 200 (frame {ok}): handled, the registration works")],
        may=[("call-rejected", "the 423 is a final 4xx to REGISTER, but the retry with Min-Expires "
                               "succeeded at once: if reported at all, info, never an error")],
        notes=["baresip puts the interval in the Contact (;expires=30), not in an Expires header.",
               "With the stock 'if (!save(\"location\")) sl_reply_error();' Kamailio 5.6.3 also sends a "
               "stateless '500 I'm terribly sorry' for the REGISTER it already answered 423 (save() "
               "returns -1 after replying); kamailio-failures.cfg calls save() alone."]),
    "dns-failure.pcap": dict(
        scenario="alice (baresip, dns_server = dnsmasq) dials sip:bob@pbx.lab.test without an "
                 "outbound proxy: NAPTR, SRV (_sips._tcp, _sip._tcp, _sip._udp) and A for "
                 "pbx.lab.test all get NXDOMAIN; no SIP is sent.",
        stacks=[BARESIP + " alice (dns_server 127.0.0.53:53)", "dnsmasq {dnsmasq} (local=/lab.test/)"],
        expect=[("dns-failure", "error",
                 "alice resolved the SIP target pbx.lab.test (RFC 3263): {queries} (frames "
                 "{qframes}) were all answered NXDOMAIN by 127.0.0.53 (frames {rframes}); no SIP "
                 "request follows: the call failed before it started")],
        notes=["baresip asks no AAAA (IPv4 only here). Its DNS socket is not bound to alice's "
               "address: the queries come from 127.0.0.1.",
               "dnsmasq knows proxy.lab.test and _sip._udp.lab.test; pbx.lab.test is the wrong name."]),
    "dns-failure-timeout.pcap": dict(
        scenario="alice (SIPp, remote host pbx.lab.test) resolves through glibc with a black-holed "
                 "DNS server (nftables drop): A and AAAA queries sent twice, never answered; SIPp "
                 "gives up ('Unknown remote host'); no SIP is sent.",
        stacks=[SIPP + " alice (remote host pbx.lab.test, glibc getaddrinfo)",
                "glibc resolver (resolv.conf: nameserver 127.0.0.53, options timeout:1 attempts:2)",
                "nftables (drop to 127.0.0.53:53)"],
        expect=[("dns-failure", "error",
                 "alice asked {queries} for the SIP target pbx.lab.test (frames {qframes}) and "
                 "repeated them {retry_after} s later with the same ids; no DNS response at all in "
                 "the capture and no SIP request: the name never resolved")],
        notes=["The capture ends 0.3 s after SIPp exited (about 2 s after the first query: 2 "
               "attempts x 1 s); a pcap has no end-of-capture timestamp, so the last packet is the "
               "retry at +1.0 s.",
               "glibc asks A and AAAA in parallel (same socket, no NAPTR/SRV: SIPp uses getaddrinfo)."],
        deviation="baresip (libre) was tried first for the unanswered case: it retransmits each "
                  "query for ~72 s and asks NAPTR, 3 SRV and A in turn (~6 min), and its -t timer "
                  "waits for that; SIPp with a hostname and a 1 s resolver timeout gives a bounded "
                  "capture of the same failure."),
    "retransmissions.pcap": dict(
        scenario="alice (SIPp) calls bob (SIPp UAS) through Kamailio; nftables drops the first two "
                 "INVITEs on the proxy>bob hop only; Kamailio retransmits, the third copy gets "
                 "through and the call completes.",
        stacks=[SIPP + " alice, scenarios/uac-call.xml", KAM + " proxy", SIPP + " bob, scenarios/uas.xml",
                "nftables (numgen: drop the first 2 INVITEs to 127.0.0.20)"],
        expect=[("retransmissions", "info",
                 "on the proxy>bob hop the INVITE was sent {n} times (frames {frames_str} at +{times} "
                 "s) before bob answered (100 Trying, frame {f100}): the first copies were lost on "
                 "that hop; alice>proxy carried her INVITE once (frame {inv}) and got 100 Trying at "
                 "once; the call completed (200 frame {ok}), {delay} s later than it would have. "
                 "Info, not a warning: the copies did their job and the call completed")],
        notes=["The drop is at bob's input hook, after tcpdump saw the packet on lo: the capture "
               "shows the lost copies leaving the proxy (as a capture at the proxy would).",
               "T1 = 500 ms (Kamailio tm): copies at about +0.45 and +1.45 s after the first (timer tick)."]),
}


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print(f"  ASSERTION FAILED: {what}", file=sys.stderr)
    return cond


# --------------------------------------------------------------------------
# reading captures
# --------------------------------------------------------------------------

FIELDS = ["frame.number", "frame.time_relative", "ip.src", "ip.dst", "ip.id", "ip.flags.mf",
          "ip.frag_offset", "ip.reassembled_in", "ip.fragment.count", "udp.srcport", "udp.dstport",
          "sip.Method", "sip.Status-Code", "sip.CSeq.seq", "sip.CSeq.method", "sip.Call-ID",
          "sip.resend", "dns.id", "dns.flags.response", "dns.flags.rcode", "dns.qry.name",
          "dns.qry.type", "dns.count.answers", "udp.payload"]
TSHARK_CMD = ("tshark -n -2 -r FILE -T fields -E occurrence=a -E aggregator='|' -e "
              + " -e ".join(FIELDS))


def tshark_rows(path):
    cmd = ["tshark", "-n", "-2", "-r", path, "-T", "fields", "-E", f"aggregator={AGG}",
           "-E", "occurrence=a"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(FIELDS) - len(cols))
        rows.append({f: (c.split(AGG) if c else []) for f, c in zip(FIELDS, cols)})
    return rows


def first(row, f, default=None):
    return row[f][0] if row[f] else default


def role(ip):
    return ROLES.get(ip, ip)


def is_private(addr):
    try:
        a = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return a.version == 4 and (a in ipaddress.ip_network("10.0.0.0/8") or a in ipaddress.ip_network("172.16.0.0/12")
                               or a in ipaddress.ip_network("192.168.0.0/16")
                               or a in ipaddress.ip_network("100.64.0.0/10"))


class Sip:
    """One SIP message (UDP: one per datagram, possibly reassembled)."""

    def __init__(self, row, frags):
        self.frame = int(first(row, "frame.number"))
        self.t = float(first(row, "frame.time_relative"))
        self.src_ip, self.dst_ip = first(row, "ip.src"), first(row, "ip.dst")
        self.src, self.dst = role(self.src_ip), role(self.dst_ip)
        self.frags = frags  # frame numbers of the IP fragments ([] if not fragmented)
        raw = bytes.fromhex(first(row, "udp.payload").replace(":", ""))
        self.size = len(raw)
        self.raw = raw
        text = raw.decode(errors="replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first_line = lines[0]
        self.headers = []
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers.append((k.strip(), v.strip()))
        self.method = first(row, "sip.Method")
        self.status = int(first(row, "sip.Status-Code", "0"))
        self.phrase = self.first_line.split(" ", 2)[2] if self.status else ""
        self.cseq = int(first(row, "sip.CSeq.seq"))
        self.cseq_method = first(row, "sip.CSeq.method")
        self.call_id = first(row, "sip.Call-ID")
        self.resend = any(r in ("1", "True") for r in row["sip.resend"])
        self.ruri = self.first_line.split()[1] if self.method else None
        vias = self.hdrs("Via") + self.hdrs("v")
        self.vias = [v.strip() for hv in vias for v in hv.split(",")]
        m = re.search(r";branch=([^;,\s]+)", self.vias[0]) if self.vias else None
        self.branch = m.group(1) if m else None
        self.sdp = parse_sdp(self.body) if "application/sdp" in (self.hdr("Content-Type") or "") else None

    def hdrs(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def hdr(self, name):
        h = self.hdrs(name)
        return h[0] if h else None

    def tag(self, name):
        m = re.search(r";\s*tag=([^;>\s]+)", self.hdr(name) or "")
        return m.group(1) if m else None

    @property
    def max_forwards(self):
        v = self.hdr("Max-Forwards")
        return int(v) if v is not None else None

    @property
    def is_request(self):
        return self.method is not None

    @property
    def what(self):
        return self.method if self.method else f"{self.status} {self.phrase}"

    def label(self):
        s = f"f{self.frame} +{self.t:.3f} {self.src}>{self.dst} {self.what} (CSeq {self.cseq} {self.cseq_method})"
        if self.frags:
            s += f" [{self.size} B in {len(self.frags)} IP fragments: frames {','.join(map(str, self.frags))}]"
        if self.resend:
            s += " [resend]"
        return s

    def hop_key(self):
        """identity of a request or response on one hop, for counting copies"""
        if self.is_request:
            return ("req", self.src_ip, self.dst_ip, self.branch, self.cseq, self.method)
        return ("rsp", self.src_ip, self.dst_ip, self.branch, self.cseq, self.cseq_method, self.status, self.tag("To"))


def parse_sdp(body):
    c, m, a = [], [], []
    for line in body.split("\r\n"):
        if line.startswith("c="):
            c.append(line[2:].split()[-1])
        elif line.startswith("m="):
            m.append(line[2:])
        elif line.startswith("a="):
            a.append(line[2:])
    return {"c": c, "m": m, "a": a}


class Dns:
    def __init__(self, row):
        self.frame = int(first(row, "frame.number"))
        self.t = float(first(row, "frame.time_relative"))
        self.src, self.dst = role(first(row, "ip.src")), role(first(row, "ip.dst"))
        self.id = first(row, "dns.id")
        self.response = first(row, "dns.flags.response") in ("1", "True")
        self.rcode = RCODES.get(first(row, "dns.flags.rcode", ""), first(row, "dns.flags.rcode"))
        self.name = first(row, "dns.qry.name")
        self.qtype = DNS_TYPES.get(first(row, "dns.qry.type"), first(row, "dns.qry.type"))
        self.answers = int(first(row, "dns.count.answers", "0"))

    def label(self):
        if self.response:
            return f"f{self.frame} +{self.t:.3f} {self.src}>{self.dst} DNS response {self.rcode} {self.qtype} {self.name} (id {self.id}, {self.answers} answers)"
        return f"f{self.frame} +{self.t:.3f} {self.src}>{self.dst} DNS query {self.qtype} {self.name} (id {self.id})"


class Capture:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.rows = tshark_rows(path)
        frag_of = {}  # reassembled frame -> fragment frames
        for r in self.rows:
            into = first(r, "ip.reassembled_in")
            if into:
                frag_of.setdefault(int(into), []).append(int(first(r, "frame.number")))
        self.sip, self.dns = [], []
        self.addrs = set()
        for r in self.rows:
            n = int(first(r, "frame.number"))
            for a in (first(r, "ip.src"), first(r, "ip.dst")):
                if a:
                    self.addrs.add(a)
            if r["sip.CSeq.seq"] and r["udp.payload"]:
                frags = sorted(frag_of.get(n, []) + [n]) if n in frag_of else []
                self.sip.append(Sip(r, frags))
            elif r["dns.id"]:
                self.dns.append(Dns(r))
        self.fragments = [int(first(r, "frame.number")) for r in self.rows
                          if first(r, "ip.flags.mf") in ("1", "True") or int(first(r, "ip.frag_offset", "0") or 0) > 0]
        # copies per hop: the first one is the original, later ones copies
        seen = {}
        for m in self.sip:
            k = m.hop_key()
            seen.setdefault(k, []).append(m)
            m.copy_no = len(seen[k]) - 1
        self.copies = seen

    def req(self, method, src=None, dst=None):
        return [m for m in self.sip if m.method == method and (src is None or m.src == src)
                and (dst is None or m.dst == dst)]

    def rsp(self, cseq_method=None, src=None, dst=None, status=None):
        return [m for m in self.sip if not m.is_request and (cseq_method is None or m.cseq_method == cseq_method)
                and (src is None or m.src == src) and (dst is None or m.dst == dst)
                and (status is None or (status(m.status) if callable(status) else m.status == status))]

    def finals(self, cseq_method, dst=None):
        return [m for m in self.rsp(cseq_method, dst=dst) if m.status >= 200 and m.copy_no == 0]


# --------------------------------------------------------------------------
# generic facts and the reasons for `absent` codes (computed, asserted)
# --------------------------------------------------------------------------

def frames(ms):
    return [m.frame for m in ms]


def fl(ms):
    return ",".join(str(m.frame) for m in ms)


def hop_requests_with_copies(cap):
    """[(first message, copies)] for every request sent more than once on a hop"""
    out = []
    for k, ms in cap.copies.items():
        if k[0] == "req" and len(ms) > 1:
            out.append((ms[0], ms))
    return out


def unanswered_requests(cap):
    """requests (first copies, not ACK) with no response on the reverse hop"""
    out = []
    for m in cap.sip:
        if not m.is_request or m.method == "ACK" or m.copy_no:
            continue
        if not any((not r.is_request) and r.branch == m.branch and r.cseq == m.cseq and r.src_ip == m.dst_ip
                   and r.dst_ip == m.src_ip for r in cap.sip):
            out.append(m)
    return out


def ack_state(cap):
    """for every final to INVITE delivered on a hop: (response, acks with same branch, acks other branch)"""
    out = []
    for r in cap.sip:
        if r.is_request or r.cseq_method != "INVITE" or r.status < 200 or r.copy_no:
            continue
        acks = [a for a in cap.sip if a.method == "ACK" and a.call_id == r.call_id and a.cseq == r.cseq
                and a.tag("To") == r.tag("To")]
        if r.status >= 300:
            acks = [a for a in acks if a.src_ip == r.dst_ip and a.dst_ip == r.src_ip]
            same = [a for a in acks if a.branch == r.branch]
            # an ACK on that hop whose branch is no INVITE's on that hop (in a
            # loop several INVITE transactions of one call share a hop)
            invb = {m.branch for m in cap.sip if m.method == "INVITE" and m.src_ip == r.dst_ip and m.dst_ip == r.src_ip}
            other = [a for a in acks if a.branch not in invb]
        else:  # a 2xx is ACKed end to end: any ACK of that dialog, on any hop
            same, other = acks, []
        out.append((r, same, other))
    return out


def first_18x_delay(cap):
    """(delay s, INVITE, 18x) at alice's side, or None"""
    inv = [m for m in cap.req("INVITE", src="alice") if m.copy_no == 0]
    if not inv:
        return None
    p = [r for r in cap.rsp("INVITE", dst="alice") if 180 <= r.status < 190 and r.call_id == inv[0].call_id]
    if not p:
        return None
    return round(p[0].t - inv[0].t, 3), inv[0], p[0]


def absent_reason(cap, code):
    """why CODE must not be raised on CAP: computed from the packets; asserts it"""
    name = cap.name
    sip = cap.sip
    if code == "ack-2xx-missing":
        st = [(r, s) for r, s, _ in ack_state(cap) if r.status < 300]
        check(all(s for _, s in st), f"{name}: absent ack-2xx-missing but a 2xx is not ACKed")
        if not st:
            return "no 2xx to INVITE in the capture"
        return "every 2xx to INVITE is ACKed: " + "; ".join(f"{r.what} f{r.frame} -> ACK f{s[0].frame}" for r, s in st)
    if code == "transaction-timeout":
        un = [m for m in unanswered_requests(cap) if m.src != "marker"]
        st = [m for m in cap.rsp() if m.status == 408]
        check(not st, f"{name}: absent transaction-timeout but a 408 is present")
        if not sip:
            return "no SIP request in the capture"
        check(not un, f"{name}: absent transaction-timeout but requests without response: {frames(un)}")
        return "every SIP request got a response on its hop, and no 408"
    if code == "call-rejected":
        rej = [r for r in cap.rsp() if r.status >= 400 and r.cseq_method in ("INVITE", "REGISTER")]
        check(not rej, f"{name}: absent call-rejected but {frames(rej)} reject INVITE/REGISTER")
        if any(r.status == 423 for r in cap.rsp()):
            pass
        return "no 4xx-6xx final to INVITE or REGISTER" if sip else "no SIP in the capture"
    if code == "sdp-no-common-codec":
        bad = [r for r in cap.rsp() if r.status in (488, 606) or (r.status == 415)]
        check(not bad, f"{name}: absent sdp-no-common-codec but 488/606 present")
        offers = [m for m in sip if m.sdp and m.is_request]
        answers = [m for m in sip if m.sdp and not m.is_request]
        if not offers:
            return "no SDP offer in the capture"
        common = []
        if answers:
            po = set(offers[0].sdp["m"][0].split()[3:])
            pa = set(answers[0].sdp["m"][0].split()[3:])
            common = sorted(po & pa, key=int)
            check(bool(common), f"{name}: absent sdp-no-common-codec but offer/answer share no PT")
            return f"no 488/606; offer (f{offers[0].frame}) and answer (f{answers[0].frame}) share payload type(s) {' '.join(common)}"
        return "no 488/606 and no SDP answer refusing the offer"
    if code == "nat-private-contact":
        bad = []
        for m in sip:
            for c in m.hdrs("Contact") + m.hdrs("m"):
                h = re.search(r"sip:(?:[^@>;]*@)?([0-9.]+)", c)
                if h and is_private(h.group(1)):
                    bad.append(m.frame)
            if m.is_request and m.vias:
                h = re.match(r"SIP/2\.0/\w+\s+([0-9.]+)", m.vias[0])
                if h and is_private(h.group(1)):
                    bad.append(m.frame)
        check(not bad, f"{name}: absent nat-private-contact but private Via/Contact in {bad}")
        return "no RFC 1918/6598 address in any Via or Contact" if sip else "no SIP in the capture"
    if code == "nat-private-sdp":
        bad = [m.frame for m in sip if m.sdp and any(is_private(c) for c in m.sdp["c"])]
        check(not bad, f"{name}: absent nat-private-sdp but private SDP in {bad}")
        mism = [m for m in sip if m.sdp and any(c != m.src_ip for c in m.sdp["c"])]
        if not any(m.sdp for m in sip):
            return "no SDP in the capture"
        if mism:
            # a proxy relays the offer: c= is then the original sender's address
            return ("no private address in SDP c=; every c= is the 127.0.0.x address of the UA that wrote it "
                    "(relayed copies come from the proxy)")
        return "no private address in SDP c=; every c= equals its packet's source"
    if code == "udp-too-large":
        big = [m for m in sip if m.size > 1300]
        check(not big, f"{name}: absent udp-too-large but SIP over 1300 B in {frames(big)}")
        check(not cap.fragments, f"{name}: absent udp-too-large but IP fragments {cap.fragments}")
        if not sip:
            return "no SIP in the capture"
        return f"largest SIP message {max(m.size for m in sip)} bytes (<= 1300), no IP fragments"
    if code == "slow-setup":
        d = first_18x_delay(cap)
        if d:
            check(d[0] < 5, f"{name}: absent slow-setup but first 18x after {d[0]} s")
            return f"first 18x {d[0]} s after the INVITE (< 5 s)"
        inv = cap.req("INVITE")
        return "no INVITE in the capture" if not inv else "no 18x: the INVITE ended otherwise (see expect)"
    if code == "dialog-mismatch-481":
        bad = cap.rsp(status=481)
        check(not bad, f"{name}: absent dialog-mismatch-481 but 481 in {frames(bad)}")
        return "no 481 in the capture"
    if code == "loop-or-hops":
        bad = cap.rsp(status=lambda s: s in (482, 483))
        check(not bad, f"{name}: absent loop-or-hops but 482/483 in {frames(bad)}")
        mf = [m.max_forwards for m in sip if m.is_request and m.max_forwards is not None]
        return f"no 482/483; lowest Max-Forwards seen {min(mf)}" if mf else "no 482/483"
    if code == "interval-too-brief":
        bad = cap.rsp(status=423)
        check(not bad, f"{name}: absent interval-too-brief but 423 in {frames(bad)}")
        return "no 423 in the capture"
    if code == "dns-failure":
        badd = [d for d in cap.dns if d.response and d.rcode != "NOERROR"]
        check(not badd, f"{name}: absent dns-failure but DNS errors")
        return "no DNS in the capture" if not cap.dns else "all DNS queries answered NOERROR"
    if code == "retransmissions":
        cp = hop_requests_with_copies(cap)
        check(not cp, f"{name}: absent retransmissions but requests copied: {[frames(ms) for _, ms in cp]}")
        return "no request sent more than once on any hop (tshark marks no sip.resend request)" if sip else "no SIP in the capture"
    if code in ("challenge-401", "challenge-407"):
        st = int(code[-3:])
        bad = cap.rsp(status=st)
        check(not bad, f"{name}: absent {code} but {st} present")
        return f"no {st} in the capture"
    if code in ("ack-missing", "ack-branch-mismatch"):
        neg = [(r, s, o) for r, s, o in ack_state(cap) if r.status >= 300]
        check(all(s for _, s, _ in neg), f"{name}: absent {code} but a non-2xx final to INVITE is not ACKed")
        check(not any(o for _, _, o in neg), f"{name}: absent {code} but an ACK with another branch")
        if not neg:
            return "no non-2xx final to INVITE in the capture"
        return "every non-2xx final to INVITE is ACKed on its hop with the INVITE's branch"
    if code in ("no-credentials-sent", "answer-not-captured", "credentials-rejected", "auth-accepted"):
        bad = cap.rsp(status=lambda s: s in (401, 407))
        check(not bad, f"{name}: absent {code} but a challenge is present")
        return "no authentication in the capture (no 401/407)"
    check(False, f"{name}: no absent reason for {code}")
    return "?"


# --------------------------------------------------------------------------
# per-scenario assertions: return (verified, facts for the reason templates,
# frames per expected code)
# --------------------------------------------------------------------------

def fmt_times(ms, base):
    return ", ".join(f"{m.t - base:.1f}" for m in ms)


def clean_call_checks(cap, ok):
    inv = cap.req("INVITE", src="alice")
    ok(len(inv) == 1 and inv[0].copy_no == 0, "alice sent one INVITE")
    fa = cap.finals("INVITE", dst="alice")
    ok([r.status for r in fa] == [200], "alice's INVITE final: 200")
    ok(bool(cap.rsp("INVITE", src="proxy", dst="alice", status=100)), "100 Trying from the proxy")
    prov = [r.status for r in cap.rsp("INVITE", dst="alice") if r.status < 200]
    ok(180 in prov, "180 Ringing reached alice")
    ok(len(cap.req("ACK")) == 2, "ACK on both hops")
    ok([r.status for r in cap.finals("BYE")] == [200, 200], "BYE answered 200 on both hops")


def verify(cap):
    name = cap.name
    v = []
    fx = {}
    fr = {}

    def ok(cond, what):
        if check(cond, f"{name}: {what}"):
            v.append(what)

    sip = cap.sip
    if name == "clean-call.pcap":
        clean_call_checks(cap, ok)
        ok(not hop_requests_with_copies(cap), "no request copied on any hop")
        d = first_18x_delay(cap)
        ok(d and d[0] < 1, "180 within 1 s")
    elif name == "clean-register.pcap":
        reg = cap.req("REGISTER", src="alice")
        ok(len(reg) == 2, "two REGISTERs (register, unregister)")
        ok([r.status for r in cap.finals("REGISTER")] == [200, 200], "both answered 200")
        ok(re.search(r"expires=3600", reg[0].hdr("Contact") or "") is not None, "first asks expires=3600")
        ok(re.search(r"expires=0", reg[1].hdr("Contact") or "") is not None, "second asks expires=0")
    elif name == "ack-2xx-missing.pcap":
        oks = [r for r in cap.rsp("INVITE", src="bob", dst="proxy", status=200)]
        ok(len(oks) >= 5, f"bob sent the 200 {len(oks)} times (>= 5)")
        gaps = [round(b.t - a.t, 2) for a, b in zip(oks, oks[1:])]
        ok(all(abs(g - w) < 0.2 for g, w in zip(gaps[:4], (0.5, 1, 2, 4))), f"first intervals 0.5, 1, 2, 4 s ({gaps[:4]})")
        ok(all(3.8 < g < 4.3 for g in gaps[4:]), "later intervals capped at T2 = 4 s")
        ok(not cap.req("ACK"), "no ACK at all")
        ok(len(cap.rsp("INVITE", src="proxy", dst="alice", status=200)) == len(oks), "every 200 copy relayed to alice")
        bye = cap.req("BYE", src="bob")
        ok(len(bye) == 1 and 31.5 <= bye[0].t - oks[0].t <= 33, "bob's BYE 31.5-33 s after the first 200")
        ok([r.status for r in cap.finals("BYE", dst="bob")] == [200], "the BYE is answered 200")
        fx.update(first200=oks[0].frame, n200=len(oks), gaps=fmt_times(oks[1:], oks[0].t),
                  bye_after=f"{bye[0].t - oks[0].t:.1f}", bye=bye[0].frame)
        fr["ack-2xx-missing"] = frames(oks) + frames(cap.rsp("INVITE", src="proxy", dst="alice", status=200)) + frames(bye)
    elif name == "transaction-timeout-silent.pcap":
        inv = cap.req("INVITE", src="alice", dst="proxy")
        ok(len(inv) >= 7, f"INVITE sent {len(inv)} times (>= 7)")
        want = (0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5)
        ok(all(abs((m.t - inv[0].t) - w) < 0.2 for m, w in zip(inv, want)), "copies at +0, .5, 1.5, 3.5, 7.5, 15.5, 31.5 s")
        ok(not [m for m in sip if not m.is_request and m.cseq_method == "INVITE"], "no response to the INVITE at all")
        opt = cap.req("OPTIONS", src="marker")
        ok(len(opt) == 1 and opt[0].t - inv[0].t >= 32, "the marker comes >= 32 s after the first INVITE (past Timer B)")
        ok([r.status for r in cap.rsp("OPTIONS", src="alice")] == [200], "alice answers the marker 200 (she is alive)")
        fx.update(first=inv[0].frame, n=len(inv), frames_str=fl(inv), times=fmt_times(inv, inv[0].t),
                  marker=f"{opt[0].t - inv[0].t:.1f}", marker_frame=opt[0].frame)
        fr["transaction-timeout"] = frames(inv) + frames(opt)
    elif name == "transaction-timeout-408.pcap":
        inv_a = cap.req("INVITE", src="alice")
        inv_b = cap.req("INVITE", src="proxy", dst="bob")
        ok(len(inv_a) == 1, "alice sent her INVITE once (100 Trying stopped Timer A)")
        ok(len(inv_b) >= 3, f"proxy sent the INVITE to bob {len(inv_b)} times (>= 3)")
        ok(not [m for m in sip if m.src == "bob"], "bob never answered")
        f = cap.finals("INVITE", dst="alice")
        ok([r.status for r in f] == [408] and f[0].src == "proxy", "alice got 408 from the proxy")
        ok(3.8 <= f[0].t - inv_a[0].t <= 5, f"408 after fr_timer ({f[0].t - inv_a[0].t:.2f} s)")
        st = ack_state(cap)
        ok(all(s for _, s, _ in st) and st, "the 408 is ACKed with the INVITE's branch")
        fx.update(n=len(inv_b), frames_str=fl(inv_b), times=fmt_times(inv_b, inv_b[0].t), f408=f[0].frame,
                  t408=f"{f[0].t - inv_a[0].t:.1f}")
        fr["transaction-timeout"] = frames(inv_b) + [f[0].frame]
    elif name in ("call-rejected-503.pcap", "call-rejected-480.pcap"):
        want = 503 if "503" in name else 480
        f = cap.finals("INVITE", dst="alice")
        ok([r.status for r in f] == [want] and f[0].src == "proxy", f"alice got {want} from the proxy")
        r = f[0]
        reasons = r.hdrs("Reason")
        if want == 503:
            ok(any(x.startswith("SIP;cause=503") for x in reasons) and any(x.startswith("Q.850;cause=34") for x in reasons),
               "Reason SIP;cause=503 and Q.850;cause=34")
            ok((r.hdr("Warning") or "").startswith("399 lab.test "), "Warning: 399 lab.test \"...\"")
            ok(r.hdr("Retry-After") == "120", "Retry-After: 120")
            fx.update(warning=r.hdr("Warning"), retry=r.hdr("Retry-After"))
        else:
            ok(any(x.startswith("Q.850;cause=20") for x in reasons), "Reason Q.850;cause=20")
        st = ack_state(cap)
        ok(len(st) == 1 and len(st[0][1]) == 1, "the final is ACKed with the INVITE's branch")
        fx.update(inv=cap.req("INVITE")[0].frame, status=f"{r.status} {r.phrase}", final=r.frame,
                  reasons=" / ".join(reasons), ack=st[0][1][0].frame)
        fr["call-rejected"] = [r.frame]
    elif name in ("sdp-no-common-codec.pcap", "sdp-no-common-codec-savp.pcap"):
        inv = cap.req("INVITE", src="alice")[0]
        mline = inv.sdp["m"][0]
        f = cap.finals("INVITE", dst="proxy")
        fa = cap.finals("INVITE", dst="alice")
        ok([r.status for r in f] == [488] and f[0].src == "bob", "bob answered 488")
        ok([r.status for r in fa] == [488], "the 488 reached alice")
        ok(not any(m.sdp for m in sip if not m.is_request), "no SDP answer")
        if "savp" in name:
            ok(mline.split()[2] == "RTP/SAVP" and any(a.startswith("crypto:") for a in inv.sdp["a"]),
               "offer is RTP/SAVP with a=crypto")
            ok(set(mline.split()[3:]) & {"0", "8"} != set(), "offer has PCMU/PCMA (codecs bob has)")
        else:
            ok(set(mline.split()[3:]) & {"0", "8"} == set(), "offer shares no PT with bob's PCMA/PCMU")
        st = ack_state(cap)
        ok(len(st) == 2 and all(len(s) == 1 for _, s, _ in st), "488 ACKed on both hops")
        fx.update(inv=inv.frame, mline=mline.split(" ", 1)[1] if " " in mline else mline,
                  status=f"{f[0].status} {f[0].phrase}", final=f[0].frame, relayed=fa[0].frame)
        fr["srtp-mismatch" if "savp" in name else "sdp-no-common-codec"] = [inv.frame, f[0].frame, fa[0].frame]
    elif name == "nat-private-contact.pcap":
        reg = cap.req("REGISTER", src="alice")
        ok(len(reg) == 1, "one REGISTER")
        r = reg[0]
        via = r.vias[0]
        ok(via.startswith("SIP/2.0/UDP 192.168.1.20:5060") and "rport" not in via and "received" not in via,
           "Via sent-by 192.168.1.20:5060, no rport/received")
        ok("192.168.1.20" in (r.hdr("Contact") or ""), "Contact 192.168.1.20")
        ok(r.src_ip == "127.0.0.10", "sent from 127.0.0.10")
        f = cap.finals("REGISTER")
        ok([x.status for x in f] == [200], "200 OK")
        ok("192.168.1.20" in (f[0].hdr("Contact") or ""), "the 200 lists the private Contact")
        ok("received=127.0.0.10" in f[0].vias[0], "the 200's Via has received=127.0.0.10")
        fx.update(reg=r.frame, src=f"{r.src_ip}:5060", via=via.split(";")[0].split()[-1], contact=r.hdr("Contact"),
                  ok=f[0].frame)
        fr["nat-private-contact"] = [r.frame, f[0].frame]
    elif name == "nat-private-sdp.pcap":
        clean_call_checks(cap, ok)
        inv = cap.req("INVITE", src="alice")[0]
        ok(inv.sdp["c"] == ["192.168.1.20"], "alice's SDP c=IN IP4 192.168.1.20")
        ok(inv.vias[0].startswith("SIP/2.0/UDP 127.0.0.10:5060") and "127.0.0.10" in inv.hdr("Contact"),
           "Via and Contact say 127.0.0.10")
        okr = cap.finals("INVITE", dst="alice")[0]
        fx.update(inv=inv.frame, src=inv.src_ip, c=inv.sdp["c"][0], port=inv.sdp["m"][0].split()[1], ok=okr.frame)
        fr["nat-private-sdp"] = [inv.frame]
    elif name == "udp-too-large.pcap":
        clean_call_checks(cap, ok)
        a = cap.req("INVITE", src="alice")[0]
        b = cap.req("INVITE", src="proxy", dst="bob")[0]
        ok(a.size > 1300 and len(a.frags) >= 2, f"alice's INVITE {a.size} B in {len(a.frags)} fragments")
        ok(b.size > 1300 and len(b.frags) >= 2, f"relayed INVITE {b.size} B in {len(b.frags)} fragments")
        ok(all(m.size <= 1300 for m in sip if m.method != "INVITE"), "every other message <= 1300 B")
        okr = cap.finals("INVITE", dst="alice")[0]
        fx.update(size_a=a.size, frags_a=len(a.frags), frames_a=fl_n(a.frags), size_b=b.size, frags_b=len(b.frags),
                  frames_b=fl_n(b.frags), ok=okr.frame)
        fr["udp-too-large"] = a.frags + b.frags
    elif name == "slow-setup.pcap":
        clean_call_checks(cap, ok)
        d = first_18x_delay(cap)
        ok(d is not None and d[0] >= 5, f"first 18x {d[0] if d else None} s after the INVITE (>= 5)")
        f100 = cap.rsp("INVITE", dst="alice", status=100)
        ok(f100 and f100[0].t - d[1].t < 0.5, "100 Trying within 0.5 s")
        ok(not hop_requests_with_copies(cap), "no INVITE copies (100 Trying from bob stops the proxy's Timer A)")
        okr = cap.finals("INVITE", dst="alice")[0]
        fx.update(pdd=f"{d[0]:.1f}", inv=d[1].frame, first18x=d[2].what, f18x=d[2].frame, f100=f100[0].frame, ok=okr.frame)
        fr["slow-setup"] = [d[1].frame, d[2].frame]
    elif name == "dialog-mismatch-481.pcap":
        okr = cap.finals("INVITE", dst="alice")
        ok([r.status for r in okr] == [200], "the call is answered 200")
        ok(len(cap.req("ACK")) == 2, "ACK on both hops")
        bye = cap.req("BYE", src="alice")
        ok(len(bye) == 1, "alice sent one BYE")
        good, bad = okr[0].tag("To"), bye[0].tag("To")
        ok(bad != good, "the BYE's To tag differs from the 200's")
        ok(bye[0].call_id == okr[0].call_id and bye[0].tag("From") == okr[0].tag("From"), "same Call-ID and From tag")
        f481 = cap.rsp("BYE", src="bob", status=481)
        f481r = cap.rsp("BYE", dst="alice", status=481)
        ok(len(f481) == 1 and len(f481r) == 1, "bob answered 481, relayed to alice")
        bb = cap.req("BYE", src="bob")
        ok(len(bb) == 1 and [r.status for r in cap.finals("BYE", dst="bob")] == [200], "bob's own BYE later -> 200")
        fx.update(bye=bye[0].frame, cseq=bye[0].cseq, bad_tag=bad, ok=okr[0].frame, good_tag=good,
                  status=f"481 {f481[0].phrase}", f481=f481[0].frame, f481r=f481r[0].frame,
                  later=f"{bb[0].t - bye[0].t:.1f}", bob_bye=bb[0].frame)
        fr["dialog-mismatch-481"] = [bye[0].frame, f481[0].frame, f481r[0].frame]
    elif name == "loop-or-hops-483.pcap":
        inv = [m for m in cap.req("INVITE") if m.copy_no == 0]
        mf = [m.max_forwards for m in inv]
        ok(mf == list(range(5, -1, -1)), f"Max-Forwards 5,4,3,2,1,0 along the INVITEs ({mf})")
        hops = [f"{m.src}>{m.dst}" for m in inv]
        ok(hops[0] == "alice>proxy" and all(h in ("proxy>proxy2", "proxy2>proxy") for h in hops[1:])
           and all(a != b for a, b in zip(hops[1:], hops[2:])), "the INVITE alternates proxy>proxy2>proxy...")
        ok(len({m.call_id for m in inv}) == 1, "one Call-ID throughout")
        f483 = [r for r in cap.rsp("INVITE", status=483) if r.src_ip == inv[-1].dst_ip and r.dst_ip == inv[-1].src_ip
                and r.branch == inv[-1].branch and r.copy_no == 0]
        ok(len(f483) == 1, "the proxy that received Max-Forwards 0 answered 483")
        fa = cap.finals("INVITE", dst="alice")
        ok([r.status for r in fa] == [483], "alice got 483")
        st = ack_state(cap)
        ok(all(s and not o for _, s, o in st), "every 483 ACKed on its hop with the INVITE's branch")
        path = " > ".join(["alice"] + [m.dst for m in inv])
        rs = [r for r in cap.rsp("INVITE", status=483) if r.copy_no]
        orig = {id(r): cap.copies[r.hop_key()][0] for r in rs}
        ack1 = {}
        for r in rs:
            o = orig[id(r)]
            a = [x for x in cap.req("ACK") if x.src_ip == o.dst_ip and x.dst_ip == o.src_ip and x.branch == o.branch]
            ack1[id(r)] = a
        fx["resend483"] = "; ".join(
            f"frame {r.frame} repeats frame {orig[id(r)].frame} {r.t - orig[id(r)].t:.2f} s later, although "
            f"frame {ack1[id(r)][0].frame} had ACKed it (the copy's ACK is frame "
            f"{ack1[id(r)][1].frame if len(ack1[id(r)]) > 1 else '?'}, "
            f"{'byte for byte the same' if len(ack1[id(r)]) > 1 and ack1[id(r)][0].raw == ack1[id(r)][1].raw else 'same branch'})"
            for r in rs) if rs else "none"
        fx.update(path=path, mf=", ".join(map(str, mf)), inv_frames=fl(inv), sender=inv[-1].dst,
                  f483=f483[0].frame, f483a=fa[0].frame)
        fr["loop-or-hops"] = frames(inv) + [f483[0].frame, fa[0].frame]
    elif name == "interval-too-brief.pcap":
        reg = cap.req("REGISTER", src="alice")
        ok(len(reg) == 3, "three REGISTERs (brief, retry, unregister)")
        f = cap.finals("REGISTER")
        ok([r.status for r in f] == [423, 200, 200], "finals 423, 200, 200")

        def exp(m):
            x = re.search(r";\s*expires=(\d+)", m.hdr("Contact") or "")
            return int(x.group(1)) if x else int(m.hdr("Expires") or -1)
        minexp = int(f[0].hdr("Min-Expires") or -1)
        ok(exp(reg[0]) < minexp, f"first REGISTER expires {exp(reg[0])} < Min-Expires {minexp}")
        ok(minexp == 60, "423 carries Min-Expires: 60")
        ok(exp(reg[1]) == minexp, "the retry uses the Min-Expires value")
        ok(reg[1].call_id == reg[0].call_id and reg[1].cseq == reg[0].cseq + 1, "retry: same Call-ID, CSeq + 1")
        ok(exp(reg[2]) == 0, "unregister at the end (expires 0)")
        fx.update(reg1=reg[0].frame, exp1=exp(reg[0]), f423=f[0].frame, minexp=minexp, reg2=reg[1].frame,
                  cseq2=reg[1].cseq, exp2=exp(reg[1]), ok=f[1].frame)
        fr["interval-too-brief"] = [reg[0].frame, f[0].frame, reg[1].frame, f[1].frame]
    elif name == "dns-failure.pcap":
        q = [d for d in cap.dns if not d.response]
        r = [d for d in cap.dns if d.response]
        ok(not sip, "no SIP at all")
        ok({d.qtype for d in q} >= {"NAPTR", "SRV", "A"}, f"NAPTR, SRV and A asked ({sorted({d.qtype for d in q})})")
        ok(all(d.name.endswith("pbx.lab.test") for d in q), "all for pbx.lab.test")
        ok(len(r) == len(q) and all(d.rcode == "NXDOMAIN" for d in r), "every query answered NXDOMAIN")
        ok({d.id for d in q} == {d.id for d in r}, "responses match the queries' ids")
        fx.update(queries=", ".join(f"{d.qtype} {d.name}" for d in q), qframes=fl(q), rframes=fl(r))
        fr["dns-failure"] = frames(q) + frames(r)
    elif name == "dns-failure-timeout.pcap":
        q = [d for d in cap.dns if not d.response]
        ok(not sip, "no SIP at all")
        ok(not [d for d in cap.dns if d.response], "no DNS response")
        ok({d.qtype for d in q} == {"A", "AAAA"} and all(d.name == "pbx.lab.test" for d in q), "A and AAAA for pbx.lab.test")
        ids = {}
        for d in q:
            ids.setdefault(d.id, []).append(d)
        ok(all(len(x) >= 2 for x in ids.values()), "each query sent at least twice (same id)")
        gap = min(x[1].t - x[0].t for x in ids.values())
        ok(gap >= 0.9, f"retry after {gap:.2f} s (resolver timeout 1 s)")
        firsts = [x[0] for x in ids.values()]
        fx.update(queries=" and ".join(f"{d.qtype}" for d in firsts), qframes=fl(q), retry_after=f"{gap:.1f}")
        fr["dns-failure"] = frames(q)
    elif name == "retransmissions.pcap":
        clean_call_checks(cap, ok)
        inv_b = cap.req("INVITE", src="proxy", dst="bob")
        ok(len(inv_b) == 3 and all(m.resend for m in inv_b[1:]), "proxy>bob INVITE sent 3 times (2 marked resend)")
        rb = [m for m in sip if m.src == "bob"]
        ok(rb and rb[0].t > inv_b[-1].t and rb[0].status == 100, "bob's first packet (100) follows the third copy")
        ok(len(cap.req("INVITE", src="alice")) == 1, "alice's INVITE sent once")
        others = [ms for m, ms in hop_requests_with_copies(cap) if not (m.method == "INVITE" and m.dst == "bob")]
        ok(not others, "no other request copied")
        okr = cap.finals("INVITE", dst="alice")[0]
        inv_a = cap.req("INVITE", src="alice")[0]
        fx.update(n=len(inv_b), frames_str=fl(inv_b), times=fmt_times(inv_b, inv_b[0].t), f100=rb[0].frame,
                  inv=inv_a.frame, ok=okr.frame, delay=f"{inv_b[-1].t - inv_b[0].t:.1f}")
        fr["retransmissions"] = frames(inv_b) + [rb[0].frame]
    else:
        check(False, f"{name}: no assertions defined")
    # every capture: traffic stays on 127.0.0.0/8
    ok(all(ipaddress.ip_address(a) in ipaddress.ip_network("127.0.0.0/8") for a in cap.addrs),
       "every packet is between 127.0.0.0/8 addresses")
    return v, fx, fr


def fl_n(ns):
    return ",".join(map(str, ns))


# --------------------------------------------------------------------------

def tool_versions():
    def run(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return out.stdout + out.stderr
        except (OSError, subprocess.TimeoutExpired):
            return ""

    def grab(text, rx):
        m = re.search(rx, text)
        return m.group(1) if m else "?"
    return {
        "kamailio": grab(run(["kamailio", "-v"]), r"kamailio (\S+)"),
        "sipp": grab(run(["sipp", "-v"]), r"SIPp (v[0-9.]*[0-9])"),
        "baresip": grab(run(["baresip", "-h"]), r"baresip (v\S+)"),
        "sipsak": grab(run(["sipsak", "-V"]), r"sipsak (\S+)"),
        "dnsmasq": grab(run(["dnsmasq", "-v"]), r"Dnsmasq version (\S+)"),
        "nft": grab(run(["nft", "--version"]), r"nftables (v\S+)"),
        "tshark": grab(run(["tshark", "-v"]), r"TShark \(Wireshark\) (\S+)"),
        "tcpdump": grab(run(["tcpdump", "--version"]), r"tcpdump version (\S+)"),
    }


def build(cap, meta, versions):
    verified, fx, fr = verify(cap)
    e = {"file": cap.name, "scenario": meta["scenario"],
         "stacks": [s.format(**versions) for s in meta["stacks"]]}
    e["flow"] = [m.label() for m in cap.sip]
    if cap.dns:
        e["dns"] = [d.label() for d in cap.dns]
    expect = []
    for code, sev, tmpl in meta["expect"]:
        try:
            reason = tmpl.format(**fx)
        except (KeyError, IndexError) as ex:
            check(False, f"{cap.name}: reason for {code} lacks {ex}")
            reason = tmpl
        expect.append({"code": code, "severity": sev, "frames": sorted(set(fr.get(code, []))), "reason": reason})
        check(bool(fr.get(code)), f"{cap.name}: no frames for {code}")
    e["expect"] = expect
    may = [{"code": c, "reason": r.format(**fx)} for c, r in meta.get("may", [])]
    named = {x["code"] for x in expect} | {x["code"] for x in may}
    e["absent"] = [{"code": c, "reason": absent_reason(cap, c)} for c in FAILURE_CODES + AUTH_CODES if c not in named]
    if may:
        e["may"] = may
    for k in ("notes", "deviation"):
        if k in meta:
            e[k] = meta[k]
    e["packets"] = len(cap.rows)
    e["sip_msgs"] = len(cap.sip)
    e["dns_msgs"] = len(cap.dns)
    e["call_ids"] = len({m.call_id for m in cap.sip})
    e["ip_fragments"] = len(cap.fragments)
    e["largest_sip_bytes"] = max((m.size for m in cap.sip), default=0)
    e["duration_s"] = round(float(first(cap.rows[-1], "frame.time_relative")), 3) if cap.rows else 0
    e["bytes"] = os.path.getsize(cap.path)
    e["verified"] = verified
    return e


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    d = args[0]
    write = "--write" in args
    only = None
    failed_file = args[args.index("--failed") + 1] if "--failed" in args else None
    if "--only" in args:
        only = {a if a.endswith(".pcap") else a + ".pcap" for a in args[args.index("--only") + 1:] if not a.startswith("--")}
    versions = tool_versions()
    entries = []
    for name, meta in SCENARIOS.items():
        if only is not None and name not in only:
            continue
        path = os.path.join(d, name)
        print(f"checking {name}", file=sys.stderr)
        if not check(os.path.exists(path), f"{name}: missing"):
            continue
        cap = Capture(path)
        try:
            e = build(cap, meta, versions)
        except (IndexError, KeyError, TypeError, AttributeError, ValueError) as ex:
            check(False, f"{name}: capture does not have the expected shape ({ex!r})")
            continue
        check(e["bytes"] < 40000, f"{name}: {e['bytes']} bytes (want < 40 KB)")
        entries.append(e)
    doc = {
        "generated_by": "testdata/lab/failures/regen-failure-captures.sh (verify-failure-captures.py)",
        "tool_versions": versions,
        "notes": [
            "One capture per scenario, tcpdump -i lo inside the scenario's own network namespace (ether "
            "link type), UDP only, every address in 127.0.0.0/8. Roles by address (all port 5060, DNS 53): "
            "127.0.0.1 proxy, 127.0.0.2 proxy2, 127.0.0.10 alice, 127.0.0.20 bob, 127.0.0.53 dns, "
            "127.0.0.99 marker (sipsak).",
            "flow: one entry per SIP message, 'fN +T src>dst METHOD-or-STATUS (CSeq n METHOD)', T in s "
            "from the first packet; [resend] = tshark's sip.resend; [.. IP fragments ..] = reassembled "
            "by tshark from those frames. dns: the same for DNS packets.",
            "expect: codes the analysis must raise, with severity (error = why the call/registration "
            "failed; warning = a risk that did not fail it; info = normal), the frames that prove it and a "
            "reason written from the packets (numbers filled in from this capture). absent: codes of the "
            "issue-18 catalogue and the authentication codes that must NOT be raised (each reason is "
            "computed from the packets and asserted). may: codes that may legitimately also appear.",
            "Verdicts were written from tshark output before sipdbg was run on these captures.",
            "tshark: " + TSHARK_CMD,
        ],
        "captures": entries,
    }
    out = os.path.join(d, "expected.json")
    if write:
        if only is not None and os.path.exists(out):
            # a trial run of some scenarios: merge into what is there
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
        names = sorted({f.split(":", 1)[0][:-len(".pcap")] for f in FAILED if f.split(":", 1)[0].endswith(".pcap")})
        with open(failed_file, "w") as fh:
            fh.write("".join(n + "\n" for n in names))
    if FAILED:
        print(f"{len(FAILED)} assertion(s) failed", file=sys.stderr)
        return 1
    print(f"all {len(entries)} captures verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
