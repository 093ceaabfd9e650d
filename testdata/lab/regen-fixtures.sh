#!/usr/bin/env bash
# Regenerate every capture in testdata/captures/ with real stacks
# (Kamailio 5.6, SIPp 3.6, the kernel's IP fragmentation, tcpdump), then
# verify them with tshark and rewrite testdata/captures/expected.json.
#
# Run as root (tcpdump, network namespaces). Idempotent: every run starts
# its own processes on the lab ports, overwrites the fixtures, and stops
# everything it started (also on error / Ctrl-C).
#
#   testdata/lab/regen-fixtures.sh            # all fixtures
#   KEEP_WORK=1 testdata/lab/regen-fixtures.sh  # keep logs in /tmp/sipdbg-lab.*
#
# Ports (env overridable): SIP_PORT=5090 (kamailio udp+tcp), BOB_PORT=5091,
# ALICE_PORT=5092 (SIPp UAs), WS_PORT=8090 (kamailio websocket),
# HEP_PORT=9060 (HEP collector sink), HEP_SRC_PORT=9061 (compressed re-send).
set -euo pipefail

LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES_DIR=${FIXTURES_DIR:-$(cd "$LAB/.." && pwd)/captures}
SIP_PORT=${SIP_PORT:-5090}
BOB_PORT=${BOB_PORT:-5091}
ALICE_PORT=${ALICE_PORT:-5092}
WS_PORT=${WS_PORT:-8090}
HEP_PORT=${HEP_PORT:-9060}
HEP_SRC_PORT=${HEP_SRC_PORT:-9061}
NS6=sipdbg-lab-v6
NS4=sipdbg-lab-v4

# shellcheck source=lib.sh
source "$LAB/lib.sh"

[[ $(id -u) == 0 ]] || die "run as root (tcpdump and ip netns need it)"
need_tools kamailio sipp tcpdump tshark capinfos python3 ip ss
mkdir -p "$FIXTURES_DIR"
WORK=$(mktemp -d /tmp/sipdbg-lab.XXXXXX)
STAGE=$WORK/captures # fixtures land here first; copied to $FIXTURES_DIR at the very end
mkdir -p "$STAGE"
trap lab_cleanup EXIT
trap 'exit 130' INT TERM
START=$EPOCHREALTIME

for p in "udp $SIP_PORT" "tcp $SIP_PORT" "udp $BOB_PORT" "udp $ALICE_PORT" "tcp $WS_PORT" "udp $HEP_PORT" "udp $HEP_SRC_PORT"; do
	# shellcheck disable=SC2086
	! port_busy $p || die "port $p is already in use; stop it or set the *_PORT variables"
done

# common SIPp arguments: UAs on 127.0.0.1, separate media/control ports
sipp_bob=(-i 127.0.0.1 -p "$BOB_PORT" -mp 16100 -cp 8891 -key user bob -key domain sipdbg.test)
sipp_alice=(-i 127.0.0.1 -p "$ALICE_PORT" -mp 16200 -cp 8892 -key user alice -key domain sipdbg.test)

############################################################################
# Kamailio with siptrace (HEPv3 -> HEP_PORT) and a sink bound on HEP_PORT
############################################################################
bg_start hep_sink python3 "$PY/hep_sink.py" 127.0.0.1 "$HEP_PORT"
HEP_SINK_PID=$LAST_BG_PID
wait_listen udp "$HEP_PORT"
kamailio_start WITH_HEP

############################################################################
# 1. sll2-register-auth.pcap (tcpdump -i any => LINUX_SLL2) + hep3.pcap
#    bob: REGISTER -> 401 -> REGISTER+Authorization -> 200
#    alice -> bob: INVITE -> 407 -> ACK -> INVITE+Proxy-Authorization ->
#    100/180/200 -> ACK -> BYE -> 200 (relayed to bob's SIPp UAS)
#    Kamailio mirrors every message it receives/sends as HEPv3 to HEP_PORT.
############################################################################
log "fixture: sll2-register-auth.pcap + hep3.pcap"
# siptrace sends HEP from the SIP socket (src port SIP_PORT): exclude it here
capture_start sll2-register-auth any \
	"udp and (port $SIP_PORT or port $BOB_PORT or port $ALICE_PORT) and not port $HEP_PORT"
