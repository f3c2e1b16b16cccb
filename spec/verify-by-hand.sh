#!/bin/sh
# verify-by-hand.sh BUNDLE PUBKEY.pem
#
# Checks a provseal bundle (format version 1) with nothing but unzip,
# sha256sum, openssl, a POSIX shell and python3 (to read JSON), following
# spec/bundle-v1.md section 12. Exit 0: the content and metadata are exactly
# what the holder of PUBKEY.pem signed. Exit 1: they are not. Exit 2: usage.
#
# It is deliberately independent of provseal's own code, to show that the
# format can be checked without it.
set -eu

if [ "$#" -ne 2 ]; then
    echo "usage: $0 BUNDLE PUBKEY.pem" >&2
    exit 2
fi
bundle=$1
pubkey=$2
for tool in unzip sha256sum openssl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "needs $tool" >&2; exit 2; }
done
[ -f "$bundle" ] || { echo "$bundle: no such file" >&2; exit 2; }
[ -f "$pubkey" ] || { echo "$pubkey: no such file" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

# unzip treats names as wildcard patterns: bracket the special characters.
pattern() { printf '%s' "$1" | sed -e 's/\[/[[]/g' -e 's/\*/[*]/g' -e 's/?/[?]/g'; }

# 1. Every entry's CRC-32.
unzip -tq "$bundle" >/dev/null 2>&1 || fail "unzip -t reports a damaged archive"

# 2. The manifest, and the entry list against it.
unzip -p "$bundle" manifest.json >"$work/manifest.json" 2>/dev/null || fail "no manifest.json"
python3 - "$work/manifest.json" "$work" <<'PY' || fail "manifest.json is not a version 1 manifest"
import json, sys
with open(sys.argv[1], "rb") as f:
    m = json.loads(f.read().decode("utf-8"))
assert m["format"] == "provseal-bundle" and m["version"] == 1
with open(sys.argv[2] + "/files.tsv", "w") as out:
    for f in m["files"]:
        assert "\t" not in f["path"] and "\n" not in f["path"]
        out.write("%s\t%d\t%s\n" % (f["path"], f["size"], f["sha256"]))
with open(sys.argv[2] + "/expected-entries", "w") as out:
    for f in m["files"]:
        out.write(f["path"] + "\n")
    out.write("manifest.json\n")
    if "signer" in m:
        out.write("signature.json\n")
s = m.get("signer")
with open(sys.argv[2] + "/signer", "w") as out:
    if s:
        assert s["algorithm"] == "ed25519"
        out.write("%s\n%s\n" % (s["public_key"], s["key_id"]))
PY
[ -s "$work/signer" ] || fail "the manifest names no signer: an unsigned bundle proves nothing"
unzip -Z1 "$bundle" >"$work/entries" 2>/dev/null || fail "cannot list entries"
cmp -s "$work/entries" "$work/expected-entries" || fail "the entries are not exactly the listed files, manifest.json and signature.json, in order"

# 3. Each listed file's size and SHA-256.
tab=$(printf '\t')
while IFS="$tab" read -r path size digest; do
    unzip -p "$bundle" "$(pattern "$path")" >"$work/file" 2>/dev/null || fail "$path: cannot extract"
    actual_size=$(wc -c <"$work/file" | tr -d ' ')
    [ "$actual_size" = "$size" ] || fail "$path: $actual_size bytes, manifest says $size"
    actual=$(sha256sum "$work/file" | cut -d' ' -f1)
    [ "$actual" = "$digest" ] || fail "$path: SHA-256 $actual, manifest says $digest"
done <"$work/files.tsv"

# 4. The trusted public key is the signer the manifest names.
openssl pkey -pubin -in "$pubkey" -outform DER >"$work/pub.der" 2>/dev/null || fail "$pubkey: not a public key"
tail -c 32 "$work/pub.der" >"$work/pub.raw"
raw_b64=$(openssl base64 -A <"$work/pub.raw")
raw_id="sha256:$(sha256sum "$work/pub.raw" | cut -d' ' -f1)"
manifest_key=$(sed -n 1p "$work/signer")
manifest_id=$(sed -n 2p "$work/signer")
[ "$raw_b64" = "$manifest_key" ] || fail "the manifest's signer is not the key in $pubkey"
[ "$raw_id" = "$manifest_id" ] || fail "the manifest's key id is not the SHA-256 of its key"

# 5. The envelope: payload is manifest.json, signature verifies over PAE.
unzip -p "$bundle" signature.json >"$work/signature.json" 2>/dev/null || fail "no signature.json"
python3 - "$work/signature.json" "$work" "$manifest_id" <<'PY' || fail "signature.json is not a valid envelope"
import base64, json, sys
with open(sys.argv[1], "rb") as f:
    e = json.loads(f.read().decode("utf-8"))
assert e["payloadType"] == "application/vnd.provseal.manifest+json;version=1"
assert len(e["signatures"]) == 1 and e["signatures"][0]["keyid"] == sys.argv[3]
with open(sys.argv[2] + "/payload", "wb") as out:
    out.write(base64.b64decode(e["payload"], validate=True))
with open(sys.argv[2] + "/sig.bin", "wb") as out:
    sig = base64.b64decode(e["signatures"][0]["sig"], validate=True)
    assert len(sig) == 64
    out.write(sig)
PY
cmp -s "$work/payload" "$work/manifest.json" || fail "the signed payload is not manifest.json"
type=application/vnd.provseal.manifest+json\;version=1
len=$(wc -c <"$work/manifest.json" | tr -d ' ')
printf 'DSSEv1 %d %s %d ' "${#type}" "$type" "$len" >"$work/pae"
cat "$work/manifest.json" >>"$work/pae"
openssl pkeyutl -verify -pubin -inkey "$pubkey" -rawin -in "$work/pae" -sigfile "$work/sig.bin" >/dev/null 2>&1 \
    || fail "the Ed25519 signature does not verify"

bundle_id="sha256:$(sha256sum "$work/manifest.json" | cut -d' ' -f1)"
echo "OK: $bundle is intact and signed by $manifest_id (bundle id $bundle_id)"
