#!/usr/bin/env bash
# Regenerate the digest-authentication captures in testdata/captures/auth/
# with real Kamailio 5.6 servers (kamailio-auth-lab.cfg), SIPp 3.6 and a
# scripted python3 UAC (py/authclient.py) for the misbehaviours SIPp cannot
# produce; tcpdump on lo records one capture per scenario. Then
# verify-auth-captures.py checks every capture with tshark and writes
# expected.json.
#
# Run as root (tcpdump). Idempotent: every run starts its own processes on
# the auth-lab ports, writes to a scratch directory, and copies the captures
# and expected.json into $FIXTURES_DIR only when all of them passed the
# checks. Everything it started is stopped on exit (also on error / Ctrl-C).
#
#   testdata/lab/auth/regen-auth-captures.sh
#   KEEP_WORK=1 testdata/lab/auth/regen-auth-captures.sh   # keep logs in /tmp/sipdbg-auth-lab.*
#   FIXTURES_DIR=/tmp/x testdata/lab/auth/regen-auth-captures.sh
#
# Ports (env overridable; all UDP on 127.0.0.1, distinct from ../regen-fixtures.sh):
#   EDGE_PORT=5190   Kamailio edge: realm sipdbg.test, 401 registrar + 407 proxy
#   CORE_PORT=5191   Kamailio core: realm core.sipdbg.test, 401 for INVITE
#   SHA_PORT=5192    Kamailio edge with algorithm SHA-256
#   STALE_PORT=5193  Kamailio edge with nonce_expire 2 s
#   AINT_PORT=5196   Kamailio edge challenging with qop="auth-int"
#   UAC_PORT=5194    SIPp UAC      (media 16400, control 8194)
#   PY_PORT=5195     authclient.py UAC
#   UAS_PORT=5197    SIPp UAS bob  (media 16300, control 8197)
set -euo pipefail

AUTH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES_DIR=${FIXTURES_DIR:-$(cd "$AUTH/../.." && pwd)/captures/auth}
EDGE_PORT=${EDGE_PORT:-5190}
CORE_PORT=${CORE_PORT:-5191}
SHA_PORT=${SHA_PORT:-5192}
STALE_PORT=${STALE_PORT:-5193}
UAC_PORT=${UAC_PORT:-5194}
PY_PORT=${PY_PORT:-5195}
AINT_PORT=${AINT_PORT:-5196}
UAS_PORT=${UAS_PORT:-5197}
export EDGE_PORT CORE_PORT SHA_PORT STALE_PORT UAC_PORT PY_PORT AINT_PORT UAS_PORT

# shellcheck source-path=SCRIPTDIR source=lib-auth.sh
source "$AUTH/lib-auth.sh"

[[ $(id -u) == 0 ]] || die "run as root (tcpdump needs it)"
need_tools kamailio sipp tcpdump tshark python3 ss
WORK=$(mktemp -d /tmp/sipdbg-auth-lab.XXXXXX)
STAGE=$WORK/captures # captures land here first; copied to $FIXTURES_DIR at the very end
mkdir -p "$STAGE"
trap auth_cleanup EXIT
trap 'exit 130' INT TERM
START=$EPOCHREALTIME

for p in "$EDGE_PORT" "$CORE_PORT" "$SHA_PORT" "$STALE_PORT" "$UAC_PORT" "$PY_PORT" "$AINT_PORT" "$UAS_PORT"; do
	! port_busy udp "$p" || die "udp port $p is already in use; stop it or set the *_PORT variables"
done

############################################################################
# the servers: five instances of kamailio-auth-lab.cfg
############################################################################
kamailio_start edge "$EDGE_PORT"
kamailio_start core "$CORE_PORT" IS_CORE
kamailio_start sha256 "$SHA_PORT" WITH_SHA256
kamailio_start stale "$STALE_PORT" NONCE_EXPIRE=2
kamailio_start authint "$AINT_PORT" 'CHAL_FLAGS="2"'
kamailio_wait edge "$EDGE_PORT"
kamailio_wait core "$CORE_PORT"
kamailio_wait sha256 "$SHA_PORT"
kamailio_wait stale "$STALE_PORT"
kamailio_wait authint "$AINT_PORT"

EDGE=127.0.0.1:$EDGE_PORT
# SIPp UAC: alice calling bob (-s bob) in sipdbg.test
uac=(-i 127.0.0.1 -p "$UAC_PORT" -mp 16400 -cp 8194 -key user alice -key domain sipdbg.test -s bob)
# capture filter: UDP between the lab's own ports only
filter() { # PORT...
	local f="udp and host 127.0.0.1 and (" p sep=""
	for p in "$@"; do f+="${sep}port $p"; sep=" or "; done
	printf '%s)' "$f"
}
uas_start() { # the SIPp UAS bob behind the proxies
	bg_start uas sipp "$EDGE" -sf "$SCEN/uas.xml" -i 127.0.0.1 -p "$UAS_PORT" -mp 16300 -cp 8197 \
		-key user bob -nostdin -timeout 10s -m 1
	UAS_PID=$LAST_BG_PID
	wait_listen udp "$UAS_PORT"
}
py() { # NAME SCENARIO [args...]: authclient.py against the edge unless --server is given
	local name=$1
	shift
	run_py "$name" "$@" --port "$PY_PORT"
}

