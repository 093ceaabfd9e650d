#!/usr/bin/env bash
# Regenerate the client-tool captures testdata/captures/clients/tools-*.pcap:
# real sipvicious (svmap, svwar, svcrack), sipsak, SIPp, JsSIP and SIP.js (under
# node, over WebSocket) against real Kamailio 5.6 (kamailio-tools.cfg), all inside
# a private network namespace on 127.0.0.0/8, recorded by tcpdump on its lo.
# See README.md for the scenarios. expected-tools.json is NOT written here:
# it was written by hand from the packets (tshark); the checks below make sure
# a new run still shows what the stories there say, and abort otherwise.
#
# Run as root. Idempotent; everything it starts (namespace, Kamailio, SIPp,
# tcpdump) is stopped on exit, also on error or Ctrl-C.
#
#   testdata/lab/clients/tools/regen.sh
#   KEEP_WORK=1 testdata/lab/clients/tools/regen.sh     # keep logs in /tmp/sipdbg-tools-lab.*
#   OUT_DIR=/tmp/x testdata/lab/clients/tools/regen.sh  # write the captures elsewhere
#   testdata/lab/clients/tools/regen.sh 'tools-sipjs-*' tools-sipsak-options-ping
#                                       # only the scenarios matching these names (shell patterns)
#
# Needs: kamailio (+ kamailio-websocket-modules), sipvicious, sipsak,
# sip-tester (sipp), tcpdump, tshark, iproute2, node >= 18 and `npm ci` in
# jssip/ and sipjs/ (run automatically when their node_modules is missing).
#
# In the namespace (all on lo):
#   udp 127.0.0.1:5060  Kamailio main: registrar 401 / proxy 407, realm sipdbg.test,
#                       404 for unknown extensions; tcp 127.0.0.1:8080 WebSocket
#   udp 127.0.0.5:5060  Kamailio, same config: a second device for svmap to find
#   udp 127.0.0.1:5062  Kamailio with nonce_expire 2 s (slow retry -> stale=true)
#   udp 127.0.0.1:5064  Kamailio challenging without qop (RFC 2069 answer)
#   udp 127.0.0.1:5070  SIPp UAS "bob" behind the proxy (JsSIP and SIP.js calls)
#   clients: svmap 5080, svwar 5081, svcrack 5082, sipsak 5083, SIPp UAC 5090
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../../.." && pwd)
OUT_DIR=${OUT_DIR:-$REPO/testdata/captures/clients}
NS=${NS:-sipdbg-tools-lab}
CFG=$HERE/kamailio-tools.cfg
SCEN=$HERE/scenarios
JSDIR=$HERE/jssip
SIPJSDIR=$HERE/sipjs
WS_URL=ws://127.0.0.1:8080

LAB_TAG=tools-lab
ONLY=("$@") # scenario names or shell patterns to run; none: all
# shellcheck source-path=SCRIPTDIR source=../../common.sh
source "$HERE/../../common.sh"

[[ $(id -u) == 0 ]] || die "run as root (network namespace, tcpdump)"
need_tools kamailio sipp sipsak svmap svwar svcrack tcpdump tshark ip node npm
ip netns list | grep -qw "$NS" && die "network namespace $NS exists (another run?); delete it with: ip netns del $NS"

WORK=$(mktemp -d /tmp/sipdbg-tools-lab.XXXXXX)
STAGE=$WORK/captures
mkdir -p "$STAGE"
CAP_PID=""
KAM_PIDS=()
BG_PIDS=()

