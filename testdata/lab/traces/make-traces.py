#!/usr/bin/env python3
"""Write the text-trace fixtures that no Debian program can produce, and
expected.json for every fixture.

  make-traces.py STAGE SLL2_PCAP

STAGE must already hold what regen-traces.sh recorded with the real
programs: kamailio-sipdump.data + kamailio-sipdump.pcap (Kamailio 5.6
sipdump, SIPp and baresip registering), baresip-trace.log (baresip -s),
sngrep-register-auth.txt (sngrep's "save as .txt" of SLL2_PCAP).

The Asterisk (PJSIP, chan_sip) and FreeSWITCH traces are written here in
the formats those programs print (res_pjsip_logger.c, chan_sip.c,
sofia-sip tport_logging.c), with the SIP bytes of SLL2_PCAP's 20 messages,
as the log of a PBX standing where Kamailio stood (127.0.0.1:5090). The
mixed and plain files are built from the same messages.

tshark is the oracle for expected.json: message count, Call-IDs, first
lines, true addresses and times come from the captures; "src_is"/"dst_is"
say whether the trace gives an address ("given"), sipdbg must infer it
("inferred", by the rules re-implemented in tracelib.infer) or cannot
("unknown").
"""

import json
import os
import re
import sys
from datetime import datetime, timezone

sys.dont_write_bytecode = True  # no __pycache__ beside the script
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracelib as tl  # noqa: E402

PBX = "127.0.0.1:5090"
DASHES = "-" * 72


def when(m, fmt):
    """strftime of the message's time; {ms} and {us} are its milli- and microseconds."""
    sec, _, frac = m["epoch"].partition(".")
    t = datetime.fromtimestamp(int(sec), timezone.utc)
    return t.strftime(fmt).replace("{ms}", frac[:3]).replace("{us}", frac[:6])


def lines_of(raw):
    """The lines of raw with their ends; the last may have none."""
    return re.findall(rb"[^\n]*\n|[^\n]+$", raw)


def rec(m, fmt, given, time):
    """An expected record: given is "src", "dst", "both" or ""."""
    return {"frame": m["frame"], "format": fmt, "raw": m["raw"], "true_src": m["src"], "true_dst": m["dst"],
            "src": m["src"] if given in ("src", "both") else None,
            "dst": m["dst"] if given in ("dst", "both") else None, "time": time}


def is_rx(m):
    return m["dst"] == PBX


def pjsip_block(m, prefix):
    kind = "response" if m["raw"].startswith(b"SIP/") else "request"
    n = len(m["raw"])
    if is_rx(m):
        head = f"<--- Received SIP {kind} ({n} bytes) from UDP:{m['src']} --->"
    else:
        head = f"<--- Transmitting SIP {kind} ({n} bytes) to UDP:{m['dst']} --->"
    return prefix.encode() + head.encode() + b"\n" + m["raw"] + b"\n"


def asterisk_pjsip(msgs):
    """Asterisk 'full' log (logger.conf default dateformat %b %e %T): the
    prefix is on the first line of each entry only."""
    out, recs = [], []
    out.append(b"[Nov 28 10:47:22] VERBOSE[2101] asterisk.c: Asterisk Ready.\n")
    out.append(b"[Nov 28 10:47:22] VERBOSE[2140] res_pjsip_logger.c: PJSIP Logging enabled\n")
    for i, m in enumerate(msgs):
        prefix = when(m, "[%b %d %H:%M:%S] ") + "VERBOSE[2108] res_pjsip_logger.c: "
        out.append(pjsip_block(m, prefix))
        recs.append(rec(m, "pjsip", "src" if is_rx(m) else "dst", "1970-" + when(m, "%m-%dT%H:%M:%SZ")))
        if i == 3:
            out.append(when(m, "[%b %d %H:%M:%S] ").encode() + b"VERBOSE[2108] res_pjsip_registrar.c: "
                       b"Added contact 'sip:bob@127.0.0.1:5091;transport=UDP' to AOR 'bob' with expiration of 300 seconds\n")
        if i == 5:
            out.append(when(m, "[%b %d %H:%M:%S] ").encode() + b"NOTICE[2108] res_pjsip/pjsip_distributor.c: "
                       b"Request 'INVITE' from '<sip:alice@sipdbg.test>' challenged for realm 'sipdbg.test'\n")
    return b"".join(out), recs


def chansip_block(m, prefix):
    raw, p = m["raw"], prefix.encode()
    if is_rx(m):
        head, end = f"<--- SIP read from UDP:{m['src']} --->", "<------------->"
    else:
        first = tl.first_line(raw)
        method = tl.header(raw, "cseq").split()[-1]
        final = first.startswith("SIP/") and method == "INVITE" and int(first.split()[1]) >= 200
        reliable = (not first.startswith("SIP/") and method != "ACK") or final
        head = f"<--- {'Reliably ' if reliable else ''}Transmitting (no NAT) to {m['dst']} --->"
        end = "<------------>"
    body = b"".join(p + ln for ln in lines_of(raw + b"\n"))
    return p + b"\n" + p + head.encode() + b"\n" + body + p + end.encode() + b"\n"


