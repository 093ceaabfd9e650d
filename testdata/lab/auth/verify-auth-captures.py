#!/usr/bin/env python3
"""Verify the auth-lab captures with tshark and produce expected.json.

usage: verify-auth-captures.py CAPTURES_DIR [--write]
  without --write: recompute everything from the captures and compare with
                   CAPTURES_DIR/expected.json (exit 1 on a difference)
  with --write:    (re)write CAPTURES_DIR/expected.json

For every capture tshark gives the per-frame SIP fields (sip.Method,
sip.Status-Code, sip.CSeq.seq, sip.Call-ID, sip.Via.branch, sip.auth.*) and
the raw UDP payload; the payload is parsed here only to tell which header a
digest parameter set came from (a request can carry Proxy-Authorization and
Authorization at once) and to recompute digest responses with the known
passwords (MD5, SHA-256, qop auth / auth-int / none). Each scenario then has
hard assertions that the intended misbehaviour really is in the capture; the
script exits 1 if one fails.

Ports (env, defaults as in regen-auth-captures.sh) give the roles used in
the "flow" lists: EDGE_PORT 5190, CORE_PORT 5191, SHA_PORT 5192,
STALE_PORT 5193, UAC_PORT 5194, PY_PORT 5195, AINT_PORT 5196, UAS_PORT 5197.
"""
import hashlib
import json
import os
import re
import subprocess
import sys

AGG = "|"
FAILED = []


def env_port(name, default):
    return int(os.environ.get(name, default))


ROLES = {
    env_port("EDGE_PORT", 5190): "edge",
    env_port("CORE_PORT", 5191): "core",
    env_port("SHA_PORT", 5192): "edge-sha256",
    env_port("STALE_PORT", 5193): "edge-stale",
    env_port("UAC_PORT", 5194): "uac",
    env_port("PY_PORT", 5195): "uac",
    env_port("AINT_PORT", 5196): "edge-authint",
    env_port("UAS_PORT", 5197): "uas",
}
CLIENT_PORTS = {env_port("UAC_PORT", 5194), env_port("PY_PORT", 5195)}

ALICE = {"realm": "sipdbg.test", "user": "alice", "password": "alicepw"}
BOB = {"realm": "sipdbg.test", "user": "bob", "password": "bobpw"}
ALICE_CORE = {"realm": "core.sipdbg.test", "user": "alice", "password": "corepw"}

KAM = "Kamailio 5.6 (kamailio-auth-lab.cfg)"
SIPP = "SIPp 3.6.1"
PYC = "py/authclient.py (scripted UAC, stdlib)"