cleanup() {
	local pid
	set +e
	[[ -n $CAP_PID ]] && { kill -INT "$CAP_PID" 2>/dev/null; wait "$CAP_PID" 2>/dev/null; }
	for pid in "${BG_PIDS[@]}" "${KAM_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}" "${KAM_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	if [[ ${KEEP_WORK:-0} == 1 ]]; then
		log "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# nsx CMD...: run CMD in the namespace. Background jobs call `ip netns exec`
# directly (not through this function) so that $! is the process itself
# (ip execs it), which the cleanup can signal.
nsx() { ip netns exec "$NS" "$@"; }

ip netns add "$NS"
nsx ip link set lo up
log "network namespace $NS"

npm_ci() { # DIR PACKAGE...: npm ci in DIR unless every PACKAGE is installed
	local dir=$1 pkg
	shift
	for pkg in "$@"; do
		[[ -d $dir/node_modules/$pkg ]] && continue
		log "npm ci in $dir"
		(cd "$dir" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) || { cat "$WORK/npm.log" >&2; die "npm ci failed in $dir"; }
		return 0
	done
}
npm_ci "$JSDIR" jssip ws
npm_ci "$SIPJSDIR" sip.js ws

############################################################################
# Kamailio instances (ip netns exec execs kamailio: $! is its main pid)
############################################################################
kam() { # NAME UDP-PORT LISTEN-IP [-A defines...]
	local name=$1 port=$2 ip=$3
	shift 3
	local -a defs=(-A "SIP_PORT=$port" -A "LAB_IP=$ip")
	while (($#)); do defs+=(-A "$1"); shift; done
	kamailio -c -f "$CFG" "${defs[@]}" >"$WORK/kam-$name-check.log" 2>&1 ||
		{ cat "$WORK/kam-$name-check.log" >&2; die "kamailio config check failed ($name)"; }
	ip netns exec "$NS" kamailio -DD -E -f "$CFG" "${defs[@]}" -P "$WORK/kam-$name.pid" -Y "$WORK" -w "$WORK" \
		-m 32 -M 8 >"$WORK/kam-$name.log" 2>&1 &
	KAM_PIDS+=($!)
}
kam main 5060 127.0.0.1 WITH_WS
kam second 5060 127.0.0.5
kam stale 5062 127.0.0.1 NONCE_EXPIRE=2
kam noqop 5064 127.0.0.1 'CHAL_FLAGS="0"'
wait_listen udp 5060 "$NS"
wait_listen udp 5062 "$NS"
wait_listen udp 5064 "$NS"
wait_listen tcp 8080 "$NS"
for i in $(seq 100); do
	[[ -n $(nsx ss -Hlnu 'src 127.0.0.5:5060') ]] && break
	sleep 0.05
done
log "kamailio up: ${KAM_PIDS[*]}"

############################################################################
# capture helpers
############################################################################
cap_start() { # NAME FILTER
	local name=$1 filter=$2 i
	ip netns exec "$NS" tcpdump -i lo --immediate-mode -U -s 0 -w "$WORK/$name.pcap" "$filter" 2>"$WORK/$name.tcpdump.log" &
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/$name.tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	die "tcpdump for $name did not start"
}
cap_stop() { # NAME
	local name=$1
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=""
	log "$name: $(grep -E 'packets captured' "$WORK/$name.tcpdump.log")"
}
# summary NAME: one line per SIP message (for the checks and the log)
summary() {
	tshark -r "$WORK/$1.pcap" -d tcp.port==8080,http -Y sip -T fields -E separator='|' \
		-e frame.time_relative -e ip.src -e ip.dst -e sip.Call-ID -e sip.CSeq -e sip.Status-Code \
		-e sip.auth.nonce -e sip.auth.nc -e sip.auth.qop -e sip.auth.stale 2>/dev/null
}
# count NAME DISPLAY-FILTER: number of frames matching
count() {
	tshark -r "$WORK/$1.pcap" -d tcp.port==8080,http -Y "$2" 2>/dev/null | wc -l
}
# nonces NAME: number of distinct nonce values (challenges and answers)
nonces() {
	tshark -r "$WORK/$1.pcap" -d tcp.port==8080,http -Y sip.auth.nonce -T fields -e sip.auth.nonce 2>/dev/null |
		tr ',' '\n' | sort -u | grep -c . || true
}
# want NAME WHAT GOT WANT: one check; a failed check makes the scenario retry
FAILED=0
want() {
	if [[ $3 != "$4" ]]; then
		log "$1: $2: got $3, want $4"
		FAILED=1
	fi
}
# at_second_start: sleep until just after the next full second (Kamailio's
# nonce changes with the second; scenarios whose story needs one nonce start here)
at_second_start() {
	local frac=${EPOCHREALTIME#*.} us
	us=$((1020000 - 10#$frac))
	sleep "$((us / 1000000)).$(printf '%06d' $((us % 1000000)))"
}
# selected NAME: true if NAME is to be run (no arguments given, or one matches it)
selected() {
	local pat
	((${#ONLY[@]} == 0)) && return 0
	for pat in "${ONLY[@]}"; do
		# shellcheck disable=SC2053 # the arguments are patterns
		[[ $1 == $pat ]] && return 0
	done
	return 1
}
# scenario NAME FILTER CHECKFN CMD...: capture CMD, run CHECKFN NAME, retry up to
# 3 times; skipped when NAME is not selected
scenario() {
	local name=$1 filter=$2 check=$3 try
	shift 3
	selected "$name" || return 0
	for try in 1 2 3; do
		cap_start "$name" "$filter"
		"$@" >"$WORK/$name.log" 2>&1 || log "$name: client exited with $? (see log)"
		cap_stop "$name"
		summary "$name" >"$WORK/$name.summary"
		FAILED=0
		"$check" "$name"
		if ((FAILED == 0)); then
			mv "$WORK/$name.pcap" "$STAGE/$name.pcap"
			return 0
		fi
		log "$name: attempt $try did not show the expected story; retrying"
		cat "$WORK/$name.summary" >&2
	done
	die "$name: no good capture after 3 attempts (logs in $WORK with KEEP_WORK=1)"
}

############################################################################
# sipvicious
############################################################################
printf '%s\n' 123456 password 1001 admin 12345 1234 letmein qwerty 111111 000000 \
	secret voip sip pass 1q2w3e welcome abc123 changeme default tr0ub4dor >"$WORK/dict-success.txt"
head -n 19 "$WORK/dict-success.txt" >"$WORK/dict-fail.txt" # without the right one

chk_svmap() {
	want "$1" "OPTIONS sent" "$(count "$1" 'sip.Method == "OPTIONS"')" 10
	want "$1" "200 answers" "$(count "$1" 'sip.Status-Code == 200')" 2
}
scenario tools-svmap-options-sweep 'udp port 5060' chk_svmap \
	nsx timeout 30 svmap -P 5080 127.0.0.1-127.0.0.10

chk_svwar() {
	# a random extension first (404), then 1000..1010: 1001 1002 1005 -> 401
	want "$1" "REGISTERs" "$(count "$1" 'sip.Method == "REGISTER"')" 12
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 3
	want "$1" "404s" "$(count "$1" 'sip.Status-Code == 404')" 9
}
scenario tools-svwar-register-enum 'udp port 5060' chk_svwar \
	nsx timeout 30 svwar -P 5081 -e1000-1010 127.0.0.1

chk_svcrack_fail() {
	want "$1" "REGISTERs with credentials" "$(count "$1" 'sip.Method == "REGISTER" && sip.auth')" 19
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 20
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 0
	want "$1" "Call-IDs" "$(tshark -r "$WORK/$1.pcap" -Y sip -T fields -e sip.Call-ID | sort -u | wc -l)" 1
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
chk_svcrack_ok() {
	want "$1" "REGISTERs with credentials" "$(count "$1" 'sip.Method == "REGISTER" && sip.auth')" 20
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 20
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 1
	want "$1" "Call-IDs" "$(tshark -r "$WORK/$1.pcap" -Y sip -T fields -e sip.Call-ID | sort -u | wc -l)" 1
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
svcrack_run() { at_second_start; nsx timeout 40 svcrack -P 5082 -u1001 -d "$1" 127.0.0.1; }
scenario tools-svcrack-guess-fail 'udp port 5060' chk_svcrack_fail svcrack_run "$WORK/dict-fail.txt"
scenario tools-svcrack-guess-success 'udp port 5060' chk_svcrack_ok svcrack_run "$WORK/dict-success.txt"

############################################################################
# sipsak
############################################################################
chk_sipsak_ok() {
	want "$1" "frames" "$(count "$1" sip)" 4
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 1
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 1
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
chk_sipsak_bad() {
	want "$1" "frames" "$(count "$1" sip)" 4
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 2
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
chk_sipsak_ping() {
	want "$1" "frames" "$(count "$1" sip)" 2
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 1
}
sipsak_reg() { at_second_start; nsx timeout 20 sipsak -U -x 300 -l 5083 -vv -a "$1" -u alice -s sip:alice@127.0.0.1; }
scenario tools-sipsak-register-ok 'udp port 5060' chk_sipsak_ok sipsak_reg alicepw
scenario tools-sipsak-register-wrong-password 'udp port 5060' chk_sipsak_bad sipsak_reg alicepwd
scenario tools-sipsak-options-ping 'udp port 5060' chk_sipsak_ping \
	nsx timeout 20 sipsak -l 5083 -vv -s sip:127.0.0.1

############################################################################
# SIPp
############################################################################
sipp_uac() { # PORT SCENARIO ARGS...
	local port=$1 sf=$2
	shift 2
	(cd "$WORK" && nsx timeout 30 sipp "127.0.0.1:$port" -sf "$SCEN/$sf" -i 127.0.0.1 -p 5090 -mp 16400 -cp 8194 \
		-m 1 -nostdin -timeout 20s "$@")
}
chk_storm() {
	want "$1" "REGISTERs with credentials" "$(count "$1" 'sip.Method == "REGISTER" && sip.auth.digest.response')" 4
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 5
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
storm_run() { at_second_start; sipp_uac 5060 register-retry-storm.xml -key user alice -key domain sipdbg.test -au alice -ap alicepw1; }
scenario tools-sipp-register-retry-storm 'udp port 5060' chk_storm storm_run

chk_noack() {
	want "$1" "INVITEs" "$(count "$1" 'sip.Method == "INVITE"')" 1
	want "$1" "ACKs" "$(count "$1" 'sip.Method == "ACK"')" 0
	want "$1" "407s (with retransmissions)" "$(count "$1" 'sip.Status-Code == 407')" 4
}
scenario tools-sipp-invite-407-no-ack 'udp port 5060' chk_noack \
	sipp_uac 5060 invite-no-ack.xml -nd -key user alice -key domain sipdbg.test -s bob

chk_slow() {
	want "$1" "401 stale=true" "$(count "$1" 'sip.Status-Code == 401 && sip.auth.stale')" 1
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 1
	want "$1" "distinct nonces" "$(nonces "$1")" 2
}
scenario tools-sipp-register-slow-retry-stale 'udp port 5062' chk_slow \
	sipp_uac 5062 register-slow-retry.xml -key user alice -key domain sipdbg.test -au alice -ap alicepw

chk_noqop() {
	want "$1" "answers with qop" "$(count "$1" 'sip.auth.qop')" 0
	want "$1" "answers" "$(count "$1" 'sip.auth.digest.response')" 1
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 1
}
scenario tools-sipp-register-rfc2069-no-qop 'udp port 5064' chk_noqop \
	sipp_uac 5064 register.xml -key user bob -key domain sipdbg.test -au bob -ap bobpw

chk_reissue() {
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 2
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 2
	want "$1" "answers with nc=00000001" "$(count "$1" 'sip.auth.nc == "00000001"')" 2
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
reissue_run() { at_second_start; sipp_uac 5060 register-nonce-reissued.xml -key user bob -key domain sipdbg.test -au bob -ap bobpw; }
scenario tools-sipp-register-nonce-reissued 'udp port 5060' chk_reissue reissue_run

############################################################################
# JsSIP over WebSocket (SIPp UAS bob on 5070 answers the call)
############################################################################
WSF='tcp port 8080 or udp port 5070'
jssip() { nsx timeout 20 node "$JSDIR/client.js" "$@"; }
chk_ws_ok() {
	# register + the un-REGISTER JsSIP sends when stopped, each 401 -> 200
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 2
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 2
}
chk_ws_bad() {
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 2
	want "$1" "REGISTERs" "$(count "$1" 'sip.Method == "REGISTER"')" 2
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 0
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
chk_ws_invite() {
	want "$1" "407s" "$(count "$1" 'sip.Status-Code == 407')" 1
	want "$1" "INVITEs with Proxy-Authorization" "$(count "$1" 'sip.Method == "INVITE" && sip.Proxy-Authorization')" 1
	want "$1" "BYE 200s" "$(count "$1" 'sip.Status-Code == 200 && sip.CSeq.method == "BYE"')" 2
}
scenario tools-jssip-ws-register-ok "$WSF" chk_ws_ok jssip register "$WS_URL" alice alicepw
ws_bad() { at_second_start; jssip register "$WS_URL" alice alicepw2; }
scenario tools-jssip-ws-register-wrong-password "$WSF" chk_ws_bad ws_bad
# with_uas CMD...: run CMD (a call to bob) while a SIPp UAS bob answers on udp 5070
with_uas() {
	ip netns exec "$NS" sipp -sf "$SCEN/uas.xml" -i 127.0.0.1 -p 5070 -mp 16300 -cp 8197 -m 1 -nostdin -timeout 20s \
		-key user bob >"$WORK/uas.log" 2>&1 &
	BG_PIDS+=($!)
	local uas=$!
	wait_listen udp 5070 "$NS"
	"$@"
	wait "$uas" || log "SIPp UAS exited with $?"
	BG_PIDS=()
}
scenario tools-jssip-ws-invite-407 "$WSF" chk_ws_invite with_uas jssip invite "$WS_URL" alice alicepw sip:bob@sipdbg.test

############################################################################
# SIP.js over WebSocket (same listener, same SIPp UAS bob on 5070)
############################################################################
sipjs() { nsx timeout 20 node "$SIPJSDIR/client.js" "$@"; }
chk_sipjs_ok() {
	# register 401 -> 200, then the un-REGISTER (Contact ;expires=0) carrying the
	# same Authorization again (same nonce, nc=00000001) -> 200 without a challenge
	want "$1" "REGISTERs" "$(count "$1" 'sip.Method == "REGISTER"')" 3
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 1
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 2
	want "$1" "un-REGISTERs" "$(count "$1" 'sip.Method == "REGISTER" && sip.Contact contains "expires=0"')" 1
	want "$1" "answers with nc=00000001" "$(count "$1" 'sip.auth.nc == "00000001"')" 2
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
chk_sipjs_bad() {
	want "$1" "REGISTERs" "$(count "$1" 'sip.Method == "REGISTER"')" 2
	want "$1" "401s" "$(count "$1" 'sip.Status-Code == 401')" 2
	want "$1" "200s" "$(count "$1" 'sip.Status-Code == 200')" 0
	want "$1" "distinct nonces" "$(nonces "$1")" 1
}
chk_sipjs_invite() {
	want "$1" "INVITEs over WS" "$(count "$1" 'sip.Method == "INVITE" && tcp.dstport == 8080')" 2
	want "$1" "407s" "$(count "$1" 'sip.Status-Code == 407')" 1
	want "$1" "INVITEs with Proxy-Authorization" "$(count "$1" 'sip.Method == "INVITE" && sip.Proxy-Authorization')" 1
	want "$1" "180s (UAS, relayed over WS)" "$(count "$1" 'sip.Status-Code == 180')" 2
	want "$1" "INVITE 200s (WS and UDP)" "$(count "$1" 'sip.Status-Code == 200 && sip.CSeq.method == "INVITE"')" 2
	want "$1" "ACKs (407 and 200 on WS, 200 on UDP)" "$(count "$1" 'sip.Method == "ACK"')" 3
	want "$1" "BYE 200s" "$(count "$1" 'sip.Status-Code == 200 && sip.CSeq.method == "BYE"')" 2
}
scenario tools-sipjs-ws-register-ok "$WSF" chk_sipjs_ok sipjs register "$WS_URL" alice alicepw
sipjs_bad() { at_second_start; sipjs register "$WS_URL" alice alicepw2; }
scenario tools-sipjs-ws-register-wrong-password "$WSF" chk_sipjs_bad sipjs_bad
scenario tools-sipjs-ws-invite-407 "$WSF" chk_sipjs_invite with_uas sipjs invite "$WS_URL" alice alicepw sip:bob@sipdbg.test

############################################################################
mkdir -p "$OUT_DIR"
shopt -s nullglob
staged=("$STAGE"/*.pcap)
((${#staged[@]} > 0)) || die "no scenario matched: ${ONLY[*]}"
for f in "${staged[@]}"; do
	cp "$f" "$OUT_DIR/"
	log "$(basename "$f"): $(stat -c %s "$f") bytes"
done
log "versions: kamailio $(kamailio -v | sed -n 's/^version: kamailio \([^ ]*\).*/\1/p'), sipvicious $(svmap --version 2>&1 | sed -n "s/^svmap v//p")," \
	"sipsak $(sipsak --version 2>&1 | sed -n 's/^sipsak \([0-9.]*\).*/\1/p' | head -1)," \
	"sipp $(sipp -v 2>&1 | sed -n 's/.*SIPp v\([0-9.]*\).*/\1/p' | head -1), node $(node --version)," \
	"jssip $(node -p "require('$JSDIR/node_modules/jssip/package.json').version")," \
	"sip.js $(node -p "require('$SIPJSDIR/node_modules/sip.js/package.json').version")," \
	"ws $(node -p "require('$JSDIR/node_modules/ws/package.json').version")/$(node -p "require('$SIPJSDIR/node_modules/ws/package.json').version")"
log "done: ${#staged[@]} captures in $OUT_DIR"
