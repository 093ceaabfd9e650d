#!/usr/bin/env bash
# Prints the verdicts sipdbg gives the calls of a corpus: for each code
# and severity, how many calls have it as their verdict and in how many
# captures, then the captures whose calls have a warning or error
# verdict. The warnings and errors are each read against the packets in
# analysis/problems_test.go (public captures) and testdata/captures/
# failures/expected.json (the failure lab).
#
#   bench/verdicts.sh [SIPDBG] [DIR]      (defaults: a fresh build, ../shared/pcaps)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
dir=${2:-../shared/pcaps}
if [ -z "$bin" ]; then
	bin=$(mktemp -d)/sipdbg
	go build -o "$bin" ./cmd/sipdbg
fi
[ -d "$dir" ] || { echo "no corpus at $dir" >&2; exit 1; }
for f in "$dir"/*; do
	case "$f" in *.md | *.json) continue ;; esac
	printf '%s\t' "$(basename "$f")"
	"$bin" report --summary --json "$f" 2>/dev/null | python3 -c 'import json,sys
try:
    d = json.load(sys.stdin)
except Exception:
    print("{}"); sys.exit()
print(json.dumps({"calls": d["stats"]["calls"], "verdicts": d.get("verdicts") or []}))' || echo '{}'
done | python3 -c '
import json, sys
by, files, total, nocall, problems = {}, {}, 0, 0, []
for line in sys.stdin:
    name, _, doc = line.rstrip("\n").partition("\t")
    d = json.loads(doc or "{}")
    total += d.get("calls", 0)
    judged = 0
    bad = []
    for v in d.get("verdicts", []):
        k = (v["severity"], v["code"])
        by[k] = by.get(k, 0) + v["calls"]
        files.setdefault(k, set()).add(name)
        judged += v["calls"]
        if v["severity"] != "info":
            bad.append("%s %s x%d" % (v["severity"], v["code"], v["calls"]))
    nocall += d.get("calls", 0) - judged
    if bad:
        problems.append((name, bad))
order = {"error": 0, "warning": 1, "info": 2}
print("%-8s %-24s %8s %9s" % ("severity", "verdict", "calls", "captures"))
for (sev, code), n in sorted(by.items(), key=lambda kv: (order[kv[0][0]], -kv[1])):
    print("%-8s %-24s %8d %9d" % (sev, code, n, len(files[(sev, code)])))
print("%-8s %-24s %8d" % ("-", "(no finding)", nocall))
print("%-33s %8d" % ("calls", total))
print()
print("captures with a warning or error verdict:")
for name, bad in problems:
    print("  %s: %s" % (name, ", ".join(bad)))
'
