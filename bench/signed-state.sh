#!/usr/bin/env bash
# What the envelope's `state` member costs a signed answer: the agent's signer (live counter and
# audit head) against the envelope without it, for an error answer and /config; series alternated.
# Usage: bench/signed-state.sh [rounds, default 7] [operations per round, default 5000]
exec "$(dirname "$0")/run-java.sh" -Dlogback.configurationFile=bench/logback-bench.xml \
  dev.teeagent.bench.SignedStateBench "$@"
