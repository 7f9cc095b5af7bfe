#!/usr/bin/env bash
# Runs one benchmark main class from the test sources on the test classpath.
# Usage: bench/run-java.sh dev.teeagent.bench.SomeBench [args…]   (the bench/*.sh scripts call it)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
./mvnw -B -q -ntp -DskipTests test-compile
./mvnw -B -q -ntp org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" "$@"
