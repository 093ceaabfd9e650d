#!/usr/bin/env python3
"""Oracle for the SIP-over-TLS captures (testdata/captures/tls/), from tshark.

  verify-tls-captures.py --write DIR [NAME...]   derive DIR/expected.json from DIR/*.pcap + *.keys
  verify-tls-captures.py [DIR]                   re-derive and compare with DIR/expected.json
                                                 (default: testdata/captures/tls); exit 1 on a difference

Everything is computed from the packets with tshark 4.0, decrypting with the
capture's key log (-o tls.keylog_file:NAME.keys):
  * the ServerHello (TLS version, cipher suite), the ClientHello random and
    whether the key log holds secrets for it;
  * every SIP message: tshark's per-frame fields (-Y sip: method, status,
    CSeq, Call-ID) matched in order with the bytes of the decrypted stream
    (tshark -z follow,tls,raw; WebSocket frames unmasked here), which give
    each message's first line, length, SHA-256 and header lines; UDP legs
    (Kamailio <-> the SIPp UAS, plaintext) from udp.payload;
  * the digest credentials checked against the lab password (alicepw);
  * expect: the analysis codes the packets show (challenge-401/407,
    auth-accepted, password-match), and absent: codes that must not appear,
    each with its reason.
"""
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DEFAULT_DIR = os.path.join(ROOT, "testdata", "captures", "tls")
PASSWORDS = [{"realm": "sipdbg.test", "user": "alice", "password": "alicepw"}]

SCENARIOS = {
    "tls12-gcm": ("Go crypto/tls client, TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256 to Kamailio tls:5061: "
                  "REGISTER -> 401 -> REGISTER with Authorization -> 200.",
                  ["Go crypto/tls client (client/, KeyLogWriter)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)"]),
    "tls12-chacha": ("Go crypto/tls client, TLS 1.2 ECDHE-RSA-CHACHA20-POLY1305: INVITE -> 407 -> ACK -> INVITE with "
                     "Proxy-Authorization -> 100/180/200 (bob, a SIPp UAS on UDP behind Kamailio) -> ACK -> BYE -> 200. "
                     "The Kamailio<->bob leg is plain UDP in the same capture.",
                     ["Go crypto/tls client (client/, KeyLogWriter)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)",
                      "SIPp v3.6.1 UAS bob (uas.xml)"]),
    "tls12-cbc": ("Go crypto/tls client, TLS 1.2 ECDHE-RSA-AES128-SHA (AES-128-CBC, HMAC-SHA1, explicit IV): "
                  "REGISTER -> 401 -> REGISTER with Authorization -> 200.",
                  ["Go crypto/tls client (client/, KeyLogWriter)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)"]),
    "tls13": ("Go crypto/tls client, TLS 1.3 TLS_AES_128_GCM_SHA256 (Kamailio limited to it by openssl-tls13-aes128.cnf): "
              "REGISTER -> 401; then the authorised REGISTER and an OPTIONS written in ONE Write (one TLS record, two SIP "
              "messages) -> 200, 200 (Keepalive); then one OPTIONS written in TWO Writes 100 ms apart (two TLS records, "
              "two TCP segments, split inside the header block) -> 200.",
              ["Go crypto/tls client (client/, KeyLogWriter)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)"]),
    "tls13-keyupdate": ("openssl s_client -tls1_3 -keylogfile (driven by sclient.py), TLS 1.3 with Kamailio's default "
                        "choice TLS_AES_256_GCM_SHA384: OPTIONS -> 200; INVITE -> 407 -> ACK; client KeyUpdate "
                        "(update_not_requested, s_client 'k'); INVITE with Proxy-Authorization -> 100/180/200 (bob, SIPp "
                        "UAS over UDP); ACK; client KeyUpdate (update_requested, 'K'); BYE -> Kamailio's own KeyUpdate "
                        "and the 200 in one segment. Via host alice.invalid (s_client does not say its port).",
                        ["OpenSSL s_client (sclient.py)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)",
                         "SIPp v3.6.1 UAS bob (uas.xml)"]),
    "wss": ("JsSIP under node over secure WebSocket (wss://127.0.0.1:8443, key log from node --tls-keylog): INVITE -> 407 "
            "-> ACK -> INVITE with Proxy-Authorization -> 100/180/200 (bob, SIPp UAS over UDP) -> ACK -> BYE after 1 s -> 200.",
            ["JsSIP (node, ../clients/tools/jssip/client.js)", "Kamailio 5.6.3 tls + websocket modules (kamailio-tls.cfg)",
             "SIPp v3.6.1 UAS bob (uas.xml)"]),
    "no-key": ("Go crypto/tls client, TLS 1.3: REGISTER -> 401 -> 200 as in tls12-gcm, but the key log holds only the "
               "secrets of an EARLIER session (an OPTIONS made before the capture started): the captured session's client "
               "random is not in it, so nothing can be decrypted ('no key for client random').",
               ["Go crypto/tls client (client/, KeyLogWriter)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)"]),
    "probe": ("sipdbg probe register over TLS with --keylog (crypto/tls KeyLogWriter, TLS 1.3): REGISTER -> 401 -> "
              "REGISTER with Authorization -> 200.",
              ["sipdbg probe (--transport tls --keylog)", "Kamailio 5.6.3 tls module (kamailio-tls.cfg)"]),
}
ORDER = list(SCENARIOS)

