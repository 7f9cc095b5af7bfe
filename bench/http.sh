#!/usr/bin/env bash
# The HTTP cost of signing every answer: signed GET /config against unsigned GET /health on the
# same agent, in one run (wrk -t2 -c50 -d10s, sharing the machine's cores with the agent); start to
# first 200 (median of 5, default JVM flags and with a JDK 25 AOT cache); RSS after 10k requests.
# Needs: wrk, curl, JDK 25. Usage: bench/http.sh [wrk-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
java="$JAVA_HOME/bin/java"
jar=target/tee-agent.jar
operator=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
port=17047
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
[ -f "$jar" ] || ./mvnw -B -q -ntp -DskipTests package

now_ms() { date +%s%3N; }
start_agent() { # extra JVM flags...; sets pid and prints ms to first 200 of /config
  local t0
  t0=$(now_ms)
  "$java" "$@" -jar "$jar" serve --port "$port" --tee-name bench --operator "$operator" >"$work/agent.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/config"; do sleep 0.005; done
  echo $(($(now_ms) - t0))
}
stop_agent() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== start to first 200 (ms, median of 5)"
for _ in 1 2 3 4 5; do start_agent; stop_agent; done | median | sed 's/^/default flags:         /'
"$java" -XX:AOTCacheOutput="$work/agent.aot" -jar "$jar" serve --port "$port" --tee-name bench --operator "$operator" >"$work/train.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/config"; do sleep 0.01; done
for _ in $(seq 200); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/config"; done
stop_agent
for _ in 1 2 3 4 5; do start_agent -XX:AOTCache="$work/agent.aot" -XX:TieredStopAtLevel=1; stop_agent; done | median | sed 's/^/AOT cache + C1 only:   /'

echo "== throughput (wrk -t2 -c50 -d${duration}s), same agent, alternating"
start_agent >/dev/null
wrk -t2 -c50 -d3s "http://127.0.0.1:$port/api/v1/config" >/dev/null   # warm-up
rps() { wrk -t2 -c50 -d"${duration}s" "http://127.0.0.1:$port/api/v1/$1" | awk '/Requests\/sec/ {print $2}'; }
h1=$(rps health); c1=$(rps config); h2=$(rps health); c2=$(rps config)
python3 - "$h1" "$c1" "$h2" "$c2" <<'PY'
import sys
h1, c1, h2, c2 = map(float, sys.argv[1:])
h, c = (h1 + h2) / 2, (c1 + c2) / 2
print(f"unsigned /health: {h:9,.0f} req/s  (runs {h1:,.0f}, {h2:,.0f})")
print(f"signed   /config: {c:9,.0f} req/s  (runs {c1:,.0f}, {c2:,.0f})  = {100 * c / h:.1f} % of /health")
PY
stop_agent

echo "== RSS after 10k requests (default heap, and -XX:+UseSerialGC -Xmx128m)"
for flags in "" "-XX:+UseSerialGC -Xmx128m"; do
  # shellcheck disable=SC2086
  start_agent $flags >/dev/null
  wrk -t1 -c10 -d60s --latency "http://127.0.0.1:$port/api/v1/config" -s <(printf 'local n=0\nrequest = function() n = n + 1; if n > 10000 then wrk.thread:stop() end; return wrk.format() end\n') >/dev/null 2>&1 || true
  for _ in $(seq 10); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/config"; done
  printf '%-28s %s MiB\n' "${flags:-default flags}:" $(( $(ps -o rss= -p "$pid") / 1024 ))
  stop_agent
done
