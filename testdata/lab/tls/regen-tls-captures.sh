#!/usr/bin/env bash
# Regenerate the SIP-over-TLS captures in testdata/captures/tls/ (issue 20:
# decryption with an NSS key log, SSLKEYLOGFILE format) with real stacks:
# Kamailio 5.6 + tls module (kamailio-tls.cfg, a self-signed lab certificate
# made here with openssl req), a Go crypto/tls client (client/, key log from
# tls.Config.KeyLogWriter), OpenSSL's s_client (-keylogfile, its 'k'/'K'
# commands send a TLS 1.3 KeyUpdate; driven by sclient.py), JsSIP under node
# over WSS (node --tls-keylog) and a SIPp UAS on UDP behind the proxy.
# The CLIENT writes every key log; Kamailio writes none.
#
# Every scenario runs in a network namespace of its own (only lo up, all
# addresses in 127.0.0.0/8); tcpdump records it on that lo. Each capture
# NAME.pcap comes with NAME.keys (the key log). verify-tls-captures.py
# --write then derives expected.json from tshark (decrypting with the key
# log) and the result is copied into $FIXTURES_DIR only when every scenario
# worked.
#
# Run as root. Idempotent; everything it started is stopped on exit (also on
# error / Ctrl-C) and its namespaces are deleted. The certificate and its
# private key live in the scratch directory only (never committed).
#
#   testdata/lab/tls/regen-tls-captures.sh              # all (~30 s)
#   testdata/lab/tls/regen-tls-captures.sh NAME...      # some, into $WORK only (trial run, KEEP_WORK=1)
#   KEEP_WORK=1 testdata/lab/tls/regen-tls-captures.sh  # keep logs in /tmp/sipdbg-tls-lab.*
#   FIXTURES_DIR=/tmp/x testdata/lab/tls/regen-tls-captures.sh
#
# Addresses: 127.0.0.1 Kamailio (tls 5061, wss 8443, udp 5060), 127.0.0.10
# the client side (the clients bind nothing; the kernel picks 127.0.0.1 as
# source, so clients are 127.0.0.1:ephemeral), 127.0.0.20:5060 bob (SIPp UAS).
# Namespaces: sipdbg-tls-<scenario>.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
FIXTURES_DIR=${FIXTURES_DIR:-$ROOT/testdata/captures/tls}
CFG=$HERE/kamailio-tls.cfg
JSDIR=$ROOT/testdata/lab/clients/tools/jssip
LAB_TAG=tls-lab
# shellcheck source-path=SCRIPTDIR source=../common.sh
source "$HERE/../common.sh"

[[ $(id -u) == 0 ]] || die "run as root (ip netns, tcpdump)"
need_tools kamailio sipp openssl go node tcpdump tshark python3 ss ip
[[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so ]] ||
	die "Kamailio's tls module is missing: apt-get install -y kamailio-tls-modules"

PROXY=127.0.0.1
BOB=127.0.0.20
FILTER='tcp port 5061 or tcp port 8443 or udp port 5060'
ALL=(tls12-gcm tls12-chacha tls12-cbc tls13 tls13-keyupdate wss no-key probe)

WORK=$(mktemp -d /tmp/sipdbg-tls-lab.XXXXXX)
STAGE=$WORK/captures
mkdir -p "$STAGE"
NS=""
SCN=""
CAP_PID=""
PIDS=()

nsx() { ip netns exec "$NS" "$@"; }

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

