#!/bin/sh
# Builds the minimal Java runtime of the enclave with jlink: only the modules in enclave/java-modules.
# Used by `make runtime` and by the Dockerfile, so the runtime tested here is the one in the image.
# Usage: build-runtime.sh JDK_HOME OUTPUT_DIR
set -eu

if [ "$#" -ne 2 ]; then
  echo "usage: $0 JDK_HOME OUTPUT_DIR" >&2
  exit 2
fi
jdk=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -x "$jdk/bin/jlink" ]; then
  echo "build-runtime: no jlink in $jdk (a full JDK 25 is needed)" >&2
  exit 1
fi
if ! command -v objcopy >/dev/null; then
  echo "build-runtime: objcopy is needed (Debian/Ubuntu: apt-get install binutils)" >&2
  exit 1
fi

# Included lines: strip comments and blanks; lines starting with '-' are documented exclusions.
modules=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$here/java-modules" | grep -v -e '^$' -e '^-' | paste -sd, -)

rm -rf "$out"
# --generate-cds-archive: the JDK's default class-data-sharing archive (the JDK classes every start
# loads, parsed and verified at build time) takes the agent's start CPU to ~0.92x (bench/start-time.sh),
# and two builds give the same bytes, so the image's PCRs stay reproducible. Only the archive for
# compressed object pointers is kept: the heap is capped far below 32 GiB (enclave/init), so the JVM
# never looks for classes_nocoops.jsa (14 MB).
"$jdk/bin/jlink" \
  --add-modules "$modules" \
  --strip-debug \
  --no-man-pages \
  --no-header-files \
  --compress zip-6 \
  --generate-cds-archive \
  --output "$out" >/dev/null
rm -f "$out/lib/server/classes_nocoops.jsa"
# The JDK's native libraries keep their full symbol tables (libjvm.so: 5 of its 29 MB), which only a
# native debugger reads; the dynamic symbols the loader and the JVM need stay. objcopy is
# deterministic, and the image build's comes with its pinned JDK image.
find "$out/lib" -name '*.so' -exec objcopy --strip-unneeded {} \;
echo "build-runtime: $out ($modules)"
