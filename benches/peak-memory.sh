#!/bin/sh
# Peak resident memory of `provseal verify` on a 2 MiB and a 2 GiB bundle
# (issue: memory must not grow with bundle size). Needs GNU time
# (/usr/bin/time) and about 2 GiB of free space in ${TMPDIR:-/tmp}.
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin provseal --example make_large_bundle
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for mib in 2 2048; do
    target/release/examples/make_large_bundle "$work/b$mib.zip" "$mib" >/dev/null
    /usr/bin/time -f "%M %e" -o "$work/time" \
        target/release/provseal verify "$work/b$mib.zip" --trust spec/vectors/keys/test-signer.pub >/dev/null
    read -r rss secs <"$work/time"
    bytes=$(wc -c <"$work/b$mib.zip" | tr -d ' ')
    echo "verify ${mib} MiB bundle ($bytes bytes): peak RSS ${rss} KiB, ${secs} s"
done
