#!/usr/bin/env python3
"""Drive `openssl s_client -tls1_3 -keylogfile F` as a SIP-over-TLS UA for
the tls13-keyupdate scenario (see regen-tls-captures.sh).

s_client sends what it reads from stdin, one read() = one SSL_write = one
TLS record; with -crlf it turns LF into CRLF. A read that begins with a
command letter is a command instead: 'k' = KeyUpdate (update_not_requested),
'K' = KeyUpdate (update_requested: the server must answer with its own).
So every SIP message is written in a single write() (< PIPE_BUF, atomic), no
message starts with R/Q/k/K (REGISTER would be taken for 'R', renegotiate),
and the commands are written alone.

Flow (user alice/alicepw, realm sipdbg.test; bob is a SIPp UAS behind Kamailio):
  OPTIONS -> 200; INVITE -> 407; ACK; 'k'; INVITE + Proxy-Authorization ->
  100/180/200; ACK (route set from Record-Route); 'K'; BYE -> 200.
"""
import argparse
import hashlib
import os
import re
import secrets
import subprocess
import sys
import threading
import time

USER, PASSWD, DOMAIN = "alice", "alicepw", "sipdbg.test"


class SClient:
    def __init__(self, connect, ca, keylog):
        self.p = subprocess.Popen(
            ["openssl", "s_client", "-connect", connect, "-tls1_3", "-keylogfile", keylog,
             "-CAfile", ca, "-verify_return_error", "-crlf", "-no_ign_eof"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)
        self.buf = b""
        self.cv = threading.Condition()
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            b = self.p.stdout.read1(65536) if hasattr(self.p.stdout, "read1") else os.read(self.p.stdout.fileno(), 65536)
            if not b:
                break
            sys.stderr.buffer.write(b)
            sys.stderr.flush()
            with self.cv:
                self.buf += b
                self.cv.notify_all()

    def wait_for(self, pattern, timeout=10.0):
        """wait until stdout (from the last match on) has a SIP message matching pattern; consume it"""
        rx = re.compile(pattern, re.S)
        end = time.time() + timeout
        with self.cv:
            while True:
                m = re.search(rb"(SIP/2\.0 [^\r\n]*\r?\n.*?\r?\n\r?\n)", self.buf, re.S)
                while m:
                    msg = m.group(1).decode(errors="replace")
                    self.buf = self.buf[m.end():]
                    if rx.search(msg):
                        return msg
                    m = re.search(rb"(SIP/2\.0 [^\r\n]*\r?\n.*?\r?\n\r?\n)", self.buf, re.S)
                left = end - time.time()
                if left <= 0:
                    raise SystemExit(f"sclient: timeout waiting for {pattern!r}")
                self.cv.wait(left)

    def send(self, text):
        data = text.encode()
        assert len(data) < 4096 and data[:1] not in (b"R", b"Q", b"k", b"K", b"C"), text[:20]
        os.write(self.p.stdin.fileno(), data)
        print(f"sclient: >>> {text.splitlines()[0]}", file=sys.stderr)
        time.sleep(0.2)

    def command(self, c):
        os.write(self.p.stdin.fileno(), (c + "\n").encode())
        print(f"sclient: command {c}", file=sys.stderr)
        time.sleep(0.3)


def hdr(msg, name):
    m = re.search(r"^" + name + r"\s*:\s*(.*?)\r?$", msg, re.M | re.I)
    return m.group(1).strip() if m else ""


def hdrs(msg, name):
    return [v.strip() for v in re.findall(r"^" + name + r"\s*:\s*(.*?)\r?$", msg, re.M | re.I)]


def digest(chal, method, uri):
    p = dict((k.lower(), v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', chal))
    h = lambda s: hashlib.md5(s.encode()).hexdigest()
    ha1, ha2 = h(f"{USER}:{p['realm']}:{PASSWD}"), h(f"{method}:{uri}")
    cnonce, nc = secrets.token_hex(8), "00000001"
    resp = h(f"{ha1}:{p['nonce']}:{nc}:{cnonce}:auth:{ha2}")
    out = (f'Digest username="{USER}", realm="{p["realm"]}", nonce="{p["nonce"]}", uri="{uri}", '
           f'response="{resp}", algorithm=MD5, cnonce="{cnonce}", qop=auth, nc={nc}')
    if "opaque" in p:
        out += f', opaque="{p["opaque"]}"'
    return out


SDP = ("v=0\no=alice 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\n"
       "m=audio 16100 RTP/AVP 0 8\na=rtpmap:0 PCMU/8000\na=rtpmap:8 PCMA/8000\na=sendrecv\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connect", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--keylog", required=True)
    a = ap.parse_args()
    s = SClient(a.connect, a.ca, a.keylog)
    # the local address is in s_client's output only indirectly: use a
    # placeholder host in Via (Kamailio answers over the connection: rport/received)
    local = "alice.invalid"
    tag = secrets.token_hex(6)
    frm = f"<sip:{USER}@{DOMAIN}>;tag={tag}"
    ua = "User-Agent: sipdbg-tls-lab (openssl s_client)\n"

    def req(method, ruri, to, callid, cseq, branch, extra="", body=""):
        # -crlf doubles nothing: each \n becomes \r\n, so Content-Length counts \r\n
        b = body.replace("\n", "\r\n")
        return (f"{method} {ruri} SIP/2.0\nVia: SIP/2.0/TLS {local};branch={branch};rport\n"
                f"Max-Forwards: 70\nFrom: {frm}\nTo: {to}\nCall-ID: {callid}\nCSeq: {cseq} {method}\n"
                f"{extra}{ua}" + ("Content-Type: application/sdp\n" if body else "") +
                f"Content-Length: {len(b)}\n\n{body}")

    br = lambda: "z9hG4bK" + secrets.token_hex(8)
    # wait for the handshake
    with s.cv:
        end = time.time() + 10
        while b"Verify return code" not in s.buf and b"Post-Handshake" not in s.buf:
            if time.time() > end:
                raise SystemExit("sclient: no handshake")
            s.cv.wait(1)
    time.sleep(0.5)  # s_client also reads the NewSessionTickets
    s.send(req("OPTIONS", "sip:127.0.0.1:5061;transport=tls", "<sip:127.0.0.1:5061>",
               secrets.token_hex(12) + "@tls-lab", 1, br(), "Accept: application/sdp\n"))
    s.wait_for(r"^SIP/2\.0 200.*CSeq: 1 OPTIONS")

    cid = secrets.token_hex(12) + "@tls-lab"
    ruri = f"sip:bob@{DOMAIN}"
    contact = f"Contact: <sip:{USER}@{local};transport=tls>\n"
    b1 = br()
    s.send(req("INVITE", ruri, f"<{ruri}>", cid, 1, b1, contact, SDP))
    m = s.wait_for(r"^SIP/2\.0 407.*CSeq: 1 INVITE")
    s.send(req("ACK", ruri, hdr(m, "To"), cid, 1, b1))
    s.command("k")
    auth = digest(hdr(m, "Proxy-Authenticate"), "INVITE", ruri)
    s.send(req("INVITE", ruri, f"<{ruri}>", cid, 2, br(), contact + f"Proxy-Authorization: {auth}\n", SDP))
    ok = s.wait_for(r"^SIP/2\.0 200.*CSeq: 2 INVITE")
    rr = []
    for v in hdrs(ok, "Record-Route"):
        rr = [x.strip() for x in v.split(",")][::-1] + rr
    routes = "".join(f"Route: {r}\n" for r in rr)
    remote = re.sub(r"^.*?<([^>]*)>.*$", r"\1", hdr(ok, "Contact"))
    to = hdr(ok, "To")
    s.send(req("ACK", remote, to, cid, 2, br(), routes))
    s.command("K")
    time.sleep(0.5)
    s.send(req("BYE", remote, to, cid, 3, br(), routes))
    s.wait_for(r"^SIP/2\.0 200.*CSeq: 3 BYE")
    s.command("Q")
    try:
        s.p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        s.p.kill()
        s.p.wait()
    print("sclient: done", file=sys.stderr)


if __name__ == "__main__":
    main()
