#!/usr/bin/env python3
"""A callee that rings until it is cancelled, for the probe's lab
(internal/lab TestProbeAgainstKamailio): INVITE -> 100, 180; CANCEL -> 200
to the CANCEL, then 487 Request Terminated to the INVITE, with the
INVITE's own Via lines and CSeq (RFC 3261 §9.2), retransmitted until the
ACK (§17.2.1); BYE -> 200. SIPp's UAS scenarios cannot answer a CANCEL
with the INVITE's Via: a proxy's CANCEL carries the proxy's Via only.

usage: uas_ringing.py HOST PORT        (runs until killed)"""
import socket
import sys
import time

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((sys.argv[1], int(sys.argv[2])))
sock.settimeout(0.5)
invites = {}  # Call-ID -> (INVITE's header lines, peer, to-tag)
pending = {}  # Call-ID -> (487 bytes, peer, next send time, interval)


def headers(msg):
    head = msg.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace").split("\r\n")
    return head[0], head[1:]


def values(lines, name):
    out = []
    for line in lines:
        k, _, v = line.partition(":")
        if k.strip().lower() in (name, {"via": "v", "call-id": "i", "from": "f", "to": "t"}.get(name, name)):
            out.append(v.strip())
    return out


def reply(status, lines, peer, to_tag=None, cseq=None):
    out = ["SIP/2.0 " + status]
    out += ["Via: " + v for v in values(lines, "via")]
    out.append("From: " + values(lines, "from")[0])
    to = values(lines, "to")[0]
    if to_tag and ";tag=" not in to:
        to += ";tag=" + to_tag
    out.append("To: " + to)
    out.append("Call-ID: " + values(lines, "call-id")[0])
    out.append("CSeq: " + (cseq or values(lines, "cseq")[0]))
    out.append("Content-Length: 0")
    data = ("\r\n".join(out) + "\r\n\r\n").encode()
    sock.sendto(data, peer)
    return data


while True:
    now = time.monotonic()
    for cid, (data, peer, at, every) in list(pending.items()):
        if now >= at:
            sock.sendto(data, peer)
            pending[cid] = (data, peer, now + min(2 * every, 4.0), min(2 * every, 4.0))
    try:
        msg, peer = sock.recvfrom(65535)
    except socket.timeout:
        continue
    first, lines = headers(msg)
    if first.startswith("SIP/2.0"):
        continue
    method = first.split(" ", 1)[0]
    cids = values(lines, "call-id")
    if not cids:
        continue
    cid = cids[0]
    if method == "INVITE":
        tag = "ring" + str(len(invites) + 1)
        invites[cid] = (lines, peer, tag)
        reply("100 Trying", lines, peer)
        reply("180 Ringing", lines, peer, tag)
    elif method == "CANCEL":
        reply("200 OK", lines, peer)
        if cid in invites:
            inv, ipeer, tag = invites[cid]
            number = values(inv, "cseq")[0].split()[0]
            data = reply("487 Request Terminated", inv, ipeer, tag, number + " INVITE")
            pending[cid] = (data, ipeer, time.monotonic() + 0.5, 0.5)
    elif method == "ACK":
        pending.pop(cid, None)
    elif method == "BYE":
        reply("200 OK", lines, peer)
