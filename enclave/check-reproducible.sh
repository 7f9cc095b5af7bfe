#!/usr/bin/env bash
# `make check-reproducible`: builds the jar and the jlink runtime twice, from two copies of the
# working tree in different directories, and fails unless both builds are byte-identical. These are
# the image's inputs that this machine can build; the image build adds only pinned, checksummed parts.
# Maven runs offline (-o): the local repository must already hold the build's dependencies
# (any earlier `make jar` or `make test` puts them there).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${JAVA_HOME:?JAVA_HOME must point to a JDK 25}"
work=$(mktemp -d "${TMPDIR:-/tmp}/tee-agent-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Tracked and new (not ignored) files: the tree as it is now, without build outputs.
copy_tree() {
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
    if [ -e "$file" ]; then
      printf '%s\0' "$file"
    fi
  done | tar --null --files-from=- --create --file=- | tar --extract --file=- --directory="$1"
}

build_in() {
  local dir=$1
  echo "==> building in $dir"
  copy_tree "$dir"
  (cd "$dir" && ./mvnw -B -ntp -q -o -DskipTests package >"$dir.maven.log" 2>&1) || {
    cat "$dir.maven.log" >&2
    echo "check-reproducible: the build in $dir failed" >&2
    exit 1
  }
  sh "$dir/enclave/build-runtime.sh" "$JAVA_HOME" "$dir/build/runtime" >/dev/null
}

tree_digest() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

# Different depths and names, so nothing path-dependent can hide.
first=$work/a
second=$work/second/copy/of/the/tree
build_in "$first"
build_in "$second"

jar_a=$(sha256sum "$first/target/tee-agent.jar" | cut -d' ' -f1)
jar_b=$(sha256sum "$second/target/tee-agent.jar" | cut -d' ' -f1)
echo "jar      $jar_a  $first/target/tee-agent.jar"
echo "jar      $jar_b  $second/target/tee-agent.jar"
runtime_a=$(tree_digest "$first/build/runtime" | sha256sum | cut -d' ' -f1)
runtime_b=$(tree_digest "$second/build/runtime" | sha256sum | cut -d' ' -f1)
echo "runtime  $runtime_a  $first/build/runtime"
echo "runtime  $runtime_b  $second/build/runtime"

if [ "$jar_a" != "$jar_b" ]; then
  echo "check-reproducible: FAILED: the two jars differ" >&2
  exit 1
fi
if [ "$runtime_a" != "$runtime_b" ]; then
  diff <(tree_digest "$first/build/runtime") <(tree_digest "$second/build/runtime") >&2 || true
  echo "check-reproducible: FAILED: the two runtimes differ" >&2
  exit 1
fi
echo "check-reproducible: OK (jar sha256 $jar_a, runtime sha256 $runtime_a)"
