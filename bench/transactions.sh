#!/usr/bin/env bash
# POST /sign-transaction against a real anvil (operator-authorized, broadcast:false; open mode, mined): own time per request
# (latency minus its RPC round trips) and throughput, each against a signed GET /config and a bare
# eth_chainId measured in the same run. Needs: JDK 25, node_modules (npm ci).
# Usage: bench/transactions.sh [requests] [clients] [RPCs of a request with fees given]   (default 2000 8 2)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
[ -d node_modules/@foundry-rs ] || npm ci --no-audit --no-fund
./mvnw -B -q -ntp -DskipTests test-compile
./mvnw -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" -Dteeagent.projectDir="$PWD" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.teeagent.bench.TransactionsBench "$@"