def asterisk_chansip(msgs):
    """chan_sip 'sip set debug on' with verbose timestamps on every line
    (logger.conf dateformat=%F %T.%3q)."""
    out, recs = [], []
    for m in msgs:
        prefix = when(m, "[%Y-%m-%d %H:%M:%S.{ms}] ")
        out.append(chansip_block(m, prefix))
        recs.append(rec(m, "chan_sip", "src" if is_rx(m) else "dst", tl.utc(m["epoch"], 3)))
    return b"".join(out), recs


def fs_block(m, eol=b"\n"):
    ip, _, port = (m["src"] if is_rx(m) else m["dst"]).rpartition(":")
    what = "recv %d bytes from" if is_rx(m) else "send %d bytes to"
    head = (what % len(m["raw"])) + f" udp/[{ip}]:{port} at " + when(m, "%H:%M:%S.{us}") + ":"
    out = [head.encode() + eol, b"   " + DASHES.encode() + eol]
    pieces = m["raw"].split(b"\r\n")
    last = pieces.pop()
    out += [b"   " + p + eol for p in pieces]
    # sofia-sip prints a last line without CRLF with no line end of its own
    out.append((b"   " + last if last else b"") + b"   " + DASHES.encode() + eol)
    return b"".join(out)


def freeswitch(msgs):
    out, recs = [], []
    out.append(b"2026-11-28 10:47:22.912345 [NOTICE] sofia.c:2877 Started Profile internal [sofia_reg_internal]\n")
    out.append(b"2026-11-28 10:47:22.950001 [INFO] mod_sofia.c:6246 sofia global siptrace on\n")
    for m in msgs:
        out.append(fs_block(m))
        recs.append(rec(m, "freeswitch", "src" if is_rx(m) else "dst", tl.utc(m["epoch"], 6)))
    return b"".join(out), recs


def plain(msgs):
    """Messages pasted one after another, LF line ends (as a browser or a
    terminal copy gives them), no addresses, a note in between."""
    out = [b"Trace pasted from the phone's web interface (System > Diagnostics):\n", b"\n"]
    recs = []
    for i, m in enumerate(msgs):
        out.append(m["raw"].replace(b"\r\n", b"\n"))
        out.append(b"\n")
        if i == 3:
            out.append(b"(then the call to bob)\n\n")
        recs.append(rec(m, "plain", "", ""))
    return b"".join(out), recs


def mixed(msgs):
    """Parts of the exchange in four formats with unrelated log lines in
    between, ANSI colours, syslog prefixes, CRLF and LF line ends."""
    out, recs = [], []
    out.append(b"2026-11-28T10:47:22.900000+00:00 sbc kamailio[811]: INFO: <core> [main.c:3043]: main(): processes started\n")
    out.append(b"\x1b[32m 12(2110) NOTICE: <script>: pbx1 registered\x1b[0m\n")
    for m in msgs[0:4]:  # pjsip, syslog prefix on every line, colour on the header
        prefix = when(m, "%b %d %H:%M:%S") + " pbx asterisk[2101]: "
        block = pjsip_block(m, "\x1b[1;35m").replace(b" --->\n", b" --->\x1b[0m\n", 1)
        out += [prefix.encode() + ln for ln in lines_of(block)]
        recs.append(rec(m, "pjsip", "src" if is_rx(m) else "dst", tl.utc(m["epoch"], 0)))
    out.append(b"<--- Received SIP request (4 bytes) from UDP:10.0.0.9:5060 --->\njaK\n\n")
    out.append(b"\x1b[1;31mWARNING[2110]: chan_sip.c:4021 retrans_pkt: Retransmission timeout reached\x1b[0m\n")
    for m in msgs[4:9]:  # chan_sip, LF only, no prefix
        out.append(chansip_block(m, "").replace(b"\r\n", b"\n").replace(b"<---", b"\x1b[1;30m<---", 1))
        recs.append(rec(m, "chan_sip", "src" if is_rx(m) else "dst", ""))
    for m in msgs[9:14]:  # FreeSWITCH, saved with CRLF ends
        out.append(fs_block(m, b"\r\n"))
        recs.append(rec(m, "freeswitch", "src" if is_rx(m) else "dst", tl.utc(m["epoch"], 6)))
    for m in msgs[14:20]:  # pasted, CRLF, a log line between messages
        out.append(b"2026-11-28 10:47:23.800 DEBUG [trace] next message:\n")
        out.append(m["raw"] + b"\r\n")
        recs.append(rec(m, "plain", "", ""))
    return b"".join(out), recs


