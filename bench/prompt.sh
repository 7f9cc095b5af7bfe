#!/usr/bin/env bash
# Added latency (p50, p99) and throughput (50 concurrent callers) of POST /prompt over calling the
# provider directly, WireMock with a fixed delay standing in for it; both measured in the same run.
# Usage: bench/prompt.sh [sequential calls per series] [provider delay ms] [seconds of load]
#        (defaults 2000, 20, 10). The agent's log lines go to target/bench-prompt.log.
exec "$(dirname "$0")/run-java.sh" -Dlogback.configurationFile=bench/logback-bench.xml \
  dev.teeagent.bench.PromptBench "$@"
