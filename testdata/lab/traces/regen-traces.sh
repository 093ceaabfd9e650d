#!/usr/bin/env bash
# Regenerate the text-trace fixtures in testdata/traces/ (see README.md):
#
#   1. Kamailio 5.6 (kamailio-sipdump.cfg, 127.0.0.1:$SIP_PORT) challenges
#      REGISTER with a 401 and writes everything to a sipdump text file,
#      while tcpdump records the same exchange on lo;
#   2. SIPp registers bob (../scenarios/register.xml, -au/-ap);
#   3. baresip 1.0 with -s (SIP trace) registers carol, and unregisters
#      when -t stops it; its stdout is the baresip fixture;
#   4. sngrep 1.6, driven in a private tmux server, saves
#      ../../captures/sll2-register-auth.pcap as .txt;
#   5. make-traces.py writes the Asterisk / FreeSWITCH / mixed / plain
#      fixtures from that capture's messages, and expected.json (tshark is
#      the oracle).
#
# Run as root (tcpdump). Only 127.0.0.1 ports $SIP_PORT..$SIP_PORT+4 are
# used. Everything is written to a scratch directory first and copied to
# $TRACES_DIR only when every step worked; every process started here is
# stopped on exit (also on error or Ctrl-C).
#
#   sudo testdata/lab/traces/regen-traces.sh
#   KEEP_WORK=1 sudo testdata/lab/traces/regen-traces.sh   # keep /tmp/sipdbg-traces.*
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
TRACES_DIR=${TRACES_DIR:-$ROOT/testdata/traces}
SLL2=$ROOT/testdata/captures/sll2-register-auth.pcap
SIP_PORT=${SIP_PORT:-5390}    # Kamailio
SIPP_PORT=$((SIP_PORT + 1))   # SIPp bob; media +3, control +4
BARESIP_PORT=$((SIP_PORT + 2)) # baresip carol
TMUX_SOCKET=sipdbg-traces-$$

# the lab's helpers: log/die, port_busy/wait_listen, capture_start/stop
# (tcpdump; the capture lands in $STAGE), run_sipp, kamailio_stop,
# lab_cleanup (stops all of them)
# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$ROOT/testdata/lab/lib.sh"

[[ $(id -u) == 0 ]] || die "run as root (tcpdump needs it)"
need_tools kamailio sipp baresip sngrep tmux tcpdump tshark python3 ss
WORK=$(mktemp -d /tmp/sipdbg-traces.XXXXXX)
STAGE=$WORK/traces # capture_stop moves captures here
mkdir -p "$STAGE" "$WORK/sipdump" "$WORK/baresip"

traces_cleanup() {
	tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
	lab_cleanup
}
trap traces_cleanup EXIT
trap 'exit 130' INT TERM

for p in "udp $SIP_PORT" "udp $SIPP_PORT" "udp $BARESIP_PORT" "udp $((SIP_PORT + 3))" "tcp $((SIP_PORT + 4))"; do
	# shellcheck disable=SC2086
	! port_busy $p || die "port $p is already in use; stop it or set SIP_PORT"
done

kamailio_sipdump_start() {
	local -a defs=(-A "SIP_PORT=$SIP_PORT" -A "SIPDUMP_DIR=\"$WORK/sipdump\"")
	KAM_PIDFILE=$WORK/kamailio.pid
	kamailio -c -f "$HERE/kamailio-sipdump.cfg" "${defs[@]}" >"$WORK/kamailio-check.log" 2>&1 ||
		{ cat "$WORK/kamailio-check.log" >&2; die "kamailio config check failed"; }
	kamailio -DD -E -f "$HERE/kamailio-sipdump.cfg" "${defs[@]}" \
		-P "$KAM_PIDFILE" -Y "$WORK" -w "$WORK" -m 32 -M 8 >"$WORK/kamailio.log" 2>&1 &
	wait_listen udp "$SIP_PORT"
	log "kamailio running (pid $(cat "$KAM_PIDFILE"))"
}

baresip_config() {
	cat >"$WORK/baresip/config" <<-EOF
		poll_method		epoll
		sip_listen		127.0.0.1:$BARESIP_PORT
		sip_trans_def		udp
		module_path		/usr/lib/baresip/modules
		module_app		account.so
	EOF
	# baresip 1.0 has no sip_trace config key (newer versions do): -s turns the trace on
	echo "<sip:carol@sipdbg.test>;auth_pass=carolpw;outbound=\"sip:127.0.0.1:$SIP_PORT\";regint=300;sipnat=none" \
		>"$WORK/baresip/accounts"
}

