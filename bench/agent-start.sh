# Sourced by the bench scripts that start the agent: one way to start it and to read its figures.
# Needs $work (a folder for the log) and $operator set by the caller.

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# start_agent READY_PATH JAR JAVA_COMMAND...: `JAVA_COMMAND... -jar JAR serve` in simulated mode
# on a port of its choosing; returns at the first 200 on READY_PATH and sets pid, port, wall_ms and
# cpu_ms (the CPU time the JVM spent until then, which a busy machine disturbs less than the wall
# time).
start_agent() {
  local ready=$1 jar=$2 begin
  shift 2
  begin=$(date +%s%N)
  "$@" -jar "$jar" serve --port 0 --tee-name bench --operator "$operator" \
    --attestation simulated >"$work/agent.log" 2>&1 &
  pid=$!
  port=
  # --port 0: the agent picks a free port and logs it.
  until [ -n "$port" ] && curl -sf -o /dev/null "http://127.0.0.1:$port$ready"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/agent.log" >&2; exit 1; }
    port=$(sed -n 's/.* listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/agent.log")
    sleep 0.005
  done
  wall_ms=$((($(date +%s%N) - begin) / 1000000))
  cpu_ms=$(cpu_ms "$pid")
}
stop() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
# signed_requests N: N signed GET /api/v1/config, 8 in parallel.
signed_requests() {
  local list=$work/requests.curl
  for _ in $(seq "$1"); do printf 'url = "http://127.0.0.1:%s/api/v1/config"\noutput = /dev/null\n' "$port"; done >"$list"
  curl -s --no-progress-meter --fail -Z --parallel-max 8 -K "$list"
}
