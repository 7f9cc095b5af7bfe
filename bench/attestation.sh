#!/usr/bin/env bash
# Simulated attestation documents/s and full verifications/s vs raw ES384 sign/verify in the same
# run. Usage: bench/attestation.sh [operations per round]   (default 200)
exec "$(dirname "$0")/run-java.sh" dev.teeagent.bench.AttestationBench "$@"
