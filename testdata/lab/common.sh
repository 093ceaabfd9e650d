# shellcheck shell=bash
# Generic helpers shared by the lab scripts (lib.sh, auth/lib-auth.sh):
# logging, tool checks, waiting for a port. $LAB_TAG names the lab in logs.

# _without X ARGS...: print ARGS minus X, one per line (array element removal)
_without() {
	local x=$1 e
	shift
	for e in "$@"; do [[ $e == "$x" || -z $e ]] || printf '%s\n' "$e"; done
}

log() { printf '%s [%s] %s\n' "$(date +%T)" "${LAB_TAG:-lab}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_tools() {
	local t missing=()
	for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
	((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (apt-get install -y kamailio kamailio-websocket-modules kamailio-tls-modules sip-tester tcpdump tshark python3 iproute2)"
}

# port_busy PROTO PORT: true if something listens on it (in the current netns)
port_busy() {
	[[ -n $(ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null) ]]
}

# wait_listen PROTO PORT [NETNS]: wait (max 5 s) until PORT is bound
wait_listen() {
	local proto=$1 port=$2 ns=${3:-} i
	for ((i = 0; i < 100; i++)); do
		if [[ -n $ns ]]; then
			[[ -n $(ip netns exec "$ns" ss -Hln"${proto:0:1}" "sport = :$port") ]] && return 0
		else
			port_busy "$proto" "$port" && return 0
		fi
		sleep 0.05
	done
	die "nothing listening on $proto port $port${ns:+ in netns $ns}"
}

