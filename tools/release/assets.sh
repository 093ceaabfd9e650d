#!/usr/bin/env bash
# The release's generated files: the manual page and the shell
# completions, made by sipdbg itself from its command table (so that they
# know every flag), written under dist-assets/ for .goreleaser.yaml's
# archives, deb/rpm packages and Homebrew cask. The version given as $1
# goes into the manual page's footer.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=${1:-devel}
out=dist-assets
rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
CGO_ENABLED=0 go build -ldflags "-X main.buildVersion=$version" -o "$bin/sipdbg" ./cmd/sipdbg
# -n: no name or time in the gzip header, so that the file is reproducible.
"$bin/sipdbg" man | gzip -9n >"$out/man/sipdbg.1.gz"
"$bin/sipdbg" completion bash >"$out/completions/sipdbg.bash"
"$bin/sipdbg" completion zsh >"$out/completions/_sipdbg"
"$bin/sipdbg" completion fish >"$out/completions/sipdbg.fish"
