# shellcheck shell=bash
# Helpers for regen-failure-captures.sh. Every scenario runs in a network
# namespace of its own (only lo up, so nothing but 127.0.0.0/8 and ::1 is
# routable: a private address in a header or SDP can never be a
# destination), with its own Kamailio / SIPp / baresip / dnsmasq / tcpdump,
# all on port 5060 (53 for DNS) of distinct loopback addresses:
#
#   127.0.0.1   proxy   Kamailio (kamailio-failures.cfg)
#   127.0.0.2   proxy2  second Kamailio (loop scenario)
#   127.0.0.10  alice   the caller / registering UA (SIPp or baresip)
#   127.0.0.20  bob     the callee (SIPp UAS or baresip)
#   127.0.0.53  dns     dnsmasq
#   127.0.0.99  marker  sipsak, sends the OPTIONS that marks a capture's end
#
# Source it after setting $WORK (scratch directory) and $STAGE (where finished
# captures go). A scenario runs in a subshell: its processes are its
# children; scn_end (or, on error, the caller's cleanup) stops them by pid
# and deletes the namespace, whose name is also written to $WORK/netns.list
# so that the main script's EXIT trap can stop what a dying subshell left.

FAIL=${FAIL:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# shellcheck disable=SC2034 # used by the script that sources this file
SCEN=$FAIL/scenarios
CFG=$FAIL/kamailio-failures.cfg
LAB_TAG=${LAB_TAG:-failure-lab}
# shellcheck source-path=SCRIPTDIR source=../common.sh
source "$FAIL/../common.sh"

# shellcheck disable=SC2034 # used by the script that sources this file
{
	PROXY=127.0.0.1
	PROXY2=127.0.0.2
	ALICE=127.0.0.10
	BOB=127.0.0.20
	DNS=127.0.0.53
	MARKER=127.0.0.99
}
SIP_FILTER='udp port 5060'
NS_PREFIX=sipdbg-fl

# shellcheck source-path=SCRIPTDIR source=../netns.sh
source "$FAIL/../netns.sh"

# baresip_start NAME IP SECONDS ACCOUNT-LINE [EXTRA-CONFIG-LINE...] [-- baresip args]:
# baresip 1.0 on udp IP:5060 (net_interface IP: with only lo up baresip
# finds no "local address" unless told which one to use), config written
# to $WORK/SCN/NAME/, stops by itself after SECONDS (-t)
baresip_start() {
	local name=$1 ip=$2 secs=$3 acct=$4 dir
	shift 4
	dir=$WORK/$SCN/$name
	mkdir -p "$dir"
	{
		sed -e "s/@IP@/$ip/g" -e "s#@DIR@#$dir#g" "$FAIL/baresip/config"
		while (($#)) && [[ $1 != -- ]]; do printf '%s\n' "$1"; shift; done
	} >"$dir/config"
	[[ ${1:-} == -- ]] && shift
	printf '%s\n' "$acct" >"$dir/accounts"
	python3 "$FAIL/py/silence.py" "$dir/silence.wav" 60
	HOME=$dir ip netns exec "$NS" baresip -f "$dir" -t "$secs" "$@" </dev/null >"$WORK/$SCN/$name.log" 2>&1 &
	PIDS+=($!)
	# shellcheck disable=SC2034 # read by the caller (uas, bg_wait)
	LAST_PID=$!
	wait_bound udp "$ip:5060"
}

# marker TARGET USER: an OPTIONS from sipsak (127.0.0.99) to USER at TARGET
# (a live element, which answers 200), so that a capture shows how long the
# silence before it lasted
marker() {
	local target=$1 user=$2
	nsx timeout 3 sipsak -s "sip:$user@$target:5060" -k "$MARKER" -l 5060 >"$WORK/$SCN/marker.log" 2>&1 || true
}
