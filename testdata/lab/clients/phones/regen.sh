#!/usr/bin/env bash
# Regenerate testdata/captures/clients/phones-*.pcap: real phone stacks
# (baresip 1.0, linphonec / liblinphone 5.1, twinkle 1.10) against real
# Kamailio 5.6 (kamailio-phones.cfg), all inside a private network namespace.
#
#   sudo testdata/lab/clients/phones/regen.sh            # every scenario
#   sudo testdata/lab/clients/phones/regen.sh NAME...    # some (see list below)
#   KEEP_WORK=1 ...                                      # keep logs in $WORK
#
# Needs root (ip netns), kamailio, tcpdump, baresip, linphonec, twinkle.
# Traffic stays on 127.0.0.1 of the namespace. The namespace also gets a veth
# pair with 192.0.2.1/32 (TEST-NET-1) only because baresip and linphone want
# a non-loopback interface; no client is ever told to send there.
#
# Ports: edge Kamailio 5060, core Kamailio 5070, baresip 5080,
# linphone 5090, twinkle 5100. Only these ports are captured.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../../.." && pwd)
OUT=${OUT:-$ROOT/testdata/captures/clients} # OUT=/tmp/x: a trial run
CFG=$HERE/kamailio-phones.cfg
NS=${NS:-sipdbg-phones}
WORK=$(mktemp -d /tmp/sipdbg-phones.XXXXXX)
FILTER='udp and (port 5060 or port 5070 or port 5080 or port 5090 or port 5100)'

KAM_PIDS=()
CAP_PID=
LEAK_PID=
CLIENT_PID=

log() { printf '%s [phones] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

nsx() { ip netns exec "$NS" "$@"; }

cleanup() {
	set +e
	[[ -n $CLIENT_PID ]] && kill -TERM "$CLIENT_PID" 2>/dev/null && wait "$CLIENT_PID" 2>/dev/null
	[[ -n $CAP_PID ]] && kill -INT "$CAP_PID" 2>/dev/null && wait "$CAP_PID" 2>/dev/null
	[[ -n $LEAK_PID ]] && kill -INT "$LEAK_PID" 2>/dev/null && wait "$LEAK_PID" 2>/dev/null
	kam_stop
	ip netns del "$NS" 2>/dev/null
	if [[ ${KEEP_WORK:-0} == 1 ]]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() {
	local t
	for t in "$@"; do command -v "$t" >/dev/null || die "missing $t (apt-get install -y baresip-core linphone-cli twinkle-console kamailio tcpdump tshark)"; done
}

ns_setup() {
	ip netns del "$NS" 2>/dev/null || true
	ip netns add "$NS"
	nsx ip link set lo up
	nsx ip link add v0 type veth peer name v1
	nsx ip addr add 192.0.2.1/32 dev v0
	nsx ip link set v0 up
	nsx ip link set v1 up
	nsx sysctl -qw net.ipv6.conf.v0.disable_ipv6=1 net.ipv6.conf.v1.disable_ipv6=1
	# liblinphone checks "network reachability" every few seconds and, with no
	# default route, declares the network DOWN and silently drops its
	# registration. The default route points into the veth pair (whose other
	# end has no address): nothing can leave the namespace, and leak_check
	# verifies that no packet went that way.
	nsx ip route add default dev v0
}

wait_udp() { # PORT: wait until something is bound in the namespace
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -n $(nsx ss -Hlnu "sport = :$1") ]] && return 0
		sleep 0.05
	done
	die "nothing listening on udp $1"
}

# kam_start NAME PORT [DEFINE...]: one Kamailio instance in the namespace
kam_start() {
	local name=$1 port=$2 d
	shift 2
	local -a defs=(-A "SIP_PORT=$port")
	for d in "$@"; do defs+=(-A "$d"); done
	kamailio -c -f "$CFG" "${defs[@]}" >"$WORK/kam-$name-check.log" 2>&1 ||
		{ cat "$WORK/kam-$name-check.log" >&2; die "kamailio config check failed ($name)"; }
	# ip netns exec execs its command: $! is Kamailio's main process itself
	ip netns exec "$NS" kamailio -DD -E -f "$CFG" "${defs[@]}" -P "$WORK/kam-$name.pid" -Y "$WORK" \
		-w "$WORK" -m 32 -M 8 >>"$WORK/kam-$name.log" 2>&1 &
	KAM_PIDS+=($!)
	wait_udp "$port"
}

