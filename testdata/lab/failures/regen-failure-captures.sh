#!/usr/bin/env bash
# Regenerate the failure-catalogue captures in testdata/captures/failures/
# with real stacks: Kamailio 5.6 (kamailio-failures.cfg), SIPp 3.6, baresip
# 1.0, sipsak, dnsmasq; nftables drops packets where a scenario needs loss
# or a silent hop. Every scenario runs in a network namespace of its own
# (only lo up), tcpdump records it on that lo, and verify-failure-captures.py
# checks every capture with tshark and writes expected.json.
#
# Run as root (ip netns, tcpdump, nft). Idempotent: the captures go to a
# scratch directory first and are copied into $FIXTURES_DIR only when every
# one of them passed its checks. Everything it started is stopped on exit
# (also on error / Ctrl-C), and its namespaces are deleted.
#
#   testdata/lab/failures/regen-failure-captures.sh             # all (~1.5 min)
#   testdata/lab/failures/regen-failure-captures.sh NAME...     # some, into $WORK only (trial run)
#   KEEP_WORK=1 testdata/lab/failures/regen-failure-captures.sh # keep logs in /tmp/sipdbg-failure-lab.*
#   FIXTURES_DIR=/tmp/x testdata/lab/failures/regen-failure-captures.sh
#
# Addresses (all port 5060; see lib-failures.sh): proxy 127.0.0.1, proxy2
# 127.0.0.2, alice 127.0.0.10, bob 127.0.0.20, dns 127.0.0.53 (port 53),
# marker 127.0.0.99. Namespaces: sipdbg-fl-<scenario>.
set -euo pipefail

FAIL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES_DIR=${FIXTURES_DIR:-$(cd "$FAIL/../.." && pwd)/captures/failures}

# shellcheck source-path=SCRIPTDIR source=lib-failures.sh
source "$FAIL/lib-failures.sh"

[[ $(id -u) == 0 ]] || die "run as root (ip netns, tcpdump, nft)"
need_tools kamailio sipp baresip sipsak dnsmasq nft tcpdump tshark capinfos python3 ss ip
WORK=$(mktemp -d /tmp/sipdbg-failure-lab.XXXXXX)
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

# clean-call: alice (SIPp) -> proxy -> bob (SIPp UAS): INVITE/100/180/200/
# ACK/BYE/200, nothing wrong
scn_clean_call() {
	scn_begin clean-call
	kam proxy "$PROXY"
	sipp_run bob --bg "$PROXY:5060" -sf "$SCEN/uas.xml" -i "$BOB" -p 5060 -mp 16200 -cp 8020 \
		-key user bob -d 0 -timeout 15s
	local uas=$LAST_PID
	wait_bound udp "$BOB:5060"
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-call.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-s bob -key sdp_ip "$ALICE" -d 500 -timeout 15s
	bg_wait "$uas" bob
	cap_stop
	scn_end
}

# ack-2xx-missing: alice (SIPp) never ACKs bob's (baresip) 200; bob
# retransmits it (T1 doubling up to T2) and sends BYE after 64*T1 = 32 s
scn_ack_2xx_missing() {
	scn_begin ack-2xx-missing
	kam proxy "$PROXY"
	baresip_start bob "$BOB" 45 '<sip:bob@lab.test>;regint=0;answermode=auto;audio_codecs=PCMU/8000' \
		'module g711.so'
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-noack.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-s bob -key sdp_ip "$ALICE" -timeout 50s
	cap_stop
	scn_end
}

# transaction-timeout-silent: alice (baresip) calls through her outbound
# proxy, which is black-holed (nftables drops everything to 127.0.0.1:5060:
# no answer, no ICMP): the INVITE is retransmitted (Timer A, T1 = 500 ms
# doubling) until Timer B (64*T1 = 32 s); then the sipsak marker (OPTIONS
# to alice -> 200) shows that the capture ran past Timer B
scn_transaction_timeout_silent() {
	scn_begin transaction-timeout-silent
	nsx nft -f - <<-EOF
		table inet lab {
			chain in {
				type filter hook input priority 0;
				ip daddr $PROXY udp dport 5060 counter drop
			}
		}
	EOF
	cap_start
	baresip_start alice "$ALICE" 36 "<sip:alice@lab.test>;regint=0;outbound=\"sip:$PROXY:5060\";audio_codecs=PCMU/8000" \
		'module g711.so' -- -e "/dial sip:bob@lab.test"
	local ua=$LAST_PID
	nsx sleep 34 # in the namespace: the cleanup kills it with the rest
	marker "$ALICE" alice
	bg_wait "$ua" alice
	cap_stop
	nsx nft list ruleset >"$WORK/$SCN/nft.txt"
	scn_end
}

