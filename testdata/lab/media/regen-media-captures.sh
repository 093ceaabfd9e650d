#!/usr/bin/env bash
# Regenerate the media-analysis captures (issue 19) in testdata/captures/media/
# with real stacks: Kamailio 5.6 (kamailio-media.cfg), baresip 1.0, SIPp
# 3.6; nftables drops RTP where a scenario needs loss; SIGSTOP/SIGCONT of
# a real sender makes jitter (this kernel has no sch_netem). Every scenario
# runs in a network namespace of its own (only lo up), tcpdump records all
# its UDP on that lo, and verify-media-captures.py computes every capture's
# numbers with tshark and writes expected.json.
#
# Run as root (ip netns, tcpdump, nft). Idempotent: the captures go to a
# scratch directory first and are copied into $FIXTURES_DIR only when every
# one of them passed its checks. Everything it started is stopped on exit
# (also on error / Ctrl-C), and its namespaces are deleted.
#
#   testdata/lab/media/regen-media-captures.sh             # all
#   testdata/lab/media/regen-media-captures.sh NAME...     # some, into $WORK only (trial run)
#   KEEP_WORK=1 testdata/lab/media/regen-media-captures.sh # keep logs in /tmp/sipdbg-media-lab.*
#   FIXTURES_DIR=/tmp/x testdata/lab/media/regen-media-captures.sh
#
# Addresses (see lib-media.sh): proxy 127.0.0.1:5060, alice 127.0.0.10
# (baresip RTP 16000-16099), bob 127.0.0.20 (baresip RTP 16100-16199).
# Namespaces: sipdbg-ml-<scenario>.
set -euo pipefail

MEDIA=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES_DIR=${FIXTURES_DIR:-$(cd "$MEDIA/../.." && pwd)/captures/media}

# shellcheck source-path=SCRIPTDIR source=lib-media.sh
source "$MEDIA/lib-media.sh"

[[ $(id -u) == 0 ]] || die "run as root (ip netns, tcpdump, nft)"
need_tools kamailio sipp baresip nft tcpdump tshark capinfos python3 ss ip
WORK=$(mktemp -d /tmp/sipdbg-media-lab.XXXXXX)
STAGE=$WORK/captures
mkdir -p "$STAGE"
: >"$WORK/netns.list"
JOBS=()

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

ALICE_ACCT="<sip:alice@lab.test>;regint=0;outbound=\"sip:$PROXY:5060\";audio_codecs=PCMU/8000"
BOB_ACCT="<sip:bob@lab.test>;regint=0;answermode=auto;audio_codecs=PCMU/8000"

