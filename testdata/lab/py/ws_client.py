#!/usr/bin/env python3
"""SIP over WebSocket (RFC 7118, subprotocol "sip") against Kamailio.

  HTTP GET Upgrade -> 101
  masked text frame: REGISTER            -> unmasked 401
  REGISTER with Authorization as ONE FRAGMENTED message:
      frame 1: opcode 1 (text), FIN=0, masked
      frame 2: opcode 0 (continuation), FIN=1, masked   -> unmasked 200
  masked close frame (1000)              -> close frame from the server

usage: ws_client.py HOST PORT
"""
import base64
import hashlib
import os
import socket
import struct
import sys
import time

import siplab as s

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(opcode, payload, fin=True):
    """Client frame: always masked (RFC 6455 5.3)."""
    key = os.urandom(4)
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload)
    if n < 126:
        hdr = struct.pack("!BB", b0, 0x80 | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", b0, 0x80 | 126, n)
    else:
        hdr = struct.pack("!BBQ", b0, 0x80 | 127, n)
    masked = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
    return hdr + key + masked


class FrameReader:
    def __init__(self, sock, buf=b""):
        self.sock, self.buf = sock, buf
        sock.settimeout(3.0)

    def _need(self, n):
        while len(self.buf) < n:
            d = self.sock.recv(65535)
            if not d:
                raise ConnectionError("closed")
            self.buf += d

    def next(self):
        self._need(2)
        b0, b1 = self.buf[0], self.buf[1]
        n, off = b1 & 0x7F, 2
        if n == 126:
            self._need(4)
            n, off = struct.unpack("!H", self.buf[2:4])[0], 4
        elif n == 127:
            self._need(10)
            n, off = struct.unpack("!Q", self.buf[2:10])[0], 10
        if b1 & 0x80:
            raise ValueError("server frame is masked")
        self._need(off + n)
        payload, self.buf = self.buf[off:off + n], self.buf[off + n:]
        return b0 & 0x0F, bool(b0 & 0x80), payload


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    sock = socket.create_connection((host, port))
    s.set_nodelay(sock)

    key = base64.b64encode(os.urandom(16)).decode()
    req = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
           f"Origin: http://{host}\r\nSec-WebSocket-Protocol: sip\r\n"
           f"Sec-WebSocket-Version: 13\r\nUser-Agent: sipdbg-lab ws_client\r\n\r\n")
    sock.sendall(req.encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = sock.recv(4096)
        if not d:
            sys.exit("closed during handshake")
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    head = head.decode()
    want = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    if " 101 " not in head.split("\r\n")[0] or want not in head:
        sys.exit("bad handshake response:\n" + head)
    print("handshake: " + head.split("\r\n")[0])
    rd = FrameReader(sock, rest)

    inv = s.rand_hex(5) + ".invalid"
    tag, cid = s.rand_hex(4), f"ws-{s.rand_hex(8)}"

    def register(cseq, auth=None):
        hs = [("Via", f"SIP/2.0/WS {inv};branch={s.branch()}"), ("Max-Forwards", "70"),
              ("From", f"<sip:alice@{s.REALM}>;tag={tag}"),
              ("To", f"<sip:alice@{s.REALM}>"), ("Call-ID", cid),
              ("CSeq", f"{cseq} REGISTER"),
              ("Contact", f"<sip:{s.rand_hex(4)}@{inv};transport=ws>;expires=300")]
        if auth:
            hs.append(("Authorization", auth))
        hs += [("Supported", "path, outbound, gruu"), ("User-Agent", "sipdbg-lab ws_client")]
        return s.build(f"REGISTER sip:{s.REALM} SIP/2.0", hs)

    sock.sendall(frame(0x1, register(1)))
    op, fin, msg = rd.next()
    print(f"recv opcode={op} fin={fin}: {msg.splitlines()[0].decode()}")
    if s.status(msg) != 401:
        sys.exit("expected 401")
    chal = s.parse_challenge(s.header(msg, "WWW-Authenticate"))

    auth = s.digest_header(chal, "REGISTER", f"sip:{s.REALM}", "alice", s.USERS["alice"])
    msg = register(2, auth)
    half = len(msg) // 2
    sock.sendall(frame(0x1, msg[:half], fin=False))
    time.sleep(0.05)
    sock.sendall(frame(0x0, msg[half:], fin=True))
    print(f"sent fragmented REGISTER: {half} + {len(msg) - half} bytes")
    op, fin, msg = rd.next()
    print(f"recv opcode={op} fin={fin}: {msg.splitlines()[0].decode()}")
    if s.status(msg) != 200:
        sys.exit("expected 200")

    sock.sendall(frame(0x8, struct.pack("!H", 1000) + b"bye"))
    try:
        op, fin, msg = rd.next()
        print(f"recv opcode={op} (close) code={struct.unpack('!H', msg[:2])[0]}")
    except (ConnectionError, socket.timeout):
        print("no close frame from server")
    time.sleep(0.1)
    sock.close()


if __name__ == "__main__":
    main()
