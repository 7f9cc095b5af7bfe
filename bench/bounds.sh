#!/usr/bin/env bash
# What the request bounds of issue 10 cost: a /prompt-shaped parse with the bounded mapper and the
# lone-surrogate scan against the plain strict mapper, and the surrogate repair plus strict UTF-8
# against signing the real /config payload; series alternated in one run.
# Usage: bench/bounds.sh [rounds, default 7] [operations per round, default 20000]
exec "$(dirname "$0")/run-java.sh" -Dlogback.configurationFile=bench/logback-bench.xml \
  dev.teeagent.bench.RequestBoundsBench "$@"