# scn_end: stop tcpdump and this scenario's processes (by pid), delete the namespace
scn_end() {
	local pid i
	if [[ -n $CAP_PID ]]; then kill -INT "$CAP_PID" 2>/dev/null || true; wait "$CAP_PID" 2>/dev/null || true; CAP_PID=""; fi
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

cleanup() {
	set +e
	scn_end
	if [[ ${KEEP_WORK:-0} == 1 ]]; then
		log "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
START=$EPOCHREALTIME

scn_begin() {
	SCN=$1
	NS=sipdbg-tls-$1
	PIDS=()
	ns_kill "$NS"
	ip netns add "$NS"
	ip -n "$NS" link set lo up
	mkdir -p "$WORK/$SCN"
	: >"$WORK/$SCN/$SCN.keys"
	log "$SCN: namespace $NS"
}

wait_bound() { # PROTO ADDR:PORT
	local proto=$1 addr=$2 i
	for ((i = 0; i < 100; i++)); do
		[[ -n $(nsx ss -Hln"${proto:0:1}" "src $addr") ]] && return 0
		sleep 0.05
	done
	die "$SCN: nothing bound on $proto $addr in $NS"
}

bg() { # NAME CMD...: background process in the namespace, log $WORK/SCN/NAME.log
	local name=$1
	shift
	ip netns exec "$NS" "$@" >"$WORK/$SCN/$name.log" 2>&1 &
	PIDS+=($!)
	LAST_PID=$!
}

bg_wait() { # PID NAME
	local pid=$1 name=$2 rc=0
	wait "$pid" || rc=$?
	mapfile -t PIDS < <(_without "$pid" "${PIDS[@]}")
	((rc == 0)) || { tail -n 30 "$WORK/$SCN/$name.log" >&2; die "$SCN: $name exited with $rc"; }
}

fg() { # NAME CMD...: foreground in the namespace; fails the scenario if it fails
	local name=$1 rc=0
	shift
	ip netns exec "$NS" "$@" >"$WORK/$SCN/$name.log" 2>&1 || rc=$?
	((rc == 0)) || { tail -n 40 "$WORK/$SCN/$name.log" >&2; die "$SCN: $name exited with $rc"; }
}

kam() { # [OPENSSL_CONF]
	local conf=${1:-}
	local -a defs=(-A "TLS_CERT=\"$PKI/cert.pem\"" -A "TLS_KEY=\"$PKI/key.pem\"")
	kamailio -c -f "$CFG" "${defs[@]}" >"$WORK/$SCN/kamailio-check.log" 2>&1 ||
		{ cat "$WORK/$SCN/kamailio-check.log" >&2; die "$SCN: kamailio config check failed"; }
	bg kamailio env ${conf:+OPENSSL_CONF="$conf"} kamailio -DD -E -f "$CFG" "${defs[@]}" -P "$WORK/$SCN/kamailio.pid" \
		-Y "$WORK/$SCN" -w "$WORK/$SCN" -m 32 -M 8
	wait_bound tcp "$PROXY:5061"
	wait_bound tcp "$PROXY:8443"
	wait_bound udp "$PROXY:5060"
}

uas() { # bob: SIPp UAS (uas.xml, echoes Record-Route) on udp 127.0.0.20:5060, one call
	(cd "$WORK/$SCN" && exec ip netns exec "$NS" sipp "$PROXY:5060" -sf "$HERE/uas.xml" -i "$BOB" -p 5060 -mp 16200 \
		-cp 8020 -key user bob -d 0 -nostdin -m 1 -timeout 20s) >"$WORK/$SCN/bob.log" 2>&1 &
	PIDS+=($!)
	UAS_PID=$!
	wait_bound udp "$BOB:5060"
}

cap_start() {
	local i
	ip netns exec "$NS" tcpdump -i lo -n --immediate-mode -U -s 0 -w "$WORK/$SCN/$SCN.pcap" "$FILTER" \
		2>"$WORK/$SCN/tcpdump.log" &
	CAP_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "listening on" "$WORK/$SCN/tcpdump.log" 2>/dev/null && return 0
		sleep 0.05
	done
	cat "$WORK/$SCN/tcpdump.log" >&2
	die "$SCN: tcpdump did not start"
}

cap_stop() {
	sleep 0.3
	kill -INT "$CAP_PID" 2>/dev/null || true
	wait "$CAP_PID" 2>/dev/null || true
	CAP_PID=""
	log "$SCN: $(grep -E 'packets captured' "$WORK/$SCN/tcpdump.log")"
	mv "$WORK/$SCN/$SCN.pcap" "$STAGE/$SCN.pcap"
	cp "$WORK/$SCN/$SCN.keys" "$STAGE/$SCN.keys"
}

client() { # NAME ARGS...: the Go crypto/tls client (key log: $WORK/SCN/SCN.keys unless -keylog is given)
	local name=$1
	shift
	fg "$name" "$WORK/tls-client" -addr "$PROXY:5061" -ca "$PKI/cert.pem" -keylog "$WORK/$SCN/$SCN.keys" "$@"
}

############################################################################
# scenarios
############################################################################

# tls12-gcm: Go, TLS 1.2 ECDHE-RSA-AES128-GCM-SHA256: REGISTER 401 -> 200
scn_tls12_gcm() {
	scn_begin tls12-gcm
	kam
	cap_start
	client alice -version 1.2 -suite gcm -scenario register
	cap_stop
	scn_end
}

# tls12-chacha: Go, TLS 1.2 ECDHE-RSA-CHACHA20-POLY1305: INVITE 407 ACK,
# INVITE with Proxy-Authorization -> bob (SIPp UAS over UDP) 100/180/200,
# ACK, BYE, 200
scn_tls12_chacha() {
	scn_begin tls12-chacha
	kam
	uas
	cap_start
	client alice -version 1.2 -suite chacha -scenario invite
	bg_wait "$UAS_PID" bob
	cap_stop
	scn_end
}

# tls12-cbc: Go, TLS 1.2 ECDHE-RSA-AES128-SHA (CBC, HMAC-SHA1): REGISTER 401 -> 200
scn_tls12_cbc() {
	scn_begin tls12-cbc
	kam
	cap_start
	client alice -version 1.2 -suite cbc -scenario register
	cap_stop
	scn_end
}

# tls13: Go, TLS 1.3 TLS_AES_128_GCM_SHA256 (Kamailio limited to it by
# openssl-tls13-aes128.cnf): REGISTER 401; the authorised REGISTER
# and an OPTIONS in one record (200, 200); an OPTIONS in two records (200)
scn_tls13() {
	scn_begin tls13
	kam "$HERE/openssl-tls13-aes128.cnf"
	cap_start
	client alice -version 1.3 -scenario records
	cap_stop
	scn_end
}

# tls13-keyupdate: openssl s_client -tls1_3 -keylogfile, driven by
# sclient.py: OPTIONS 200; INVITE 407 ACK; 'k' (KeyUpdate, update not
# requested); INVITE with Proxy-Authorization -> bob 100/180/200; ACK;
# 'K' (KeyUpdate, update requested: Kamailio's OpenSSL answers with its
# own); BYE 200
scn_tls13_keyupdate() {
	scn_begin tls13-keyupdate
	kam
	uas
	cap_start
	fg alice python3 "$HERE/sclient.py" --connect "$PROXY:5061" --ca "$PKI/cert.pem" \
		--keylog "$WORK/$SCN/$SCN.keys"
	bg_wait "$UAS_PID" bob
	cap_stop
	scn_end
}

# wss: JsSIP (node) over secure WebSocket to Kamailio's tls:8443 listener,
# key log from node --tls-keylog: INVITE 407 ACK, INVITE with
# Proxy-Authorization -> bob 200, ACK, BYE after 1 s, 200
scn_wss() {
	scn_begin wss
	kam
	uas
	cap_start
	fg alice env NODE_EXTRA_CA_CERTS="$PKI/cert.pem" node --tls-keylog="$WORK/$SCN/$SCN.keys" \
		"$JSDIR/client.js" invite "wss://127.0.0.1:8443" alice alicepw sip:bob@sipdbg.test
	bg_wait "$UAS_PID" bob
	cap_stop
	scn_end
}

# no-key: a TLS 1.3 session whose client random is NOT in the key log: the
# key log holds the secrets of an earlier session (an OPTIONS, not captured);
# the captured REGISTER 401/200 session's secrets are thrown away
scn_no_key() {
	scn_begin no-key
	kam
	client other -version 1.3 -scenario options
	cap_start
	fg alice "$WORK/tls-client" -addr "$PROXY:5061" -ca "$PKI/cert.pem" -keylog "$WORK/$SCN/discarded.keys" \
		-version 1.3 -scenario register
	cap_stop
	scn_end
}

# probe: sipdbg's own probe over TLS, its secrets written by --keylog:
# REGISTER -> 401 -> REGISTER with Authorization -> 200
scn_probe() {
	scn_begin probe
	kam
	cap_start
	fg alice env SIP_PW=alicepw "$WORK/sipdbg" probe register sip:alice@sipdbg.test --server "$PROXY:5061" \
		--transport tls --ca "$PKI/cert.pem" --user alice --password-env SIP_PW --keylog "$WORK/$SCN/$SCN.keys"
	cap_stop
	scn_end
}

############################################################################

PKI=$WORK/pki
mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/key.pem" -out "$PKI/cert.pem" -days 30 \
	-subj "/CN=sipdbg.test" -addext "subjectAltName=DNS:sipdbg.test,IP:127.0.0.1" >"$WORK/openssl-req.log" 2>&1 ||
	{ cat "$WORK/openssl-req.log" >&2; die "openssl req failed"; }
log "lab certificate (RSA 2048, self-signed, scratch only): $(openssl x509 -in "$PKI/cert.pem" -noout -fingerprint -sha256)"
(cd "$ROOT" && go build -o "$WORK/tls-client" ./testdata/lab/tls/client) || die "go build of the TLS client failed"
(cd "$ROOT" && go build -o "$WORK/sipdbg" ./cmd/sipdbg) || die "go build of sipdbg (the probe) failed"

want=("$@")
((${#want[@]})) || want=("${ALL[@]}")
for s in "${want[@]}"; do
	if [[ " ${ALL[*]} " != *" $s "* ]]; then die "unknown scenario $s (${ALL[*]})"; fi
	if [[ $s == wss && ( ! -d $JSDIR/node_modules/jssip || ! -d $JSDIR/node_modules/ws ) ]]; then
		log "npm ci in $JSDIR"
		(cd "$JSDIR" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) || { cat "$WORK/npm.log" >&2; die "npm ci failed"; }
	fi
	"scn_${s//-/_}"
done

python3 "$HERE/verify-tls-captures.py" --write "$STAGE" "${want[@]}"
if (($#)); then
	KEEP_WORK=1
	log "trial run: captures in $STAGE (not copied)"
else
	mkdir -p "$FIXTURES_DIR"
	cp "$STAGE"/*.pcap "$STAGE"/*.keys "$STAGE/expected.json" "$FIXTURES_DIR/"
	log "captures and expected.json written to $FIXTURES_DIR"
fi
log "done in $(printf '%.1f' "$(bc <<<"$EPOCHREALTIME - $START")") s"
