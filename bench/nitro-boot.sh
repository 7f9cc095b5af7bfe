#!/usr/bin/env bash
# Start-to-ready in nitro mode with the NSM emulated at the syscall boundary (seccomp user
# notification, src/test/c/nsm_harness.c) vs simulated mode, in the same run. Needs root (a private
# mount namespace for /dev/nsm) and gcc. Usage: bench/nitro-boot.sh [starts]   (default 7)
set -euo pipefail
cd "$(dirname "$0")/.."
make -s jar >/dev/null
exec "$(dirname "$0")/run-java.sh" dev.teeagent.enclave.NitroBootBench "$@"
