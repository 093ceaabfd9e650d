#!/usr/bin/env bash
# Builds internal/demo/demo.pcap, the capture `sipdbg demo` embeds, from
# four of the auth lab's captures (run regen-auth-captures.sh first to
# refresh them): a REGISTER accepted, a wrong password, a 407 never ACKed,
# and a call through two realms. Needs mergecap (Debian wireshark-common).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
caps=$here/../../captures/auth
out=${1:-$here/../../../internal/demo/demo.pcap}
mergecap -F pcap -w "$out" "$caps/register-ok.pcap" "$caps/invite-two-realms.pcap" \
	"$caps/register-wrong-password.pcap" "$caps/invite-ack-missing.pcap"
echo "wrote $out"
