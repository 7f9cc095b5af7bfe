#!/usr/bin/env bash
# `make release VERSION=X.Y.Z`: cuts release vX.Y.Z from a clean, committed tree.
#
#   1. Checks: VERSION is X.Y.Z and equals pom.xml's <version>; nothing is uncommitted; the tag
#      vX.Y.Z does not exist yet; CHANGELOG.md has a "## vX.Y.Z" section.
#   2. `make check-reproducible`: two builds of the jar and the jlink runtime in different
#      directories must be byte-identical (CHECK_REPRODUCIBLE names another command, for tests).
#   3. Writes build/release-vX.Y.Z.json: the commit, the jar's and the runtime's SHA-256, and what
#      cannot be computed here: PCR0-2 need Docker (`make eif`) and depend on the build arguments
#      OPERATOR_ADDRESS and TEE_NAME, so each operator publishes the PCRs of their own build.
#   4. Tags the commit: an annotated tag vX.Y.Z whose message is the changelog section and the
#      hashes. Pushing is left to you (git push origin vX.Y.Z), which runs the eif workflow.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "release: $*" >&2
  exit 1
}

version=${1:-}
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "give the version as X.Y.Z: make release VERSION=0.1.0"
tag=v$version
pom_version=$(sed -n '0,/<version>/s:.*<version>\(.*\)</version>.*:\1:p' pom.xml)
[ "$pom_version" = "$version" ] ||
  die "pom.xml says version $pom_version, not $version: change <version> in pom.xml (and commit) first"
[ -z "$(git status --porcelain)" ] ||
  die "the tree has uncommitted changes: commit or stash them, so the tag names exactly what was built"
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
  die "the tag $tag exists already: a release is cut once; choose the next version"
fi
notes=$(awk -v head="## $tag" '$0 == head || index($0, head " ") == 1 {on = 1; next} on && /^## / {exit} on {print}' CHANGELOG.md 2>/dev/null || true)
[ -n "$(printf '%s' "$notes" | tr -d '[:space:]')" ] ||
  die "CHANGELOG.md has no \"## $tag\" section: write what changed, commit it, then run again"

echo "release: checking that the jar and the runtime build reproducibly (two clean builds)…"
check=$(${CHECK_REPRODUCIBLE:-bash enclave/check-reproducible.sh} | tee /dev/stderr | grep '^check-reproducible: OK') ||
  die "the builds are not reproducible (see above): nothing was tagged"
jar_sha=$(sed -n 's/.*jar sha256 \([0-9a-f]\{64\}\).*/\1/p' <<<"$check")
runtime_sha=$(sed -n 's/.*runtime sha256 \([0-9a-f]\{64\}\).*/\1/p' <<<"$check")
{ [ -n "$jar_sha" ] && [ -n "$runtime_sha" ]; } || die "cannot read the hashes from: $check"

commit=$(git rev-parse HEAD)
mkdir -p build
cat >"build/release-$tag.json" <<JSON
{
  "version": "$version",
  "tag": "$tag",
  "commit": "$commit",
  "jar_sha256": "$jar_sha",
  "runtime_sha256": "$runtime_sha",
  "pcrs": "not computed here: PCR0-2 need Docker (make eif OPERATOR_ADDRESS=0x... TEE_NAME=...), and PCR0 and PCR2 depend on those build arguments; the eif workflow publishes pcrs-$tag for its own"
}
JSON

git tag -a "$tag" -F - <<MESSAGE
TEE Agent $tag
$notes

commit          $commit
jar sha256      $jar_sha
runtime sha256  $runtime_sha
PCRs            not computed here (need Docker; PCR0/PCR2 depend on OPERATOR_ADDRESS and TEE_NAME)
MESSAGE
echo "release: tagged $tag at $commit; measurements in build/release-$tag.json"
echo "release: publish with: git push origin $tag"