############################################################################
# 1-3. sipdump + capture of SIPp's and baresip's registrations
############################################################################
log "sipdump, SIPp and baresip"
capture_start kamailio-sipdump lo "udp and port $SIP_PORT"
kamailio_sipdump_start
run_sipp sipp-register "" -- "127.0.0.1:$SIP_PORT" -sf "$ROOT/testdata/lab/scenarios/register.xml" \
	-i 127.0.0.1 -p "$SIPP_PORT" -mp "$((SIP_PORT + 3))" -cp "$((SIP_PORT + 4))" \
	-key user bob -key domain sipdbg.test -au bob -ap bobpw
baresip_config
# -t 3: quit after 3 s, which unregisters (a second 401/200 exchange)
timeout 20 baresip -f "$WORK/baresip" -s -t 3 </dev/null >"$STAGE/baresip-trace.log" 2>"$WORK/baresip.err" ||
	{ cat "$WORK/baresip.err" >&2; die "baresip failed"; }
sleep 1 # sipdump's writer process flushes on a timer
capture_stop kamailio-sipdump
kamailio_stop
mapfile -t dumps < <(ls "$WORK"/sipdump/*.data)
((${#dumps[@]} == 1)) || die "expected one sipdump .data file, got ${#dumps[@]}"
cp "${dumps[0]}" "$STAGE/kamailio-sipdump.data"
# A REGISTER of carol's, as a message (its request line), not the name in
# an error line: baresip's errors mention the account too.
grep -q "^REGISTER sip:sipdbg.test SIP/2.0" "$STAGE/baresip-trace.log" || die "baresip traced no REGISTER"

############################################################################
# 4. sngrep: save all dialogs of the SLL2 capture as .txt
############################################################################
log "sngrep save as .txt"
wait_pane() { # TEXT: wait (max 10 s) until the sngrep pane shows TEXT
	local i
	for ((i = 0; i < 100; i++)); do
		tmux -L "$TMUX_SOCKET" capture-pane -p -t sng | grep -qF "$1" && return 0
		sleep 0.1
	done
	tmux -L "$TMUX_SOCKET" capture-pane -p -t sng >&2
	die "sngrep did not show '$1'"
}
cp "$SLL2" "$WORK/sll2-register-auth.pcap"
tmux -L "$TMUX_SOCKET" new-session -d -s sng -x 200 -y 50 \
	"cd '$WORK' && TZ=UTC sngrep -I sll2-register-auth.pcap"
# sngrep spins at full CPU once its terminal is gone (killed tmux server):
# its process is ended by pid below, whatever state it is in.
sng_pid=$(tmux -L "$TMUX_SOCKET" display-message -p -t sng '#{pane_pid}')
wait_pane "Dialogs: 2"
tmux -L "$TMUX_SOCKET" send-keys -t sng F2
wait_pane "Save capture"
# a file name ending in .txt selects the text format (ui_save.c)
tmux -L "$TMUX_SOCKET" send-keys -t sng -l "sngrep-register-auth.txt"
tmux -L "$TMUX_SOCKET" send-keys -t sng Enter
wait_pane "Successfully saved"
tmux -L "$TMUX_SOCKET" send-keys -t sng Enter
tmux -L "$TMUX_SOCKET" send-keys -t sng q
for ((i = 0; i < 30; i++)); do # give it 3 s to quit by itself
	kill -0 "$sng_pid" 2>/dev/null || break
	sleep 0.1
done
pkill -9 -P "$sng_pid" 2>/dev/null || true
kill -9 "$sng_pid" 2>/dev/null || true
tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
mv "$WORK/sngrep-register-auth.txt" "$STAGE/"

############################################################################
# 5. written fixtures + expected.json, then publish
############################################################################
log "written fixtures and expected.json"
python3 "$HERE/make-traces.py" "$STAGE" "$SLL2"
for f in "$STAGE"/*; do
	(($(stat -c %s "$f") < 30000)) || die "$(basename "$f") is 30 KB or more"
done
mkdir -p "$TRACES_DIR"
cp "$STAGE"/* "$TRACES_DIR/"
ls -l "$TRACES_DIR" >&2
log "done"
