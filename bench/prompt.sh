#!/usr/bin/env bash
# Added latency (p50, p99) and throughput (50 concurrent callers) of POST /prompt over calling the
# provider directly, WireMock with a fixed delay standing in for it; both measured in the same run.
# Usage: bench/prompt.sh [sequential calls per series] [provider delay ms] [seconds of load]
#        (defaults 2000, 20, 10). The agent's log lines go to target/bench-prompt.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25-jdk* 2>/dev/null | head -1)}"
./mvnw -B -q -ntp -DskipTests test-compile
./mvnw -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" -Dlogback.configurationFile=bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.teeagent.bench.PromptBench "$@"
