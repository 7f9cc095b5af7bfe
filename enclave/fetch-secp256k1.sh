#!/bin/sh
# Fetches the library of the agent's native signer for the enclave image: libsecp256k1 from
# Debian 12's package libsecp256k1-1 at a pinned version, checked against the package's pinned
# SHA-256 (the value in bookworm's signed Packages index), unpacked, and only the shared library
# kept, under the name the agent looks up (crypto/NativeSecp256k1: libsecp256k1.so.1).
# The final image is distroless cc-debian12, the same Debian 12 and glibc the package is built for.
# Used by the Dockerfile, and by RuntimeSignerIT, which runs the agent with what it writes.
#
# Usage: fetch-secp256k1.sh OUTPUT_DIR      writes OUTPUT_DIR/libsecp256k1.so.1
#
# A newer bookworm point release may replace this version in the pool (deb.debian.org keeps only
# the current one); the download then fails and the pin must be raised, with the new SHA-256 from
# `apt-cache show libsecp256k1-1` on bookworm. It never silently takes another build.
set -eu

LIBSECP256K1_VERSION=0.2.0-2
LIBSECP256K1_SHA256=d6de95cc96d97936900bad1af561f8c2e73906f5956ca48906d49771197232a8
URL=https://deb.debian.org/debian/pool/main/libs/libsecp256k1/libsecp256k1-1_${LIBSECP256K1_VERSION}_amd64.deb

if [ "$#" -ne 1 ]; then
  echo "usage: $0 OUTPUT_DIR" >&2
  exit 2
fi
out=$1
for tool in curl sha256sum dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "fetch-secp256k1: $tool is needed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl --proto '=https' --tlsv1.2 --fail --silent --show-error --location --retry 3 \
  --output "$work/libsecp256k1.deb" "$URL"
echo "$LIBSECP256K1_SHA256  $work/libsecp256k1.deb" | sha256sum --check --strict --quiet - || {
  echo "fetch-secp256k1: checksum mismatch for $URL" >&2
  exit 1
}
dpkg-deb --extract "$work/libsecp256k1.deb" "$work/root"
mkdir -p "$out"
# The package's libsecp256k1.so.1 is a symlink to the versioned file: copy the file under the
# link's name, so the image holds one regular file and no link.
cp -L "$work/root/usr/lib/x86_64-linux-gnu/libsecp256k1.so.1" "$out/libsecp256k1.so.1"
echo "fetch-secp256k1: $out/libsecp256k1.so.1 (libsecp256k1-1 $LIBSECP256K1_VERSION, deb sha256 $LIBSECP256K1_SHA256)"
