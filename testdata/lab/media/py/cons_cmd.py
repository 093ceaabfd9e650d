#!/usr/bin/env python3
"""cons_cmd.py ADDR:PORT COMMAND: give baresip's cons module (its TCP
console) one long command, as typed at its prompt: "/hold", "/resume",
"/hangup". The menu module reads the line up to the newline and runs it
on the current call (an incoming call that is still ringing, for
/hangup, which baresip 1.0 refuses with 486)."""
import socket
import sys
import time

addr, command = sys.argv[1], sys.argv[2]
host, port = addr.rsplit(":", 1)
with socket.create_connection((host, int(port)), timeout=5) as s:
    s.sendall(command.encode() + b"\n")
    time.sleep(0.3)  # let baresip read it before the connection closes
