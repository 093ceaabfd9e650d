# shellcheck shell=bash
# Helpers for regen-auth-captures.sh (adapted from ../lib.sh, which drives a
# single Kamailio; here several instances run at once). Source it; it expects
# $WORK (scratch directory) and $STAGE (where finished captures go) and the
# caller installs `trap auth_cleanup EXIT`.

AUTH=${AUTH:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck disable=SC2034 # used by the script that sources this file
PY=$AUTH/py
# shellcheck disable=SC2034
SCEN=$AUTH/scenarios

CAPTURE_PIDS=() # tcpdump processes still running
BG_PIDS=()      # other background helpers (SIPp UAS)
KAM_PIDFILES=() # one pidfile per running Kamailio instance
KAM_CREATOR_PIDS=() # the kamailio -DD main processes (our children)

LAB_TAG=auth-lab
# shellcheck source-path=SCRIPTDIR source=../common.sh
source "$AUTH/../common.sh"

# capture_start NAME FILTER: tcpdump on lo into $WORK/NAME.pcap.
# --immediate-mode -U: otherwise the last packets before SIGINT get lost.
capture_start() {
	local name=$1 filter=$2 i
	tcpdump -i lo --immediate-mode -U -s 0 -w "$WORK/$name.pcap" "$filter" \
		2>"$WORK/$name.tcpdump.log" &
	CAPTURE_PIDS+=($!)
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/$name.tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$WORK/$name.tcpdump.log" >&2
	die "tcpdump for $name did not start"
}

# capture_stop NAME: SIGINT the current tcpdump, wait, move the file to $STAGE
capture_stop() {
	local name=$1 pid=$CAP_PID
	sleep 0.3 # let the last packets reach the ring buffer
	kill -INT "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	mapfile -t CAPTURE_PIDS < <(_without "$pid" "${CAPTURE_PIDS[@]}")
	log "$name: $(grep -E 'packets captured' "$WORK/$name.tcpdump.log")"
	mv "$WORK/$name.pcap" "$STAGE/$name.pcap"
}

# kamailio_start NAME PORT [extra -A defines...]: one instance of
# kamailio-auth-lab.cfg in the background (pidfile $WORK/kam-NAME.pid)
kamailio_start() {
	local name=$1 port=$2 d
	shift 2
	local -a defs=(-A "SIP_PORT=$port" -A "UAS_URI=\"sip:127.0.0.1:$UAS_PORT\""
		-A "CORE_URI=\"sip:127.0.0.1:$CORE_PORT\"")
	for d in "$@"; do defs+=(-A "$d"); done
	kamailio -c -f "$AUTH/kamailio-auth-lab.cfg" "${defs[@]}" >"$WORK/kam-$name-check.log" 2>&1 ||
		{ cat "$WORK/kam-$name-check.log" >&2; die "kamailio config check failed ($name)"; }
	# -DD: do not daemonize the creator (its stderr stays ours), still forks workers
	kamailio -DD -E -f "$AUTH/kamailio-auth-lab.cfg" "${defs[@]}" \
		-P "$WORK/kam-$name.pid" -Y "$WORK" -w "$WORK" -m 32 -M 8 >"$WORK/kam-$name.log" 2>&1 &
	KAM_PIDFILES+=("$WORK/kam-$name.pid")
	KAM_CREATOR_PIDS+=($!)
}

# kamailio_wait NAME PORT: wait until the instance listens and wrote its pidfile
kamailio_wait() {
	local name=$1 port=$2 i
	wait_listen udp "$port"
	for ((i = 0; i < 100; i++)); do
		[[ -s $WORK/kam-$name.pid ]] && break
		sleep 0.05
	done
	log "kamailio $name on udp 127.0.0.1:$port (pid $(cat "$WORK/kam-$name.pid" 2>/dev/null))"
}

kamailio_stop_all() {
	local f pid i
	local -a others=()
	# the pidfiles were written at start; Kamailio deletes its own on exit,
	# so read them once, tolerating a file that is already gone
	for f in "${KAM_PIDFILES[@]}"; do
		pid=$(cat "$f" 2>/dev/null) || pid=""
		[[ -n $pid && " ${KAM_CREATOR_PIDS[*]} " != *" $pid "* ]] && others+=("$pid")
	done
	for pid in "${KAM_CREATOR_PIDS[@]}" "${others[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	# the creators (kamailio -DD: main process = pidfile pid) are our
	# children: wait reaps them; anything else is polled
	for pid in "${KAM_CREATOR_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for pid in "${others[@]}"; do
		for ((i = 0; i < 100; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
	done
	rm -f "${KAM_PIDFILES[@]}"
	KAM_PIDFILES=()
	KAM_CREATOR_PIDS=()
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

# run_sipp LOGNAME SIPP-ARGS...: one SIPp call in the foreground
run_sipp() {
	local name=$1 rc=0
	shift
	(cd "$WORK" && sipp "$@" -nostdin -timeout 10s -m 1) >"$WORK/$name.log" 2>&1 || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$name.log" >&2; die "sipp $name exited with $rc"; }
}

# run_py LOGNAME ARGS...: the scripted client (py/authclient.py) in the foreground
run_py() {
	local name=$1 rc=0
	shift
	python3 "$PY/authclient.py" "$@" >"$WORK/$name.out" 2>"$WORK/$name.log" || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$name.log" >&2; die "authclient $name exited with $rc"; }
	log "$(cat "$WORK/$name.out")"
}

auth_cleanup() {
	local pid
	set +e # best effort: never stop half-way
	for pid in "${CAPTURE_PIDS[@]}"; do
		[[ -n $pid ]] && { kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
	done
	for pid in "${BG_PIDS[@]}"; do
		[[ -n $pid ]] && { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
	done
	kamailio_stop_all
	if [[ ${KEEP_WORK:-0} == 1 ]]; then
		log "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
