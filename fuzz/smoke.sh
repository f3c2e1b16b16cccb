#!/bin/sh
# Fuzz smoke run: each target for SECONDS (default 60), seeded with the spec
# vectors. Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on the stable
# toolchain through RUSTC_BOOTSTRAP=1. Prints runs per target; exits non-zero
# on any crash, leaving the reproducer under fuzz/artifacts/.
set -eu
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/verify_bundle" "$work/parse_manifest" "$work/extract_html" "$work/appendix_entry"
cp ../examples/article.html ../examples/article.txt "$work/extract_html/"
# Inputs that once crashed a target (regressions/TARGET-what) stay in its seeds.
for f in regressions/*; do
    [ -f "$f" ] || continue
    name=$(basename "$f")
    cp "$f" "$work/${name%%-*}/$name"
done
cp ../spec/vectors/valid/*.zip ../spec/vectors/invalid/*.zip "$work/verify_bundle/"
for z in ../spec/vectors/valid/*.zip; do
    unzip -p "$z" manifest.json >"$work/parse_manifest/$(basename "$z" .zip).json" 2>/dev/null || true
done
for z in ../spec/vectors/valid/custody_and_timestamps.zip ../spec/vectors/invalid/E07*.zip; do
    for e in $(unzip -Z1 "$z" | grep -E '^(custody|timestamps)/'); do
        unzip -p "$z" "$e" >"$work/appendix_entry/$(basename "$z" .zip)-$(echo "$e" | tr / -)"
    done
done
cargo fuzz build >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; echo "fuzz: build failed" >&2; exit 1; }
for target in verify_bundle parse_manifest extract_html appendix_entry; do
    cargo fuzz run "$target" "$work/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=1024 -max_len=262144 -print_final_stats=1 \
        >"$work/$target.log" 2>&1 || { tail -n 40 "$work/$target.log"; echo "fuzz: $target crashed" >&2; exit 1; }
    runs=$(grep -E '^stat::number_of_executed_units' "$work/$target.log" | awk '{print $2}')
    echo "fuzz: $target: ${runs:-?} runs in ${seconds}s, no crash"
done
