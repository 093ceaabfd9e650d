#!/usr/bin/env python3
"""SIP over one TCP connection, shaped to exercise stream reassembly.

  1. ONE send() carrying three complete requests:
       OPTIONS (keepalive) + REGISTER (no credentials) + OPTIONS
     -> Kamailio answers 200, 401, 200.
  2. The authenticated REGISTER written in three pieces, 50 ms apart, with
     TCP_NODELAY, so it is split across three TCP segments -> 200.

usage: tcp_multi.py HOST PORT
Prints one line per SIP message sent/received; exits non-zero on surprises.
"""
import socket
import sys
import time

import siplab as s


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    sock = socket.create_connection((host, port))
    s.set_nodelay(sock)
    lip, lport = sock.getsockname()[:2]
    via = lambda: f"SIP/2.0/TCP {lip}:{lport};branch={s.branch()};rport"
    tag = s.rand_hex(4)
    contact = f"<sip:alice@{lip}:{lport};transport=tcp>"

    def options(cid):
        return s.build(f"OPTIONS sip:{s.REALM} SIP/2.0", [
            ("Via", via()), ("Max-Forwards", "70"),
            ("From", f"<sip:alice@{s.REALM}>;tag={s.rand_hex(4)}"),
            ("To", f"<sip:{s.REALM}>"), ("Call-ID", cid), ("CSeq", "1 OPTIONS"),
            ("User-Agent", "sipdbg-lab tcp_multi")])

    reg_cid = f"tcpreg-{s.rand_hex(6)}@{lip}"

    def register(cseq, auth=None):
        hs = [("Via", via()), ("Max-Forwards", "70"),
              ("From", f"<sip:alice@{s.REALM}>;tag={tag}"),
              ("To", f"<sip:alice@{s.REALM}>"), ("Call-ID", reg_cid),
              ("CSeq", f"{cseq} REGISTER"), ("Contact", contact), ("Expires", "300")]
        if auth:
            hs.append(("Authorization", auth))
        hs.append(("User-Agent", "sipdbg-lab tcp_multi"))
        return s.build(f"REGISTER sip:{s.REALM} SIP/2.0", hs)

    # 1. three complete requests in one write
    batch = [options(f"tcpopt1-{s.rand_hex(6)}@{lip}"), register(1),
             options(f"tcpopt2-{s.rand_hex(6)}@{lip}")]
    blob = b"".join(batch)
    n = sock.send(blob)
    if n != len(blob):
        sys.exit(f"short send: {n} of {len(blob)}")
    print(f"sent {len(batch)} requests ({n} bytes) in one send()")

    rd = s.StreamReader(sock)
    chal = None
    for _ in batch:
        msg = rd.next()
        code = s.status(msg)
        print(f"recv {code} {s.header(msg, 'CSeq')}")
        if code == 401:
            chal = s.parse_challenge(s.header(msg, "WWW-Authenticate"))
    if chal is None:
        sys.exit("no 401 received")

    # 2. authenticated REGISTER split across segments
    auth = s.digest_header(chal, "REGISTER", f"sip:{s.REALM}", "alice", s.USERS["alice"])
    msg = register(2, auth)
    cuts = [0, len(msg) // 3, 2 * len(msg) // 3, len(msg)]
    for a, b in zip(cuts, cuts[1:]):
        sock.send(msg[a:b])
        time.sleep(0.05)
    print(f"sent REGISTER with Authorization in {len(cuts) - 1} writes ({len(msg)} bytes)")
    resp = rd.next()
    code = s.status(resp)
    print(f"recv {code} {s.header(resp, 'CSeq')}")
    sock.shutdown(socket.SHUT_WR)
    time.sleep(0.1)
    sock.close()
    if code != 200:
        sys.exit(f"expected 200, got {code}")


if __name__ == "__main__":
    main()