SUITES = {
    "0xc02f": "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "0xcca8": "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "0xc013": "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "0x1301": "TLS_AES_128_GCM_SHA256",
    "0x1302": "TLS_AES_256_GCM_SHA384",
    "0x1303": "TLS_CHACHA20_POLY1305_SHA256",
}
VERSIONS = {"0x0303": "TLS 1.2", "0x0304": "TLS 1.3"}


def tshark(*args):
    r = subprocess.run(["tshark", "-n", *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"tshark {' '.join(args)}: {r.stderr}")
    return r.stdout


def fields(pcap, keys, flt, names, two_pass=True):
    args = ["-r", pcap, "-o", f"tls.keylog_file:{keys}"]
    if two_pass:
        args.append("-2")
    args += ["-Y", flt, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
    for n in names:
        args += ["-e", n]
    out = []
    for line in tshark(*args).splitlines():
        out.append(dict(zip(names, line.split("\t"))))
    return out


def follow(pcap, keys, stream):
    """decrypted bytes of a TCP stream as [(first_sender, bytes), ...] chunks: True = the node that spoke first"""
    out = tshark("-r", pcap, "-o", f"tls.keylog_file:{keys}", "-q", "-z", f"follow,tls,raw,{stream}")
    chunks = []
    body = out.split("=" * 67)[1] if out.count("=" * 67) >= 2 else ""
    for line in body.splitlines():
        if not line.strip() or line.startswith(("Follow:", "Filter:", "Node ")):
            continue
        chunks.append((line.startswith("\t"), bytes.fromhex(line.strip())))
    if not chunks:
        return b"", b""
    first = chunks[0][0]
    a = b"".join(c for t, c in chunks if t == first)
    b = b"".join(c for t, c in chunks if t != first)
    return a, b


def unwebsocket(data):
    """HTTP upgrade + WebSocket frames -> concatenated text/binary payloads (unmasked)"""
    i = data.find(b"\r\n\r\n")
    if i < 0:
        return b""
    data = data[i + 4:]
    out = b""
    while len(data) >= 2:
        op, ln = data[0] & 0x0F, data[1] & 0x7F
        masked = data[1] & 0x80
        p = 2
        if ln == 126:
            ln, p = int.from_bytes(data[2:4], "big"), 4
        elif ln == 127:
            ln, p = int.from_bytes(data[2:10], "big"), 10
        key = data[p:p + 4] if masked else b""
        p += 4 if masked else 0
        payload = data[p:p + ln]
        if masked:
            payload = bytes(c ^ key[j % 4] for j, c in enumerate(payload))
        if op in (0, 1, 2):
            out += payload
        data = data[p + ln:]
    return out


def split_sip(data):
    """a SIP byte stream -> list of messages (bytes); CRLF keepalives skipped"""
    msgs = []
    while data:
        while data[:2] == b"\r\n":
            data = data[2:]
        if not data:
            break
        i = data.find(b"\r\n\r\n")
        if i < 0:
            raise SystemExit(f"incomplete SIP message in stream: {data[:60]!r}")
        head = data[:i + 4]
        m = re.search(rb"^(?:Content-Length|l)\s*:\s*(\d+)", head, re.M | re.I)
        n = int(m.group(1)) if m else 0
        msgs.append(data[:i + 4 + n])
        data = data[i + 4 + n:]
    return msgs


def hdr(lines, name):
    return [l.split(":", 1)[1].strip() for l in lines if l.split(":", 1)[0].strip().lower() == name.lower()]


def describe(frame, transport, src, dst, raw):
    text = raw.decode("utf-8", "replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    first = lines[0]
    cseq = (hdr(lines, "CSeq") or [""])[0]
    return {
        "frame": frame,
        "transport": transport,
        "src": src,
        "dst": dst,
        "first_line": first,
        "cseq": cseq,
        "call_id": (hdr(lines, "Call-ID") or hdr(lines, "i") or [""])[0],
        "length": len(raw),
        "body_length": len(body.encode()),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "headers": lines[1:],
    }


def check_digest(req_lines, method, header):
    """(user, ok) for a credentials header in a request, checked with the lab password"""
    out = []
    for v in hdr(req_lines, header):
        p = dict((k.lower(), x.strip('"')) for k, x in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', v))
        pw = next((c["password"] for c in PASSWORDS if c["user"] == p.get("username") and c["realm"] == p.get("realm")), None)
        h = lambda s: hashlib.md5(s.encode()).hexdigest()
        ok = False
        if pw is not None:
            ha1, ha2 = h(f"{p['username']}:{p['realm']}:{pw}"), h(f"{method}:{p['uri']}")
            if p.get("qop"):
                want = h(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:{p['qop']}:{ha2}")
            else:
                want = h(f"{ha1}:{p['nonce']}:{ha2}")
            ok = want == p.get("response")
        out.append((p.get("username"), p.get("realm"), ok))
    return out


def analyse(d, name):
    pcap, keys = os.path.join(d, name + ".pcap"), os.path.join(d, name + ".keys")
    for f in (pcap, keys):
        if not os.path.exists(f):
            raise SystemExit(f"missing {f}")
    hello = fields(pcap, keys, "tls.handshake.type==1", ["frame.number", "tcp.stream", "tls.handshake.random"])
    shello = fields(pcap, keys, "tls.handshake.type==2",
                    ["frame.number", "tcp.stream", "tls.handshake.version", "tls.handshake.extensions.supported_version",
                     "tls.handshake.ciphersuite"])
    if len(hello) != 1 or len(shello) != 1:
        raise SystemExit(f"{name}: expected one TLS session, got {len(hello)} ClientHello / {len(shello)} ServerHello")
    sh = shello[0]
    ver = VERSIONS.get(sh["tls.handshake.extensions.supported_version"] or sh["tls.handshake.version"], "?")
    suite_hex = sh["tls.handshake.ciphersuite"]
    crandom = hello[0]["tls.handshake.random"].replace(":", "")
    klines = [l.split() for l in open(keys) if l.strip() and not l.startswith("#")]
    labels_for = sorted({l[0] for l in klines if len(l) == 3 and l[1].lower() == crandom.lower()})
    other_randoms = sorted({l[1] for l in klines if len(l) == 3 and l[1].lower() != crandom.lower()})
    keyupd = fields(pcap, keys, "tls.handshake.type==24", ["frame.number", "ip.src", "tcp.srcport"])
    appdata = fields(pcap, keys, "tls.record.opaque_type==23 or tls.record.content_type==23",
                     ["frame.number", "ip.src", "tcp.srcport", "tls.record.length"], two_pass=False)

    sipf = fields(pcap, keys, "sip", ["frame.number", "ip.src", "ip.dst", "tcp.stream", "tcp.srcport", "tcp.dstport",
                                      "udp.srcport", "udp.dstport", "sip.CSeq", "sip.Call-ID", "sip.Method",
                                      "sip.Status-Code", "udp.payload"])
    server_port = {"wss": "8443"}.get(name, "5061")
    streams = {}
    msgs = []
    for f in sipf:
        fr = int(f["frame.number"])
        cseqs = [c for c in f["sip.CSeq"].split("|") if c]
        cids = f["sip.Call-ID"].split("|")
        if f["udp.srcport"]:
            raw = bytes.fromhex(f["udp.payload"].replace(":", ""))
            got = split_sip(raw)
            src, dst = f"{f['ip.src']}:{f['udp.srcport']}", f"{f['ip.dst']}:{f['udp.dstport']}"
            transport = "udp"
        else:
            st = f["tcp.stream"]
            if st not in streams:
                a, b = follow(pcap, keys, st)
                if name == "wss":
                    a, b = unwebsocket(a), unwebsocket(b)
                streams[st] = {"c": split_sip(a), "s": split_sip(b)}
            side = "s" if f["tcp.srcport"] == server_port else "c"
            got = [streams[st][side].pop(0) for _ in cseqs]
            src, dst = f"{f['ip.src']}:{f['tcp.srcport']}", f"{f['ip.dst']}:{f['tcp.dstport']}"
            transport = "wss" if name == "wss" else "tls"
        if len(got) != len(cseqs):
            raise SystemExit(f"{name}: frame {fr}: tshark sees {len(cseqs)} SIP messages, the bytes {len(got)}")
        for raw, cs, cid in zip(got, cseqs, cids):
            m = describe(fr, transport, src, dst, raw)
            if re.sub(r"\s+", " ", m["cseq"]) != re.sub(r"\s+", " ", cs) or m["call_id"] != cid:
                raise SystemExit(f"{name}: frame {fr}: bytes say CSeq {m['cseq']!r} Call-ID {m['call_id']!r}, "
                                 f"tshark {cs!r} {cid!r}")
            msgs.append(m)
    for st in streams.values():
        for side, rest in st.items():
            if rest:
                raise SystemExit(f"{name}: {len(rest)} decrypted SIP message(s) tshark did not list: {rest[0][:60]!r}")

    # codes, from the client's hop (TLS / WSS)
    hop = [m for m in msgs if m["transport"] != "udp"]
    reqs = [m for m in hop if not m["first_line"].startswith("SIP/2.0")]
    resps = [m for m in hop if m["first_line"].startswith("SIP/2.0")]
    status = lambda m: int(m["first_line"].split()[1])
    expect, absent = [], []
    r401 = [m for m in resps if status(m) == 401]
    r407 = [m for m in resps if status(m) == 407]
    if r401:
        expect.append({"code": "challenge-401", "frames": [m["frame"] for m in r401],
                       "reason": f"401 to {r401[0]['cseq']} (frame {r401[0]['frame']})"})
    if r407:
        expect.append({"code": "challenge-407", "frames": [m["frame"] for m in r407],
                       "reason": f"407 to {r407[0]['cseq']} (frame {r407[0]['frame']})"})
    creds = []
    for q in reqs:
        method = q["first_line"].split()[0]
        for h in ("Authorization", "Proxy-Authorization"):
            for user, realm, ok in check_digest(q["headers"], method, h):
                fin = [r for r in resps if r["call_id"] == q["call_id"] and r["cseq"] == q["cseq"] and status(r) >= 200]
                ok2xx = [r for r in resps if r["call_id"] == q["call_id"] and r["cseq"] == q["cseq"] and 200 <= status(r) < 300]
                creds.append({"frame": q["frame"], "header": h, "user": user, "realm": realm, "password_ok": ok,
                              "final": fin[0]["first_line"] if fin else None, "final_frame": fin[0]["frame"] if fin else None,
                              "accepted": bool(ok2xx)})
    if any(c["accepted"] for c in creds):
        c = next(c for c in creds if c["accepted"])
        expect.append({"code": "auth-accepted", "frames": [c["frame"], c["final_frame"]],
                       "reason": f"{c['header']} (frame {c['frame']}) answered {c['final']} (frame {c['final_frame']})"})
    if creds and all(c["password_ok"] for c in creds):
        expect.append({"code": "password-match", "frames": [c["frame"] for c in creds],
                       "reason": "every digest response is reproduced with the lab password (alicepw, realm sipdbg.test)"})
    if creds:
        absent.append({"code": "credentials-rejected", "reason": "every request with credentials got a 2xx"}
                      if all(c["accepted"] for c in creds) else None)
        absent.append({"code": "password-mismatch", "reason": "every digest response matches the lab password"}
                      if all(c["password_ok"] for c in creds) else None)
    neg = [m for m in resps if status(m) >= 300 and m["cseq"].endswith("INVITE")]
    if neg:
        acks = [q for q in reqs if q["first_line"].startswith("ACK")]
        if all(any(a["call_id"] == n["call_id"] and a["cseq"].split()[0] == n["cseq"].split()[0] for a in acks) for n in neg):
            absent.append({"code": "ack-missing", "reason": "every non-2xx final to INVITE is ACKed on the client hop"})
    if not [m for m in resps if status(m) >= 400 and status(m) not in (401, 407)]:
        absent.append({"code": "call-rejected", "reason": "no 4xx-6xx final other than the challenges"})
    absent = [a for a in absent if a]

    ent = {
        "file": name + ".pcap",
        "keylog": name + ".keys",
        "scenario": SCENARIOS[name][0],
        "stacks": SCENARIOS[name][1],
        "tls_version": ver,
        "cipher_suite": f"{suite_hex} {SUITES.get(suite_hex, '?')}",
        "server_hello_frame": int(sh["frame.number"]),
        "client_random": crandom,
        "keylog_labels_for_client_random": labels_for,
        "keylog_other_client_randoms": other_randoms,
        "key_update_frames": [f"{k['frame.number']} from {k['ip.src']}:{k['tcp.srcport']}" for k in keyupd],
        "app_data_frames": [f"{a['frame.number']} from {a['ip.src']}:{a['tcp.srcport']} records {a['tls.record.length']}"
                            for a in appdata],
        "messages": msgs,
        "credentials": creds,
        "expect": expect,
        "absent": absent,
        "passwords": PASSWORDS if creds else [],
    }
    # scenario checks (the capture must show what was asked)
    must(name, ver == ("TLS 1.2" if name.startswith("tls12") else "TLS 1.3"), f"TLS version {ver}")  # the probe: 1.3
    want_suite = {"tls12-gcm": "0xc02f", "tls12-chacha": "0xcca8", "tls12-cbc": "0xc013", "tls13": "0x1301",
                  "tls13-keyupdate": "0x1302"}.get(name)
    must(name, want_suite is None or suite_hex == want_suite, f"suite {suite_hex}")
    if name == "no-key":
        must(name, not labels_for and other_randoms and not msgs,
             "the key log must lack the session's client random and nothing may decrypt")
        must(name, len(appdata) > 0, "application data records")
        ent["expect"] = []
        ent["expect_note"] = ("no SIP can be decrypted: the key log has secrets for client random(s) "
                              f"{', '.join(other_randoms)} but not for this session's {crandom}: the decoder should say "
                              "'no key for client random' and show the TLS session as undecrypted")
    else:
        must(name, labels_for and msgs, "the key log must decrypt SIP")
        codes = [e["code"] for e in expect]
        want = {"tls12-gcm": ["challenge-401", "auth-accepted", "password-match"],
                "tls12-cbc": ["challenge-401", "auth-accepted", "password-match"],
                "tls13": ["challenge-401", "auth-accepted", "password-match"],
                "tls12-chacha": ["challenge-407", "auth-accepted", "password-match"],
                "tls13-keyupdate": ["challenge-407", "auth-accepted", "password-match"],
                "wss": ["challenge-407", "auth-accepted", "password-match"],
                "probe": ["challenge-401", "auth-accepted", "password-match"]}[name]
        must(name, codes == want, f"codes {codes} != {want}")
    if name == "tls13":
        multi = [f for f in sipf if len([c for c in f["sip.CSeq"].split("|") if c]) > 1]
        must(name, multi, "one frame with two SIP messages")
    if name == "tls13-keyupdate":
        must(name, len(keyupd) == 3, f"three KeyUpdates, got {len(keyupd)}")
        ent["keylog_note"] = ("OpenSSL also logged CLIENT_TRAFFIC_SECRET_N / SERVER_TRAFFIC_SECRET_N lines (the secrets after "
                              "each KeyUpdate); the next secret is also derivable from *_TRAFFIC_SECRET_0 (RFC 8446 7.2), "
                              "which is what tshark does")
    return ent


def must(name, cond, what):
    if not cond:
        raise SystemExit(f"{name}: check failed: {what}")


def versions():
    def first(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0].strip()
        except Exception:
            return "?"
    return {
        "kamailio": first(["kamailio", "-v"]),
        "openssl": first(["openssl", "version"]),
        "go": first(["go", "version"]),
        "node": first(["node", "--version"]),
        "sipp": first(["sipp", "-v"]) if False else "SIPp v3.6.1",
        "tshark": first(["tshark", "--version"]),
        "tcpdump": first(["tcpdump", "--version"]),
    }


NOTES = [
    "One capture per scenario: tcpdump -i lo inside the scenario's own network namespace, filter "
    "'tcp port 5061 or tcp port 8443 or udp port 5060'; Kamailio 127.0.0.1 (tls 5061, wss 8443, udp 5060), "
    "the client 127.0.0.1:ephemeral, bob (SIPp UAS) 127.0.0.20:5060.",
    "Each NAME.pcap has its key log NAME.keys (NSS key log format, written by the CLIENT: Go tls.Config.KeyLogWriter, "
    "openssl s_client -keylogfile, node --tls-keylog). The server certificate is a self-signed RSA 2048 lab certificate "
    "generated at regeneration time; its private key is not kept.",
    "messages: every SIP message tshark decodes (-Y sip, decrypting with the key log), in frame order; a frame with two "
    "messages gives two entries with the same frame. frame = the frame tshark reports the message in (the last "
    "segment/record of it). length/sha256/headers come from the decrypted byte stream (tshark -z follow,tls,raw, "
    "WebSocket frames unmasked) split by Content-Length and matched with tshark's CSeq/Call-ID; udp legs are plaintext.",
    "expect: analysis codes the packets show (client hop only), with the frames; absent: codes that must not be raised; "
    "passwords: the lab password for password verification. app_data_frames: every frame with TLS records of "
    "(outer) type application data, with the records' (encrypted) lengths; key_update_frames: TLS 1.3 KeyUpdate.",
    "tshark: tshark -n -2 -r F -o tls.keylog_file:K -Y sip -T fields -E occurrence=a -E aggregator='|' -e frame.number "
    "-e ip.src -e ip.dst -e tcp.stream -e tcp.srcport -e tcp.dstport -e udp.srcport -e udp.dstport -e sip.CSeq "
    "-e sip.Call-ID -e sip.Method -e sip.Status-Code; ServerHello: -Y tls.handshake.type==2 -e tls.handshake.ciphersuite "
    "-e tls.handshake.extensions.supported_version.",
    "Verdicts were written from tshark output before sipdbg could read TLS.",
]


def main():
    args = sys.argv[1:]
    write = False
    if args and args[0] == "--write":
        write, args = True, args[1:]
    d = os.path.abspath(args[0]) if args else DEFAULT_DIR
    names = args[1:] or [n for n in ORDER if os.path.exists(os.path.join(d, n + ".pcap"))]
    caps = [analyse(d, n) for n in names]
    for c in caps:
        print(f"ok {c['file']}: {c['tls_version']} {c['cipher_suite']}, {len(c['messages'])} SIP messages, "
              f"expect {[e['code'] for e in c['expect']]}", file=sys.stderr)
    if write:
        doc = {"generated_by": "testdata/lab/tls/regen-tls-captures.sh (verify-tls-captures.py)",
               "tool_versions": versions(), "notes": NOTES, "captures": caps}
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        return
    old = json.load(open(os.path.join(d, "expected.json")))
    bad = 0
    byfile = {c["file"]: c for c in old["captures"]}
    for c in caps:
        o = byfile.get(c["file"])
        if o != c:
            bad += 1
            print(f"DIFFERENT {c['file']}", file=sys.stderr)
            if o:
                for k in c:
                    if o.get(k) != c[k]:
                        print(f"  {k}: expected {json.dumps(o.get(k))[:300]}\n  {' ' * len(k)}  got      {json.dumps(c[k])[:300]}",
                              file=sys.stderr)
    missing = set(byfile) - {c["file"] for c in caps}
    for m in sorted(missing):
        bad += 1
        print(f"MISSING {m}", file=sys.stderr)
    if bad:
        sys.exit(1)
    print(f"all {len(caps)} captures match expected.json", file=sys.stderr)


if __name__ == "__main__":
    main()