# baresip_call SECS [ALICE-EXTRA...] [-- BOB-EXTRA...]: bob (baresip,
# auto-answer, 440 Hz) and alice (baresip, 1 kHz) who dials bob through the
# proxy at once and hangs up (BYE) when her run ends after SECS seconds;
# returns when alice has ended. Sets ALICE_PID, BOB_PID.
baresip_call() {
	local secs=$1
	shift
	local -a a=() b=()
	while (($#)) && [[ $1 != -- ]]; do a+=("$1"); shift; done
	[[ ${1:-} == -- ]] && shift
	b=("$@")
	baresip_start bob "$BOB" "$BOB_RTP" $((secs + 4)) 440 "$BOB_ACCT" "${b[@]}"
	BOB_PID=$LAST_PID
	baresip_start alice "$ALICE" "$ALICE_RTP" "$secs" 1000 "$ALICE_ACCT" "${a[@]}" -- -e "/dial sip:bob@lab.test"
	ALICE_PID=$LAST_PID
}

############################################################################
# scenarios
############################################################################

# clean-call: alice (baresip) calls bob (baresip, auto-answer) through
# Kamailio; PCMU both ways (two tones) for ~4 s, RTCP, alice hangs up
scn_clean_call() {
	scn_begin clean-call
	kam
	cap_start
	baresip_call 7
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# one-way-media: the same call; nftables (output hook, so the packets
# never reach lo and tcpdump) drops everything bob's media ports send to
# alice: alice -> bob RTP flows, bob -> alice RTP never appears
scn_one_way_media() {
	scn_begin one-way-media
	nft_rules "ip saddr $BOB ip daddr $ALICE udp sport ${BOB_RTP} counter drop"
	kam
	cap_start
	baresip_call 5
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	nft_save
	scn_end
}

# no-media: the same call with every media packet dropped both ways (a
# firewall that lets only SIP through): 200/ACK, ~4 s, BYE, no RTP/RTCP
scn_no_media() {
	scn_begin no-media
	nft_rules "udp sport ${ALICE_RTP} counter drop
				udp sport ${BOB_RTP} counter drop"
	kam
	cap_start
	baresip_call 4
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	nft_save
	scn_end
}

# media-loss: ~5 % random loss on bob -> alice RTP (nftables numgen random
# in the output hook: the dropped packets are never on the wire); RTCP is
# not dropped, so alice's RTCP reports the loss too
scn_media_loss() {
	scn_begin media-loss
	nft_rules "ip saddr $BOB ip daddr $ALICE udp sport ${BOB_RTP} udp dport ${ALICE_RTP} numgen random mod 100 < 5 counter drop"
	kam
	cap_start
	baresip_call 7
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	nft_save
	scn_end
}

# media-jitter: bob's baresip is paused (SIGSTOP) for 400 ms every
# 600 ms (8 times) while the call runs, then continued (SIGCONT): its RTP is sent
# in bursts after each pause (the audio timer catches up), so the
# interarrival jitter at alice rises; nothing is lost
scn_media_jitter() {
	scn_begin media-jitter
	kam
	cap_start
	baresip_call 7
	local i
	sleep 1
	for ((i = 0; i < 8; i++)); do
		kill -STOP "$BOB_PID"; sleep 0.4
		kill -CONT "$BOB_PID"; sleep 0.2
	done
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# dtmf: alice (baresip) types 1 2 3 # into her console (cons module, TCP
# 127.0.0.10:5555) during the call, each held 250 ms, 500 ms apart;
# baresip sends each as RFC 4733 telephone-event (PT 101)
scn_dtmf() {
	scn_begin dtmf
	kam
	cap_start
	baresip_call 6 'module cons.so' "cons_listen $ALICE:5555"
	sleep 1
	nsx python3 "$MEDIA/py/keys.py" "$ALICE:5555" '123#' 0.25 0.5
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# media-address-mismatch: bob (baresip, RTP port 16100, RTCP 16101) answers
# with m=audio 16100; the proxy rewrites the answer it relays to alice to
# m=audio 17000 (kamailio-media.cfg -A REWRITE_ANSWER), like a broken ALG.
# alice sends her RTP to 127.0.0.20:17000 as told; a stateless nftables
# rule in the prerouting hook (after tcpdump has seen the packet on lo)
# turns port 17000/17001 into 16100/16101, so bob does receive it. bob
# sends from 16100: RTP arrives at alice from a port her SDP does not name
scn_media_address_mismatch() {
	scn_begin media-address-mismatch
	nsx nft -f - <<-EOF
		table inet lab {
			chain pre {
				type filter hook prerouting priority -300;
				ip daddr $BOB udp dport 17000 counter udp dport set 16100
				ip daddr $BOB udp dport 17001 counter udp dport set 16101
			}
		}
	EOF
	kam REWRITE_ANSWER
	cap_start
	BOB_RTP=16100-16101
	baresip_call 5
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	nft_save
	scn_end
}

# codec-mismatch: alice (SIPp) offers PCMU only (m=audio 6000 RTP/AVP 0
# 101), bob (baresip) answers PCMU; then alice plays SIPp's own
# g711a.pcap (PCMA, payload type 8) with play_pcap_audio: RTP of a payload
# type the SDP never offered nor answered. bob sends PCMU as negotiated
scn_codec_mismatch() {
	scn_begin codec-mismatch
	kam
	baresip_start bob "$BOB" "$BOB_RTP" 10 440 "$BOB_ACCT"
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-pcap-play.xml" -i "$ALICE" -p 5060 -mi "$ALICE" -mp 6000 \
		-s bob -key pcap /usr/share/sip-tester/g711a.pcap -key pts 101 -key attr "a=rtpmap:101 telephone-event/8000" \
		-d 4000 -timeout 20s
	sleep 0.5
	cap_stop
	scn_end
}

# srtp-mismatch: alice (baresip, srtp module, mediaenc=srtp-mand) offers
# RTP/SAVP with an SDES a=crypto; bob (baresip without the srtp module)
# cannot do SRTP and rejects the offer: 488, no media
scn_srtp_mismatch() {
	scn_begin srtp-mismatch
	kam
	cap_start
	ALICE_ACCT="$ALICE_ACCT;mediaenc=srtp-mand"
	baresip_call 3 'module srtp.so'
	bg_wait "$ALICE_PID" alice
	sleep 0.3
	cap_stop
	scn_end
}

# srtp-fallback: alice (baresip, mediaenc=srtp: best effort) offers
# RTP/AVP with an SDES a=crypto; bob (no srtp module) answers RTP/AVP
# without a=crypto; both send plain RTP (the call works unencrypted)
scn_srtp_fallback() {
	scn_begin srtp-fallback
	kam
	cap_start
	ALICE_ACCT="$ALICE_ACCT;mediaenc=srtp"
	baresip_call 4 'module srtp.so'
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# srtp-call: alice and bob (baresip, srtp module, mediaenc=srtp-mand): an
# RTP/SAVP offer and answer, each with its a=crypto; SRTP both ways
# (RTP headers in clear, payload encrypted, 80-bit auth tag)
scn_srtp_call() {
	scn_begin srtp-call
	kam
	cap_start
	ALICE_ACCT="$ALICE_ACCT;mediaenc=srtp-mand"
	BOB_ACCT="$BOB_ACCT;mediaenc=srtp-mand"
	baresip_call 4 'module srtp.so' -- 'module srtp.so'
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# dtmf-mismatch: alice (SIPp) offers PCMU only (m=audio 6000 RTP/AVP 0, no
# telephone-event), bob (baresip) answers PCMU only; then alice plays
# SIPp's own dtmf_2833_1.pcap: RFC 4733 events (digit 1, payload type
# 101) that neither SDP negotiated
scn_dtmf_mismatch() {
	scn_begin dtmf-mismatch
	kam
	baresip_start bob "$BOB" "$BOB_RTP" 10 440 "$BOB_ACCT"
	cap_start
	sipp_run alice "$PROXY:5060" -sf "$SCEN/uac-pcap-play.xml" -i "$ALICE" -p 5060 -mi "$ALICE" -mp 6000 \
		-s bob -key pcap /usr/share/sip-tester/dtmf_2833_1.pcap -key pts "" -key attr "a=ptime:20" \
		-d 2000 -timeout 20s
	sleep 0.5
	cap_stop
	scn_end
}

# The everyday calls below are false-alarm guards for what phones do all
# day: hold, a caller who gives up, a callee who is busy or hangs up. Only
# callee-busy is a failure, and it is told once, by the phone that
# refused, although the capture on the proxy holds it on both hops.

# cons ROLE-IP COMMAND: a long command to that baresip's cons console
cons() { nsx python3 "$MEDIA/py/cons_cmd.py" "$1:5555" "$2"; }

# hold-resume: the clean call; alice puts bob on hold at +2.5 s (/hold:
# re-INVITE a=sendonly, bob answers a=recvonly) and resumes 2.5 s later
# (re-INVITE a=sendrecv); baresip sends no RTP either way while on hold,
# so both streams have a ~3 s gap that the SDP explains
scn_hold_resume() {
	scn_begin hold-resume
	kam
	cap_start
	baresip_call 8 'module cons.so' "cons_listen $ALICE:5555"
	sleep 2.5
	cons "$ALICE" /hold
	sleep 2.5
	cons "$ALICE" /resume
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# caller-cancel: bob (answermode=manual) rings; alice's run ends after
# 3 s and she gives up: CANCEL, 200, 487 Request Terminated, ACK, on both
# hops. Nothing failed: the caller hung up
scn_caller_cancel() {
	scn_begin caller-cancel
	kam
	cap_start
	BOB_ACCT=${BOB_ACCT/answermode=auto/answermode=manual}
	baresip_call 3
	bg_wait "$ALICE_PID" alice
	sleep 1
	cap_stop
	scn_end
}

# callee-busy: bob (answermode=manual) rings and refuses the call after
# ~1.5 s (/hangup on a ringing call: baresip 1.0 answers 486 Rejected);
# Kamailio ACKs it and relays the 486 to alice, who ACKs it
scn_callee_busy() {
	scn_begin callee-busy
	kam
	cap_start
	BOB_ACCT=${BOB_ACCT/answermode=auto/answermode=manual}
	baresip_call 5 -- 'module cons.so' "cons_listen $BOB:5555"
	sleep 1.5
	cons "$BOB" /hangup
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# callee-hangs-up: the clean call, ended by bob after ~3 s (/hangup: BYE
# from bob, relayed to alice, 200 on both hops)
scn_callee_hangs_up() {
	scn_begin callee-hangs-up
	kam
	cap_start
	baresip_call 8 -- 'module cons.so' "cons_listen $BOB:5555"
	sleep 3
	cons "$BOB" /hangup
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# transfer: alice calls bob; after ~2.5 s bob transfers her to carol
# (baresip /transfer: REFER, 202, NOTIFY 100 Trying), alice calls carol
# (auto-answer, 660 Hz) through the proxy, NOTIFYs bob 200 OK, and bob
# hangs up; the alice-carol call runs to its end. Two calls, nothing
# wrong. carol's packets must leave from 127.0.0.30, but the local routes
# that give alice and bob their source addresses are by destination: so
# carol runs as uid 65534, and a rule placed before the local table's
# gives her processes a table of their own with source 127.0.0.30
CAROL=127.0.0.30

# carol_start ANSWERMODE [EXTRA-CONFIG-LINE...]: carol's baresip (660 Hz,
# RTP 16200-16299, 10 s) as uid 65534, after the routing rule that gives
# her processes the source 127.0.0.30 (and alice's packets to her the
# source 127.0.0.10)
carol_start() {
	local mode=$1 d
	shift
	ip -n "$NS" rule add pref 10 uidrange 65534-65534 lookup 100
	ip -n "$NS" rule del pref 0
	ip -n "$NS" rule add pref 20 lookup local
	ip -n "$NS" route add local "$ALICE/32" dev lo src "$CAROL" table 100
	ip -n "$NS" route add local "$PROXY/32" dev lo src "$CAROL" table 100
	ip -n "$NS" route add local "$CAROL/32" dev lo src "$ALICE" table local
	chmod 755 "$WORK" "$WORK/$SCN"
	d=$WORK/$SCN/carol
	mkdir -p "$d"
	chmod 777 "$d"
	BARESIP_AS="setpriv --reuid=65534 --regid=65534 --clear-groups" \
		baresip_start carol "$CAROL" 16200-16299 10 660 "<sip:carol@lab.test>;regint=0;answermode=$mode;audio_codecs=PCMU/8000" "$@"
}

scn_transfer() {
	scn_begin transfer
	kam
	cap_start
	carol_start auto
	baresip_call 9 -- 'module cons.so' "cons_listen $BOB:5555"
	sleep 2.5
	cons "$BOB" "/transfer sip:carol@lab.test"
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# parallel-fork: alice calls "group", which Kamailio forks to bob and
# carol at once (append_branch); both ring (manual answer), carol accepts
# after ~2 s (/accept), and tm cancels bob's branch: CANCEL, 200, 487,
# ACK on that hop. One call, alice-carol, with RTP both ways: nothing
# wrong (a hunt group or a user with two phones)
scn_parallel_fork() {
	scn_begin parallel-fork
	kam
	cap_start
	carol_start manual 'module cons.so' "cons_listen $CAROL:5555"
	BOB_ACCT=${BOB_ACCT/answermode=auto/answermode=manual}
	baresip_start bob "$BOB" "$BOB_RTP" 11 440 "$BOB_ACCT"
	baresip_start alice "$ALICE" "$ALICE_RTP" 7 1000 "$ALICE_ACCT" -- -e "/dial sip:group@lab.test"
	ALICE_PID=$LAST_PID
	sleep 2
	cons "$CAROL" /accept
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

# fork-one-busy: the parallel fork, but bob refuses at once (/hangup
# while ringing: 486) before carol accepts: the caller's call succeeds,
# and bob's 486 is one branch's answer that the proxy did not forward
# (RFC 3261 §16.7): not a failure of the call
scn_fork_one_busy() {
	scn_begin fork-one-busy
	kam
	cap_start
	carol_start manual 'module cons.so' "cons_listen $CAROL:5555"
	BOB_ACCT=${BOB_ACCT/answermode=auto/answermode=manual}
	baresip_start bob "$BOB" "$BOB_RTP" 11 440 "$BOB_ACCT" 'module cons.so' "cons_listen $BOB:5555"
	baresip_start alice "$ALICE" "$ALICE_RTP" 7 1000 "$ALICE_ACCT" -- -e "/dial sip:group@lab.test"
	ALICE_PID=$LAST_PID
	sleep 0.8
	cons "$BOB" /hangup
	sleep 1.2
	cons "$CAROL" /accept
	bg_wait "$ALICE_PID" alice
	sleep 0.5
	cap_stop
	scn_end
}

############################################################################

ALL=(clean-call one-way-media no-media media-loss media-jitter dtmf media-address-mismatch codec-mismatch
	dtmf-mismatch srtp-mismatch srtp-fallback srtp-call hold-resume caller-cancel callee-busy callee-hangs-up
	transfer parallel-fork fork-one-busy)

# run_scn records one scenario, up to three times: on a loaded machine a
# stack may miss its cue (a baresip that gives up before the call), and
# the scenario is simply recorded again.
run_scn() {
	local name=$1 pid rc try
	for try in 1 2 3; do
		rc=0
		(trap scn_end EXIT; "scn_${name//-/_}") &
		pid=$!
		JOBS+=("$pid $name")
		wait "$pid" || rc=$?
		mapfile -t JOBS < <(_without "$pid $name" "${JOBS[@]}")
		((rc == 0)) && return 0
		log "scenario $name failed (attempt $try)"
	done
	die "scenario $name failed three times"
}

if (($#)); then
	KEEP_WORK=1
	for s in "$@"; do run_scn "$s"; done
	python3 "$MEDIA/verify-media-captures.py" "$STAGE" --write --only "$@" || true
	log "trial run done in $(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
	exit 0
fi

for s in "${ALL[@]}"; do run_scn "$s"; done

for attempt in 1 2 3; do
	log "verifying captures and writing expected.json (attempt $attempt)"
	if python3 "$MEDIA/verify-media-captures.py" "$STAGE" --write --failed "$WORK/failed.txt"; then
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
