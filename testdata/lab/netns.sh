# shellcheck shell=bash
# Scenario helpers shared by the labs that run each scenario in a network
# namespace of its own (failures/lib-failures.sh, everyday/lib-everyday.sh):
# the namespace (only lo up, so nothing but 127.0.0.0/8 and ::1 is
# routable), background processes stopped by pid, Kamailio, tcpdump and
# SIPp in it.
#
# The sourcing library sets $NS_PREFIX (the namespaces are NS_PREFIX-NAME),
# $CFG (Kamailio's configuration) and $SIP_FILTER (tcpdump's default
# filter), and sources ../common.sh first; the regeneration script sets
# $WORK (scratch directory) and $STAGE (where finished captures go). A
# scenario runs in a subshell: its processes are its children; scn_end (or,
# on error, the caller's cleanup) stops them by pid and deletes the
# namespace, whose name is also written to $WORK/netns.list so that the
# main script's EXIT trap can stop what a dying subshell left.

# per-scenario state (each scenario runs in its own subshell)
NS=""
SCN=""
CAP_PID=""
# shellcheck disable=SC2034 # read by the sourcing libraries and scripts
LAST_PID="" # the last process started in the background (bg, sipp_run --bg, …)
PIDS=() # every background process of this scenario, stopped by scn_end

nsx() { ip netns exec "$NS" "$@"; }

# scn_begin NAME [MTU]: fresh namespace $NS_PREFIX-NAME with lo up
scn_begin() {
	SCN=$1
	NS=$NS_PREFIX-$1
	PIDS=()
	ip netns del "$NS" 2>/dev/null || true
	ip netns add "$NS"
	echo "$NS" >>"$WORK/netns.list"
	if [[ -n ${2:-} ]]; then
		ip -n "$NS" link set lo mtu "$2" up
	else
		ip -n "$NS" link set lo up
	fi
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

# ns_kill NS: stop whatever still runs in our namespace NS (processes we
# started there and nothing else can be in it), then delete it
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
	((rc == 0)) || { tail -n 30 "$WORK/$SCN/$name.log" >&2; die "$SCN: $name exited with $rc"; }
}

# kam NAME IP [DEFINE...]: Kamailio in the namespace on udp IP:5060
kam() {
	local name=$1 ip=$2 d
	shift 2
	local -a defs=(-A "LAB_IP=$ip")
	for d in "$@"; do defs+=(-A "$d"); done
	kamailio -c -f "$CFG" "${defs[@]}" >"$WORK/$SCN/$name-check.log" 2>&1 ||
		{ cat "$WORK/$SCN/$name-check.log" >&2; die "$SCN: kamailio config check failed ($name)"; }
	# -DD: the creator stays in the foreground (our child), workers fork
	bg "$name" kamailio -DD -E -f "$CFG" "${defs[@]}" -P "$WORK/$SCN/$name.pid" \
		-Y "$WORK/$SCN" -w "$WORK/$SCN" -m 32 -M 8
	wait_bound udp "$ip:5060"
}

# cap_start [FILTER]: tcpdump on lo of the namespace into $WORK/SCN/SCN.pcap
cap_start() {
	local filter=${1-$SIP_FILTER} i
	local -a f=()
	[[ -n $filter ]] && f=("$filter")
	ip netns exec "$NS" tcpdump -i lo -n --immediate-mode -U -s 0 -w "$WORK/$SCN/$SCN.pcap" "${f[@]}" \
		2>"$WORK/$SCN/tcpdump.log" &
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/$SCN/tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$WORK/$SCN/tcpdump.log" >&2
	die "$SCN: tcpdump did not start"
}

# cap_stop [NAME]: stop tcpdump, move the capture to $STAGE/NAME.pcap
cap_stop() {
	local name=${1:-$SCN}
	sleep 0.3 # let the last packets reach the ring buffer
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=""
	log "$name: $(grep -E 'packets captured' "$WORK/$SCN/tcpdump.log")"
	mv "$WORK/$SCN/$SCN.pcap" "$STAGE/$name.pcap"
}

# sipp_run NAME [--bg] SIPP-ARGS...: SIPp in the namespace (cwd $WORK/SCN);
# foreground: fails the scenario if SIPp fails
sipp_run() {
	local name=$1 rc=0
	shift
	if [[ $1 == --bg ]]; then
		shift
		(cd "$WORK/$SCN" && exec ip netns exec "$NS" sipp "$@" -nostdin -m 1) >"$WORK/$SCN/$name.log" 2>&1 &
		PIDS+=($!)
		# shellcheck disable=SC2034 # read by the caller (uas, bg_wait)
		LAST_PID=$!
		return 0
	fi
	(cd "$WORK/$SCN" && exec ip netns exec "$NS" sipp "$@" -nostdin -m 1) >"$WORK/$SCN/$name.log" 2>&1 || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$SCN/$name.log" >&2; die "$SCN: sipp $name exited with $rc"; }
}
