#!/usr/bin/env bash
# Checks that a refactor does not change behaviour: runs `report --json`,
# `report --summary --json` and `report --explain` with two sipdbg binaries
# on every capture given (default: ../shared/pcaps, the repository's
# testdata captures) and prints one line per file whose output differs.
#
#   bench/samejson.sh OLD_BINARY NEW_BINARY [FILE...]
#
# Exit status 1 when any output differs. A generated capture can be added:
#   (cd tools && go run ./sipgen -size 1G -seed 1 -o /tmp/1g.pcap)
#   bench/samejson.sh /tmp/old /tmp/new /tmp/1g.pcap
set -uo pipefail
cd "$(dirname "$0")/.."
old=${1:?old binary}; new=${2:?new binary}; shift 2
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
	while IFS= read -r f; do files+=("$f"); done < <(
		{ find ../shared/pcaps -type f ! -name '*.md' 2>/dev/null
		  git ls-files 'testdata/*.pcap' 'testdata/*.pcapng' 'testdata/*.gz' '**/testdata/*.pcap' '**/testdata/*.pcapng' '**/testdata/**/*.pcap' '**/testdata/**/*.pcapng' '**/testdata/**/*.txt' '**/testdata/**/*.log'; } | sort -u)
fi
diffs=0; same=0
for f in "${files[@]}"; do
	for mode in "--json" "--summary --json" "--explain"; do
		# shellcheck disable=SC2086
		a=$("$old" report $mode "$f" 2>&1 | sha256sum); b=$("$new" report $mode "$f" 2>&1 | sha256sum)
		if [ "$a" != "$b" ]; then echo "DIFFERS: report $mode $f"; diffs=$((diffs+1)); else same=$((same+1)); fi
	done
done
echo "$same outputs identical, $diffs differ (${#files[@]} files)"
[ "$diffs" -eq 0 ]
