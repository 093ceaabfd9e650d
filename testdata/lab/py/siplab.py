"""Small helpers shared by the lab's python clients (stdlib only)."""

import hashlib
import os
import re
import socket

REALM = "sipdbg.test"
USERS = {"alice": "alicepw", "bob": "bobpw"}


def rand_hex(n=8):
    return os.urandom(n).hex()


def branch():
    return "z9hG4bK" + rand_hex(6)


def parse_challenge(value):
    """'Digest realm="x", nonce="y", qop="auth"' -> dict."""
    value = value.strip()
    if value.lower().startswith("digest"):
        value = value[6:]
    out = {}
    for m in re.finditer(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', value):
        out[m.group(1).lower()] = m.group(2) if m.group(2) is not None else m.group(3)
    return out


def digest_header(chal, method, uri, user, password, nc=1):
    """Authorization header value (MD5, qop=auth when offered) for a challenge."""
    md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
    ha1 = md5(f"{user}:{chal['realm']}:{password}")
    ha2 = md5(f"{method}:{uri}")
    parts = [f'username="{user}"', f'realm="{chal["realm"]}"',
             f'nonce="{chal["nonce"]}"', f'uri="{uri}"']
    if "auth" in chal.get("qop", "").split(","):
        cnonce = rand_hex(4)
        ncs = f"{nc:08x}"
        resp = md5(f"{ha1}:{chal['nonce']}:{ncs}:{cnonce}:auth:{ha2}")
        parts += [f'response="{resp}"', "qop=auth", f'cnonce="{cnonce}"', f"nc={ncs}"]
    else:
        resp = md5(f"{ha1}:{chal['nonce']}:{ha2}")
        parts.append(f'response="{resp}"')
    parts.append("algorithm=MD5")
    return "Digest " + ", ".join(parts)


def build(start_line, headers, body=b""):
    """Build a SIP message; Content-Length is always appended last."""
    if isinstance(body, str):
        body = body.encode()
    lines = [start_line] + [f"{k}: {v}" for k, v in headers] + [f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def header(msg, name):
    """First value of header `name` in a SIP message (bytes or str)."""
    if isinstance(msg, bytes):
        msg = msg.decode(errors="replace")
    head = msg.split("\r\n\r\n", 1)[0]
    for line in head.split("\r\n")[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == name.lower():
            return v.strip()
    return None


def status(msg):
    first = msg.split(b"\r\n", 1)[0].decode()
    return int(first.split()[1]) if first.startswith("SIP/2.0") else 0


class StreamReader:
    """Splits SIP messages out of a byte stream using Content-Length."""

    def __init__(self, sock, timeout=3.0):
        self.sock = sock
        self.buf = b""
        sock.settimeout(timeout)

    def next(self):
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                cl = header(self.buf[:end], "Content-Length") or header(self.buf[:end], "l") or "0"
                total = end + 4 + int(cl)
                if len(self.buf) >= total:
                    msg, self.buf = self.buf[:total], self.buf[total:]
                    return msg
            data = self.sock.recv(65535)
            if not data:
                raise ConnectionError("connection closed")
            self.buf += data


def set_nodelay(sock):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
