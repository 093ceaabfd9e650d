#!/usr/bin/env python3
"""Scripted SIP UAC (stdlib only) for the sipdbg auth lab.

It talks UDP to a real Kamailio (testdata/lab/auth/kamailio-auth-lab.cfg) and
sends the deliberately wrong requests SIPp cannot produce: credentials in the
wrong header, a foreign realm or nonce, SHA-256 / MD5 mix-ups, an RFC 2069
response without qop, no ACK or an ACK with a new branch, and two realms at
once. Every message it sends is a well-formed SIP message; only the
authentication behaviour is wrong on purpose.

usage: authclient.py SCENARIO --server HOST:PORT --port LOCALPORT [options]
       authclient.py fetch-nonce --server HOST:PORT --port LOCALPORT
Exit status 0 when the server answered as expected (see each scenario),
1 otherwise; a one-line summary goes to stdout.
"""
import argparse
import hashlib
import os
import re
import socket
import sys
import time

DOMAIN = "sipdbg.test"
CORE_DOMAIN = "core.sipdbg.test"
PASSWORDS = {("sipdbg.test", "alice"): "alicepw", ("sipdbg.test", "bob"): "bobpw",
             ("core.sipdbg.test", "alice"): "corepw"}

SDP = ("v=0\r\n"
       "o=alice 1 1 IN IP4 127.0.0.1\r\n"
       "s=sipdbg auth lab\r\n"
       "c=IN IP4 127.0.0.1\r\n"
       "t=0 0\r\n"
       "m=audio 16500 RTP/AVP 0 8 101\r\n"
       "a=rtpmap:0 PCMU/8000\r\n"
       "a=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\n"
       "a=sendrecv\r\n")


def rand_hex(n=8):
    return os.urandom(n).hex()


def new_branch():
    return "z9hG4bK-py-" + rand_hex(6)


# --------------------------------------------------------------------------
# SIP message helpers
# --------------------------------------------------------------------------