kam_stop() {
	local pid
	for pid in "${KAM_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${KAM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	KAM_PIDS=()
}

cap_start() {
	local i
	ip netns exec "$NS" tcpdump -i v1 -n -s0 -w "$WORK/leak.pcap" 2>"$WORK/leak.log" &
	LEAK_PID=$!
	ip netns exec "$NS" tcpdump -i lo --immediate-mode -U -s0 -w "$WORK/cap.pcap" "$FILTER" 2>"$WORK/tcpdump.log" &
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	die "tcpdump did not start"
}

cap_stop() { # NAME: stop tcpdump, move the capture to $OUT/NAME.pcap
	# A marker at the end: an OPTIONS from sipsak (another port) to the
	# edge. Without a packet after the client's last one, a capture
	# cannot show how long the client stayed silent, and the analysis
	# rightly says "the answer is not in the capture" rather than "never
	# answered".
	nsx timeout 3 sipsak -s sip:capture-end@127.0.0.1:5060 -l 5199 >/dev/null 2>&1 || true
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=
	kill -INT "$LEAK_PID" 2>/dev/null || true
	wait "$LEAK_PID" 2>/dev/null || true
	LEAK_PID=
	grep -q '^0 packets captured' "$WORK/leak.log" ||
		die "$1: packets left through v0 ($(grep 'packets captured' "$WORK/leak.log")): see $WORK/leak.pcap"
	mv "$WORK/cap.pcap" "$OUT/$1.pcap"
	log "$1.pcap: $(grep -E 'packets captured' "$WORK/tcpdump.log")"
}

