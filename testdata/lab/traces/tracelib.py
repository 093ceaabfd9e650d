"""Helpers for the text-trace lab (stdlib + tshark only).

- read_capture(): the SIP messages of a capture as tshark decodes them
  (tshark is the oracle, not sipdbg's own decoder).
- infer(): an independent re-implementation of the address inference
  rules documented in capture/texttrace/infer.go, used to write
  the "src_is"/"dst_is" expectations of expected.json.
"""

import ipaddress
import re
import subprocess
from datetime import datetime, timezone

LOCAL_FORMATS = ("pjsip", "chan_sip", "freeswitch")


def read_capture(path):
    """-> [{frame, time (epoch float str), src, dst, raw (bytes)}] for every SIP frame."""
    out = subprocess.run(
        ["tshark", "-r", path, "-Y", "sip", "-T", "fields", "-E", "separator=/t",
         "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.srcport",
         "-e", "ip.dst", "-e", "udp.dstport", "-e", "udp.payload"],
        check=True, capture_output=True, text=True).stdout
    msgs = []
    for line in out.splitlines():
        frame, epoch, sip, sport, dip, dport, payload = line.split("\t")
        msgs.append({"frame": int(frame), "epoch": epoch,
                     "src": f"{sip}:{sport}", "dst": f"{dip}:{dport}",
                     "raw": bytes.fromhex(payload)})
    return msgs


def utc(epoch, digits=6):
    """RFC 3339 UTC time of an epoch string, truncated to `digits` fraction digits."""
    sec, _, frac = epoch.partition(".")
    t = datetime.fromtimestamp(int(sec), timezone.utc)
    frac = (frac + "000000000")[:digits]
    s = t.strftime("%Y-%m-%dT%H:%M:%S")
    if digits and int(frac):
        s += "." + frac.rstrip("0")
    return s + "Z"


def first_line(raw):
    return raw.split(b"\r\n", 1)[0].split(b"\n", 1)[0].decode()


def headers(raw):
    """-> [(lower-case long name, value)] of the header block."""
    compact = {"v": "via", "m": "contact", "i": "call-id", "l": "content-length", "c": "content-type"}
    out = []
    for line in raw.replace(b"\r\n", b"\n").split(b"\n")[1:]:
        if not line:
            break
        name, sep, value = line.decode(errors="replace").partition(":")
        if sep:
            name = name.strip().lower()
            out.append((compact.get(name, name), value.strip()))
    return out


def header(raw, name):
    for n, v in headers(raw):
        if n == name:
            return v
    return None


def call_id(raw):
    return header(raw, "call-id")


def _ip(host):
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _fmt(ip, port):
    return f"[{ip}]:{port}" if ip.version == 6 else f"{ip}:{port}"


def _split_host_port(s, default):
    s = s.strip()
    if s.startswith("["):
        host, _, rest = s.partition("]")
        host += "]"
        port = rest[1:] if rest.startswith(":") else ""
    elif s.count(":") == 1:
        host, _, port = s.partition(":")
    else:
        host, port = s, ""
    return host, int(port) if port.isdigit() and 0 < int(port) < 65536 else default


def via_source(via):
    """received/rport of the top Via, else its sent-by."""
    first = via.split(",")[0].strip()
    proto, _, rest = first.partition(" ")
    parts = rest.split(";")
    transport = proto.rsplit("/", 1)[-1].upper()
    default = 5061 if transport in ("TLS", "WSS") else 5060
    host, port = _split_host_port(parts[0], default)
    params = dict((p.split("=", 1) + [""])[:2] for p in (x.strip() for x in parts[1:]))
    if params.get("received"):
        host = params["received"]
    if params.get("rport", "").isdigit():
        port = int(params["rport"])
    ip = _ip(host)
    return (_fmt(ip, port) if ip else None), params.get("branch", ""), parts[0].strip()


def uri_addr(value):
    if value is None:
        return None
    m = re.search(r"<([^>]*)>", value)
    uri = m.group(1) if m else value.split(",")[0].strip()
    low = uri.lower()
    if low.startswith("sips:"):
        uri, default = uri[5:], 5061
    elif low.startswith("sip:"):
        uri, default = uri[4:], 5060
    else:
        return None
    if "transport=tls" in low:
        default = 5061
    uri = re.split(r"[;?>]", uri)[0].rsplit("@", 1)[-1]
    host, port = _split_host_port(uri, default)
    ip = _ip(host)
    return _fmt(ip, port) if ip else None


def infer(recs):
    """recs: [{format, raw, src, dst}] with src/dst None when the trace does not
    give them. Fills src/dst and sets src_is/dst_is to given|inferred|unknown."""
    for r in recs:
        r["src_is"] = "given" if r["src"] else "unknown"
        r["dst_is"] = "given" if r["dst"] else "unknown"
    for r in recs:
        raw = r["raw"]
        via = header(raw, "via")
        vsrc = via_source(via)[0] if via else None
        if not first_line(raw).startswith("SIP/"):
            route = header(raw, "route")
            ruri = first_line(raw).split(" ")[1]
            _set(r, "src", vsrc or uri_addr(header(raw, "contact")))
            _set(r, "dst", uri_addr(route) if route is not None else uri_addr(ruri))
        elif via:
            _set(r, "dst", vsrc)
    _pair(recs)
    for fmt in LOCAL_FORMATS:
        _fill_local(recs, fmt)
    return recs


def _set(r, side, value):
    if r[side] is None and value:
        r[side], r[side + "_is"] = value, "inferred"


def _pair(recs):
    reqs = {}
    for r in recs:
        via = header(r["raw"], "via")
        if not via:
            continue
        _, branch, sent_by = via_source(via)
        if not branch:
            continue
        key = (branch, sent_by, header(r["raw"], "cseq").split()[-1])
        if not first_line(r["raw"]).startswith("SIP/"):
            reqs[key] = r
        elif key in reqs:
            _set(r, "src", reqs[key]["dst"])
            _set(r, "dst", reqs[key]["src"])


def _fill_local(recs, fmt):
    mine = [r for r in recs if r["format"] == fmt]
    local = set()
    for r in mine:
        side = "dst" if r["src_is"] == "given" else "src"
        if r[side + "_is"] == "inferred":
            local.add(r[side])
    if len(local) != 1:
        return
    (addr,) = local
    for r in mine:
        _set(r, "dst" if r["src_is"] == "given" else "src", addr)
