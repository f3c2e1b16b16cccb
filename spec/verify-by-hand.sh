#!/bin/sh
# verify-by-hand.sh BUNDLE PUBKEY.pem [TSA-ROOT.pem]
#
# Checks a provseal bundle (format version 1) with nothing but unzip,
# sha256sum, openssl, a POSIX shell and python3 (to read JSON), following
# spec/bundle-v1.md section 12. Exit 0: the content and metadata are exactly
# what the holder of PUBKEY.pem signed, the custody chain (if any) holds,
# and, given TSA-ROOT.pem, every RFC 3161 token over the signature is valid
# under that root at its genTime. Exit 1: they are not. Exit 2: usage.
#
# It is deliberately independent of provseal's own code, to show that the
# format can be checked without it.
set -eu

if [ "$#" -lt 2 ] || [ "$#" -gt 3 ]; then
    echo "usage: $0 BUNDLE PUBKEY.pem [TSA-ROOT.pem]" >&2
    exit 2
fi
bundle=$1
pubkey=$2
tsa_root=${3:-}
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

# 0. The container's bytes are the canonical layout of spec section 3.2:
# local headers and their data tile the file from offset 0, then the
# central directory, then a 22-byte end record, with every fixed field at
# its one allowed value. unzip tolerates prepended bytes, comments, gaps
# and headers that disagree; provseal does not, and neither does this.
python3 - "$bundle" <<'PY' || fail "the container is not in the canonical layout (spec section 3.2)"
import struct, sys, zlib
b = open(sys.argv[1], "rb").read()
def bad(why):
    print(why, file=sys.stderr)
    sys.exit(1)
if len(b) < 22 or b[-22:-18] != b"PK\x05\x06":
    bad("no end record in the last 22 bytes")
_, d0, d1, n1, n2, cd_size, cd_off, clen = struct.unpack("<IHHHHIIH", b[-22:])
if (d0, d1, clen) != (0, 0, 0) or n1 != n2:
    bad("end record: disk numbers, comment or counts")
if cd_off + cd_size != len(b) - 22:
    bad("the central directory does not end where the end record starts")
pos, cpos, seen = 0, cd_off, set()
for i in range(n1):
    if b[cpos:cpos + 4] != b"PK\x01\x02":
        bad("central header %d" % i)
    (made, need, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen, comlen,
     disk, iattr, eattr, loff) = struct.unpack("<HHHHHHIIIHHHHHII", b[cpos + 4:cpos + 46])
    name = b[cpos + 46:cpos + 46 + nlen]
    if (made, need, flags, method, mtime, mdate) != (0x031e, 10, 0x0800, 0, 0, 0x21):
        bad("central header %d: fixed fields" % i)
    if (xlen, comlen, disk, iattr, eattr) != (0, 0, 0, 0, 0x81a40000) or csize != usize:
        bad("central header %d: extra, comment, attributes or sizes" % i)
    if loff != pos or name in seen:
        bad("entry %d does not start where the previous one ended" % i)
    seen.add(name)
    local = b[pos:pos + 30 + nlen]
    if local[:4] != b"PK\x03\x04" or local[4:26] != b[cpos + 6:cpos + 28]:
        bad("local header %d disagrees with its central header" % i)
    if struct.unpack("<HH", local[26:30]) != (nlen, 0) or local[30:] != name:
        bad("local header %d: name or extra field" % i)
    data = b[pos + 30 + nlen:pos + 30 + nlen + csize]
    if len(data) != csize or zlib.crc32(data) != crc:
        bad("entry %d: data or CRC-32" % i)
    pos += 30 + nlen + csize
    cpos += 46 + nlen
if pos != cd_off or cpos != cd_off + cd_size:
    bad("the entries do not tile the file up to the central directory")
PY

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
unzip -Z1 "$bundle" >"$work/all-entries" 2>/dev/null || fail "cannot list entries"
# The appendix (custody events, timestamp tokens) follows signature.json.
n=$(wc -l <"$work/expected-entries" | tr -d ' ')
head -n "$n" "$work/all-entries" >"$work/entries"
tail -n +"$((n + 1))" "$work/all-entries" >"$work/appendix"
cmp -s "$work/entries" "$work/expected-entries" || fail "the entries are not exactly the listed files, manifest.json and signature.json, in order"
if grep -Ev '^(custody/[0-9]{6}\.json|timestamps/(signature|custody-[0-9]{6})\.[1-9][0-9]?\.tsr)$' "$work/appendix" >/dev/null; then
    fail "an entry after signature.json is neither a custody event nor a timestamp token"
fi

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

