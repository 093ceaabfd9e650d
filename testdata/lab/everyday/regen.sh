#!/usr/bin/env bash
# Regenerate the everyday-flow captures in testdata/captures/everyday/:
# ordinary, successful (or normally ended) SIP exchanges made by real
# stacks, as a guard against false alarms. SIPp 3.6 plays UAC and UAS
# roles with the scenarios in scenarios/, through Kamailio 5.6
# (kamailio-everyday.cfg, a record-routing stateful proxy). Every scenario
# runs in a network namespace of its own (only lo up), tcpdump records it
# on that lo, and verify-everyday-captures.py checks every capture with
# tshark and writes expected.json.
#
# Run as root (ip netns, tcpdump). Idempotent: the captures go to a scratch
# directory first and are copied into $FIXTURES_DIR only when every one of
# them passed its checks. Everything it started is stopped on exit (also on
# error / Ctrl-C), and its namespaces are deleted.
#
#   sudo testdata/lab/everyday/regen.sh             # all (~45 s)
#   sudo testdata/lab/everyday/regen.sh NAME...     # some, into $WORK only (trial run)
#   KEEP_WORK=1 sudo testdata/lab/everyday/regen.sh # keep logs in /tmp/sipdbg-everyday-lab.*
#   FIXTURES_DIR=/tmp/x sudo testdata/lab/everyday/regen.sh
#
# Addresses (all udp port 5060; see lib-everyday.sh): proxy 127.0.0.1,
# alice 127.0.0.10, bob 127.0.0.20, carol 127.0.0.30. Namespaces:
# sipdbg-ev-<scenario>.
set -euo pipefail

EVERYDAY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES_DIR=${FIXTURES_DIR:-$(cd "$EVERYDAY/../.." && pwd)/captures/everyday}

# shellcheck source-path=SCRIPTDIR source=lib-everyday.sh
source "$EVERYDAY/lib-everyday.sh"

[[ $(id -u) == 0 ]] || die "run as root (ip netns, tcpdump)"
need_tools kamailio sipp tcpdump tshark python3 ss ip
WORK=$(mktemp -d /tmp/sipdbg-everyday-lab.XXXXXX)
STAGE=$WORK/captures
mkdir -p "$STAGE"
: >"$WORK/netns.list"
JOBS=() # scenarios running in the background: "pid name"

