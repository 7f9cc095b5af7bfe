#!/usr/bin/env bash
# Accepted operator commands per second (EIP-712 + ecrecover + rules + audit + state hash) vs bare
# ecrecover in the same run. Usage: bench/variables.sh [batches]   (default 2000)
exec "$(dirname "$0")/run-java.sh" dev.teeagent.bench.VariablesBench "$@"
