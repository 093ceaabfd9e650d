# shellcheck shell=bash
# Helpers for regen.sh; the namespace, process, Kamailio, tcpdump and
# SIPp helpers are ../netns.sh, shared with the failure lab. Every
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
NS_PREFIX=sipdbg-ev

# shellcheck source-path=SCRIPTDIR source=../netns.sh
source "$EVERYDAY/../netns.sh"

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
