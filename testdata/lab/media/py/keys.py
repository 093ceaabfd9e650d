#!/usr/bin/env python3
"""keys.py ADDR:PORT KEYS HOLD GAP: type KEYS into baresip's cons module
(its TCP console): each key is held HOLD seconds, then released (byte 0x04,
baresip's KEYCODE_REL), and the next one follows GAP seconds after the
release. In a call baresip's menu sends a digit key as an RFC 4733
telephone-event for as long as it is held (the cons module does not
release a key by itself: without 0x04 a digit lasts until the next key,
and the last one never ends)."""
import socket
import sys
import time

addr, keys, hold, gap = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
host, port = addr.rsplit(":", 1)
with socket.create_connection((host, int(port)), timeout=5) as s:
    for k in keys:
        s.sendall(k.encode())
        time.sleep(hold)
        s.sendall(b"\x04")
        time.sleep(gap)
