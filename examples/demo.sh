#!/bin/sh
# The main job on the shipped example, end to end:
#   make a throwaway signing key, pack examples/article.txt into a signed
#   evidence bundle, verify it trusting that key, cite it, record a custody
#   event, and check it again with nothing but unzip, sha256sum and openssl.
# Everything it writes goes to target/demo/ (or $CARGO_TARGET_DIR/demo/) so
# you can look at it afterwards. It runs from any directory.
set -eu
cd "$(dirname "$0")/.."
command -v cargo >/dev/null 2>&1 || {
    echo "demo: cargo is not installed: install Rust first (see README.md)" >&2
    exit 2
}
echo "== building provseal (the first build takes about 10 minutes on 2 cores; later ones seconds)"
started=$(date +%s)
# cargo names the binary it built, wherever CARGO_TARGET_DIR or a config
# puts it; its progress goes to the terminal as usual.
bin=$(cargo build --bin provseal --message-format=json-render-diagnostics |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -n "$bin" ] && [ -x "$bin" ] || {
    echo "demo: cargo did not report the provseal binary it built" >&2
    exit 2
}
echo "built $bin in $(( $(date +%s) - started )) s"
out=$(dirname "$(dirname "$bin")")/demo
rm -rf "$out"
mkdir -p "$out"

echo "== key generate (a throwaway demo key; never use it for real evidence)"
"$bin" key generate --out "$out/demo-signer"

echo "== pack"
"$bin" pack examples/article.txt --key "$out/demo-signer.key" \
    --repost-url 'https://portal.example.net/news/view?id=991' \
    -o "$out/article.zip"

echo "== verify"
"$bin" verify "$out/article.zip" --trust "$out/demo-signer.pub"

echo "== cite (CSL-JSON)"
"$bin" cite "$out/article.zip" --format csl-json --trust "$out/demo-signer.pub"

echo "== attest: a custodian records receiving it (a custody event; the bundle id stays)"
"$bin" key generate --out "$out/demo-custodian"
"$bin" attest "$out/article.zip" --key "$out/demo-custodian.key" --action received \
    --note "received from the demo newsroom"
"$bin" verify "$out/article.zip" --trust "$out/demo-signer.pub" --trust "$out/demo-custodian.pub"

echo "== verify by hand (unzip, sha256sum, openssl)"
sh spec/verify-by-hand.sh "$out/article.zip" "$out/demo-signer.pub"

echo "== a changed byte is caught"
cp "$out/article.zip" "$out/tampered.zip"
printf 'X' | dd of="$out/tampered.zip" bs=1 seek=2000 conv=notrunc 2>/dev/null
if "$bin" verify "$out/tampered.zip" --trust "$out/demo-signer.pub"; then
    echo "demo: a tampered bundle verified; this is a bug" >&2
    exit 1
fi
echo "demo: OK (files are in $out/)"