# alice (SIPp) -> proxy; the INVITE ends in a non-2xx final, ACKed
# rejected_call [SIPP-ARGS...]: SDP PCMU/PCMA unless -key media/attrs follow
rejected_call() {
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-rejected.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-s bob -key sdp_ip "$ALICE" -key maxfwd 70 -timeout 20s "$@"
}

# transaction-timeout-408: the proxy (fr_timer 4 s) relays alice's INVITE
# to bob, whose host is black-holed (nftables drop, no ICMP): Kamailio
# retransmits to bob at T1 doubling, then answers alice 408 at fr_timer
scn_transaction_timeout_408() {
	scn_begin transaction-timeout-408
	nsx nft -f - <<-EOF
		table inet lab {
			chain in {
				type filter hook input priority 0;
				ip daddr $BOB udp dport 5060 counter drop
			}
		}
	EOF
	kam proxy "$PROXY" FR_TIMER=4000
	cap_start
	rejected_call -key media "RTP/AVP 0 8" -key attrs "a=rtpmap:0 PCMU/8000"
	cap_stop
	nsx nft list ruleset >"$WORK/$SCN/nft.txt"
	scn_end
}

# call-rejected-503: the proxy rejects the INVITE itself (REJECT_503):
# 503 with Reason (SIP;cause=503 and Q.850;cause=34), Warning 399, Retry-After
scn_call_rejected_503() {
	scn_begin call-rejected-503
	kam proxy "$PROXY" REJECT_503
	cap_start
	rejected_call -key media "RTP/AVP 0 8" -key attrs "a=rtpmap:0 PCMU/8000"
	cap_stop
	scn_end
}

# call-rejected-480: bob never registered: lookup("location") fails ->
# 480 Temporarily Unavailable with Reason Q.850;cause=20
scn_call_rejected_480() {
	scn_begin call-rejected-480
	kam proxy "$PROXY" REJECT_480
	cap_start
	rejected_call -key media "RTP/AVP 0 8" -key attrs "a=rtpmap:0 PCMU/8000"
	cap_stop
	scn_end
}

# loop-or-hops-483: two proxies, each relaying INVITEs to the other (a
# routing loop); alice sends Max-Forwards 5, every hop decrements it, the
# proxy that receives 0 answers 483 Too Many Hops, relayed back hop by hop
scn_loop_or_hops_483() {
	scn_begin loop-or-hops-483
	kam proxy "$PROXY" "NEXT_HOP=\"sip:$PROXY2:5060\""
	kam proxy2 "$PROXY2" "NEXT_HOP=\"sip:$PROXY:5060\"" 'NAME="proxy2"'
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-rejected.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-s bob -key sdp_ip "$ALICE" -key maxfwd 5 -timeout 20s \
		-key media "RTP/AVP 0 8" -key attrs "a=rtpmap:0 PCMU/8000"
	cap_stop
	scn_end
}

# sdp-no-common-codec: bob (baresip, PCMA only) gets an offer of G722 and
# G729 from alice (SIPp) through the proxy -> 488 Not Acceptable Here
scn_sdp_no_common_codec() {
	scn_begin sdp-no-common-codec
	kam proxy "$PROXY"
	baresip_start bob "$BOB" 8 '<sip:bob@lab.test>;regint=0;answermode=auto;audio_codecs=PCMA/8000' \
		'module g711.so'
	cap_start
	rejected_call -key media "RTP/AVP 9 18" -key attrs "a=rtpmap:9 G722/8000"
	cap_stop
	scn_end
}

# sdp-no-common-codec-savp: bob (baresip, no SRTP configured) gets an
# RTP/SAVP offer (SDES a=crypto) with codecs he has (PCMU/PCMA)
scn_sdp_no_common_codec_savp() {
	scn_begin sdp-no-common-codec-savp
	kam proxy "$PROXY"
	baresip_start bob "$BOB" 8 '<sip:bob@lab.test>;regint=0;answermode=auto;audio_codecs=PCMU/8000,PCMA/8000' \
		'module g711.so'
	cap_start
	rejected_call -key media "RTP/SAVP 0 8" \
		-key attrs "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2lwZGJnIGZhaWx1cmUgbGFiIHNydHAga2V5IDAx"
	cap_stop
	scn_end
}

