#!/bin/sh
# Runs provseal's object-storage tests (tests/it/s3.rs) against a Garage
# server on loopback instead of s3s-fs.
#
#   tools/s3-tests-on-garage.sh [GARAGE-BINARY [TEST-NAME-FILTER ...]]
#
# GARAGE-BINARY defaults to `garage` on the PATH
# (`cargo install garage --locked` builds it, about 9 minutes on 2 cores).
# Garage gets a throwaway config, data and metadata directory, one node,
# one bucket and one key; the tests then run with PROVSEAL_TEST_S3_* set,
# each under its own prefix in that bucket (see tests/it/support/s3.rs).
# For MinIO or any other server, set those variables yourself and run
# `cargo test --test it s3::`.
set -eu
G=${1:-garage}
[ "$#" -gt 0 ] && shift
command -v "$G" >/dev/null 2>&1 || { echo "no garage binary: $G" >&2; exit 2; }
here=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
S3_PORT=$(port); RPC_PORT=$(port); ADMIN_PORT=$(port)
mkdir -p "$W/meta" "$W/data"
cat > "$W/garage.toml" <<CFG
metadata_dir = "$W/meta"
data_dir = "$W/data"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:$RPC_PORT"
rpc_public_addr = "127.0.0.1:$RPC_PORT"
rpc_secret = "$(openssl rand -hex 32)"
[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:$S3_PORT"
root_domain = ".s3.garage.localhost"
[admin]
api_bind_addr = "127.0.0.1:$ADMIN_PORT"
admin_token = "$(openssl rand -hex 16)"
CFG
chmod 600 "$W/garage.toml"
"$G" -c "$W/garage.toml" server > "$W/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$W"' EXIT INT TERM
gc() { "$G" -c "$W/garage.toml" "$@"; }
node=""
for _ in $(seq 1 100); do
    node=$(gc status 2>/dev/null | awk -v a="127.0.0.1:$RPC_PORT" '$0 ~ a {print $1; exit}') || true
    [ -n "$node" ] && break
    sleep 0.2
done
[ -n "$node" ] || { echo "garage did not start:" >&2; cat "$W/server.log" >&2; exit 2; }
gc layout assign -z dc1 -c 1G "$node" >/dev/null
gc layout apply --version 1 >/dev/null
gc bucket create provseal-tests >/dev/null
gc key create provseal-tests > "$W/key.txt"
gc bucket allow --read --write --owner provseal-tests --key provseal-tests >/dev/null
PROVSEAL_TEST_S3_ACCESS_KEY=$(awk -F': *' '/Key ID/ {print $2; exit}' "$W/key.txt")
PROVSEAL_TEST_S3_SECRET_KEY=$(awk -F': *' '/Secret key/ {print $2; exit}' "$W/key.txt")
export PROVSEAL_TEST_S3_ACCESS_KEY PROVSEAL_TEST_S3_SECRET_KEY
export PROVSEAL_TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
export PROVSEAL_TEST_S3_BUCKET=provseal-tests
export PROVSEAL_TEST_S3_REGION=garage
echo "garage $("$G" --version 2>/dev/null | head -1) on $PROVSEAL_TEST_S3_ENDPOINT, bucket provseal-tests"
cd "$here"
# Without filters, every test of the s3 module; with filters, those.
[ "$#" -gt 0 ] || set -- s3::
cargo test --test it -- "$@"
