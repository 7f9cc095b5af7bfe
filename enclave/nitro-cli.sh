#!/usr/bin/env bash
# Runs `nitro-cli build-enclave …` inside a pinned Amazon Linux 2023 container, against this host's
# Docker daemon. PCR1 measures the enclave kernel and bootstrap that nitro-cli's -devel package
# ships, so every builder (an operator's EC2 host, CI, a verifier's laptop) must use the same
# package: pinning the image pins its versioned AL2023 repository and the exact package versions.
# build-enclave needs no Nitro hardware. The EIF is written where --output-file says, owned by the
# caller. Usage: enclave/nitro-cli.sh build-enclave --docker-uri IMAGE --output-file /abs/path.eif
set -euo pipefail

AMAZON_LINUX=amazonlinux:2023@sha256:2851878b108218cccbe7af6ab7dfb87a5883a725623384e19e6256f4072027a3
NITRO_CLI_VERSION=1.5.0-0.amzn2023

output=
previous=
for arg in "$@"; do
  if [ "$previous" = --output-file ]; then
    output=$arg
  fi
  previous=$arg
done
case "$output" in
  /*) ;;
  *)
    echo "nitro-cli.sh: --output-file must be an absolute path, got '$output'" >&2
    exit 2
    ;;
esac
out_dir=$(dirname "$output")
mkdir -p "$out_dir"

# The container runs as root (nitro-cli talks to the Docker socket and logs under /var/log); the EIF
# is handed back to the caller's user. nitro-cli's JSON (the measurements) is the only stdout.
exec docker run --rm \
  --volume /var/run/docker.sock:/var/run/docker.sock \
  --volume "$out_dir:$out_dir" \
  --env OWNER="$(id -u):$(id -g)" \
  --env OUTPUT="$output" \
  "$AMAZON_LINUX" \
  bash -c 'set -euo pipefail
    dnf install -q -y "aws-nitro-enclaves-cli-$0" "aws-nitro-enclaves-cli-devel-$0" >&2
    nitro-cli --version >&2
    nitro-cli "$@"
    chown "$OWNER" "$OUTPUT"' \
  "$NITRO_CLI_VERSION" "$@"
