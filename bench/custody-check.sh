#!/usr/bin/env bash
# What proving custody costs (the boot's custody check with and without ListGrants, beside the
# boot's unseal through dev-kms on loopback; user_data with and without custody) vs signing one
# answer in the same run. Usage: bench/custody-check.sh [rounds]   (default 7)
exec "$(dirname "$0")/run-java.sh" dev.teeagent.bench.CustodyCheckBench "$@"