############################################################################
# 1. register-ok: REGISTER -> 401 -> REGISTER+Authorization -> 200
#    (-auth_uri: digest uri == Request-URI sip:sipdbg.test)
############################################################################
log "capture: register-ok.pcap"
capture_start register-ok "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp register-ok "$EDGE" -sf "$SCEN/register.xml" "${uac[@]}" -au alice -ap alicepw -auth_uri sipdbg.test
capture_stop register-ok

############################################################################
# 2. invite-407-ok: INVITE -> 407 -> ACK -> INVITE+Proxy-Authorization ->
#    100 -> (UAS) 180/200 -> ACK -> BYE -> 200
############################################################################
log "capture: invite-407-ok.pcap"
capture_start invite-407-ok "$(filter "$EDGE_PORT" "$UAC_PORT" "$UAS_PORT")"
uas_start
run_sipp invite-407-ok "$EDGE" -sf "$SCEN/invite-ok.xml" "${uac[@]}" -au alice -ap alicepw -auth_uri bob@sipdbg.test
bg_wait "$UAS_PID" uas
capture_stop invite-407-ok

############################################################################
# 3. register-wrong-password: REGISTER -> 401 -> REGISTER (wrong password) -> 401
############################################################################
log "capture: register-wrong-password.pcap"
capture_start register-wrong-password "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp register-wrong-password "$EDGE" -sf "$SCEN/register-rejected.xml" "${uac[@]}" \
	-au alice -ap alicepw-typo -auth_uri sipdbg.test
capture_stop register-wrong-password

############################################################################
# 4. register-unknown-user: mallory is not in the htable -> challenged again
############################################################################
log "capture: register-unknown-user.pcap"
capture_start register-unknown-user "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp register-unknown-user "$EDGE" -sf "$SCEN/register-rejected.xml" \
	-i 127.0.0.1 -p "$UAC_PORT" -mp 16400 -cp 8194 -key user mallory -key domain sipdbg.test \
	-au mallory -ap mallorypw -auth_uri sipdbg.test
capture_stop register-unknown-user

############################################################################
# 5. invite-forbidden-after-auth: From alice, credentials of bob (valid) -> 403
############################################################################
log "capture: invite-forbidden-after-auth.pcap"
capture_start invite-forbidden-after-auth "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp invite-forbidden-after-auth "$EDGE" -sf "$SCEN/invite-forbidden.xml" "${uac[@]}" \
	-au bob -ap bobpw -auth_uri bob@sipdbg.test
capture_stop invite-forbidden-after-auth

############################################################################
# 6. invite-no-credentials: INVITE -> 407 -> ACK, no retry
############################################################################
log "capture: invite-no-credentials.pcap"
capture_start invite-no-credentials "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp invite-no-credentials "$EDGE" -sf "$SCEN/invite-no-credentials.xml" "${uac[@]}"
capture_stop invite-no-credentials

############################################################################
# 7.-9. scripted client against the edge
############################################################################
log "capture: invite-wrong-header.pcap"
capture_start invite-wrong-header "$(filter "$EDGE_PORT" "$PY_PORT")"
py invite-wrong-header invite-wrong-header --server "$EDGE"
capture_stop invite-wrong-header

log "capture: register-realm-mismatch.pcap"
capture_start register-realm-mismatch "$(filter "$EDGE_PORT" "$PY_PORT")"
py register-realm-mismatch register-realm-mismatch --server "$EDGE"
capture_stop register-realm-mismatch

# a genuine nonce of the same realm, but issued by another server (the stale
# instance, own secret); fetched before the capture starts
py fetch-nonce fetch-nonce --server "127.0.0.1:$STALE_PORT"
FOREIGN_NONCE=$(tail -n 1 "$WORK/fetch-nonce.out")
log "capture: register-nonce-mismatch.pcap"
capture_start register-nonce-mismatch "$(filter "$EDGE_PORT" "$PY_PORT")"
py register-nonce-mismatch register-nonce-mismatch --server "$EDGE" --nonce "$FOREIGN_NONCE"
capture_stop register-nonce-mismatch

############################################################################
# 10. register-stale: 200, wait 3 s (> nonce_expire 2 s), refresh with the
#     old nonce -> 401 stale=true -> new nonce -> 200
############################################################################
log "capture: register-stale.pcap"
capture_start register-stale "$(filter "$STALE_PORT" "$UAC_PORT")"
run_sipp register-stale "127.0.0.1:$STALE_PORT" -sf "$SCEN/register-stale.xml" "${uac[@]}" \
	-au alice -ap alicepw -auth_uri sipdbg.test
capture_stop register-stale

############################################################################
# 11./12. SHA-256 instance
############################################################################
log "capture: register-sha256.pcap"
capture_start register-sha256 "$(filter "$SHA_PORT" "$PY_PORT")"
py register-sha256 register-sha256 --server "127.0.0.1:$SHA_PORT"
capture_stop register-sha256

