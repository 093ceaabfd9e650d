# shellcheck shell=bash
# Helpers for regen.sh (adapted from ../failures/lib-failures.sh). Every
# scenario runs in a network namespace of its own (sipdbg-ev-NAME, only lo
# up, so nothing but 127.0.0.0/8 is routable), with its own Kamailio, SIPp
# instances and tcpdump, all on udp port 5060 of distinct loopback
# addresses (SIPp binds its SIP socket with -i, so each role sends from its
# own address):
#
#   127.0.0.1   proxy   Kamailio (kamailio-everyday.cfg)
#   127.0.0.10  alice   the caller / subscriber (SIPp UAC)
#   127.0.0.20  bob     the callee / notifier (SIPp UAS)
#   127.0.0.30  carol   the target of the redirect (SIPp UAS)
#
# Source it after setting $WORK (scratch directory) and $STAGE (where
# finished captures go). A scenario runs in a subshell: its processes are
# its children; scn_end (or, on error, the caller's cleanup) stops them by
# pid and deletes the namespace, whose name is also written to
# $WORK/netns.list so that the main script's EXIT trap can stop what a
# dying subshell left.

EVERYDAY=${EVERYDAY:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck disable=SC2034 # used by the script that sources this file
SCEN=$EVERYDAY/scenarios
CFG=$EVERYDAY/kamailio-everyday.cfg
LAB_TAG=${LAB_TAG:-everyday-lab}
# shellcheck source-path=SCRIPTDIR source=../common.sh
source "$EVERYDAY/../common.sh"

# shellcheck disable=SC2034 # used by the script that sources this file
{
	PROXY=127.0.0.1
	ALICE=127.0.0.10
	BOB=127.0.0.20
	CAROL=127.0.0.30
}
SIP_FILTER='udp port 5060'

# per-scenario state (each scenario runs in its own subshell)
NS=""
SCN=""
CAP_PID=""
LAST_PID="" # the last process started in the background (bg, sipp_run --bg, uas)
PIDS=() # every background process of this scenario, stopped by scn_end

nsx() { ip netns exec "$NS" "$@"; }

# scn_begin NAME: fresh namespace sipdbg-ev-NAME with lo up
scn_begin() {
	SCN=$1
	NS=sipdbg-ev-$1
	PIDS=()
	ip netns del "$NS" 2>/dev/null || true
	ip netns add "$NS"
	echo "$NS" >>"$WORK/netns.list"
	ip -n "$NS" link set lo up
	mkdir -p "$WORK/$SCN"
	log "$SCN: namespace $NS"
}

# scn_end: stop this scenario's processes (by pid), delete the namespace
scn_end() {
	local pid i
	[[ -n $CAP_PID ]] && { kill -INT "$CAP_PID" 2>/dev/null || true; wait "$CAP_PID" 2>/dev/null || true; CAP_PID=""; }
	for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${PIDS[@]}"; do
		for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	PIDS=()
	[[ -n $NS ]] && ns_kill "$NS"
	NS=""
}

# ns_kill NS: stop whatever still runs in our namespace NS (only processes
# we started can be in it), then delete it
ns_kill() {
	local ns=$1 pid i
	[[ -e /run/netns/$ns ]] || return 0
	for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$pid" 2>/dev/null || true; done
	for ((i = 0; i < 40; i++)); do
		[[ -z $(ip netns pids "$ns" 2>/dev/null) ]] && break
		sleep 0.05
	done
	for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
	ip netns del "$ns" 2>/dev/null || true
}

# wait_bound PROTO ADDR:PORT: wait (max 5 s) until something is bound in $NS
wait_bound() {
	local proto=$1 addr=$2 i
	for ((i = 0; i < 100; i++)); do
		[[ -n $(nsx ss -Hln"${proto:0:1}" "src $addr") ]] && return 0
		sleep 0.05
	done
	die "$SCN: nothing bound on $proto $addr in $NS"
}

# bg NAME CMD...: a background process in the namespace, log $WORK/SCN/NAME.log
bg() {
	local name=$1
	shift
	ip netns exec "$NS" "$@" >"$WORK/$SCN/$name.log" 2>&1 &
	PIDS+=($!)
	LAST_PID=$!
}

# bg_wait PID NAME: wait for it; fail if it failed
bg_wait() {
	local pid=$1 name=$2 rc=0
	wait "$pid" || rc=$?
	mapfile -t PIDS < <(_without "$pid" "${PIDS[@]}")
	((rc == 0)) || { tail -n 40 "$WORK/$SCN/$name.log" >&2; die "$SCN: $name exited with $rc"; }
}

# kam: Kamailio (kamailio-everyday.cfg) on udp 127.0.0.1:5060
kam() {
	local -a defs=(-A "LAB_IP=$PROXY")
	kamailio -c -f "$CFG" "${defs[@]}" >"$WORK/$SCN/proxy-check.log" 2>&1 ||
		{ cat "$WORK/$SCN/proxy-check.log" >&2; die "$SCN: kamailio config check failed"; }
	# -DD: the creator stays in the foreground (our child), workers fork
	bg proxy kamailio -DD -E -f "$CFG" "${defs[@]}" -P "$WORK/$SCN/proxy.pid" \
		-Y "$WORK/$SCN" -w "$WORK/$SCN" -m 32 -M 8
	wait_bound udp "$PROXY:5060"
}

# cap_start: tcpdump on lo of the namespace into $WORK/SCN/SCN.pcap
cap_start() {
	local i
	ip netns exec "$NS" tcpdump -i lo -n --immediate-mode -U -s 0 -w "$WORK/$SCN/$SCN.pcap" "$SIP_FILTER" \
		2>"$WORK/$SCN/tcpdump.log" &
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/$SCN/tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$WORK/$SCN/tcpdump.log" >&2
	die "$SCN: tcpdump did not start"
}

# cap_stop: stop tcpdump, move the capture to $STAGE/SCN.pcap
cap_stop() {
	sleep 0.3 # let the last packets reach the ring buffer
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=""
	log "$SCN: $(grep -E 'packets captured' "$WORK/$SCN/tcpdump.log")"
	mv "$WORK/$SCN/$SCN.pcap" "$STAGE/$SCN.pcap"
}

# sipp_run NAME [--bg] SIPP-ARGS...: SIPp in the namespace (cwd $WORK/SCN),
# one call (-m 1); foreground: fails the scenario if SIPp fails
sipp_run() {
	local name=$1 rc=0
	shift
	if [[ $1 == --bg ]]; then
		shift
		(cd "$WORK/$SCN" && exec ip netns exec "$NS" sipp "$@" -nostdin -m 1) >"$WORK/$SCN/$name.log" 2>&1 &
		PIDS+=($!)
		LAST_PID=$!
		return 0
	fi
	(cd "$WORK/$SCN" && exec ip netns exec "$NS" sipp "$@" -nostdin -m 1) >"$WORK/$SCN/$name.log" 2>&1 || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$SCN/$name.log" >&2; die "$SCN: sipp $name exited with $rc"; }
}

# uas NAME IP SCENARIO [SIPP-ARGS...]: a SIPp UAS in the background on
# udp IP:5060, waited for until bound
uas() {
	local name=$1 ip=$2 sf=$3
	shift 3
	sipp_run "$name" --bg "$PROXY:5060" -sf "$SCEN/$sf" -i "$ip" -p 5060 -mi "$ip" -mp 6000 \
		-key user "$name" -timeout 60s "$@"
	wait_bound udp "$ip:5060"
	kill -0 "$LAST_PID" 2>/dev/null || { cat "$WORK/$SCN/$name.log" >&2; die "$SCN: sipp $name exited at once"; }
}

# uac SCENARIO [SIPP-ARGS...]: alice (SIPp UAC) through the proxy, in the
# foreground; -s bob unless given
uac() {
	local sf=$1
	shift
	sipp_run alice "$PROXY:5060" -sf "$SCEN/$sf" -i "$ALICE" -p 5060 -mi "$ALICE" -mp 6000 \
		-s bob -timeout 60s "$@"
}