capture_start hep3 lo "udp and dst port $HEP_PORT"
run_sipp bob-register "" -- "127.0.0.1:$SIP_PORT" -sf "$SCEN/register.xml" "${sipp_bob[@]}" -au bob -ap bobpw
bg_start bob-uas sipp "127.0.0.1:$SIP_PORT" -sf "$SCEN/uas.xml" "${sipp_bob[@]}" -nostdin -timeout 10s -m 1
BOB_UAS_PID=$LAST_BG_PID
wait_listen udp "$BOB_PORT"
run_sipp alice-invite "" -- "127.0.0.1:$SIP_PORT" -sf "$SCEN/invite-auth-uac.xml" "${sipp_alice[@]}" \
	-s bob -au alice -ap alicepw
bg_wait "$BOB_UAS_PID" bob-uas
capture_stop sll2-register-auth
# Kamailio mirrors each SIP message it handled as one HEP packet, sent
# after the message: wait for as many as the SIP capture holds.
capture_wait hep3 "$(tshark -r "$STAGE/sll2-register-auth.pcap" -Y sip 2>/dev/null | wc -l)"
capture_stop hep3

############################################################################
# 2. hep3-compressed.pcap: the same HEP packets, payload chunk 15 replaced
#    by a zlib payload chunk 16, re-sent from HEP_SRC_PORT to the sink
############################################################################
log "fixture: hep3-compressed.pcap"
capture_start hep3-compressed lo "udp and dst port $HEP_PORT"
python3 "$PY/hep_compress.py" "$STAGE/hep3.pcap" 127.0.0.1 "$HEP_PORT" "$HEP_SRC_PORT" >&2
capture_wait hep3-compressed "$(tcpdump -r "$STAGE/hep3.pcap" 2>/dev/null | wc -l)"
capture_stop hep3-compressed

############################################################################
# 3. tcp-multi-per-segment.pcap: 3 requests in one send(), then a REGISTER
#    split over 3 segments (TCP_NODELAY, 50 ms apart)
############################################################################
log "fixture: tcp-multi-per-segment.pcap"
capture_start tcp-multi-per-segment lo "tcp port $SIP_PORT"
python3 "$PY/tcp_multi.py" 127.0.0.1 "$SIP_PORT" >&2
capture_stop tcp-multi-per-segment

############################################################################
# 4. ws-masked.pcap: SIP over WebSocket, masked client frames, 401, then a
#    fragmented (text FIN=0 + continuation FIN=1) authenticated REGISTER
############################################################################
log "fixture: ws-masked.pcap"
capture_start ws-masked lo "tcp port $WS_PORT"
python3 "$PY/ws_client.py" 127.0.0.1 "$WS_PORT" >&2
capture_stop ws-masked

kamailio_stop
bg_stop "$HEP_SINK_PID"
log "$(tail -n 1 "$WORK/hep_sink.log")"

############################################################################
# 5./6. ipv6-frag-udp.pcap / ipv4-frag-udp.pcap: a ~3 KB INVITE between two
#    SIPp instances inside a namespace whose lo has a small MTU, so the
#    kernel fragments it (IPv6: fragment header; IPv4: MF/offset).
############################################################################
frag_fixture() { # NAME NETNS MTU ADDR
	local name=$1 ns=$2 mtu=$3 addr=$4 host=$4
	[[ $addr == *:* ]] && host="[$addr]"
	log "fixture: $name.pcap (mtu $mtu)"
	netns_create "$ns" "$mtu"
	capture_start "$name" lo "" "$ns" # private namespace: capture everything
	bg_start "$name-uas" ip netns exec "$ns" sipp "$host:$ALICE_PORT" -sf "$SCEN/uas.xml" \
		-i "$addr" -p "$BOB_PORT" -mp 16100 -cp 8891 -key user bob -nostdin -timeout 10s -m 1
	local uas=$LAST_BG_PID
	wait_listen udp "$BOB_PORT" "$ns"
	run_sipp "$name-uac" "$ns" -- "$host:$BOB_PORT" -sf "$SCEN/big-invite-uac.xml" \
		-i "$addr" -p "$ALICE_PORT" -mp 16200 -cp 8892 -s bob -key user alice -key domain sipdbg.test
	bg_wait "$uas" "$name-uas"
	capture_stop "$name"
	netns_delete "$ns"
}
frag_fixture ipv6-frag-udp "$NS6" 1280 ::1
frag_fixture ipv4-frag-udp "$NS4" 576 127.0.0.1

############################################################################
# verify with tshark, write expected.json, then publish everything at once
# (an interrupted or failed run leaves the old fixtures untouched)
############################################################################
log "verifying fixtures and writing expected.json"
WS_PORT=$WS_PORT HEP_PORT=$HEP_PORT python3 "$LAB/verify-fixtures.py" "$STAGE" --write
cp "$STAGE"/*.pcap "$STAGE/expected.json" "$FIXTURES_DIR/"
ls -l "$FIXTURES_DIR" >&2
log "done in $(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