# 6. The custody chain: each event's envelope, its statement (this bundle,
# its number, the digest of the event before it, times not going back),
# and its Ed25519 signature by the actor key it names.
captured=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["capture"]["captured_at"])' "$work/manifest.json")
previous=$bundle_id
floor=$captured
seq=0
for event in $(grep '^custody/' "$work/appendix" || true); do
    seq=$((seq + 1))
    [ "$event" = "$(printf 'custody/%06d.json' "$seq")" ] || fail "$event: expected event $seq"
    unzip -p "$bundle" "$event" >"$work/event.json" 2>/dev/null || fail "$event: cannot extract"
    python3 - "$work/event.json" "$work" "$bundle_id" "$seq" "$previous" "$floor" <<'PY' || fail "$event: not a valid event of this chain"
import base64, datetime, hashlib, json, sys
env = json.load(open(sys.argv[1], "rb"))
assert env["payloadType"] == "application/vnd.provseal.custody-event+json;version=1"
assert len(env["signatures"]) == 1
payload = base64.b64decode(env["payload"], validate=True)
e = json.loads(payload.decode("utf-8"))
assert e["type"] == "provseal-custody-event" and e["version"] == 1
assert e["bundle_id"] == sys.argv[3] and e["sequence"] == int(sys.argv[4])
assert e["previous"] == sys.argv[5]
t = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
assert t(e["time"]) >= t(sys.argv[6])
raw = base64.b64decode(e["actor"]["public_key"], validate=True)
assert len(raw) == 32 and e["actor"]["key_id"] == "sha256:" + hashlib.sha256(raw).hexdigest()
assert env["signatures"][0]["keyid"] == e["actor"]["key_id"]
w = sys.argv[2]
# SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix, then the key.
open(w + "/actor.der", "wb").write(bytes.fromhex("302a300506032b6570032100") + raw)
open(w + "/event-sig.bin", "wb").write(base64.b64decode(env["signatures"][0]["sig"], validate=True))
t_ = b"application/vnd.provseal.custody-event+json;version=1"
open(w + "/event-pae", "wb").write(b"DSSEv1 %d %s %d " % (len(t_), t_, len(payload)) + payload)
open(w + "/event-time", "w").write(e["time"])
PY
    openssl pkeyutl -verify -pubin -keyform DER -inkey "$work/actor.der" -rawin -in "$work/event-pae" \
        -sigfile "$work/event-sig.bin" >/dev/null 2>&1 || fail "$event: the actor's signature does not verify"
    previous="sha256:$(sha256sum "$work/event.json" | cut -d' ' -f1)"
    floor=$(cat "$work/event-time")
    # Kept for step 7: what a token over this event stamps, and its time.
    cp "$work/event-sig.bin" "$work/event-$(printf '%06d' "$seq").sig"
    cp "$work/event-time" "$work/event-$(printf '%06d' "$seq").time"
done

# check_token TOKEN DATA CLAIMED WHAT: the token TOKEN in the bundle stamps
# the bytes in file DATA, verifies under the TSA root at its own genTime,
# and its genTime is not before CLAIMED (WHAT's time) less five minutes.
check_token() {
    unzip -p "$bundle" "$1" >"$work/token.tsr" 2>/dev/null || fail "$1: cannot extract"
    gen=$(openssl ts -reply -in "$work/token.tsr" -text 2>/dev/null | sed -n 's/^Time stamp: //p')
    [ -n "$gen" ] || fail "$1: not a time-stamp response"
    at=$(python3 - "$gen" "$3" <<'PY'
import datetime, sys
g = datetime.datetime.strptime(sys.argv[1].replace(" GMT", "").split(".")[0], "%b %d %H:%M:%S %Y")
g = g.replace(tzinfo=datetime.timezone.utc)
c = datetime.datetime.fromisoformat(sys.argv[2].replace("Z", "+00:00"))
print(int(g.timestamp()) if c <= g + datetime.timedelta(minutes=5) else "early")
PY
)
    [ "$at" != early ] || fail "$1: $4 is later than the token's genTime"
    openssl ts -verify -data "$2" -in "$work/token.tsr" -CAfile "$tsa_root" -attime "$at" \
        >/dev/null 2>&1 || fail "$1: openssl ts -verify refuses it"
}

# 7. With a TSA root: every token over the manifest's signature, and every
# token over a custody event's signature, verifies under it, judged at its
# own genTime, and does not predate the time its subject claims (by more
# than five minutes).
if [ -n "$tsa_root" ]; then
    for token in $(grep '^timestamps/custody-' "$work/appendix" || true); do
        n=$(printf '%s' "$token" | sed -n 's|^timestamps/custody-\([0-9]\{6\}\)\..*|\1|p')
        [ -f "$work/event-$n.sig" ] || fail "$token: stamps event $n, which the chain does not hold"
        check_token "$token" "$work/event-$n.sig" "$(cat "$work/event-$n.time")" "the event's time"
    done
    for token in $(grep '^timestamps/signature\.' "$work/appendix" || true); do
        check_token "$token" "$work/sig.bin" "$captured" "the capture time"
    done
fi

echo "OK: $bundle is intact and signed by $manifest_id (bundle id $bundle_id)"
