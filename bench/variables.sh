#!/usr/bin/env bash
# Accepted operator commands per second (EIP-712 + ecrecover + rules + audit + state hash) vs bare
# ecrecover in the same run. Usage: bench/variables.sh [batches]   (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
./mvnw -B -q -ntp -DskipTests test-compile
./mvnw -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.teeagent.bench.VariablesBench "$@"
