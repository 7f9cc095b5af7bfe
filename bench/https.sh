#!/usr/bin/env bash
# The cost of HTTPS terminated inside the agent (issue 14), in one run on one agent: signed GET
# /config over HTTPS against the same over plain HTTP (wrk -t2 -c50, kept-alive connections), and a
# full TLS handshake per request (wrk -t1 -c4, Connection: close, no session resumption) against a
# new plain TCP connection per request. Runs alternate (plain, TLS, plain, TLS) to spread the machine's drift.
# Needs: wrk, curl, openssl, JDK 25. Usage: bench/https.sh [wrk-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
java="$JAVA_HOME/bin/java"
jar=target/tee-agent.jar
operator=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
port=17047
tls_port=17443
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
[ -f "$jar" ] || ./mvnw -B -q -ntp -DskipTests package

"$java" -jar "$jar" serve --port "$port" --https-port "$tls_port" --tee-name bench \
  --operator "$operator" >"$work/agent.log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/config"; do sleep 0.05; done
pin=$(curl -fs "http://127.0.0.1:$port/api/v1/config" | python3 -c '
import base64, json, sys
print("sha256//" + base64.b64encode(bytes.fromhex(json.load(sys.stdin)["tls_spki_sha256"][2:])).decode())')
curl -fs -o /dev/null --insecure --pinnedpubkey "$pin" "https://127.0.0.1:$tls_port/api/v1/config"
echo "agent: $(openssl s_client -connect "127.0.0.1:$tls_port" -brief </dev/null 2>&1 | grep -E 'Protocol|Ciphersuite' | tr -s ' ' | paste -sd ' ')"

rps() { # url [wrk options...]
  local url=$1
  shift
  wrk -d"${duration}s" "$@" "$url" | awk '/Requests\/sec/ {print $2}'
}
plain_url="http://127.0.0.1:$port/api/v1/config"
tls_url="https://127.0.0.1:$tls_port/api/v1/config"
wrk -t2 -c50 -d3s "$plain_url" >/dev/null # warm-up, both paths
wrk -t2 -c50 -d3s "$tls_url" >/dev/null
keep=(-t2 -c50)
p1=$(rps "$plain_url" "${keep[@]}"); t1=$(rps "$tls_url" "${keep[@]}")
p2=$(rps "$plain_url" "${keep[@]}"); t2=$(rps "$tls_url" "${keep[@]}")
# Few connections: wrk reconnecting 50 TLS connections at once measures its own queueing.
close=(-t1 -c4 -H "Connection: close")
q1=$(rps "$plain_url" "${close[@]}"); h1=$(rps "$tls_url" "${close[@]}")
q2=$(rps "$plain_url" "${close[@]}"); h2=$(rps "$tls_url" "${close[@]}")
python3 - "$p1" "$t1" "$p2" "$t2" "$q1" "$h1" "$q2" "$h2" <<'PY'
import sys
p1, t1, p2, t2, q1, h1, q2, h2 = map(float, sys.argv[1:])
p, t, q, h = (p1 + p2) / 2, (t1 + t2) / 2, (q1 + q2) / 2, (h1 + h2) / 2
print("signed GET /config, kept-alive connections (wrk -t2 -c50)")
print(f"  plain HTTP: {p:9,.0f} req/s  (runs {p1:,.0f}, {p2:,.0f})")
print(f"  HTTPS:      {t:9,.0f} req/s  (runs {t1:,.0f}, {t2:,.0f})  = {t / p:.2f}x plain")
print("signed GET /config, one new connection per request (wrk -t1 -c4, Connection: close)")
print(f"  plain TCP + /config:          {q:8,.0f} req/s  (runs {q1:,.0f}, {q2:,.0f})")
print(f"  full TLS handshake + /config: {h:8,.0f} req/s  (runs {h1:,.0f}, {h2:,.0f})  = {h / q:.2f}x plain, {h / p:.2f}x kept-alive plain")
PY