class Msg:
    """A parsed SIP message (only what the client needs)."""

    def __init__(self, raw):
        self.raw = raw
        text = raw.decode(errors="replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:  # folded line
                k, v = self.headers[-1]
                self.headers[-1] = (k, v + " " + line.strip())
                continue
            k, _, v = line.partition(":")
            self.headers.append((k.strip(), v.strip()))
        parts = self.first.split(" ", 2)
        self.is_response = parts[0] == "SIP/2.0"
        self.status = int(parts[1]) if self.is_response else 0
        self.method = None if self.is_response else parts[0]

    def get(self, name):
        vals = self.get_all(name)
        return vals[0] if vals else None

    def get_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def cseq(self):
        n, m = self.get("CSeq").split()
        return int(n), m

    @property
    def branch(self):
        m = re.search(r";branch=([^;,\s]+)", self.get("Via") or "")
        return m.group(1) if m else None


def parse_challenge(value):
    """'Digest realm="x", nonce="y", qop="auth"' -> dict (lower-case keys)."""
    value = value.strip()
    if value.lower().startswith("digest"):
        value = value[6:]
    out = {}
    for m in re.finditer(r'([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', value):
        out[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3)
    return out


def challenge_of(resp):
    """The digest challenge of a 401/407 as a dict."""
    hdr = "WWW-Authenticate" if resp.status == 401 else "Proxy-Authenticate"
    return parse_challenge(resp.get(hdr))


HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def digest(chal, method, uri, user, password, *, algorithm=None, hash_as=None,
           realm=None, nonce=None, qop="auto", body="", nc=1):
    """Credentials value for a challenge.

    algorithm: the algorithm= value written (default: the challenge's, MD5 if none)
    hash_as:   the hash really used (default: same as algorithm)
    realm/nonce: override the challenge's values (response computed with them)
    qop: "auto" (auth if offered), "auth", "auth-int", or None (RFC 2069 style:
         no qop/nc/cnonce, response = H(HA1:nonce:HA2))
    """
    algorithm = algorithm or chal.get("algorithm", "MD5")
    h = HASHES[hash_as or algorithm]
    H = lambda s: h(s.encode()).hexdigest()  # noqa: E731
    realm = realm if realm is not None else chal["realm"]
    nonce = nonce if nonce is not None else chal["nonce"]
    offered = [q.strip() for q in chal.get("qop", "").split(",") if q.strip()]
    if qop == "auto":
        qop = "auth" if "auth" in offered else None
    ha1 = H(f"{user}:{realm}:{password}")
    if qop == "auth-int":
        ha2 = H(f"{method}:{uri}:{H(body)}")
    else:
        ha2 = H(f"{method}:{uri}")
    parts = [f'username="{user}"', f'realm="{realm}"', f'nonce="{nonce}"', f'uri="{uri}"']
    if qop:
        cnonce = rand_hex(4)
        ncs = f"{nc:08x}"
        resp = H(f"{ha1}:{nonce}:{ncs}:{cnonce}:{qop}:{ha2}")
        parts += [f'response="{resp}"', f"algorithm={algorithm}", f'cnonce="{cnonce}"',
                  f"qop={qop}", f"nc={ncs}"]
    else:
        resp = H(f"{ha1}:{nonce}:{ha2}")
        parts += [f'response="{resp}"', f"algorithm={algorithm}"]
    return "Digest " + ", ".join(parts)


# --------------------------------------------------------------------------
# a minimal UAC
# --------------------------------------------------------------------------

class Fail(Exception):
    pass


class UAC:
    def __init__(self, server, local_port, user="alice", domain=DOMAIN):
        host, port = server.rsplit(":", 1)
        self.server = (host, int(port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", local_port))
        self.lport = local_port
        self.user = user
        self.domain = domain
        self.call_id = rand_hex(10) + "@sipdbg-auth-lab"
        self.from_tag = rand_hex(5)
        self.cseq = 0
        self.log = []

    # -- transport ---------------------------------------------------------
    def send(self, data, dest=None):
        self.sock.sendto(data, dest or self.server)
        self.log.append("> " + data.split(b"\r\n", 1)[0].decode())

    def recv(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data, _ = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        m = Msg(data)
        self.log.append("< " + m.first)
        return m

    # -- message building --------------------------------------------------
    def request(self, method, ruri, *, branch, cseq, to_tag=None, extra=(), body="",
                routes=(), to_user=None):
        to_user = to_user or (self.user if method == "REGISTER" else "bob")
        to_dom = ruri.split("@", 1)[1].split(";")[0].split(">")[0] if "@" in ruri else self.domain
        to = f"<sip:{to_user}@{to_dom}>" + (f";tag={to_tag}" if to_tag else "")
        hdrs = [("Via", f"SIP/2.0/UDP 127.0.0.1:{self.lport};branch={branch};rport")]
        hdrs += [("Route", r) for r in routes]
        hdrs += [("Max-Forwards", "70"),
                 ("From", f"<sip:{self.user}@{self.domain}>;tag={self.from_tag}"),
                 ("To", to),
                 ("Call-ID", self.call_id),
                 ("CSeq", f"{cseq} {method}")]
        if method in ("REGISTER", "INVITE"):
            hdrs.append(("Contact", f"<sip:{self.user}@127.0.0.1:{self.lport};transport=udp>"))
        if method == "REGISTER":
            hdrs.append(("Expires", "300"))
        hdrs += list(extra)
        hdrs.append(("User-Agent", "sipdbg-auth-lab authclient.py"))
        if body:
            hdrs.append(("Content-Type", "application/sdp"))
        b = body.encode()
        lines = [f"{method} {ruri} SIP/2.0"] + [f"{k}: {v}" for k, v in hdrs]
        lines.append(f"Content-Length: {len(b)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + b

    # -- transactions ------------------------------------------------------
    def transaction(self, method, ruri, *, cseq=None, branch=None, extra=(), body="",
                    timeout=3.0, routes=(), dest=None, ack=True):
        """Send a request, return its final response (1xx skipped).
        Non-2xx final responses to INVITE are ACKed with the same branch
        (unless ack=False)."""
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        branch = branch or new_branch()
        req = self.request(method, ruri, branch=branch, cseq=cseq, extra=extra, body=body,
                           routes=routes)
        self.send(req, dest)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Fail(f"no final response to {method} (cseq {cseq})")
            r = self.recv(left)
            if r is None:
                continue
            if not r.is_response or r.branch != branch:
                continue  # e.g. a late retransmission of an earlier reply
            if r.status < 200:
                continue
            r.req_branch, r.req_cseq, r.req_ruri = branch, cseq, ruri
            if method == "INVITE" and r.status >= 300 and ack:
                self.ack_non2xx(r)
            return r

    def ack_non2xx(self, resp, branch=None):
        """ACK for a non-2xx final response: same R-URI, same branch (RFC 3261
        17.1.1.3) unless `branch` is given (deliberately wrong)."""
        to_tag = re.search(r";tag=([^;>\s]+)", resp.get("To")).group(1)
        ack = self.request("ACK", resp.req_ruri, branch=branch or resp.req_branch,
                           cseq=resp.req_cseq, to_tag=to_tag)
        self.send(ack)
        return ack

    def dialog_ack_bye(self, ok):
        """ACK a 2xx along the Record-Route set, then BYE, return the BYE's final."""
        rr = []
        for v in ok.get_all("Record-Route"):
            rr += [x.strip() for x in v.split(",")]
        routes = list(reversed(rr))
        contact = re.search(r"<([^>]+)>", ok.get("Contact")).group(1)
        to_tag = re.search(r";tag=([^;>\s]+)", ok.get("To")).group(1)
        dest = self.server
        if routes:
            m = re.search(r"sip:([^;>:]+):(\d+)", routes[0])
            dest = (m.group(1), int(m.group(2)))
        ack = self.request("ACK", contact, branch=new_branch(), cseq=ok.req_cseq,
                           to_tag=to_tag, routes=routes)
        self.send(ack, dest)
        time.sleep(0.2)
        self.cseq += 1
        branch = new_branch()
        bye = self.request("BYE", contact, branch=branch, cseq=self.cseq, to_tag=to_tag,
                           routes=routes)
        self.send(bye, dest)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            r = self.recv(deadline - time.monotonic())
            if r is None:
                break
            if r.is_response and r.status == 200 and r.cseq[1] == "INVITE":
                self.send(ack, dest)  # retransmitted 200: ACK again
                continue
            if r.is_response and r.branch == branch and r.status >= 200:
                return r
        raise Fail("no final response to BYE")

    def linger(self, seconds, on_response=None):
        """Receive for `seconds`; return the responses seen."""
        seen = []
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return seen
            r = self.recv(left)
            if r is not None:
                seen.append(r)
                if on_response:
                    on_response(r)


def expect(resp, code, what):
    if resp.status != code:
        raise Fail(f"{what}: expected {code}, got {resp.first}")


# --------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------

def reg_uri(ua):
    return f"sip:{ua.domain}"


def sc_fetch_nonce(ua, a):
    r = ua.transaction("REGISTER", reg_uri(ua))
    expect(r, 401, "REGISTER")
    print(challenge_of(r)["nonce"])
    return None


def sc_register_realm_mismatch(ua, a):
    uri = reg_uri(ua)
    r = ua.transaction("REGISTER", uri)
    expect(r, 401, "REGISTER")
    chal = challenge_of(r)
    cred = digest(chal, "REGISTER", uri, "alice", "alicepw", realm="wrong.test")
    r = ua.transaction("REGISTER", uri, extra=[("Authorization", cred)])
    expect(r, 401, "REGISTER realm=wrong.test")
    return "REGISTER -> 401 -> REGISTER realm=wrong.test -> 401"


def sc_register_nonce_mismatch(ua, a):
    if not a.nonce:
        raise Fail("--nonce NONCE (a nonce issued by another server) is required")
    uri = reg_uri(ua)
    r = ua.transaction("REGISTER", uri)
    expect(r, 401, "REGISTER")
    chal = challenge_of(r)
    if chal["nonce"] == a.nonce:
        raise Fail("foreign nonce equals the issued one")
    cred = digest(chal, "REGISTER", uri, "alice", "alicepw", nonce=a.nonce)
    r = ua.transaction("REGISTER", uri, extra=[("Authorization", cred)])
    expect(r, 401, "REGISTER with a foreign nonce")
    return "REGISTER -> 401 -> REGISTER (nonce from another server) -> 401"


def sc_register_sha256(ua, a):
    uri = reg_uri(ua)
    r = ua.transaction("REGISTER", uri)
    expect(r, 401, "REGISTER")
    chal = challenge_of(r)
    if chal.get("algorithm") != "SHA-256":
        raise Fail(f"challenge algorithm is {chal.get('algorithm')}, not SHA-256")
    r = ua.transaction("REGISTER", uri,
                       extra=[("Authorization", digest(chal, "REGISTER", uri, "alice", "alicepw"))])
    expect(r, 200, "REGISTER (SHA-256)")
    return "REGISTER -> 401 SHA-256 -> REGISTER SHA-256 -> 200"


def sc_register_algorithm_mismatch(ua, a):
    uri = reg_uri(ua)
    r = ua.transaction("REGISTER", uri)
    expect(r, 401, "REGISTER")
    chal = challenge_of(r)
    if chal.get("algorithm") != "SHA-256":
        raise Fail(f"challenge algorithm is {chal.get('algorithm')}, not SHA-256")
    cred = digest(chal, "REGISTER", uri, "alice", "alicepw", algorithm="MD5")
    r = ua.transaction("REGISTER", uri, extra=[("Authorization", cred)])
    expect(r, 401, "REGISTER algorithm=MD5 to a SHA-256 challenge")
    return "REGISTER -> 401 SHA-256 -> REGISTER algorithm=MD5 -> 401"


def sc_register_qop_missing(ua, a):
    uri = reg_uri(ua)
    r = ua.transaction("REGISTER", uri)
    expect(r, 401, "REGISTER")
    chal = challenge_of(r)
    if "auth" not in chal.get("qop", ""):
        raise Fail("challenge has no qop=auth")
    cred = digest(chal, "REGISTER", uri, "alice", "alicepw", qop=None)
    r = ua.transaction("REGISTER", uri, extra=[("Authorization", cred)])
    a.result_code = r.status
    return f"REGISTER -> 401 qop=auth -> REGISTER without qop/nc/cnonce -> {r.status}"


def invite_uri(a):
    return f"sip:bob@{a.target_domain}"


def sc_invite_wrong_header(ua, a):
    uri = invite_uri(a)
    r = ua.transaction("INVITE", uri, body=SDP)
    expect(r, 407, "INVITE")
    cred = digest(challenge_of(r), "INVITE", uri, "alice", "alicepw")
    r = ua.transaction("INVITE", uri, body=SDP, extra=[("Authorization", cred)])
    expect(r, 407, "INVITE with Authorization instead of Proxy-Authorization")
    return "INVITE -> 407 -> ACK -> INVITE+Authorization -> 407 -> ACK"


def sc_invite_ack_missing(ua, a):
    uri = invite_uri(a)
    r = ua.transaction("INVITE", uri, body=SDP, ack=False)
    expect(r, 407, "INVITE")
    seen = ua.linger(a.linger)
    n = 1 + sum(1 for m in seen if m.is_response and m.status == 407)
    if n < 4:
        raise Fail(f"only {n} copies of the 407 (want >= 4: original + 3 retransmissions)")
    return f"INVITE -> 407 x{n} (no ACK)"


def sc_invite_ack_branch_mismatch(ua, a):
    uri = invite_uri(a)
    r = ua.transaction("INVITE", uri, body=SDP, ack=False)
    expect(r, 407, "INVITE")
    bad = new_branch()
    ack = ua.ack_non2xx(r, branch=bad)

    def again(m):  # the UAC re-sends its ACK on each retransmitted 407
        if m.is_response and m.status == 407:
            ua.send(ack)
    seen = ua.linger(a.linger, again)
    n = 1 + sum(1 for m in seen if m.is_response and m.status == 407)
    if n < 4:
        raise Fail(f"only {n} copies of the 407: the ACK with a new branch stopped them?")
    return f"INVITE -> 407 -> ACK(new branch) x{n} / 407 x{n}"


def two_realm_invites(ua, a, drop_edge):
    uri = f"sip:bob@{CORE_DOMAIN}"
    r = ua.transaction("INVITE", uri, body=SDP)
    expect(r, 407, "INVITE")
    edge = challenge_of(r)
    pa = digest(edge, "INVITE", uri, "alice", "alicepw")
    r = ua.transaction("INVITE", uri, body=SDP, extra=[("Proxy-Authorization", pa)])
    expect(r, 401, "INVITE+Proxy-Authorization (core challenge)")
    core = challenge_of(r)
    if core["realm"] != CORE_DOMAIN or edge["realm"] != DOMAIN:
        raise Fail(f"unexpected realms {edge['realm']} / {core['realm']}")
    auth = digest(core, "INVITE", uri, "alice", "corepw")
    if drop_edge:
        r = ua.transaction("INVITE", uri, body=SDP, extra=[("Authorization", auth)])
        expect(r, 407, "INVITE with only the core Authorization")
        return "INVITE -> 407 -> INVITE+PA -> 401 (core) -> INVITE+A only -> 407"
    pa2 = digest(edge, "INVITE", uri, "alice", "alicepw", nc=2)
    r = ua.transaction("INVITE", uri, body=SDP,
                       extra=[("Proxy-Authorization", pa2), ("Authorization", auth)])
    expect(r, 200, "INVITE+Proxy-Authorization+Authorization")
    b = ua.dialog_ack_bye(r)
    expect(b, 200, "BYE")
    return "INVITE -> 407 -> INVITE+PA -> 401 (core) -> INVITE+PA+A -> 200 -> ACK -> BYE -> 200"


def sc_invite_two_realms(ua, a):
    return two_realm_invites(ua, a, drop_edge=False)


def sc_invite_credentials_dropped(ua, a):
    return two_realm_invites(ua, a, drop_edge=True)


def sc_invite_auth_int(ua, a):
    uri = invite_uri(a)
    r = ua.transaction("INVITE", uri, body=SDP)
    expect(r, 407, "INVITE")
    chal = challenge_of(r)
    if "auth-int" not in chal.get("qop", ""):
        raise Fail(f"challenge qop is {chal.get('qop')!r}, no auth-int")
    cred = digest(chal, "INVITE", uri, "alice", "alicepw", qop="auth-int", body=SDP)
    r = ua.transaction("INVITE", uri, body=SDP, extra=[("Proxy-Authorization", cred)])
    a.result_code = r.status
    if r.status == 200:
        b = ua.dialog_ack_bye(r)
        expect(b, 200, "BYE")
        return "INVITE -> 407 qop=auth,auth-int -> INVITE qop=auth-int -> 200 -> ACK -> BYE -> 200"
    return f"INVITE -> 407 qop=auth,auth-int -> INVITE qop=auth-int -> {r.status}"


SCENARIOS = {name[3:].replace("_", "-"): fn for name, fn in globals().items()
             if name.startswith("sc_")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", choices=sorted(SCENARIOS))
    ap.add_argument("--server", required=True, help="HOST:PORT of the Kamailio")
    ap.add_argument("--port", type=int, required=True, help="local UDP port")
    ap.add_argument("--nonce", help="foreign nonce for register-nonce-mismatch")
    ap.add_argument("--target-domain", default=DOMAIN)
    ap.add_argument("--linger", type=float, default=6.0,
                    help="seconds to watch 407 retransmissions (ack-* scenarios)")
    a = ap.parse_args()
    ua = UAC(a.server, a.port)
    try:
        summary = SCENARIOS[a.scenario](ua, a)
    except Fail as e:
        print("\n".join(ua.log), file=sys.stderr)
        print(f"{a.scenario}: FAILED: {e}", file=sys.stderr)
        return 1
    print("\n".join(ua.log), file=sys.stderr)
    if summary:
        print(f"{a.scenario}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
