#!/usr/bin/env bash
# Sealed identity costs (seal/unseal a snapshot, open a KMS CiphertextForRecipient, the per-boot
# RSA key) vs signing one answer in the same run. Usage: bench/custody.sh [rounds]   (default 9)
exec "$(dirname "$0")/run-java.sh" dev.teeagent.bench.CustodyBench "$@"
