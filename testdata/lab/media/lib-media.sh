# shellcheck shell=bash
# Helpers for regen-media-captures.sh (adapted from
# ../failures/lib-failures.sh). Every scenario runs in a network namespace
# of its own (sipdbg-ml-NAME, only lo up, so nothing but 127.0.0.0/8 is
# routable), with its own Kamailio / baresip / SIPp / tcpdump:
#
#   127.0.0.1   proxy   Kamailio (kamailio-media.cfg), udp 5060
#   127.0.0.10  alice   the caller (baresip: RTP 16000-16099; SIPp: -mp 6000)
#   127.0.0.20  bob     the callee (baresip: RTP 16100-16199; SIPp: -mp 6100)
#
# Source it after setting $WORK (scratch directory) and $STAGE (where
# finished captures go). A scenario runs in a subshell: its processes are
# its children; scn_end (or, on error, the caller's cleanup) stops them by
# pid and deletes the namespace, whose name is also written to
# $WORK/netns.list so that the main script's EXIT trap can stop what a
# dying subshell left.

MEDIA=${MEDIA:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck disable=SC2034 # used by the script that sources this file
SCEN=$MEDIA/scenarios
CFG=$MEDIA/kamailio-media.cfg
LAB_TAG=${LAB_TAG:-media-lab}
# shellcheck source-path=SCRIPTDIR source=../common.sh
source "$MEDIA/../common.sh"

PROXY=127.0.0.1
ALICE=127.0.0.10
BOB=127.0.0.20
ALICE_RTP=16000-16099
BOB_RTP=16100-16199

NS=""
SCN=""
CAP_PID=""
PIDS=()

nsx() { ip netns exec "$NS" "$@"; }

# scn_begin NAME: fresh namespace sipdbg-ml-NAME with lo up
scn_begin() {
	SCN=$1
	NS=sipdbg-ml-$1
	PIDS=()
	ip netns del "$NS" 2>/dev/null || true
	ip netns add "$NS"
	echo "$NS" >>"$WORK/netns.list"
	ip -n "$NS" link set lo up
	# baresip binds its RTP/RTCP sockets to 0.0.0.0: the kernel gives an
	# unbound socket the prefsrc of the route to the destination, which for
	# all of 127.0.0.0/8 is 127.0.0.1 (the proxy's address). One /32 local
	# route per UA, with the other UA as prefsrc, makes RTP to bob leave
	# from alice's address and RTP to alice from bob's, as between two
	# hosts. Sockets bound to an address (Kamailio, SIP of every UA, SIPp
	# media) are not affected.
	ip -n "$NS" route add local "$BOB/32" dev lo src "$ALICE" table local
	ip -n "$NS" route add local "$ALICE/32" dev lo src "$BOB" table local
	mkdir -p "$WORK/$SCN"
	log "$SCN: namespace $NS"
}

# scn_end: stop this scenario's processes (by pid), delete the namespace
scn_end() {
	local pid i
	[[ -n $CAP_PID ]] && { kill -INT "$CAP_PID" 2>/dev/null || true; wait "$CAP_PID" 2>/dev/null || true; CAP_PID=""; }
	for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; done
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
	for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -CONT "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null || true; done
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

# kam [DEFINE...]: Kamailio (kamailio-media.cfg) in the namespace on udp 127.0.0.1:5060
kam() {
	local d
	local -a defs=(-A "LAB_IP=$PROXY")
	for d in "$@"; do defs+=(-A "$d"); done
	kamailio -c -f "$CFG" "${defs[@]}" >"$WORK/$SCN/proxy-check.log" 2>&1 ||
		{ cat "$WORK/$SCN/proxy-check.log" >&2; die "$SCN: kamailio config check failed"; }
	bg proxy kamailio -DD -E -f "$CFG" "${defs[@]}" -P "$WORK/$SCN/proxy.pid" \
		-Y "$WORK/$SCN" -w "$WORK/$SCN" -m 32 -M 8
	wait_bound udp "$PROXY:5060"
}

# nft_rules RULES: an nftables table "lab" in the namespace with an output
# chain holding RULES (one a line). Output hook: a dropped packet never
# reaches lo, so tcpdump does not see it (it is lost before the wire).
nft_rules() {
	nsx nft -f - <<-EOF
		table inet lab {
			chain out {
				type filter hook output priority 0;
				$1
			}
		}
	EOF
}

# nft_save: the ruleset with its counters into $WORK/SCN/nft.txt
nft_save() { nsx nft list ruleset >"$WORK/$SCN/nft.txt" 2>&1 || true; }

# cap_start [FILTER]: tcpdump on lo of the namespace into $WORK/SCN/SCN.pcap
cap_start() {
	local filter=${1-udp} i
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
	sleep 0.3
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
		LAST_PID=$!
		return 0
	fi
	(cd "$WORK/$SCN" && exec ip netns exec "$NS" sipp "$@" -nostdin -m 1) >"$WORK/$SCN/$name.log" 2>&1 || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$SCN/$name.log" >&2; die "$SCN: sipp $name exited with $rc"; }
}

# baresip_start NAME IP RTP-RANGE SECONDS HZ ACCOUNT-LINE [EXTRA-CONFIG-LINE...] [-- baresip args]:
# baresip 1.0 on udp IP:5060, RTP from RTP-RANGE, a HZ tone as microphone;
# config in $WORK/SCN/NAME/; stops by itself after SECONDS (-t), hanging up
# (BYE) if a call is up. BARESIP_AS, when set, is a command that runs
# baresip as another user (setpriv …)
baresip_start() {
	local name=$1 ip=$2 rtp=$3 secs=$4 hz=$5 acct=$6 dir
	shift 6
	dir=$WORK/$SCN/$name
	mkdir -p "$dir"
	{
		sed -e "s/@IP@/$ip/g" -e "s#@DIR@#$dir#g" -e "s/@RTP@/$rtp/g" "$MEDIA/baresip/config"
		while (($#)) && [[ $1 != -- ]]; do printf '%s\n' "$1"; shift; done
	} >"$dir/config"
	[[ ${1:-} == -- ]] && shift
	printf '%s\n' "$acct" >"$dir/accounts"
	python3 "$MEDIA/py/tone.py" "$dir/tone.wav" 30 "$hz"
	HOME=$dir ip netns exec "$NS" ${BARESIP_AS:-} baresip -f "$dir" -t "$secs" "$@" </dev/null >"$WORK/$SCN/$name.log" 2>&1 &
	PIDS+=($!)
	LAST_PID=$!
	wait_bound udp "$ip:5060"
}