log "capture: register-algorithm-mismatch.pcap"
capture_start register-algorithm-mismatch "$(filter "$SHA_PORT" "$PY_PORT")"
py register-algorithm-mismatch register-algorithm-mismatch --server "127.0.0.1:$SHA_PORT"
capture_stop register-algorithm-mismatch

############################################################################
# 13. register-qop-missing: RFC 2069 style answer to a qop="auth" challenge
############################################################################
log "capture: register-qop-missing.pcap"
capture_start register-qop-missing "$(filter "$EDGE_PORT" "$PY_PORT")"
py register-qop-missing register-qop-missing --server "$EDGE"
capture_stop register-qop-missing

############################################################################
# 14. register-digest-uri-mismatch: SIPp's default digest uri sip:127.0.0.1:PORT
############################################################################
log "capture: register-digest-uri-mismatch.pcap"
capture_start register-digest-uri-mismatch "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp register-digest-uri-mismatch "$EDGE" -sf "$SCEN/register.xml" "${uac[@]}" -au alice -ap alicepw
capture_stop register-digest-uri-mismatch

############################################################################
# 15. invite-cseq-not-incremented: the authenticated retry keeps CSeq 1
############################################################################
log "capture: invite-cseq-not-incremented.pcap"
capture_start invite-cseq-not-incremented "$(filter "$EDGE_PORT" "$UAC_PORT" "$UAS_PORT")"
uas_start
run_sipp invite-cseq-not-incremented "$EDGE" -sf "$SCEN/invite-cseq-same.xml" "${uac[@]}" \
	-au alice -ap alicepw -auth_uri bob@sipdbg.test
bg_wait "$UAS_PID" uas
capture_stop invite-cseq-not-incremented

############################################################################
# 16./17. the 407 is never ACKed / ACKed with a new branch: Kamailio
#     retransmits it (+0.5, +1.5, +3.5 s) until the transaction dies (+5 s)
############################################################################
log "capture: invite-ack-missing.pcap (6 s)"
capture_start invite-ack-missing "$(filter "$EDGE_PORT" "$PY_PORT")"
py invite-ack-missing invite-ack-missing --server "$EDGE" --linger 6
capture_stop invite-ack-missing

log "capture: invite-ack-branch-mismatch.pcap (6 s)"
capture_start invite-ack-branch-mismatch "$(filter "$EDGE_PORT" "$PY_PORT")"
py invite-ack-branch-mismatch invite-ack-branch-mismatch --server "$EDGE" --linger 6
capture_stop invite-ack-branch-mismatch

############################################################################
# 18. invite-auth-loop: wrong password, answered 3 times -> 4 x 407
############################################################################
log "capture: invite-auth-loop.pcap"
capture_start invite-auth-loop "$(filter "$EDGE_PORT" "$UAC_PORT")"
run_sipp invite-auth-loop "$EDGE" -sf "$SCEN/invite-auth-loop.xml" "${uac[@]}" \
	-au alice -ap alicepw-typo -auth_uri bob@sipdbg.test
capture_stop invite-auth-loop

############################################################################
# 19./20. two realms: edge (407, sipdbg.test) -> core (401, core.sipdbg.test)
############################################################################
log "capture: invite-two-realms.pcap"
capture_start invite-two-realms "$(filter "$EDGE_PORT" "$CORE_PORT" "$PY_PORT" "$UAS_PORT")"
uas_start
py invite-two-realms invite-two-realms --server "$EDGE"
bg_wait "$UAS_PID" uas
capture_stop invite-two-realms

log "capture: invite-credentials-dropped.pcap"
capture_start invite-credentials-dropped "$(filter "$EDGE_PORT" "$CORE_PORT" "$PY_PORT")"
py invite-credentials-dropped invite-credentials-dropped --server "$EDGE"
capture_stop invite-credentials-dropped

############################################################################
# 21. invite-auth-int: qop="auth-int" challenge, answered by SIPp with
#     qop=auth-int over the SDP body. Kamailio 5.6 cannot verify auth-int
#     (see README): the correct response is rejected with another 407.
############################################################################
log "capture: invite-auth-int.pcap"
capture_start invite-auth-int "$(filter "$AINT_PORT" "$UAC_PORT")"
run_sipp invite-auth-int "127.0.0.1:$AINT_PORT" -sf "$SCEN/invite-rejected.xml" "${uac[@]}" \
	-au alice -ap alicepw -auth_uri bob@sipdbg.test
capture_stop invite-auth-int

kamailio_stop_all

############################################################################
# verify with tshark, write expected.json, then publish everything at once
############################################################################
log "verifying captures and writing expected.json"
python3 "$AUTH/verify-auth-captures.py" "$STAGE" --write
mkdir -p "$FIXTURES_DIR"
cp "$STAGE"/*.pcap "$STAGE/expected.json" "$FIXTURES_DIR/"
ls -l "$FIXTURES_DIR" >&2
log "done in $(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s"
