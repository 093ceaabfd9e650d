# shellcheck shell=bash
# Helpers for the sipdbg lab scripts: start/stop tcpdump, Kamailio, the HEP
# sink, SIPp, and network namespaces. Source it; it expects $WORK (a scratch
# directory) and installs an EXIT trap that stops everything it started.

LAB=${LAB:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck disable=SC2034 # used by the scripts that source this file
PY=$LAB/py
# shellcheck disable=SC2034
SCEN=$LAB/scenarios

CAPTURE_PIDS=()    # tcpdump processes still running
BG_PIDS=()         # other background helpers (sink, sipp uas)
NETNS_CREATED=()   # namespaces to delete on exit
KAM_PIDFILE=""

# shellcheck source-path=SCRIPTDIR source=common.sh
source "$LAB/common.sh"

# capture_start NAME IFACE FILTER [NETNS]: tcpdump into $WORK/NAME.pcap.
# --immediate-mode -U: otherwise the last packets before SIGINT get lost.
capture_start() {
	local name=$1 iface=$2 filter=$3 ns=${4:-} i
	local -a pre=()
	[[ -n $ns ]] && pre=(ip netns exec "$ns")
	"${pre[@]}" tcpdump -i "$iface" --immediate-mode -U -s 0 \
		-w "$WORK/$name.pcap" ${filter:+"$filter"} 2>"$WORK/$name.tcpdump.log" &
	CAPTURE_PIDS+=($!)
	eval "CAP_PID_${name//[^a-zA-Z0-9]/_}=$!"
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/$name.tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$WORK/$name.tcpdump.log" >&2
	die "tcpdump for $name did not start"
}

# capture_wait NAME COUNT: wait (at most 10 s) until the running capture
# NAME holds COUNT packets (tcpdump -U writes each as it comes): a sender
# that lags under load (Kamailio's siptrace) is waited for, not a sleep.
capture_wait() {
	local name=$1 want=$2 have=0 i
	for ((i = 0; i < 200; i++)); do
		have=$(tcpdump -r "$WORK/$name.pcap" 2>/dev/null | wc -l)
		((have >= want)) && return 0
		sleep 0.05
	done
	log "$name: $have packets of $want after 10 s"
}

# capture_stop NAME: SIGINT, wait, move the file to $STAGE (published to
# $FIXTURES_DIR only when every fixture exists and passed verification)
capture_stop() {
	local name=$1 var pid
	var="CAP_PID_${name//[^a-zA-Z0-9]/_}"
	pid=${!var}
	sleep 0.3 # let the last packets reach the ring buffer
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	mapfile -t CAPTURE_PIDS < <(_without "$pid" "${CAPTURE_PIDS[@]}")
	log "$name: $(grep -E 'packets captured' "$WORK/$name.tcpdump.log")"
	mv "$WORK/$name.pcap" "$STAGE/$name.pcap"
}

# kamailio_start [extra -A defines...]
kamailio_start() {
	local -a defs=(-A "SIP_PORT=$SIP_PORT" -A "WS_PORT=$WS_PORT" -A "HEP_URI=\"sip:127.0.0.1:$HEP_PORT\"")
	local d
	for d in "$@"; do defs+=(-A "$d"); done
	KAM_PIDFILE=$WORK/kamailio.pid
	kamailio -c -f "$LAB/kamailio-auth.cfg" "${defs[@]}" >"$WORK/kamailio-check.log" 2>&1 ||
		{ cat "$WORK/kamailio-check.log" >&2; die "kamailio config check failed"; }
	# -DD: do not daemonize the creator (its stderr stays ours), still forks workers
	kamailio -DD -E -f "$LAB/kamailio-auth.cfg" "${defs[@]}" \
		-P "$KAM_PIDFILE" -Y "$WORK" -w "$WORK" -m 64 -M 8 >"$WORK/kamailio.log" 2>&1 &
	wait_listen udp "$SIP_PORT"
	wait_listen tcp "$SIP_PORT"
	wait_listen tcp "$WS_PORT"
	log "kamailio running (pid $(cat "$KAM_PIDFILE"))"
}

kamailio_stop() {
	[[ -n $KAM_PIDFILE && -s $KAM_PIDFILE ]] || return 0
	local pid i
	pid=$(cat "$KAM_PIDFILE")
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	wait "$pid" 2>/dev/null || true
	rm -f "$KAM_PIDFILE"
	KAM_PIDFILE=""
}

# bg_start LOGNAME CMD...: run a helper in the background, remember its pid
bg_start() {
	local name=$1
	shift
	"$@" >"$WORK/$name.log" 2>&1 &
	BG_PIDS+=($!)
	# shellcheck disable=SC2034 # read by the caller
	LAST_BG_PID=$!
}

# bg_wait PID NAME: wait for a background helper, fail if it failed
bg_wait() {
	local pid=$1 name=$2 rc=0
	wait "$pid" || rc=$?
	mapfile -t BG_PIDS < <(_without "$pid" "${BG_PIDS[@]}")
	((rc == 0)) || { tail -n 30 "$WORK/$name.log" >&2; die "$name exited with $rc"; }
}

bg_stop() {
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	mapfile -t BG_PIDS < <(_without "$pid" "${BG_PIDS[@]}")
}

# run_sipp LOGNAME [NETNS] -- SIPP-ARGS...: one SIPp run in the foreground
run_sipp() {
	local name=$1 ns=$2 rc=0
	shift 3
	local -a pre=()
	[[ -n $ns ]] && pre=(ip netns exec "$ns")
	(cd "$WORK" && "${pre[@]}" sipp "$@" -nostdin -timeout 10s -m 1) >"$WORK/$name.log" 2>&1 || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$name.log" >&2; die "sipp $name exited with $rc"; }
}

# netns_create NAME MTU: fresh namespace whose lo has the given MTU
netns_create() {
	local ns=$1 mtu=$2
	ip netns del "$ns" 2>/dev/null || true
	ip netns add "$ns"
	NETNS_CREATED+=("$ns")
	ip -n "$ns" link set lo mtu "$mtu" up
}

netns_delete() {
	ip netns del "$1" 2>/dev/null || true
	mapfile -t NETNS_CREATED < <(_without "$1" "${NETNS_CREATED[@]}")
}

lab_cleanup() {
	local pid ns
	for pid in "${CAPTURE_PIDS[@]}"; do
		[[ -n $pid ]] && { kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
	done
	for pid in "${BG_PIDS[@]}"; do
		[[ -n $pid ]] && { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
	done
	kamailio_stop
	for ns in "${NETNS_CREATED[@]}"; do
		if [[ -n $ns ]]; then ip netns del "$ns" 2>/dev/null || true; fi
	done
	if [[ ${KEEP_WORK:-0} == 1 ]]; then
		log "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
