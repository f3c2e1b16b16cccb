#!/bin/sh
# Nightly re-check of an evidence archive: every bundle under ARCHIVE_DIR,
# in parallel, with a JUnit report for the CI system and a JSON Lines log
# for dashboards. Exit status: 0 all verified, 1 something failed (the
# reports say what), 2 the run itself could not be done.
#
#   ARCHIVE_DIR=/srv/evidence TRUSTED_KEYS=keys sh examples/ci/verify-archive.sh
#
# Optional: SHARD=I/N to split the archive over N jobs; REPORT_DIR (default
# reports); FAIL_ON=warning to fail on warnings too.
set -eu
: "${ARCHIVE_DIR:?set ARCHIVE_DIR to the archive's root directory}"
: "${TRUSTED_KEYS:?set TRUSTED_KEYS to a directory of trusted *.pub keys}"
REPORT_DIR=${REPORT_DIR:-reports}
mkdir -p "$REPORT_DIR"

set --
for key in "$TRUSTED_KEYS"/*.pub; do
    set -- "$@" --trust "$key"
done
[ "$#" -gt 0 ] || { echo "no *.pub keys in $TRUSTED_KEYS" >&2; exit 2; }
[ -n "${SHARD:-}" ] && set -- "$@" --shard "$SHARD"

status=0
provseal verify "$@" --fail-on "${FAIL_ON:-error}" --format junit "$ARCHIVE_DIR" \
    > "$REPORT_DIR/provseal-junit.xml" || status=$?
# The same run as data, one line per bundle; the totals line last.
provseal verify "$@" --fail-on "${FAIL_ON:-error}" --format jsonl --quiet "$ARCHIVE_DIR" \
    > "$REPORT_DIR/provseal.jsonl" || true
tail -n 1 "$REPORT_DIR/provseal.jsonl"
exit "$status"
