#!/usr/bin/env bash
# Compares sipdbg with sngrep and tshark on a large generated SIP capture
# (internal/testkit/gen, built by tools/sipgen): wall time, CPU time, peak memory and the number of calls
# (Call-IDs) each one counts, as the median of RUNS runs.
#
#   bench/compare.sh                          # 1 GB capture (≈ 1.8M SIP messages), 3 runs each
#   SIZE=200M bench/compare.sh                # a quick run
#   SIZE=1G SKIP_TSHARK=1 bench/compare.sh    # tshark needs minutes and GBs on 1 GB
#   MEDIA=1 SKIP_TSHARK=1 bench/compare.sh    # a capture that is mostly RTP (sipgen -rtp), sngrep -r
#
# Environment: SIZE (1G; powers of 1024), RUNS (3), SEED (1), SKIP_TSHARK,
# SKIP_SNGREP, SKIP_STAGES (sipdbg's load and analysis timed apart),
# CAPTURE (use this capture and its CAPTURE.json sidecar instead of
# generating one), KEEP=1 (keep the work directory), TMPDIR, MEDIA=1
# (answered calls carry RTP, sipgen -rtp: most of the file is media;
# sngrep runs with RTP on, -r, and sipdbg's report --no-media is timed
# too, beside sipdbg with its media analysis).
#
# The table goes to standard output, progress to standard error. The exit
# status is 1 when sipdbg's counts differ from what the generator wrote.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-1G}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
SKIP_TSHARK=${SKIP_TSHARK:-0}
SKIP_SNGREP=${SKIP_SNGREP:-0}
SKIP_STAGES=${SKIP_STAGES:-0}
KEEP=${KEEP:-0}
CAPTURE=${CAPTURE:-}
MEDIA=${MEDIA:-0}

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'compare.sh: %s\n' "$*" >&2; exit 2; }

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
command -v go >/dev/null || die "go is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/sipdbg-compare.XXXXXX")
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [[ $KEEP == 1 ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------
missing=()
[[ -x /usr/bin/time ]] || missing+=(time)
[[ $SKIP_SNGREP == 1 ]] || command -v sngrep >/dev/null || missing+=(sngrep)
[[ $SKIP_TSHARK == 1 ]] || command -v tshark >/dev/null || missing+=(tshark)
if ((${#missing[@]})); then
	log "installing ${missing[*]}"
	sudo=()
	[[ $(id -u) == 0 ]] || sudo=(sudo)
	export DEBIAN_FRONTEND=noninteractive
	"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null ||
		{ "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; } ||
		die "could not install ${missing[*]}"
fi

log "building sipdbg and sipgen"
CGO_ENABLED=0 go build -o "$work/sipdbg" ./cmd/sipdbg
(cd tools && go build -o "$work/sipgen" ./sipgen)

# --- capture -----------------------------------------------------------
if [[ -n $CAPTURE ]]; then
	[[ -f $CAPTURE && -f $CAPTURE.json ]] || die "CAPTURE=$CAPTURE needs the file and its sidecar $CAPTURE.json"
	cap=$CAPTURE
	gen_cmd="(given capture $CAPTURE)"
else
	cap=$work/capture.pcap
	rtp_flag=()
	[[ $MEDIA == 1 ]] && rtp_flag=(-rtp)
	log "generating $SIZE (seed $SEED${rtp_flag[*]:+, with RTP})"
	"$work/sipgen" -size "$SIZE" -seed "$SEED" "${rtp_flag[@]}" -o "$cap"
	gen_cmd="sipgen -size $SIZE -seed $SEED${rtp_flag[*]:+ -rtp}"
fi
side=$cap.json
json_int() { grep -o "\"$1\": *[0-9][0-9]*" "$2" | head -n1 | grep -o '[0-9]*$'; }
want_calls=$(json_int calls "$side")
want_msgs=$(json_int sip_messages "$side")
cap_bytes=$(stat -c %s "$cap")
cat "$cap" >/dev/null # every tool then reads from the page cache

declare -A calls msgs

# --- runs --------------------------------------------------------------
# measure NAME OUT CMD...: runs CMD RUNS times with stdout to OUT, and
# appends "wall cpu rss_kb" per run to $work/NAME.runs.
measure() {
	local name=$1 out=$2
	shift 2
	: >"$work/$name.runs"
	: >"$work/$name.err"
	local i t0 t1 tf
	for ((i = 1; i <= RUNS; i++)); do
		log "$name run $i/$RUNS"
		tf=$work/$name.time
		t0=$(date +%s%N)
		if ! /usr/bin/time -v -o "$tf" "$@" >"$out" 2>>"$work/$name.err"; then
			tail -n 20 "$work/$name.err" >&2
			die "$name failed: $*"
		fi
		t1=$(date +%s%N)
		awk -v wall="$(((t1 - t0) / 1000000))" '
			/User time \(seconds\)/   { u = $NF }
			/System time \(seconds\)/ { s = $NF }
			/Maximum resident set size/ { r = $NF }
			END { printf "%.3f %.2f %d\n", wall / 1000, u + s, r }' "$tf" >>"$work/$name.runs"
	done
}

# median COLUMN FILE
median() {
	sort -g -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

tools=()

measure sipdbg /dev/null "$work/sipdbg" report --json "$cap"
tools+=(sipdbg)
# The first line of the JSON report holds the stats; sipdbg stops at the
# broken pipe once head has it.
head_line=$({ "$work/sipdbg" report --json "$cap" 2>/dev/null || true; } | head -n 1)
sipdbg_calls=$(grep -o '"calls":[0-9][0-9]*' <<<"$head_line" | grep -o '[0-9]*$' || echo "?")
sipdbg_msgs=$(grep -o '"sip_messages":[0-9][0-9]*' <<<"$head_line" | grep -o '[0-9]*$' || echo "?")
sipdbg_bad=$(grep -o '"undecodable":[0-9][0-9]*' <<<"$head_line" | grep -o '[0-9]*$' || echo "?")

if [[ $MEDIA == 1 ]]; then
	# The same report with the signalling alone: what media analysis costs.
	measure sipdbg-nomedia /dev/null "$work/sipdbg" report --json --no-media "$cap"
	tools+=(sipdbg-nomedia)
	calls[sipdbg-nomedia]=$sipdbg_calls msgs[sipdbg-nomedia]=$sipdbg_msgs
fi

if [[ $SKIP_STAGES != 1 ]]; then
	# The same load without the report (-N, as sngrep's), and with the
	# analysis of every call but no per-call output (--summary): what the
	# analysis adds to loading, apart from writing JSON.
	measure sipdbg-load /dev/null "$work/sipdbg" -N "$cap"
	measure sipdbg-summary /dev/null "$work/sipdbg" report --summary --timings "$cap"
fi

if [[ $SKIP_SNGREP != 1 ]]; then
	# -N: no interface (needs no terminal, nor TERM); it prints
	# "\rDialog count: N" as it goes, the last one at the end of the file.
	# -F: ignore any local sngreprc. -l: no dialog limit in practice.
	# -r (MEDIA=1): RTP on, sngrep keeps the RTP packets of the calls.
	rtp_opt=()
	[[ $MEDIA == 1 ]] && rtp_opt=(-r)
	measure sngrep "$work/sngrep.out" env -u TERM sngrep -F -N "${rtp_opt[@]}" -l 100000000 -I "$cap"
	tools+=(sngrep)
	sngrep_calls=$(tr '\r' '\n' <"$work/sngrep.out" | grep -o 'Dialog count: [0-9]*' | tail -n 1 | grep -o '[0-9]*$' || echo "?")
	sngrep_msgs="-"
fi

if [[ $SKIP_TSHARK != 1 ]]; then
	measure tshark "$work/tshark.out" tshark -r "$cap" -Y sip -T fields -e sip.Call-ID
	tools+=(tshark)
	# One line per SIP frame; a TCP segment holding several messages lists
	# their Call-IDs separated by commas.
	tr ',' '\n' <"$work/tshark.out" | sed '/^$/d' >"$work/tshark.ids"
	tshark_msgs=$(wc -l <"$work/tshark.ids")
	tshark_calls=$(sort -u "$work/tshark.ids" | wc -l)
fi

# --- table -------------------------------------------------------------
declare -A wall cpu rss
for t in "${tools[@]}"; do
	wall[$t]=$(median 1 "$work/$t.runs")
	cpu[$t]=$(median 2 "$work/$t.runs")
	rss[$t]=$(median 3 "$work/$t.runs")
done
calls[sipdbg]=$sipdbg_calls msgs[sipdbg]=$sipdbg_msgs
[[ $SKIP_SNGREP == 1 ]] || { calls[sngrep]=$sngrep_calls msgs[sngrep]=$sngrep_msgs; }
[[ $SKIP_TSHARK == 1 ]] || { calls[tshark]=$tshark_calls msgs[tshark]=$tshark_msgs; }

mem_gib=$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || commit="$commit (with uncommitted changes)"

echo
echo "capture: $cap_bytes bytes, $want_msgs SIP messages, $want_calls calls (Call-IDs) — $gen_cmd"
if [[ $MEDIA == 1 ]]; then
	echo "media: $(json_int rtp_packets "$side" || echo 0) RTP packets ($(json_int rtp_bytes "$side" || echo 0) bytes) in $(json_int rtp_streams "$side" || echo 0) streams; sngrep runs with -r (RTP on)"
fi
echo "median of $RUNS runs"
echo
w=8
[[ $MEDIA == 1 ]] && w=14
printf "%-${w}s | %8s | %8s | %13s | %12s | %12s\n" tool "wall (s)" "CPU (s)" "peak RSS (MB)" "calls counted" "SIP messages"
printf -- "%s+----------+----------+---------------+--------------+-------------\n" "$(printf -- '-%.0s' $(seq $((w + 1))))"
for t in "${tools[@]}"; do
	printf "%-${w}s | %8.2f | %8.2f | %13.0f | %12s | %12s\n" "$t" "${wall[$t]}" "${cpu[$t]}" "$(awk -v k="${rss[$t]}" 'BEGIN { print k / 1024 }')" "${calls[$t]}" "${msgs[$t]}"
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "-" }'; }
for t in "${tools[@]}"; do
	[[ $t == sipdbg || $t == sipdbg-nomedia ]] && continue
	printf '%s/sipdbg: wall %s, CPU %s, peak RSS %s\n' "$t" \
		"$(ratio "${wall[$t]}" "${wall[sipdbg]}")" "$(ratio "${cpu[$t]}" "${cpu[sipdbg]}")" "$(ratio "${rss[$t]}" "${rss[sipdbg]}")"
done
if [[ $SKIP_STAGES != 1 ]]; then
	echo
	echo "sipdbg by stage (median wall, peak RSS):"
	stage() { # label name
		printf '  %-50s %6.2f s  %5.0f MB\n' "$1" "$(median 1 "$work/$2.runs")" "$(awk -v k="$(median 3 "$work/$2.runs")" 'BEGIN { print k / 1024 }')"
	}
	stage "load (sipdbg -N)" sipdbg-load
	stage "load + analysis of every call (report --summary)" sipdbg-summary
	stage "load + analysis + JSON (report --json)" sipdbg
	# --timings times the load and the analysis apart in one process,
	# which two processes' wall times are too noisy for on a shared host.
	grep -o 'report [0-9.]* s ([0-9]*%' "$work/sipdbg-summary.err" | grep -o '[0-9]*%' | tr -d % >"$work/share"
	printf '  the analysis of every call adds %s%% to the load (report --summary --timings, in one process; median)\n' \
		"$(sort -n "$work/share" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
fi
echo
echo "machine: $(nproc) CPUs ($cpu_model), $mem_gib GiB RAM, $(uname -sr), load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
versions="sipdbg $commit, $(go version | cut -d' ' -f3)"
[[ $SKIP_SNGREP == 1 ]] || versions+=", $(sngrep -V 2>/dev/null | head -n1 || true)"
[[ $SKIP_TSHARK == 1 ]] || versions+=", $(tshark -v 2>/dev/null | head -n1 || true)"
echo "versions: $versions"
media_env=""
[[ $MEDIA == 1 ]] && media_env="MEDIA=1 "
if [[ -n $CAPTURE ]]; then
	echo "reproduce: CAPTURE=$CAPTURE ${media_env}RUNS=$RUNS SKIP_TSHARK=$SKIP_TSHARK SKIP_SNGREP=$SKIP_SNGREP bench/compare.sh"
else
	echo "reproduce: SIZE=$SIZE SEED=$SEED ${media_env}RUNS=$RUNS SKIP_TSHARK=$SKIP_TSHARK SKIP_SNGREP=$SKIP_SNGREP bench/compare.sh"
fi
echo

status=0
check() { # what got want
	if [[ $2 == "$3" ]]; then
		echo "check: sipdbg $1 $2 = generator's $3: OK"
	else
		echo "check: sipdbg $1 $2 ≠ generator's $3: MISMATCH"
		status=1
	fi
}
check calls "$sipdbg_calls" "$want_calls"
check "SIP messages" "$sipdbg_msgs" "$want_msgs"
check undecodable "$sipdbg_bad" "$(json_int malformed "$side")"
exit $status
