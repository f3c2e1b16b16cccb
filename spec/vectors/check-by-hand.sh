#!/bin/sh
# Runs verify-by-hand.sh on every vector whose index entry expects "pass" or
# "fail", with the test key, and checks the answer. Used by CI.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
python3 - "$here/index.json" <<'PY' >"${TMPDIR:-/tmp}/provseal-hand-cases.$$"
import json, sys
for e in json.load(open(sys.argv[1])):
    if e["verify_by_hand"] != "n/a":
        roots = e.get("tsa_roots", [])
        print(e["verify_by_hand"], e["file"], roots[0] if roots else "")
PY
status=0
checked=0
while read -r expected file root; do
    if sh "$here/../verify-by-hand.sh" "$here/$file" "$here/keys/test-signer.pub" ${root:+"$here/$root"} >/dev/null 2>&1; then
        got=pass
    else
        got=fail
    fi
    checked=$((checked + 1))
    if [ "$got" != "$expected" ]; then
        echo "MISMATCH: $file: verify-by-hand.sh answered $got, index expects $expected" >&2
        status=1
    fi
done <"${TMPDIR:-/tmp}/provseal-hand-cases.$$"
rm -f "${TMPDIR:-/tmp}/provseal-hand-cases.$$"
echo "verify-by-hand.sh: $checked vectors checked"
exit $status