main_cleanup() {
	local j ns
	set +e
	for j in "${JOBS[@]}"; do kill -TERM "${j%% *}" 2>/dev/null; done
	for j in "${JOBS[@]}"; do wait "${j%% *}" 2>/dev/null; done
	while read -r ns; do [[ -n $ns ]] && ns_kill "$ns"; done <"$WORK/netns.list"
	if [[ ${KEEP_WORK:-0} == 1 ]]; then
		log "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap main_cleanup EXIT
trap 'exit 130' INT TERM
START=$EPOCHREALTIME

############################################################################
# scenarios: each function runs in a subshell (foreground or background);
# on error its EXIT trap stops what it started
############################################################################

# call UAS-SCENARIO UAC-SCENARIO [UAC-ARGS...]: bob (SIPp UAS) waits, alice
# (SIPp UAC) runs through the proxy, then bob must have finished too
call() {
	local uas_sf=$1 uac_sf=$2 bob_pid
	shift 2
	kam proxy "$PROXY"
	uas bob "$BOB" "$uas_sf"
	bob_pid=$LAST_PID
	cap_start
	uac "$uac_sf" "$@"
	bg_wait "$bob_pid" bob
	cap_stop
}

# early-media: 100, 183 Session Progress with SDP, 1.5 s later 200 OK with
# the same SDP; ACK; 1 s of call; BYE/200
scn_early_media() {
	scn_begin early-media
	call uas-early-media.xml uac-call.xml -d 1000
	scn_end
}

# prack-100rel: INVITE with Supported/Require 100rel; 183 with RSeq 1 and
# Require: 100rel; PRACK -> 200; 200 (INVITE) -> ACK; BYE/200
scn_prack_100rel() {
	scn_begin prack-100rel
	call uas-100rel.xml uac-100rel.xml -d 1000
	scn_end
}

# session-refresh: session timers (Session-Expires 90, refresher=uas);
# bob refreshes with a re-INVITE 3 s after the ACK -> 200 -> ACK; alice
# hangs up 1 s later
scn_session_refresh() {
	scn_begin session-refresh
	call uas-refresh.xml uac-refresh.xml -d 1000
	scn_end
}

# redirect: bob answers 302 with Contact sip:carol@127.0.0.30:5060; alice
# ACKs and sends a new INVITE (CSeq 2) there; carol answers; BYE/200
scn_redirect() {
	scn_begin redirect
	local bob_pid carol_pid
	kam proxy "$PROXY"
	uas bob "$BOB" uas-redirect.xml -key target "sip:carol@$CAROL:5060"
	bob_pid=$LAST_PID
	uas carol "$CAROL" uas-answer.xml
	carol_pid=$LAST_PID
	cap_start
	uac uac-redirect.xml -d 1000
	bg_wait "$bob_pid" bob
	bg_wait "$carol_pid" carol
	cap_stop
	scn_end
}

# info-dtmf: a call with four SIP INFO (application/dtmf-relay) digits,
# one a second, each answered 200; BYE/200
scn_info_dtmf() {
	scn_begin info-dtmf
	call uas-answer.xml uac-info-dtmf.xml
	scn_end
}

# message-options: MESSAGE -> 202 Accepted from bob (relayed); then an
# OPTIONS keepalive to the proxy -> 200 from the proxy
scn_message_options() {
	scn_begin message-options
	local bob_pid
	kam proxy "$PROXY"
	uas bob "$BOB" uas-message.xml
	bob_pid=$LAST_PID
	cap_start
	uac uac-message.xml
	bg_wait "$bob_pid" bob
	sleep 0.5
	sipp_run alice-keepalive "$PROXY:5060" -sf "$SCEN/uac-keepalive.xml" -i "$ALICE" -p 5060 -timeout 10s
	cap_stop
	scn_end
}

# subscribe-presence: SUBSCRIBE -> 200 -> NOTIFY (active) -> 200; 2 s;
# un-SUBSCRIBE (Expires 0) -> 200 -> NOTIFY (terminated) -> 200
scn_subscribe_presence() {
	scn_begin subscribe-presence
	call uas-presence.xml uac-subscribe.xml -d 2000
	scn_end
}

# long-call: 40 s call, in-dialog OPTIONS at +10, +20, +30 s (each 200),
# BYE at +40 s
scn_long_call() {
	scn_begin long-call
	call uas-answer.xml uac-long-call.xml
	scn_end
}

############################################################################

ALL=(early-media prack-100rel session-refresh redirect info-dtmf message-options subscribe-presence)
LONG=(long-call) # long scenarios: in the background meanwhile

run_scn() { # NAME: run scenario NAME in a subshell and wait for it (a
	# wait, not a foreground child: INT/TERM then reach the trap at once)
	local name=$1 pid rc=0
	(trap scn_end EXIT; "scn_${name//-/_}") &
	pid=$!
	JOBS+=("$pid $name")
	wait "$pid" || rc=$?
	mapfile -t JOBS < <(_without "$pid $name" "${JOBS[@]}")
	((rc == 0)) || die "scenario $name failed"
}
run_scn_bg() { # NAME: the same in the background (long waits)
	local name=$1
	(trap scn_end EXIT; "scn_${name//-/_}") >"$WORK/$name.run.log" 2>&1 &
	JOBS+=("$! $name")
}
wait_jobs() {
	local j rc fail=0
	for j in "${JOBS[@]}"; do
		rc=0
		wait "${j%% *}" || rc=$?
		cat "$WORK/${j#* }.run.log" >&2
		((rc == 0)) || { log "scenario ${j#* } failed ($rc)"; fail=1; }
	done
	JOBS=()
	((fail == 0)) || die "a background scenario failed"
}

if (($#)); then
	# trial run of some scenarios: captures stay in $WORK (KEEP_WORK=1)
	KEEP_WORK=1
	for s in "$@"; do run_scn "$s"; done
	python3 "$EVERYDAY/verify-everyday-captures.py" "$STAGE" --write --only "$@" || true
	log "trial run done in $(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
	exit 0
fi

for s in "${LONG[@]}"; do run_scn_bg "$s"; done
for s in "${ALL[@]}"; do run_scn "$s"; done
wait_jobs

############################################################################
# verify with tshark, write expected.json, then publish everything at once
############################################################################
for attempt in 1 2 3; do
	log "verifying captures and writing expected.json (attempt $attempt)"
	if python3 "$EVERYDAY/verify-everyday-captures.py" "$STAGE" --write --failed "$WORK/failed.txt"; then
		break
	fi
	((attempt < 3)) || die "captures still failing their checks after 3 attempts: $(tr '\n' ' ' <"$WORK/failed.txt")"
	mapfile -t again <"$WORK/failed.txt"
	((${#again[@]})) || die "verification failed outside any capture"
	log "recording again: ${again[*]}"
	for s in "${again[@]}"; do run_scn "$s"; done
done
mkdir -p "$FIXTURES_DIR"
rm -f "$FIXTURES_DIR"/*.pcap
cp "$STAGE"/*.pcap "$STAGE/expected.json" "$FIXTURES_DIR/"
ls -l "$FIXTURES_DIR" >&2
log "done in $(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
