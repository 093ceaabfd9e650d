#!/usr/bin/env python3
"""UDP sink for HEP packets: binds HOST:PORT and counts what arrives, so the
sender never gets ICMP port-unreachable. Stops on SIGTERM/SIGINT and prints
the count to stderr.   usage: hep_sink.py HOST PORT"""
import signal
import socket
import sys

count = 0


def stop(*_):
    print(f"hep_sink: received {count} packets", file=sys.stderr)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((sys.argv[1], int(sys.argv[2])))
print("hep_sink: ready", file=sys.stderr, flush=True)
while True:
    data, _ = sock.recvfrom(65535)
    if data[:4] == b"HEP3":
        count += 1
