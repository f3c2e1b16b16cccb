#!/bin/sh
# make-pki.sh [DIR]
# How the timestamp vectors' certificates were made (OpenSSL 3.0), once;
# the files are committed and the vector generator signs tokens with the
# keys, so the vectors are reproducible without running this again. The
# loopback TSA of the tests (tests/it/support/tsa.rs) runs it into a fresh DIR
# for a PKI of its own.
#   root.pem        the TSA root the vectors trust (2020-01-01 to 2099-12-31)
#   other-root.pem  a root they do not trust
#   tsa.pem/.key    a timestamping certificate under root.pem
#   expired.pem/.key  the same, but valid only 2023-01-01 to 2024-12-31
#   plain.pem/.key  a certificate under root.pem without the timeStamping usage
set -eu
cd "${1:-$(dirname "$0")}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/ca.cnf" <<CNF
[ ca ]
default_ca = vectors
[ vectors ]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ root_ext ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ plain_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
CNF
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
: > "$work/index.txt"
echo 1000 > "$work/serial"
for r in root other-root; do
  key "$work/$r.key"
  openssl req -new -config "$work/ca.cnf" -key "$work/$r.key" -subj "/CN=provseal vectors $r" -out "$work/$r.csr"
  openssl ca -batch -config "$work/ca.cnf" -selfsign -keyfile "$work/$r.key" -in "$work/$r.csr" \
    -startdate 20200101000000Z -enddate 20991231235959Z -extensions root_ext -notext -out "$r.pem"
done
leaf() { # name ext start end
  key "$1.key"
  openssl req -new -config "$work/ca.cnf" -key "$1.key" -subj "/CN=provseal vectors $1" -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -cert root.pem -keyfile "$work/root.key" -in "$work/$1.csr" \
    -startdate "$3" -enddate "$4" -extensions "$2" -notext -out "$1.pem"
}
leaf tsa tsa_ext 20200101000000Z 20991231235959Z
leaf expired tsa_ext 20230101000000Z 20241231235959Z
leaf plain plain_ext 20200101000000Z 20991231235959Z
