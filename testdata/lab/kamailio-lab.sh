#!/usr/bin/env bash
# Start/stop the lab Kamailio (kamailio-auth.cfg) for manual experiments.
#
#   testdata/lab/kamailio-lab.sh start [RUNDIR]   # default RUNDIR=/tmp/sipdbg-kamailio
#   testdata/lab/kamailio-lab.sh stop  [RUNDIR]
#
# Env: SIP_PORT (5090), WS_PORT (8090), HEP_PORT (9060), WITH_HEP=1 to mirror
# all SIP to 127.0.0.1:$HEP_PORT as HEPv3 (bind a sink there, e.g.
# python3 testdata/lab/py/hep_sink.py 127.0.0.1 9060).
# Logs go to RUNDIR/kamailio.log; the process is stopped via RUNDIR/kamailio.pid.
set -euo pipefail
LAB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:-}
RUN=${2:-/tmp/sipdbg-kamailio}
SIP_PORT=${SIP_PORT:-5090}
WS_PORT=${WS_PORT:-8090}
HEP_PORT=${HEP_PORT:-9060}
pidfile=$RUN/kamailio.pid

case $cmd in
start)
	mkdir -p "$RUN"
	if [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		echo "already running (pid $(cat "$pidfile"))" >&2
		exit 1
	fi
	defs=(-A "SIP_PORT=$SIP_PORT" -A "WS_PORT=$WS_PORT" -A "HEP_URI=\"sip:127.0.0.1:$HEP_PORT\"")
	[[ ${WITH_HEP:-0} == 1 ]] && defs+=(-A WITH_HEP)
	kamailio -c -f "$LAB/kamailio-auth.cfg" "${defs[@]}" >"$RUN/kamailio-check.log" 2>&1 ||
		{ cat "$RUN/kamailio-check.log" >&2; exit 1; }
	setsid kamailio -DD -E -f "$LAB/kamailio-auth.cfg" "${defs[@]}" -P "$pidfile" \
		-Y "$RUN" -w "$RUN" -m 64 -M 8 </dev/null >"$RUN/kamailio.log" 2>&1 &
	for ((i = 0; i < 100; i++)); do
		[[ -n $(ss -Hlnu "sport = :$SIP_PORT") && -n $(ss -Hlnt "sport = :$WS_PORT") ]] && break
		sleep 0.05
	done
	[[ -s $pidfile ]] || { tail "$RUN/kamailio.log" >&2; exit 1; }
	echo "kamailio pid $(cat "$pidfile"): udp+tcp 127.0.0.1:$SIP_PORT, ws 127.0.0.1:$WS_PORT; log $RUN/kamailio.log"
	;;
stop)
	[[ -s $pidfile ]] || { echo "not running ($pidfile missing)" >&2; exit 0; }
	pid=$(cat "$pidfile")
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	rm -f "$pidfile"
	echo "stopped kamailio pid $pid"
	;;
*)
	echo "usage: $0 start|stop [RUNDIR]" >&2
	exit 2
	;;
esac