# a call alice (SIPp) -> proxy -> bob (SIPp UAS)
# sipp_call UAS-ARGS -- UAC-ARGS: bob's extra args (e.g. -d ms before 180), then alice's
sipp_call() {
	local -a uas=() uac=()
	while (($#)) && [[ $1 != -- ]]; do uas+=("$1"); shift; done
	shift
	uac=("$@")
	sipp_run bob --bg "$PROXY:5060" -sf "$SCEN/uas.xml" -i "$BOB" -p 5060 -mp 16200 -cp 8020 \
		-key user bob -timeout 20s "${uas[@]}"
	local bob_pid=$LAST_PID
	wait_bound udp "$BOB:5060"
	sipp_run alice "$PROXY:5060" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 -s bob -timeout 20s "${uac[@]}"
	bg_wait "$bob_pid" bob
}

# udp-too-large: MTU 1500 on lo; alice's INVITE is ~3 KB over UDP: the
# kernel fragments it on both hops (alice -> proxy, proxy -> bob); the
# call completes. Captured unfiltered (non-first fragments have no UDP header)
scn_udp_too_large() {
	scn_begin udp-too-large 1500
	kam proxy "$PROXY"
	cap_start ""
	sipp_call -d 0 -- -sf "$SCEN/uac-big-invite.xml" -key sdp_ip "$ALICE" -d 500
	cap_stop
	scn_end
}

# slow-setup: bob (SIPp UAS) waits 6.5 s before ringing: post-dial delay
# INVITE -> 180 of 6.5 s (the proxy's 100 Trying comes at once); then the
# call completes
scn_slow_setup() {
	scn_begin slow-setup
	kam proxy "$PROXY"
	cap_start
	sipp_call -d 6500 -- -sf "$SCEN/uac-call.xml" -key sdp_ip "$ALICE" -d 500
	cap_stop
	scn_end
}

# retransmissions: loss on the proxy -> bob hop only: nftables drops the
# first two INVITEs that reach bob's host (input hook, so tcpdump on lo
# still sees them leave the proxy); Kamailio retransmits (T1 doubling),
# the third copy gets through, the call completes
scn_retransmissions() {
	scn_begin retransmissions
	nsx nft -f - <<-EOF
		table inet lab {
			chain in {
				type filter hook input priority 0;
				ip saddr $PROXY ip daddr $BOB udp dport 5060 @th,64,48 0x494e56495445 numgen inc mod 1000000 < 2 counter drop
			}
		}
	EOF
	kam proxy "$PROXY"
	cap_start
	sipp_call -d 0 -- -sf "$SCEN/uac-call.xml" -key sdp_ip "$ALICE" -d 500
	cap_stop
	nsx nft list ruleset >"$WORK/$SCN/nft.txt"
	scn_end
}

# nat-private-sdp: alice's SDP says c=IN IP4 192.168.1.20 (her LAN address)
# while her signalling comes from 127.0.0.10; Via and Contact are right.
# The call completes (SIPp sends no RTP, so nothing goes to 192.168.1.20)
scn_nat_private_sdp() {
	scn_begin nat-private-sdp
	kam proxy "$PROXY"
	cap_start
	sipp_call -d 0 -- -sf "$SCEN/uac-call.xml" -key sdp_ip 192.168.1.20 -d 500
	cap_stop
	scn_end
}

# nat-private-contact: alice (SIPp) registers with Via sent-by and Contact
# 192.168.1.20:5060 (no rport) from 127.0.0.10:5060 -> 200. The registrar
# only stores the binding (it never routes to it in this lab)
scn_nat_private_contact() {
	scn_begin nat-private-contact
	kam proxy "$PROXY"
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-register-nat.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-key priv_ip 192.168.1.20 -timeout 10s
	cap_stop
	scn_end
}

# interval-too-brief: alice (baresip, regint=30) registers: Expires 30 ->
# 423 Interval Too Brief, Min-Expires: 60 (registrar min_expires 60,
# min_expires_mode 1) -> baresip retries with Expires 60 -> 200; at the
# end of the run it unregisters (Expires 0) -> 200
scn_interval_too_brief() {
	scn_begin interval-too-brief
	kam proxy "$PROXY"
	cap_start
	baresip_start alice "$ALICE" 3 "<sip:alice@lab.test>;regint=30;outbound=\"sip:$PROXY:5060\"" 'module g711.so'
	bg_wait "$LAST_PID" alice
	cap_stop
	scn_end
}

# clean-register: alice (baresip) registers (Expires 3600) -> 200, and
# unregisters at the end of the run -> 200
scn_clean_register() {
	scn_begin clean-register
	kam proxy "$PROXY"
	cap_start
	baresip_start alice "$ALICE" 3 "<sip:alice@lab.test>;regint=3600;outbound=\"sip:$PROXY:5060\"" 'module g711.so'
	bg_wait "$LAST_PID" alice
	cap_stop
	scn_end
}

# dialog-mismatch-481: alice (SIPp) calls bob (baresip, auto-answer)
# through the proxy; 200/ACK; alice's BYE carries a To tag bob never gave
# -> bob answers 481 (relayed); bob hangs up at the end of his run -> 200
scn_dialog_mismatch_481() {
	scn_begin dialog-mismatch-481
	kam proxy "$PROXY"
	baresip_start bob "$BOB" 5 '<sip:bob@lab.test>;regint=0;answermode=auto;audio_codecs=PCMU/8000' \
		'module g711.so'
	local bob_pid=$LAST_PID
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-bye-481.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-s bob -timeout 20s
	bg_wait "$bob_pid" bob
	cap_stop
	scn_end
}

# dns-failure: alice (baresip, dns_server = dnsmasq in the namespace) dials
# sip:bob@pbx.lab.test without an outbound proxy: RFC 3263 lookups (NAPTR,
# SRV, A) for pbx.lab.test all get NXDOMAIN (dnsmasq is authoritative for
# lab.test and only knows proxy.lab.test): the call fails before any SIP
scn_dns_failure() {
	scn_begin dns-failure
	bg dnsmasq dnsmasq --keep-in-foreground --no-daemon --log-queries --no-resolv --no-hosts \
		--listen-address="$DNS" --bind-interfaces --port=53 --user=root --pid-file= \
		--local=/lab.test/ --host-record=proxy.lab.test,"$PROXY" \
		--srv-host=_sip._udp.lab.test,proxy.lab.test,5060,10,0
	wait_bound udp "$DNS:53"
	cap_start 'udp port 5060 or udp port 53'
	baresip_start alice "$ALICE" 6 '<sip:alice@lab.test>;regint=0;audio_codecs=PCMU/8000' \
		'module g711.so' "dns_server $DNS:53" -- -e "/dial sip:bob@pbx.lab.test"
	bg_wait "$LAST_PID" alice
	cap_stop
	scn_end
}

# dns-failure-timeout: alice (SIPp, remote host given as pbx.lab.test)
# resolves through glibc (getaddrinfo: A + AAAA) with a resolv.conf of the
# scenario's own (nameserver 127.0.0.53, options timeout:1 attempts:2,
# bind-mounted over /etc/resolv.conf in a private mount namespace); the
# DNS server is black-holed (nftables drop): the queries are sent twice,
# never answered, SIPp gives up ("Unknown remote host") and sends no SIP
scn_dns_failure_timeout() {
	scn_begin dns-failure-timeout
	nsx nft -f - <<-EOF
		table inet lab {
			chain in {
				type filter hook input priority 0;
				ip daddr $DNS udp dport 53 counter drop
			}
		}
	EOF
	printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$DNS" >"$WORK/$SCN/resolv.conf"
	cap_start 'udp port 5060 or udp port 53'
	local rc=0
	(cd "$WORK/$SCN" && exec ip netns exec "$NS" unshare -m sh -c \
		'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' sh "$WORK/$SCN/resolv.conf" \
		sipp pbx.lab.test:5060 -sf "$SCEN/uac-call.xml" -i "$ALICE" -p 5060 -mp 16100 -cp 8010 \
		-s bob -key sdp_ip "$ALICE" -timeout 10s -nostdin -m 1) >"$WORK/$SCN/alice.log" 2>&1 || rc=$?
	grep -q "Unknown remote host 'pbx.lab.test'" "$WORK/$SCN/alice.log" ||
		{ cat "$WORK/$SCN/alice.log" >&2; die "$SCN: sipp did not fail on the name (rc $rc)"; }
	cap_stop
	nsx nft list ruleset >"$WORK/$SCN/nft.txt"
	scn_end
}

############################################################################

ALL=(clean-call clean-register call-rejected-503 call-rejected-480 sdp-no-common-codec
	sdp-no-common-codec-savp nat-private-contact nat-private-sdp udp-too-large slow-setup
	dialog-mismatch-481 loop-or-hops-483 interval-too-brief dns-failure dns-failure-timeout
	retransmissions transaction-timeout-408)
LONG=(ack-2xx-missing transaction-timeout-silent) # ~35 s each: in the background meanwhile

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
	python3 "$FAIL/verify-failure-captures.py" "$STAGE" --write --only "$@" || true
	log "trial run done in $(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
	exit 0
fi

for s in "${LONG[@]}"; do run_scn_bg "$s"; done
for s in "${ALL[@]}"; do run_scn "$s"; done
wait_jobs

############################################################################
# verify with tshark, write expected.json, then publish everything at once
############################################################################
# a capture that fails its checks (on a loaded machine Kamailio's timer
# process can fire seconds late) is recorded again, at most twice
for attempt in 1 2 3; do
	log "verifying captures and writing expected.json (attempt $attempt)"
	if python3 "$FAIL/verify-failure-captures.py" "$STAGE" --write --failed "$WORK/failed.txt"; then
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
