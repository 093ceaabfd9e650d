#!/usr/bin/env bash
# What media analysis costs (issue 19): `sipdbg report --summary FILE`
# against `sipdbg report --summary --no-media FILE` on a generated capture
# that is mostly RTP (sipgen -rtp), runs interleaved (on, off, on, off, …)
# so that both meet the same machine state. Prints the medians of wall
# time, CPU time (user+sys) and peak RSS, the ratios on/off, and the peak
# RSS that media analysis adds per RTP packet.
#
#   bench/media.sh                      # 1 GB capture, 3 runs each
#   SIZE=200M RUNS=5 bench/media.sh
#   KEEP=1 bench/media.sh               # keep the capture and reuse it next time
#
# Environment: SIZE (1G; powers of 1024), RUNS (3), SEED (1), KEEP=1
# (keep the work directory $TMPDIR/sipdbg-media-SIZE-SEED, and reuse the
# capture found there), SIPDBG (measure this sipdbg binary instead of
# building one, e.g. an older one to compare), TMPDIR.
#
# Issue 19 asks for at most 2× the time with media on, and at most 16
# bytes of peak RSS per RTP packet: the statistics are per stream and per
# second, never per packet. The exit status is 1 when either fails.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1G}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
KEEP=${KEEP:-0}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'media.sh: %s\n' "$*" >&2; exit 2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
command -v go >/dev/null || die "go is not installed"
if [[ ! -x /usr/bin/time ]]; then
	log "installing time"
	sudo=()
	[[ $(id -u) == 0 ]] || sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get install -y -qq time >/dev/null ||
		{ "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq time >/dev/null; } ||
		die "could not install time"
fi

if [[ $KEEP == 1 ]]; then
	work=${TMPDIR:-/tmp}/sipdbg-media-$SIZE-$SEED
	mkdir -p "$work"
else
	work=$(mktemp -d "${TMPDIR:-/tmp}/sipdbg-media.XXXXXX")
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM

log "building sipdbg and sipgen"
if [[ -n ${SIPDBG:-} ]]; then
	[[ -x $SIPDBG ]] || die "SIPDBG=$SIPDBG is not an executable"
	cp "$SIPDBG" "$work/sipdbg"
else
	CGO_ENABLED=0 go build -o "$work/sipdbg" ./cmd/sipdbg
fi
(cd tools && go build -o "$work/sipgen" ./sipgen)

cap=$work/media.pcap
if [[ $KEEP == 1 && -f $cap && -f $cap.json ]] && grep -q '"rtp_packets"' "$cap.json"; then
	log "reusing $cap"
else
	log "generating $SIZE with RTP (seed $SEED)"
	"$work/sipgen" -size "$SIZE" -seed "$SEED" -rtp -o "$cap"
fi
json_int() { grep -o "\"$1\": *[0-9][0-9]*" "$2" | head -n1 | grep -o '[0-9]*$'; }
rtp=$(json_int rtp_packets "$cap.json")
streams=$(json_int rtp_streams "$cap.json")
rtp_bytes=$(json_int rtp_bytes "$cap.json")
msgs=$(json_int sip_messages "$cap.json")
calls=$(json_int calls "$cap.json")
cap_bytes=$(stat -c %s "$cap")
cat "$cap" >/dev/null # both then read from the page cache

# run NAME ARGS...: one run, "wall cpu rss_kb" appended to $work/NAME.runs.
run() {
	local name=$1 tf=$work/$1.time
	shift
	if ! /usr/bin/time -f '%e %U %S %M' -o "$tf" "$work/sipdbg" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
		tail -n 20 "$work/$name.err" >&2
		die "sipdbg $* failed"
	fi
	awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$tf" >>"$work/$name.runs"
}
: >"$work/on.runs"
: >"$work/off.runs"
for ((i = 1; i <= RUNS; i++)); do
	log "run $i/$RUNS"
	run on report --summary "$cap"
	run off report --summary --no-media "$cap"
done

# median COLUMN FILE
median() {
	sort -g -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -A wall cpu rss
for m in on off; do
	wall[$m]=$(median 1 "$work/$m.runs")
	cpu[$m]=$(median 2 "$work/$m.runs")
	rss[$m]=$(median 3 "$work/$m.runs")
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
cpu_ratio=$(ratio "${cpu[on]}" "${cpu[off]}")
wall_ratio=$(ratio "${wall[on]}" "${wall[off]}")
per_pkt=$(awk -v a="${rss[on]}" -v b="${rss[off]}" -v n="$rtp" 'BEGIN { printf "%.1f", (a - b) * 1024 / n }')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"
[[ -n ${SIPDBG:-} ]] && commit="$SIPDBG"
stats=real
[[ -f media/stats_stub.go ]] && stats="stub (media/stats_stub.go)"

echo
echo "capture: $cap_bytes bytes, $rtp RTP packets ($rtp_bytes bytes) in $streams streams, $msgs SIP messages, $calls calls — sipgen -size $SIZE -seed $SEED -rtp"
echo "median of $RUNS runs each, interleaved; sipdbg $commit, media statistics: $stats"
echo
printf '%-38s | %8s | %8s | %13s\n' command "wall (s)" "CPU (s)" "peak RSS (MB)"
printf -- '---------------------------------------+----------+----------+--------------\n'
printf '%-38s | %8.2f | %8.2f | %13.1f\n' "report --summary (media on)" "${wall[on]}" "${cpu[on]}" "$(awk -v k="${rss[on]}" 'BEGIN { print k / 1024 }')"
printf '%-38s | %8.2f | %8.2f | %13.1f\n' "report --summary --no-media" "${wall[off]}" "${cpu[off]}" "$(awk -v k="${rss[off]}" 'BEGIN { print k / 1024 }')"
echo
status=0
verdict() { if awk -v v="$1" -v m="$2" 'BEGIN { exit !(v <= m) }'; then echo "OK"; else echo "FAIL"; status=1; fi; }
echo "media on / off: CPU ${cpu_ratio}×, wall ${wall_ratio}× (target ≤ 2: $(verdict "$cpu_ratio" 2) CPU, $(verdict "$wall_ratio" 2) wall)"
echo "peak RSS added per RTP packet: $per_pkt bytes (target ≤ 16: $(verdict "$per_pkt" 16))"
echo
echo "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
echo "reproduce: ${SIPDBG:+SIPDBG=$SIPDBG }SIZE=$SIZE SEED=$SEED RUNS=$RUNS bench/media.sh"
exit $status