# per capture: what the analysis must / must not report, the true passwords,
# and a one-line story. The `check` functions below assert the facts.
SCENARIOS = {
    "register-ok.pcap": dict(
        story="alice registers: REGISTER -> 401 (qop=auth, MD5) -> REGISTER with the right "
              "password, digest uri = Request-URI -> 200 OK.",
        expect=["challenge-401", "auth-accepted", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "challenge-407", "digest-uri-mismatch",
                "nonce-mismatch", "realm-mismatch", "stale-nonce", "algorithm-mismatch",
                "qop-missing", "wrong-auth-header", "forbidden-after-auth", "auth-loop"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{SIPP} scenarios/register.xml -auth_uri sipdbg.test"),
    "invite-407-ok.pcap": dict(
        story="alice calls bob through the edge proxy: INVITE -> 407 -> ACK (same branch) -> "
              "INVITE (CSeq 2) with Proxy-Authorization -> 100 -> relayed to bob's SIPp UAS -> "
              "180/200 -> ACK -> BYE -> 200 (both legs captured).",
        expect=["challenge-407", "auth-accepted", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "ack-missing", "ack-branch-mismatch",
                "digest-uri-mismatch", "cseq-not-incremented", "wrong-auth-header",
                "no-credentials-sent", "auth-loop", "multiple-realms", "credentials-dropped"],
        passwords=[ALICE],
        server=f"{KAM} edge + {SIPP} UAS (scenarios/uas.xml)",
        client=f"{SIPP} scenarios/invite-ok.xml -auth_uri bob@sipdbg.test"),
    "register-wrong-password.pcap": dict(
        story="alice registers with a mistyped password: REGISTER -> 401 -> REGISTER "
              "(response computed with 'alicepw-typo') -> 401 with a fresh nonce.",
        expect=["challenge-401", "credentials-rejected", "password-mismatch"],
        absent=["auth-accepted", "password-match", "realm-mismatch", "nonce-mismatch",
                "digest-uri-mismatch", "stale-nonce", "algorithm-mismatch", "wrong-auth-header"],
        may=["no-credentials-sent (the UA gives up after the last challenge)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{SIPP} scenarios/register-rejected.xml -ap alicepw-typo"),
    "register-unknown-user.pcap": dict(
        story="mallory (not provisioned) registers: REGISTER -> 401 -> REGISTER with "
              "username=mallory -> 401 again: Kamailio re-challenges unknown users (like the "
              "stock kamailio.cfg when auth_db finds no subscriber), no 403/404.",
        expect=["challenge-401", "credentials-rejected"],
        absent=["auth-accepted", "forbidden-after-auth", "realm-mismatch", "nonce-mismatch",
                "digest-uri-mismatch", "username-mismatch"],
        may=["no-credentials-sent (the UA gives up after the last challenge)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[],
        server=f"{KAM} edge", client=f"{SIPP} scenarios/register-rejected.xml -au mallory"),
    "invite-forbidden-after-auth.pcap": dict(
        story="alice (From) authenticates with bob's valid credentials: INVITE -> 407 -> ACK -> "
              "INVITE with Proxy-Authorization username=bob -> 403 'Forbidden - auth user "
              "mismatch' -> ACK.",
        expect=["challenge-407", "forbidden-after-auth", "username-mismatch", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "ack-missing", "ack-branch-mismatch",
                "wrong-auth-header", "digest-uri-mismatch"],
        passwords=[BOB, ALICE],
        server=f"{KAM} edge",
        client=f"{SIPP} scenarios/invite-forbidden.xml -au bob -ap bobpw"),
    "invite-no-credentials.pcap": dict(
        story="alice's INVITE is challenged (407), she ACKs it and gives up: no retry with "
              "credentials.",
        # The capture ends with the ACK: the packets cannot show that no
        # retry followed, so the analysis says the answer is not in it.
        expect=["challenge-407", "answer-not-captured"],
        absent=["ack-missing", "ack-branch-mismatch", "credentials-rejected", "auth-accepted",
                "auth-loop", "password-mismatch"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{SIPP} scenarios/invite-no-credentials.xml"),
    "invite-wrong-header.pcap": dict(
        story="alice answers a 407 with an Authorization header (instead of "
              "Proxy-Authorization), response otherwise right -> 407 again -> ACK.",
        expect=["challenge-407", "wrong-auth-header"],
        absent=["credentials-rejected", "password-mismatch", "ack-missing", "ack-branch-mismatch",
                "auth-accepted", "realm-mismatch", "nonce-mismatch", "digest-uri-mismatch"],
        may=["no-credentials-sent (the UA gives up after the last challenge)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{PYC} invite-wrong-header"),
    "register-realm-mismatch.pcap": dict(
        story="alice answers a realm=\"sipdbg.test\" challenge with realm=\"wrong.test\" (response "
              "right for that realm and her password) -> 401.",
        expect=["challenge-401", "realm-mismatch"],
        absent=["credentials-rejected", "password-mismatch", "auth-accepted", "nonce-mismatch",
                "digest-uri-mismatch", "wrong-auth-header"],
        may=["no-credentials-sent (the UA gives up after the last challenge)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{PYC} register-realm-mismatch"),
    "register-nonce-mismatch.pcap": dict(
        story="alice answers with a nonce the edge never issued (a genuine nonce of the same "
              "realm from another Kamailio instance with its own secret, response right for it) "
              "-> 401.",
        expect=["challenge-401", "nonce-mismatch"],
        absent=["credentials-rejected", "password-mismatch", "auth-accepted", "realm-mismatch",
                "digest-uri-mismatch", "stale-nonce"],
        may=["no-credentials-sent (the UA gives up after the last challenge)"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{PYC} register-nonce-mismatch"),
    "register-stale.pcap": dict(
        story="alice registers (401 -> 200), refreshes 3 s later re-using the old nonce, which "
              "expired (nonce_expire 2 s) -> 401 stale=true -> REGISTER with the new nonce -> 200.",
        expect=["challenge-401", "stale-nonce", "auth-accepted", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "nonce-mismatch", "realm-mismatch",
                "digest-uri-mismatch"],
        passwords=[ALICE],
        server=f"{KAM} edge, nonce_expire 2", client=f"{SIPP} scenarios/register-stale.xml"),
    "register-sha256.pcap": dict(
        story="SHA-256 server: REGISTER -> 401 algorithm=SHA-256 -> REGISTER answered with "
              "SHA-256 -> 200.",
        expect=["challenge-401", "auth-accepted", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "algorithm-mismatch",
                "digest-uri-mismatch", "nonce-mismatch"],
        passwords=[ALICE],
        server=f"{KAM} edge, algorithm SHA-256", client=f"{PYC} register-sha256"),
    "register-algorithm-mismatch.pcap": dict(
        story="SHA-256 server: REGISTER -> 401 algorithm=SHA-256 -> REGISTER answered with "
              "algorithm=MD5 (an MD5 response, right for the password) -> 401.",
        expect=["challenge-401", "algorithm-mismatch"],
        absent=["credentials-rejected", "password-mismatch", "auth-accepted", "nonce-mismatch",
                "realm-mismatch", "digest-uri-mismatch"],
        may=["no-credentials-sent (the UA gives up after the last challenge)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[ALICE],
        server=f"{KAM} edge, algorithm SHA-256", client=f"{PYC} register-algorithm-mismatch"),
    "register-qop-missing.pcap": dict(
        story="qop=\"auth\" challenge answered RFC 2069 style (no qop/nc/cnonce, "
              "response=H(HA1:nonce:HA2)); Kamailio 5.6 accepts it -> 200.",
        expect=["challenge-401", "qop-missing", "auth-accepted", "password-match"],
        absent=["credentials-rejected", "password-mismatch", "digest-uri-mismatch",
                "nonce-mismatch"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{PYC} register-qop-missing"),
    "register-digest-uri-mismatch.pcap": dict(
        story="SIPp's default digest uri is the server address (uri=\"sip:127.0.0.1:5190\") while "
              "the Request-URI is sip:sipdbg.test; Kamailio accepts it -> 200.",
        expect=["challenge-401", "digest-uri-mismatch", "auth-accepted", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "nonce-mismatch", "realm-mismatch"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{SIPP} scenarios/register.xml (no -auth_uri)"),
    "invite-cseq-not-incremented.pcap": dict(
        story="the authenticated INVITE re-uses CSeq 1 of the challenged INVITE (new branch); "
              "Kamailio does not check it and the call completes: 100/180/200, ACK, BYE (CSeq 2).",
        expect=["challenge-407", "cseq-not-incremented", "auth-accepted", "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "ack-missing", "ack-branch-mismatch",
                "digest-uri-mismatch"],
        passwords=[ALICE],
        server=f"{KAM} edge + {SIPP} UAS", client=f"{SIPP} scenarios/invite-cseq-same.xml"),
    "invite-ack-missing.pcap": dict(
        story="alice never ACKs the 407: Kamailio retransmits it at +0.5, +1.5 and +3.5 s and "
              "drops the transaction at +5 s (wt_timer); capture ~6 s.",
        expect=["challenge-407", "ack-missing"],
        absent=["ack-branch-mismatch", "credentials-rejected", "auth-accepted", "password-mismatch"],
        may=["no-credentials-sent (the UA never retries)"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{PYC} invite-ack-missing"),
    "invite-ack-branch-mismatch.pcap": dict(
        story="alice ACKs the 407 with a new Via branch (and re-sends that ACK for every "
              "retransmitted 407): the ACK matches no transaction, Kamailio keeps retransmitting "
              "the 407 (+0.5, +1.5, +3.5 s) until the transaction dies at +5 s.",
        expect=["challenge-407", "ack-branch-mismatch"],
        absent=["credentials-rejected", "auth-accepted", "password-mismatch"],
        may=["no-credentials-sent (the UA never retries)", "ack-missing (no ACK with the right branch either)"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{PYC} invite-ack-branch-mismatch"),
    "invite-auth-loop.pcap": dict(
        story="alice keeps answering with a wrong password: INVITE -> 407, then three "
              "INVITEs with Proxy-Authorization (CSeq 2..4), each -> 407 (4 challenges in a "
              "row), every 407 ACKed; then she gives up.",
        expect=["challenge-407", "auth-loop", "credentials-rejected", "password-mismatch"],
        absent=["auth-accepted", "password-match", "ack-missing", "ack-branch-mismatch",
                "nonce-mismatch", "digest-uri-mismatch"],
        may=["no-credentials-sent (the UA gives up after the last challenge)", "qop-missing (nonce reused with nc 00000001: the 407s usually all carry the same nonce, and SIPp restarts nc at 00000001 for every challenge)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[ALICE],
        server=f"{KAM} edge", client=f"{SIPP} scenarios/invite-auth-loop.xml -ap alicepw-typo"),
    "invite-two-realms.pcap": dict(
        story="INVITE -> 407 from the edge (realm sipdbg.test) -> INVITE with "
              "Proxy-Authorization, relayed to the core -> 401 from the core (realm "
              "core.sipdbg.test) -> INVITE with both Proxy-Authorization (sipdbg.test) and "
              "Authorization (core.sipdbg.test) -> 200 from bob's UAS -> ACK -> BYE -> 200 "
              "(all legs: uac<->edge<->core<->uas).",
        expect=["challenge-407", "challenge-401", "multiple-realms", "auth-accepted",
                "password-match"],
        absent=["qop-missing", "credentials-rejected", "password-mismatch", "ack-missing", "ack-branch-mismatch",
                "credentials-dropped", "wrong-auth-header", "realm-mismatch", "nonce-mismatch",
                "digest-uri-mismatch"],
        passwords=[ALICE, ALICE_CORE],
        server=f"{KAM} edge -> {KAM} core -> {SIPP} UAS", client=f"{PYC} invite-two-realms"),
    "invite-credentials-dropped.pcap": dict(
        story="like invite-two-realms, but after the core's 401 the client sends only the "
              "core's Authorization and drops the edge's Proxy-Authorization -> the edge "
              "challenges again with 407 -> ACK.",
        expect=["challenge-407", "challenge-401", "multiple-realms", "credentials-dropped"],
        absent=["credentials-rejected", "password-mismatch", "ack-missing", "ack-branch-mismatch",
                "wrong-auth-header", "realm-mismatch", "nonce-mismatch",
                "digest-uri-mismatch"],
        may=["no-credentials-sent (the UA gives up after the last challenge)",
             "auth-accepted (for realm sipdbg.test only: the edge accepted the first Proxy-Authorization and relayed the INVITE to the core)"],
        notes=["the last 407 usually repeats the first 407's nonce (same second, see nonce_id)"],
        passwords=[ALICE, ALICE_CORE],
        server=f"{KAM} edge -> {KAM} core", client=f"{PYC} invite-credentials-dropped"),
    "invite-auth-int.pcap": dict(
        story="the edge challenges with qop=\"auth-int\"; SIPp answers qop=auth-int with "
              "H(entity-body) over its SDP (response correct per RFC 2617, re-computed here) "
              "but Kamailio 5.6 cannot verify auth-int -> 407 again -> ACK. No 200 is possible "
              "with this server.",
        expect=["challenge-407", "password-match"],
        absent=["password-mismatch", "ack-missing", "ack-branch-mismatch", "qop-missing",
                "wrong-auth-header", "nonce-mismatch", "realm-mismatch", "digest-uri-mismatch"],
        may=["no-credentials-sent (the UA gives up after the last challenge)", "credentials-rejected (challenged again although the password matches)", "auth-loop (challenged again although the password matches)"],
        notes=["a re-challenge within the same second repeats the nonce (Kamailio's nonce encodes the time in whole seconds, no nonce_count/one_time_nonce); nonce_id in challenges shows what this capture has"],
        passwords=[ALICE],
        deviation="Asked for: qop=\"auth,auth-int\" challenge -> auth-int answer -> 200. Kamailio "
                  "5.6.3 can only offer qop=\"auth-int\" alone (challenge flags 2; flags 3 also "
                  "give just auth-int) and rejects every auth-int response: "
                  "src/modules/auth/api.c auth_check_response() passes an uninitialised "
                  "H(entity-body) to calc_response(). The capture shows that real behaviour; "
                  "both SIPp's and authclient.py's auth-int responses were checked to be correct "
                  "and both get 407.",
        server=f"{KAM} edge, challenge flags 2 (qop=\"auth-int\")",
        client=f"{SIPP} scenarios/invite-rejected.xml (SIPp computes auth-int itself)"),
}


def check(cond, what):
    if not cond:
        FAILED.append(what)
        print(f"  ASSERTION FAILED: {what}", file=sys.stderr)
    return cond


# --------------------------------------------------------------------------
# reading captures
# --------------------------------------------------------------------------

FIELDS = ["frame.number", "frame.time_relative", "udp.srcport", "udp.dstport",
          "sip.Method", "sip.Status-Code", "sip.CSeq.seq", "sip.CSeq.method", "sip.Call-ID",
          "sip.Via.branch", "sip.auth.realm", "sip.auth.nonce", "sip.auth.algorithm",
          "sip.auth.qop", "sip.auth.uri", "sip.auth.username", "sip.auth.stale",
          "sip.resend", "udp.payload"]


def tshark_rows(path, fields, dfilter="sip"):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", f"aggregator={AGG}",
           "-E", "occurrence=a"]
    if dfilter:
        cmd += ["-Y", dfilter]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(fields) - len(cols))
        rows.append({f: (c.split(AGG) if c else []) for f, c in zip(fields, cols)})
    return rows


def unq(s):
    return s[1:-1] if len(s) >= 2 and s[0] == s[-1] == '"' else s


def parse_params(value):
    value = value.strip()
    scheme, _, rest = value.partition(" ")
    out = {"scheme": scheme}
    for m in re.finditer(r'([\w-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', rest):
        out[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3)
    return out


class Sip:
    """One SIP message from one frame (UDP: one message per datagram)."""

    def __init__(self, row):
        self.frame = int(row["frame.number"][0])
        self.t = float(row["frame.time_relative"][0])
        self.src = int(row["udp.srcport"][0])
        self.dst = int(row["udp.dstport"][0])
        self.row = row
        raw = bytes.fromhex(row["udp.payload"][0].replace(":", ""))
        text = raw.decode(errors="replace")
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.first = lines[0]
        self.headers = []
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers.append((k.strip(), v.strip()))
        self.method = row["sip.Method"][0] if row["sip.Method"] else None
        self.status = int(row["sip.Status-Code"][0]) if row["sip.Status-Code"] else 0
        self.cseq = int(row["sip.CSeq.seq"][0])
        self.cseq_method = row["sip.CSeq.method"][0]
        self.call_id = row["sip.Call-ID"][0]
        self.branch = row["sip.Via.branch"][0] if row["sip.Via.branch"] else None
        self.resend = any(r in ("1", "True") for r in row["sip.resend"])
        self.ruri = self.first.split()[1] if self.method else None

    @property
    def to_tag(self):
        m = re.search(r";tag=([^;>\s]+)", self.hdrs("To")[0])
        return m.group(1) if m else None

    def hdrs(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def auth(self, name):
        return [parse_params(v) for v in self.hdrs(name)]

    @property
    def creds(self):
        """[(header name, params)] of Authorization and Proxy-Authorization."""
        out = []
        for h in ("Proxy-Authorization", "Authorization"):
            out += [(h, p) for p in self.auth(h)]
        return out

    @property
    def challenges(self):
        out = []
        for h in ("Proxy-Authenticate", "WWW-Authenticate"):
            out += [(h, p) for p in self.auth(h)]
        return out

    def user(self, hname):
        v = self.hdrs(hname)[0]
        m = re.search(r"sip:([^@;>]+)@", v)
        return m.group(1) if m else None

    @property
    def src_role(self):
        return ROLES.get(self.src, str(self.src))

    @property
    def dst_role(self):
        return ROLES.get(self.dst, str(self.dst))

    @property
    def from_client(self):
        return self.src in CLIENT_PORTS

    @property
    def to_client(self):
        return self.dst in CLIENT_PORTS

    def label(self):
        what = self.method if self.method else f"{self.status} {self.cseq_method}"
        s = f"{self.src_role}>{self.dst_role} {what} (CSeq {self.cseq})"
        extra = [h for h, _ in self.creds]
        if extra:
            s += " +" + "+".join(extra)
        if self.resend:
            s += " [resend]"
        return s


HASH = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}


def digest_ok(cred, method, password, body=""):
    """Recompute a digest response; True if it matches."""
    alg = cred.get("algorithm", "MD5")
    h = HASH.get(alg)
    if h is None:
        return False
    H = lambda s: h(s.encode()).hexdigest()  # noqa: E731
    ha1 = H(f"{cred['username']}:{cred['realm']}:{password}")
    qop = cred.get("qop")
    ha2 = H(f"{method}:{cred['uri']}:{H(body)}") if qop == "auth-int" else H(f"{method}:{cred['uri']}")
    if qop:
        want = H(f"{ha1}:{cred['nonce']}:{cred['nc']}:{cred['cnonce']}:{qop}:{ha2}")
    else:
        want = H(f"{ha1}:{cred['nonce']}:{ha2}")
    return want == cred.get("response")


def load(path):
    msgs = [Sip(r) for r in tshark_rows(path, FIELDS)]
    # cross-check: tshark's sip.auth.* fields == what we parsed from the headers
    for m in msgs:
        ours = [p for _, p in m.challenges + m.creds]
        check(sorted(unq(x) for x in m.row["sip.auth.realm"]) == sorted(p.get("realm", "") for p in ours),
              f"{os.path.basename(path)} frame {m.frame}: sip.auth.realm differs from headers")
        check(sorted(unq(x) for x in m.row["sip.auth.nonce"]) == sorted(p.get("nonce", "") for p in ours),
              f"{os.path.basename(path)} frame {m.frame}: sip.auth.nonce differs from headers")
    return msgs


# --------------------------------------------------------------------------
# generic facts
# --------------------------------------------------------------------------

def facts(path, msgs):
    name = os.path.basename(path)
    client = [m for m in msgs if m.from_client or m.to_client]
    nonces = []  # distinct nonces in order of first appearance (challenges or creds)

    def nid(n):
        if n not in nonces:
            nonces.append(n)
        return nonces.index(n)

    chals, creds = [], []
    issued = set()
    for m in msgs:
        for h, p in m.challenges:
            issued.add(p["nonce"])
            chals.append({"frame": m.frame, "code": m.status, "header": h, "hop": f"{m.src_role}>{m.dst_role}",
                          "realm": p.get("realm"), "qop": p.get("qop"), "algorithm": p.get("algorithm", "(none)"),
                          "stale": p.get("stale", "(none)"), "nonce_id": nid(p["nonce"]),
                          "retransmission": m.resend})
        for h, p in m.creds:
            c = {"frame": m.frame, "header": h, "hop": f"{m.src_role}>{m.dst_role}",
                 "method": m.method, "cseq": m.cseq, "username": p.get("username"),
                 "from_user": m.user("From"), "realm": p.get("realm"), "uri": p.get("uri"),
                 "uri_equals_request_uri": p.get("uri") == m.ruri,
                 "algorithm": p.get("algorithm", "(none)"), "qop": p.get("qop", "(none)"),
                 "nc": p.get("nc", "(none)"), "nonce_id": nid(p["nonce"]),
                 "nonce_issued_earlier_in_capture": p["nonce"] in issued}
            c["response_valid_with"] = sorted(
                pw for pw in ("alicepw", "bobpw", "corepw", "alicepw-typo", "mallorypw")
                if digest_ok(p, m.method, pw, m.body))
            creds.append(c)
    # ACKs for non-2xx final responses sent to the client
    acks = []
    for m in msgs:
        if m.to_client and m.cseq_method == "INVITE" and m.status >= 300 and not m.resend:
            # an ACK belongs to this response if it has the response's To tag
            # (the ACK of a later 2xx has another To tag)
            same = [a for a in client if a.method == "ACK" and a.from_client and a.cseq == m.cseq
                    and a.call_id == m.call_id and a.to_tag == m.to_tag and a.branch == m.branch]
            other = [a for a in client if a.method == "ACK" and a.from_client and a.cseq == m.cseq
                     and a.call_id == m.call_id and a.to_tag == m.to_tag and a.branch != m.branch]
            copies = [r for r in client if r.to_client and r.status == m.status and r.branch == m.branch
                      and r.cseq == m.cseq]
            acks.append({"frame": m.frame, "response": f"{m.status} INVITE", "cseq": m.cseq,
                         "copies_sent": len(copies),
                         "copy_times": [round(r.t - m.t, 1) for r in copies],
                         "acks_same_branch": len(same), "acks_other_branch": len(other)})
    f = {
        "packets": int(subprocess.run(["capinfos", "-c", "-M", "-T", path], capture_output=True,
                                      text=True, check=True).stdout.strip().splitlines()[-1].split("\t")[-1]),
        "sip_msgs": len(msgs),
        "call_ids": len({m.call_id for m in msgs}),
        "n401": sum(1 for m in msgs if m.status == 401),
        "n407": sum(1 for m in msgs if m.status == 407),
        "client_leg": {
            "sip_msgs": len(client),
            "n401": sum(1 for m in client if m.status == 401),
            "n407": sum(1 for m in client if m.status == 407),
        },
        "flow": [m.label() for m in msgs],
        "challenges": chals,
        "credentials": creds,
        "negative_final_acks": acks,
        "duration_s": round(msgs[-1].t - msgs[0].t, 1) if msgs else 0,
        "bytes": os.path.getsize(path),
    }
    return f


# --------------------------------------------------------------------------
# per-scenario assertions: the misbehaviour must really be in the capture
# --------------------------------------------------------------------------

def client_reqs(msgs, method):
    return [m for m in msgs if m.from_client and m.method == method]


def client_finals(msgs, method):
    return [m for m in msgs if m.to_client and m.cseq_method == method and m.status >= 200 and not m.resend]


def all_acks_ok(f, name):
    for a in f["negative_final_acks"]:
        check(a["acks_same_branch"] >= 1 and a["acks_other_branch"] == 0,
              f"{name}: {a['response']} (CSeq {a['cseq']}) not ACKed with the INVITE's branch")
        check(a["copies_sent"] == 1, f"{name}: {a['response']} retransmitted although ACKed")


def verify(name, msgs, f):
    cr = f["credentials"]
    ch = f["challenges"]
    codes = [m.status for m in client_finals(msgs, "REGISTER")] + [m.status for m in client_finals(msgs, "INVITE")]
    v = []  # human-readable list of what was verified

    def ok(cond, what):
        if check(cond, f"{name}: {what}"):
            v.append(what)

    if name == "register-ok.pcap":
        ok(codes == [401, 200], "REGISTER finals are 401 then 200")
        ok(len(cr) == 1 and cr[0]["response_valid_with"] == ["alicepw"], "response valid with alicepw")
        ok(cr[0]["uri_equals_request_uri"], "digest uri equals Request-URI")
        ok(ch[0]["qop"] == "auth" and ch[0]["algorithm"] == "(none)", "challenge qop=auth, no algorithm (MD5)")
    elif name == "invite-407-ok.pcap":
        inv = client_reqs(msgs, "INVITE")
        ok([m.cseq for m in inv] == [1, 2], "client INVITEs CSeq 1, 2")
        ok(codes == [407, 200], "client INVITE finals 407 then 200")
        ok(cr[0]["header"] == "Proxy-Authorization" and cr[0]["response_valid_with"] == ["alicepw"],
           "Proxy-Authorization valid with alicepw")
        ok(cr[0]["uri_equals_request_uri"], "digest uri equals Request-URI")
        ok(any(m.method == "BYE" for m in msgs) and any(m.status == 200 and m.cseq_method == "BYE" for m in msgs),
           "call torn down with BYE/200")
        all_acks_ok(f, name)
    elif name == "register-wrong-password.pcap":
        ok(codes == [401, 401], "REGISTER finals are 401, 401")
        ok(cr[0]["response_valid_with"] == ["alicepw-typo"], "response valid only with 'alicepw-typo', not alicepw")
        # no assertion on the nonce: Kamailio's nonce encodes the time in whole
        # seconds (no nonce_count/one_time_nonce), so a re-challenge within the
        # same second repeats the nonce value; nonce_id in `challenges` shows it
    elif name == "register-unknown-user.pcap":
        ok(codes == [401, 401], "REGISTER finals are 401, 401 (re-challenge, no 403/404)")
        ok(cr[0]["username"] == "mallory", "username=mallory")
    elif name == "invite-forbidden-after-auth.pcap":
        ok(codes == [407, 403], "client INVITE finals 407 then 403")
        ok(cr[0]["username"] == "bob" and cr[0]["from_user"] == "alice", "auth username bob, From user alice")
        ok(cr[0]["response_valid_with"] == ["bobpw"], "credentials valid with bobpw")
        ok(any("auth user mismatch" in m.first for m in msgs if m.status == 403), "403 reason 'Forbidden - auth user mismatch'")
        all_acks_ok(f, name)
    elif name == "invite-no-credentials.pcap":
        ok(len(client_reqs(msgs, "INVITE")) == 1 and codes == [407], "one INVITE, one 407, no retry")
        ok(not cr, "no credentials sent")
        all_acks_ok(f, name)
    elif name == "invite-wrong-header.pcap":
        ok(codes == [407, 407], "client INVITE finals 407, 407")
        ok(len(cr) == 1 and cr[0]["header"] == "Authorization", "retry carries Authorization, not Proxy-Authorization")
        ok(ch[0]["header"] == "Proxy-Authenticate", "the challenge was Proxy-Authenticate")
        ok(cr[0]["response_valid_with"] == ["alicepw"] and cr[0]["nonce_id"] == ch[0]["nonce_id"],
           "response valid with alicepw for the 407's nonce")
        all_acks_ok(f, name)
    elif name == "register-realm-mismatch.pcap":
        ok(codes == [401, 401], "REGISTER finals 401, 401")
        ok(ch[0]["realm"] == "sipdbg.test" and cr[0]["realm"] == "wrong.test", "challenge realm sipdbg.test, credentials realm wrong.test")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "response valid (realm wrong.test) with alicepw")
        ok(cr[0]["nonce_id"] == ch[0]["nonce_id"], "nonce is the issued one")
    elif name == "register-nonce-mismatch.pcap":
        ok(codes == [401, 401], "REGISTER finals 401, 401")
        ok(not cr[0]["nonce_issued_earlier_in_capture"], "credentials nonce was never issued in the capture")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "response valid for that nonce with alicepw")
        ok(cr[0]["realm"] == ch[0]["realm"], "realm right")
    elif name == "register-stale.pcap":
        ok(codes == [401, 200, 401, 200], "REGISTER finals 401, 200, 401, 200")
        ok([c["stale"] for c in ch] == ["(none)", "true"], "second 401 has stale=true")
        ok(cr[1]["nonce_id"] == cr[0]["nonce_id"] == ch[0]["nonce_id"], "refresh re-used the first nonce")
        ok(cr[2]["nonce_id"] == ch[1]["nonce_id"] != ch[0]["nonce_id"], "final REGISTER uses the new nonce")
        ok(all(c["response_valid_with"] == ["alicepw"] for c in cr), "all responses valid with alicepw")
        reg = client_reqs(msgs, "REGISTER")
        ok(reg[2].t - reg[1].t >= 2.5, "refresh sent >= 2.5 s after the first 200 (nonce_expire 2 s)")
    elif name == "register-sha256.pcap":
        ok(codes == [401, 200], "REGISTER finals 401, 200")
        ok(ch[0]["algorithm"] == "SHA-256" and cr[0]["algorithm"] == "SHA-256", "challenge and credentials algorithm SHA-256")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "SHA-256 response valid with alicepw")
    elif name == "register-algorithm-mismatch.pcap":
        ok(codes == [401, 401], "REGISTER finals 401, 401")
        ok(ch[0]["algorithm"] == "SHA-256" and cr[0]["algorithm"] == "MD5", "challenge SHA-256, credentials algorithm=MD5")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "MD5 response valid with alicepw")
    elif name == "register-qop-missing.pcap":
        ok(codes == [401, 200], "REGISTER finals 401, 200 (Kamailio accepts RFC 2069 responses)")
        ok(ch[0]["qop"] == "auth", "challenge qop=auth")
        ok(cr[0]["qop"] == "(none)" and cr[0]["nc"] == "(none)", "credentials without qop/nc/cnonce")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "RFC 2069 response valid with alicepw")
    elif name == "register-digest-uri-mismatch.pcap":
        ok(codes == [401, 200], "REGISTER finals 401, 200")
        ok(not cr[0]["uri_equals_request_uri"] and re.fullmatch(r"sip:127\.0\.0\.1:\d+", cr[0]["uri"] or ""),
           "digest uri sip:127.0.0.1:PORT differs from Request-URI sip:sipdbg.test")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "response valid with alicepw")
    elif name == "invite-cseq-not-incremented.pcap":
        inv = client_reqs(msgs, "INVITE")
        ok([m.cseq for m in inv] == [1, 1] and inv[0].branch != inv[1].branch, "both client INVITEs CSeq 1, different branches")
        ok(codes == [407, 200], "client INVITE finals 407, 200 (Kamailio accepts the retry)")
        ok(cr[0]["response_valid_with"] == ["alicepw"], "response valid with alicepw")
        all_acks_ok(f, name)
    elif name in ("invite-ack-missing.pcap", "invite-ack-branch-mismatch.pcap"):
        a = f["negative_final_acks"]
        ok(len(a) == 1 and a[0]["acks_same_branch"] == 0, "the 407 is never ACKed with the INVITE's branch")
        ok(a[0]["copies_sent"] >= 4, f"407 sent {a[0]['copies_sent']} times (>= 1 + 3 retransmissions)")
        if name == "invite-ack-missing.pcap":
            ok(not client_reqs(msgs, "ACK"), "no ACK at all")
        else:
            acks = client_reqs(msgs, "ACK")
            ok(len(acks) >= 1 and len({x.branch for x in acks}) == 1 and acks[0].branch != client_reqs(msgs, "INVITE")[0].branch,
               f"{len(acks)} ACK(s), all with one branch different from the INVITE's")
        ok(sum(1 for m in msgs if m.status == 407 and m.resend) >= 3, "tshark marks >= 3 407s as sip.resend")
    elif name == "invite-auth-loop.pcap":
        ok(codes == [407, 407, 407, 407], "4 consecutive 407 to INVITE CSeq 1..4")
        ok([c["cseq"] for c in cr] == [2, 3, 4] and all(c["response_valid_with"] == ["alicepw-typo"] for c in cr),
           "3 retries, none valid with alicepw")
        ok(all(c["nonce_id"] == ch[i]["nonce_id"] for i, c in enumerate(cr)), "each retry answers the latest 407's nonce")
        all_acks_ok(f, name)
    elif name in ("invite-two-realms.pcap", "invite-credentials-dropped.pcap"):
        cl = [c for c in ch if c["hop"].endswith(">uac")]
        ok([(c["code"], c["realm"]) for c in cl][:2] == [(407, "sipdbg.test"), (401, "core.sipdbg.test")],
           "client gets 407 realm sipdbg.test, then 401 realm core.sipdbg.test (relayed by the edge)")
        inv = client_reqs(msgs, "INVITE")
        last = [(h, p["realm"]) for h, p in inv[-1].creds]
        ucr = [c for c in cr if c["hop"] == "uac>edge"]
        if name == "invite-two-realms.pcap":
            ok(sorted(last) == [("Authorization", "core.sipdbg.test"), ("Proxy-Authorization", "sipdbg.test")],
               "last INVITE carries Proxy-Authorization (sipdbg.test) and Authorization (core.sipdbg.test)")
            ok(all(c["response_valid_with"] == (["corepw"] if c["realm"] == "core.sipdbg.test" else ["alicepw"]) for c in ucr),
               "edge credentials valid with alicepw, core credentials valid with corepw")
            ok(codes == [407, 401, 200], "client INVITE finals 407, 401, 200")
        else:
            ok(last == [("Authorization", "core.sipdbg.test")], "last INVITE carries only Authorization (core.sipdbg.test)")
            ok(codes == [407, 401, 407], "client INVITE finals 407, 401, 407")
            ok(all(c["response_valid_with"] == (["corepw"] if c["realm"] == "core.sipdbg.test" else ["alicepw"]) for c in ucr),
               "all credentials valid for their realm")
        all_acks_ok(f, name)
    elif name == "invite-auth-int.pcap":
        ok(ch[0]["qop"] == "auth-int", "challenge qop=\"auth-int\" (proxy_challenge flags 2)")
        ok(cr[0]["qop"] == "auth-int" and cr[0]["response_valid_with"] == ["alicepw"],
           "qop=auth-int response valid with alicepw over the SDP body")
        ok(codes == [407, 407], "Kamailio answers the auth-int retry with 407")
        all_acks_ok(f, name)
    else:
        check(False, f"{name}: no assertions defined")
    return v


# --------------------------------------------------------------------------

def tool_versions():
    def first(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True)
            return (out.stdout or out.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    sipp = "?"
    try:
        out = subprocess.run(["sipp", "-v"], capture_output=True, text=True)
        sipp = next((ln.strip() for ln in (out.stdout + out.stderr).splitlines() if "SIPp v" in ln), "?")
    except OSError:
        pass
    return {"kamailio": first(["kamailio", "-v"]), "sipp": sipp, "tshark": first(["tshark", "-v"]),
            "tcpdump": first(["tcpdump", "--version"]), "python3": first(["python3", "--version"])}


VOLATILE = {"bytes", "duration_s"}  # differ between runs; everything else is structural


def strip_volatile(e):
    e = dict(e)
    for k in VOLATILE:
        e.pop(k, None)
    e["negative_final_acks"] = [{k: v for k, v in a.items() if k != "copy_times"} for a in e.get("negative_final_acks", [])]
    return e


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = sys.argv[1]
    write = "--write" in sys.argv[2:]
    entries = []
    for name, meta in SCENARIOS.items():
        path = os.path.join(d, name)
        print(f"checking {name}", file=sys.stderr)
        if not check(os.path.exists(path), f"{name}: missing"):
            continue
        msgs = load(path)
        f = facts(path, msgs)
        try:
            verified = verify(name, msgs, f)
        except (IndexError, KeyError, TypeError) as ex:
            check(False, f"{name}: capture does not have the expected shape ({ex!r})")
            verified = []
        check(f["bytes"] < 30000, f"{name}: {f['bytes']} bytes (want < 30 KB)")
        e = {"file": name}
        e.update({k: meta[k] for k in ("story", "expect", "absent", "passwords")})
        if "may" in meta:  # "code (why)" -> {"code", "why"}
            e["may"] = [{"code": m.split(" (", 1)[0], "why": m.split(" (", 1)[1].rstrip(")")} for m in meta["may"]]
        for k in ("notes", "deviation"):
            if k in meta:
                e[k] = meta[k]
        e["server"] = meta["server"]
        e["client"] = meta["client"]
        e.update(f)
        e["verified"] = verified
        e["tshark"] = (f"tshark -n -r {name} -Y sip -T fields -e frame.number -e udp.srcport "
                       "-e udp.dstport -e sip.Method -e sip.Status-Code -e sip.CSeq.seq -e sip.Call-ID "
                       "-e sip.Via.branch -e sip.auth.realm -e sip.auth.nonce -e sip.auth.algorithm "
                       "-e sip.auth.qop -e sip.auth.uri -e sip.auth.username -e sip.auth.stale -e sip.resend")
        entries.append(e)
    doc = {
        "generated_by": "testdata/lab/auth/regen-auth-captures.sh (verify-auth-captures.py)",
        "tool_versions": tool_versions(),
        "notes": [
            "One capture per scenario, tcpdump -i lo (ether link type), UDP on 127.0.0.1 only. "
            "Servers are always real Kamailio 5.6 (testdata/lab/auth/kamailio-auth-lab.cfg).",
            "sip_msgs/call_ids/n401/n407 count every SIP message tshark decodes (-Y sip), all legs "
            "and retransmissions included; client_leg counts only messages to/from the UAC.",
            "flow: 'src>dst what (CSeq n)' with roles uac (SIPp or authclient.py), edge, core, "
            "edge-sha256, edge-stale, edge-authint, uas; '+Header' lists credential headers.",
            "challenges/credentials: digest parameters per header (tshark sip.auth.* cross-checked "
            "with the raw header); nonce_id numbers distinct nonces in order of appearance; "
            "response_valid_with lists which candidate passwords reproduce the response "
            "(MD5/SHA-256, qop auth/auth-int/none).",
            "expect: codes the analysis must report; absent: codes it must not report; may: "
            "codes that may legitimately appear as a side effect (with the reason); passwords: "
            "the true passwords per realm/user for password verification; deviation: where the "
            "capture differs from what was asked and why.",
            "tshark: tshark -n -r FILE -Y sip -T fields -E occurrence=a -e " + " -e ".join(FIELDS),
        ],
        "captures": entries,
    }
    out = os.path.join(d, "expected.json")
    if write:
        with open(out, "w") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
        print(f"wrote {out}", file=sys.stderr)
    else:
        with open(out) as fh:
            old = json.load(fh)
        oldc = {e["file"]: strip_volatile(e) for e in old["captures"]}
        for e in entries:
            if oldc.get(e["file"]) != strip_volatile(e):
                check(False, f"{e['file']}: differs from expected.json")
    if FAILED:
        print(f"{len(FAILED)} assertion(s) failed", file=sys.stderr)
        return 1
    print(f"all {len(entries)} captures verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
