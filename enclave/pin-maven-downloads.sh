#!/bin/sh
# The image build's Maven downloads, pinned: records the SHA-256 of every file Maven resolves for
# the Dockerfile's dependency step (plugins, dependencies, annotation processors and their POMs)
# into enclave/maven-checksums/checksums.sha256, from a fresh local repository. Run it after
# changing pom.xml's dependencies or plugins, and review the diff like code.
#
#   enclave/pin-maven-downloads.sh                 record (downloads everything once more)
#   enclave/pin-maven-downloads.sh --check [DIR]   check, offline against ~/.m2, that the build
#                                                  resolves nothing unpinned or different (DIR:
#                                                  another checksums directory, for tests)
#
# The resolver settings are read from the Dockerfile's ENV MAVEN_ARGS, so both use the same ones.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:-record}
checksums=${2:-$root/enclave/maven-checksums}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R mvnw pom.xml .mvn "$work/"
mkdir -p "$work/src/main/java/dev/teeagent"
printf 'package dev.teeagent;\n\nfinal class Placeholder {}\n' >"$work/src/main/java/dev/teeagent/Placeholder.java"

# ENV MAVEN_ARGS="... \ (continued lines) ...": joined, unquoted, the checksums directory swapped.
args=$(sed -n '/^ENV MAVEN_ARGS="/,/"$/p' enclave/Dockerfile |
  sed -e 's/^ENV MAVEN_ARGS="//' -e 's/"$//' -e 's/[[:space:]]*\\$//' | tr '\n' ' ' |
  sed 's|summaryFile.basedir=[^ ]*||')
[ -n "$args" ] || { echo "pin-maven-downloads: no ENV MAVEN_ARGS in enclave/Dockerfile" >&2; exit 1; }

cd "$work"
case $mode in
  record)
    mkdir -p "$work/checksums"
    MAVEN_ARGS="$args -Daether.trustedChecksumsSource.summaryFile.basedir=$work/checksums \
-Daether.artifactResolver.postProcessor.trustedChecksums.record=true" \
      ./mvnw -B -ntp -q -DskipTests "-Dmaven.repo.local=$work/repository" package
    mkdir -p "$root/enclave/maven-checksums"
    cp "$work/checksums/checksums.sha256" "$root/enclave/maven-checksums/"
    echo "pin-maven-downloads: $(wc -l <"$root/enclave/maven-checksums/checksums.sha256") files pinned"
    ;;
  --check)
    MAVEN_ARGS="$args -Daether.trustedChecksumsSource.summaryFile.basedir=$checksums" \
      ./mvnw -B -ntp -q -o -DskipTests package
    echo "pin-maven-downloads: every file the image build resolves is pinned and matches"
    ;;
  *)
    echo "usage: $0 [--check [DIR]]" >&2
    exit 2
    ;;
esac