def real_records(stage, sll2):
    """Expected records of the fixtures the real programs wrote."""
    dump = tl.read_capture(os.path.join(stage, "kamailio-sipdump.pcap"))
    with open(os.path.join(stage, "kamailio-sipdump.data"), encoding="utf-8", errors="replace") as f:
        times = re.findall(r"^time: (\d+\.\d+)$", f.read(), re.M)
    if len(times) != len(dump):
        sys.exit(f"sipdump wrote {len(times)} entries, the capture has {len(dump)} SIP messages")
    sipdump = [rec(m, "sipdump", "both", tl.utc(t, 6)) for m, t in zip(dump, times)]
    baresip = [rec(m, "baresip", "both", "") for m in dump if "5392" in (m["src"][-4:], m["dst"][-4:])]
    sngrep = [rec(m, "sngrep", "both", tl.utc(m["epoch"], 6)) for m in sll2]
    return {"kamailio-sipdump.data": (sipdump, "kamailio-sipdump.pcap", 0),
            "baresip-trace.log": (baresip, "kamailio-sipdump.pcap", 0),
            "sngrep-register-auth.txt": (sngrep, "../captures/sll2-register-auth.pcap", 0)}


ORIGIN = {
    "kamailio-sipdump.data": "real: Kamailio 5.6.3 sipdump module (mode 1), SIPp 3.6.1 and baresip 1.0.0 registering",
    "baresip-trace.log": "real: stdout of baresip 1.0.0 -s (SIP trace) registering to that Kamailio, then unregistering on exit",
    "sngrep-register-auth.txt": "real: sngrep 1.6.0 'save as .txt' of ../captures/sll2-register-auth.pcap, driven in tmux",
    "asterisk-pjsip.log": "written from res_pjsip_logger.c's format (Asterisk 'full' log, default dateformat); SIP bytes of sll2-register-auth.pcap",
    "asterisk-chansip.log": "written from chan_sip.c's 'sip set debug' format, verbose timestamps on every line; SIP bytes of sll2-register-auth.pcap",
    "freeswitch-siptrace.log": "written from sofia-sip tport_logging.c's format (sofia global siptrace on); SIP bytes of sll2-register-auth.pcap",
    "mixed-dirty.log": "written: pjsip with syslog prefixes and colours, chan_sip LF-only, FreeSWITCH CRLF, pasted messages, unrelated log lines",
    "plain-pasted.txt": "written: the 20 messages pasted one after another with LF line ends and no addresses",
}


COLUMNS = ["frame", "format", "first_line", "call", "src", "src_is", "dst", "dst_is", "time"]


def expected_entry(name, recs, capture, problems):
    tl.infer(recs)
    call_ids = list(dict.fromkeys(tl.call_id(r["raw"]) for r in recs))
    rows = []
    for r in recs:
        for side in ("src", "dst"):
            if r[side] is not None and r[side] != r["true_" + side]:
                sys.exit(f"{name}: frame {r['frame']}: {side} {r[side]} is not the true {r['true_' + side]}")
        rows.append([r["frame"], r["format"], tl.first_line(r["raw"]), call_ids.index(tl.call_id(r["raw"])),
                     r["src"] or "", r["src_is"], r["dst"] or "", r["dst_is"], r["time"]])
    return {"file": name, "origin": ORIGIN[name], "capture": capture, "messages": len(recs),
            "call_ids": call_ids, "problems": problems, "rows": rows}


def dump(doc):
    """JSON with one fixture row per line: readable, and small."""
    out = json.dumps(doc, indent=1)
    return re.sub(r"\[\n\s+(\d+),\n\s+([^\]]*?)\n\s+\]",
                  lambda m: "[" + m.group(1) + ", " + re.sub(r",\n\s+", ", ", m.group(2)) + "]", out)


def main():
    stage, sll2_path = sys.argv[1], sys.argv[2]
    sll2 = tl.read_capture(sll2_path)
    written = {
        "asterisk-pjsip.log": (asterisk_pjsip(sll2), 0),
        "asterisk-chansip.log": (asterisk_chansip(sll2), 0),
        "freeswitch-siptrace.log": (freeswitch(sll2), 0),
        "mixed-dirty.log": (mixed(sll2), 1),
        "plain-pasted.txt": (plain(sll2), 0),
    }
    fixtures = real_records(stage, sll2)
    for name, ((data, recs), problems) in written.items():
        with open(os.path.join(stage, name), "wb") as f:
            f.write(data)
        fixtures[name] = (recs, "../captures/sll2-register-auth.pcap", problems)
    entries = [expected_entry(n, *fixtures[n]) for n in ORIGIN]
    doc = {"about": "Written by testdata/lab/traces/make-traces.py. Per fixture: the messages in order, one row "
                    "each (columns); frame = the message's frame in capture; call = index in call_ids; src_is/dst_is: "
                    "given by the trace, inferred from headers, or unknown; time = what Parse reports (\"\" = none).",
           "columns": COLUMNS, "fixtures": entries}
    with open(os.path.join(stage, "expected.json"), "w") as f:
        f.write(dump(doc) + "\n")


if __name__ == "__main__":
    main()
