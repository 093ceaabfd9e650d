#!/usr/bin/env bash
# The release as CI checks it (.ci/run), as root on a Debian machine:
# goreleaser check, a snapshot release (static binaries for linux and
# darwin on amd64 and arm64, deb, rpm, archives, checksums, the Homebrew
# cask), then the deb installed with dpkg -i: the binary, its manual page
# and its completions must be where sipdbg, man and the shells find them,
# and sipdbg demo must run from it. The package is removed at the end.
#
# GORELEASER names a goreleaser binary already built; otherwise it is
# built from tools/release/go.mod, the version pinned there.
set -euo pipefail
cd "$(dirname "$0")/../.."
gr=${GORELEASER:-}
if [ -z "$gr" ]; then
	gr=$(mktemp -d)/goreleaser
	(cd tools/release && GOFLAGS= go build -o "$gr" github.com/goreleaser/goreleaser/v2)
fi
"$gr" --version | grep -m1 GitVersion

echo "-- goreleaser check"
"$gr" check
echo "-- goreleaser release --snapshot --clean"
"$gr" release --snapshot --clean >dist.log 2>&1 || { cat dist.log; exit 1; }
rm -f dist.log
for f in checksums.txt homebrew/Casks/sipdbg.rb; do
	test -s "dist/$f" || { echo "dist/$f is missing"; exit 1; }
done
ls dist/*.deb dist/*.rpm dist/*.tar.gz
(cd dist && sha256sum --quiet -c checksums.txt)

arch=$(dpkg --print-architecture)
deb=$(ls dist/sipdbg_*_linux_"$arch".deb)
echo "-- dpkg -i $deb"
dpkg -i "$deb" >/dev/null
trap 'dpkg -r sipdbg >/dev/null' EXIT
fail() { echo "installed package: $*"; exit 1; }

[ "$(command -v sipdbg)" = /usr/bin/sipdbg ] || fail "sipdbg is not /usr/bin/sipdbg on PATH"
v=$(sipdbg version)
echo "$v"
# The snapshot's version and build date come through -ldflags -X.
grep -Eq '^sipdbg [0-9]+\.[0-9]+\.[0-9]+-snapshot.* built 20' <<<"$v" || fail "sipdbg version does not give the release's version and build date: $v"

[ "$(man -w sipdbg)" = /usr/share/man/man1/sipdbg.1.gz ] || fail "man -w sipdbg gives $(man -w sipdbg 2>&1)"
MANPAGER=cat MANWIDTH=80 man sipdbg 2>/dev/null | grep -q 'sipdbg report' || fail "man sipdbg does not show the report command"

# bash-completion loads /usr/share/bash-completion/completions/sipdbg on
# first use; complete -p then names sipdbg's function.
bash --norc -c '. /usr/share/bash-completion/bash_completion; _completion_loader sipdbg; complete -p sipdbg' | grep -q -- '-F' ||
	fail "bash-completion does not find sipdbg's completion"
zsh -f -c 'autoload -U compinit && compinit -u -d /tmp/zcomp.$$ && print -r -- $_comps[sipdbg]' | grep -q . ||
	fail "zsh's compinit does not find _sipdbg"
rm -f /tmp/zcomp.$$
fish --no-config -c 'complete -C "sipdbg rep"' | grep -q '^report' || fail "fish does not complete sipdbg rep"

out=$(cd / && sipdbg demo </dev/null | tail -n 1)
grep -q 'SIP messages' <<<"$out" || fail "sipdbg demo printed: $out"
echo "$out"
echo "release: check, snapshot and the installed deb are good"
