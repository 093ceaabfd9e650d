#!/usr/bin/env bash
# Measures how long the interface takes to show its first screen of calls
# on a capture, whatever its size: the time from starting `sipdbg FILE` in
# a tmux window until the call list's header and a first call are on the
# screen (polled every 5 ms, so figures are ± 5 ms). It includes starting
# the process and tmux drawing the screen.
#
#   bench/firstscreen.sh FILE...          # e.g. a 1 GB capture from sipgen
#   RUNS=9 bench/firstscreen.sh FILE
#   SIPDBG=./sipdbg bench/firstscreen.sh FILE   # a binary already built
#
# Prints one line per file: size, median and worst of RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
(($# > 0)) || { echo "usage: bench/firstscreen.sh FILE..." >&2; exit 2; }
command -v tmux >/dev/null || { echo "firstscreen.sh: tmux is not installed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sipdbg-firstscreen.XXXXXX")
sock=$work/tmux.sock
trap 'tmux -S "$sock" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
bin=${SIPDBG:-}
if [[ -z $bin ]]; then
	bin=$work/sipdbg
	CGO_ENABLED=0 go build -o "$bin" ./cmd/sipdbg
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }

once() { # prints the milliseconds to the first screen of $1
	local file=$1 t0 t
	cat "$file" >/dev/null # from the page cache, as the other benchmarks
	t0=$(now_ms)
	tmux -S "$sock" new -d -s fs -x 160 -y 48 "$(printf %q "$bin") $(printf %q "$file")"
	while :; do
		t=$(now_ms)
		# The header, and the first call's row under it.
		if tmux -S "$sock" capture-pane -p -t fs 2>/dev/null | grep -q '^1 .*[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'; then
			break
		fi
		if ((t - t0 > 10000)); then
			echo "firstscreen.sh: no call on the screen after 10 s:" >&2
			tmux -S "$sock" capture-pane -p -t fs >&2 || true
			exit 1
		fi
		sleep 0.005
	done
	tmux -S "$sock" kill-session -t fs
	echo $((t - t0))
}

printf '%-40s %12s %10s %10s\n' file bytes "median ms" "worst ms"
for f in "$@"; do
	times=()
	for _ in $(seq "$RUNS"); do
		times+=("$(once "$f")")
	done
	sorted=$(printf '%s\n' "${times[@]}" | sort -n)
	median=$(sed -n "$(((RUNS + 1) / 2))p" <<<"$sorted")
	worst=$(tail -n1 <<<"$sorted")
	printf '%-40s %12s %10s %10s\n' "$(basename "$f")" "$(stat -c %s "$f")" "$median" "$worst"
done
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; runs per file: $RUNS"