# feed STEP...: print client commands, "sleep:N" pauses (stdin of a CLI client).
# With TICK=1 a pause is an empty line every 0.25 s: linphonec with a pipe as
# stdin blocks in read() and runs no timers (no REGISTER refresh) otherwise.
feed() {
	local s i
	for s in "$@"; do
		case $s in
		sleep:*)
			if [[ ${TICK:-0} == 1 ]]; then
				for ((i = 0; i < ${s#sleep:} * 4; i++)); do echo; sleep 0.25; done
			else
				sleep "${s#sleep:}"
			fi
			;;
		*) printf '%s\n' "$s" ;;
		esac
	done
}

# baresip NAME SECONDS ACCOUNT-LINE [-e COMMAND...]: run baresip -t SECONDS
baresip_run() {
	local name=$1 secs=$2 acct=$3 dir=$WORK/$1.baresip
	shift 3
	mkdir -p "$dir"
	cp "$HERE/baresip/config" "$dir/config"
	printf '%s\n' "$acct" >"$dir/accounts"
	HOME=$dir ip netns exec "$NS" timeout $((secs + 10)) baresip -f "$dir" -t "$secs" "$@" </dev/null \
		>"$WORK/$name.client.log" 2>&1 &
	CLIENT_PID=$!
	wait "$CLIENT_PID" || log "$name: baresip exited with $?"
	CLIENT_PID=
}

# linphone_run NAME RC-SECTIONS-FILE STEP...: linphonec fed by feed STEP...
# (after a failed call linphonec prompts "Password for alice on REALM:" and
# eats the next line: the call scenarios send quit twice; exit 141/124 of
# linphonec at shutdown is harmless, the capture is already complete)
linphone_run() {
	local name=$1 sections=$2 dir=$WORK/$1.linphone
	shift 2
	mkdir -p "$dir/.local/share/linphone"
	cat "$HERE/linphone/base.rc" "$HERE/linphone/$sections" >"$dir/linphonerc"
	TICK=1 feed "$@" | HOME=$dir ip netns exec "$NS" timeout 20 linphonec -c "$dir/linphonerc" -d 4 -l "$dir/linphone.log" \
		>"$WORK/$name.client.log" 2>&1 &
	CLIENT_PID=$!
	wait "$CLIENT_PID" || log "$name: linphonec exited with $?"
	CLIENT_PID=
}

# twinkle_run NAME PROFILE-EXTRA-FILE STEP...: twinkle -c fed by feed STEP...
twinkle_run() {
	local name=$1 extra=$2 dir=$WORK/$1.twinkle
	shift 2
	mkdir -p "$dir/.twinkle"
	cp "$HERE/twinkle/twinkle.sys" "$dir/.twinkle/twinkle.sys"
	cat "$HERE/twinkle/base.cfg" "$HERE/twinkle/$extra" >"$dir/.twinkle/alice.cfg"
	feed "$@" | HOME=$dir ip netns exec "$NS" timeout 60 twinkle -c -f alice --force --sip-port 5100 \
		>"$WORK/$name.client.log" 2>&1 &
	CLIENT_PID=$!
	wait "$CLIENT_PID" || log "$name: twinkle exited with $?"
	CLIENT_PID=
}

BS_ACC='<sip:alice@edge.test>;outbound="sip:127.0.0.1:5060";mwi=no;pubint=0'

########## scenarios ##########

# baresip: REGISTER 401 -> 200; on exit REGISTER Expires 0 401 -> 200
sc_baresip_register_ok() {
	kam_start edge 5060
	cap_start
	baresip_run "$1" 3 "$BS_ACC;auth_pass=alicepw;regint=600"
	cap_stop "$1"
	kam_stop
}

# baresip: wrong password
sc_baresip_register_wrong_password() {
	kam_start edge 5060
	cap_start
	baresip_run "$1" 6 "$BS_ACC;auth_pass=wrongpw;regint=600"
	cap_stop "$1"
	kam_stop
}

# baresip: INVITE through the edge proxy: 407 -> ACK -> INVITE with
# Proxy-Authorization -> 404 (nobody registered as bob)
sc_baresip_invite_407() {
	kam_start edge 5060
	cap_start
	baresip_run "$1" 4 "$BS_ACC;auth_pass=alicepw;regint=0" -e "/dial sip:bob@edge.test"
	cap_stop "$1"
	kam_stop
}

# baresip: edge (407 edge.test) + core (401 core.test, password corepw);
# baresip has one auth_pass (alicepw) for both realms
sc_baresip_two_realms_one_password() {
	kam_start core 5070 IS_CORE
	kam_start edge 5060 WITH_CORE
	cap_start
	baresip_run "$1" 4 "$BS_ACC;auth_pass=alicepw;regint=0" -e "/dial sip:bob@core.test"
	cap_stop "$1"
	kam_stop
}

# baresip: 401 with SHA-256 and MD5 challenges in one response
sc_baresip_sha256_md5_dual() {
	kam_start edge 5060 WITH_SHA256 DUAL_ALGO
	cap_start
	baresip_run "$1" 4 "$BS_ACC;auth_pass=alicepw;regint=600"
	cap_stop "$1"
	kam_stop
}

# baresip: server challenges edge.test but verifies against realm other.test
sc_baresip_server_realm_mismatch() {
	kam_start edge 5060 'VERIFY_REALM="other.test"'
	cap_start
	baresip_run "$1" 5 "$BS_ACC;auth_pass=alicepw;regint=600"
	cap_stop "$1"
	kam_stop
}

# linphone: REGISTER 401 -> 200, unregister on quit
sc_linphone_register_ok() {
	kam_start edge 5060
	cap_start
	linphone_run "$1" edge-alice.rc sleep:3 quit sleep:3
	cap_stop "$1"
	kam_stop
}

# linphone: auth_info restricted to realm other.test, server says edge.test
sc_linphone_register_wrong_realm() {
	kam_start edge 5060
	cap_start
	linphone_run "$1" wrong-realm.rc sleep:4 quit sleep:3
	cap_stop "$1"
	kam_stop
}

# linphone: SHA-256 only challenge
sc_linphone_register_sha256() {
	kam_start edge 5060 WITH_SHA256
	cap_start
	linphone_run "$1" edge-alice.rc sleep:3 quit sleep:3
	cap_stop "$1"
	kam_stop
}

# linphone: qop="auth-int" only
sc_linphone_register_auth_int() {
	kam_start edge 5060 'CHAL_FLAGS="2"'
	cap_start
	linphone_run "$1" edge-alice.rc sleep:3 quit sleep:3
	cap_stop "$1"
	kam_stop
}

# linphone: edge 407 + core 401 with two auth_info entries -> core 480
sc_linphone_two_realms_two_passwords() {
	kam_start core 5070 IS_CORE
	kam_start edge 5060 WITH_CORE
	cap_start
	linphone_run "$1" two-realms.rc sleep:1 "call sip:bob@core.test" sleep:4 quit quit sleep:2
	cap_stop "$1"
	kam_stop
}

# linphone: the same, but both auth_info entries say domain=edge.test (only
# their realm differs): linphone answers the edge.test 407 with the core.test
# password
sc_linphone_two_realms_same_domain() {
	kam_start core 5070 IS_CORE
	kam_start edge 5060 WITH_CORE
	cap_start
	linphone_run "$1" two-realms-same-domain.rc sleep:1 "call sip:bob@core.test" sleep:4 quit quit sleep:2
	cap_stop "$1"
	kam_stop
}

# linphone: nonce valid 4 s, registration 8 s: the refresh carries the old
# nonce -> 401 stale=true -> retry -> 200
sc_linphone_register_stale_nonce() {
	kam_start edge 5060 NONCE_EXPIRE=4 REG_EXPIRES=8
	cap_start
	linphone_run "$1" edge-alice-short.rc sleep:9 quit sleep:2
	cap_stop "$1"
	kam_stop
}

# twinkle: REGISTER ok, then INVITE 407 -> 404, then unregister
sc_twinkle_invite_407() {
	kam_start edge 5060
	cap_start
	twinkle_run "$1" auth-alice.cfg sleep:2 "call sip:bob@edge.test" sleep:3 quit sleep:2
	cap_stop "$1"
	kam_stop
}

# twinkle: wrong password
sc_twinkle_register_wrong_password() {
	kam_start edge 5060
	cap_start
	twinkle_run "$1" auth-wrong.cfg sleep:4 quit sleep:2
	cap_stop "$1"
	kam_stop
}

# twinkle: credentials restricted to realm other.test, server says edge.test
sc_twinkle_register_wrong_realm() {
	kam_start edge 5060
	cap_start
	twinkle_run "$1" auth-other-realm.cfg sleep:4 quit sleep:2
	cap_stop "$1"
	kam_stop
}

# twinkle: qop="auth-int" only
sc_twinkle_register_auth_int() {
	kam_start edge 5060 'CHAL_FLAGS="2"'
	cap_start
	twinkle_run "$1" auth-alice.cfg sleep:3 quit sleep:2
	cap_stop "$1"
	kam_stop
}

# twinkle: server realm misconfiguration (challenge edge.test, verify other.test)
sc_twinkle_server_realm_mismatch() {
	kam_start edge 5060 'VERIFY_REALM="other.test"'
	cap_start
	twinkle_run "$1" auth-alice.cfg sleep:4 quit sleep:2
	cap_stop "$1"
	kam_stop
}

ALL=(
	baresip-register-ok baresip-register-wrong-password baresip-invite-407
	baresip-two-realms-one-password baresip-sha256-md5-dual baresip-server-realm-mismatch
	linphone-register-ok linphone-register-wrong-realm linphone-register-sha256
	linphone-register-auth-int linphone-two-realms-two-passwords linphone-two-realms-same-domain
	linphone-register-stale-nonce
	twinkle-invite-407 twinkle-register-wrong-password twinkle-register-wrong-realm twinkle-register-auth-int
	twinkle-server-realm-mismatch
)

main() {
	local s fn
	((EUID == 0)) || die "run as root (ip netns)"
	need kamailio tcpdump baresip linphonec twinkle sipsak ip ss
	mkdir -p "$OUT"
	(($# > 0)) || set -- "${ALL[@]}"
	for s in "$@"; do
		fn=sc_${s//-/_}
		declare -F "$fn" >/dev/null || die "unknown scenario $s (known: ${ALL[*]})"
	done
	ns_setup
	for s in "$@"; do
		log "== $s"
		"sc_${s//-/_}" "phones-$s"
	done
	log "done: ${#@} captures in $OUT"
}

main "$@"
