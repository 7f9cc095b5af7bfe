#!/usr/bin/env bash
# The enclave image's numbers: jar and jlink runtime sizes, and the agent's start-to-ready time,
# memory (RSS) and signed-answer throughput on the jlink runtime with enclave/init's JVM flags,
# against the full JDK with default flags in the same run (and two start-up variants).
#
#   bench/image.sh [start-runs] [load-rounds]    (default 7 and 3; needs wrk: apt-get install wrk)
#
# Start-to-ready: from launching java to the first 200 on /api/v1/health (median of the runs,
# configurations interleaved). Load: wrk -t2 -c50 on GET /api/v1/config (each answer signed, 6.8 kB
# with the cached attestation document), the first 10 s (from cold) and then 10 s more (warm: after
# the JIT has settled); then 10 s on GET /api/v1/variables (small: a ~0.5 kB signed answer, where
# the signature is most of the work).
#
# The runtime configurations sign with the image's libsecp256k1 (enclave/fetch-secp256k1.sh, put on
# LD_LIBRARY_PATH); runtime-java-signer hides every libsecp256k1 from the agent (a private mount
# namespace, `unshare -rm`, binds /dev/null over the host's copy) so it signs with the pure-Java
# fallback: what the image lost before it carried the library. The signer column is what the agent
# logged.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
runs=${1:-7}
load_rounds=${2:-3}
command -v wrk >/dev/null || { echo "bench/image.sh needs wrk (apt-get install wrk)" >&2; exit 1; }
unshare -rm true 2>/dev/null || { echo "bench/image.sh needs unshare -rm (user namespaces)" >&2; exit 1; }

make -s jar runtime >/dev/null
jar=target/tee-agent.jar
jdk_java=$JAVA_HOME/bin/java
runtime_java=build/runtime/bin/java
work=build/bench
mkdir -p "$work"
operator=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
# The JVM flags enclave/init gives the agent, read from its dry run.
read -r -a init_flags <<<"$(TEE_NAME=x OPERATOR_ADDRESS=$operator sh enclave/init --dry-run |
  sed -n 's/^+ exec [^ ]* \(.*\) -jar .*/\1/p')"

# The image's libsecp256k1, and a wrapper that runs a command with no libsecp256k1 to be found.
sh enclave/fetch-secp256k1.sh "$work/secp256k1" >/dev/null
image_library="env LD_LIBRARY_PATH=$work/secp256k1"
cat >"$work/without-secp256k1.sh" <<'WRAPPER'
#!/bin/sh
# Runs "$@" in a private mount namespace where every libsecp256k1 file of the loader's paths reads
# as /dev/null (dlopen fails), so the agent falls back to its pure-Java signer.
for file in /lib/x86_64-linux-gnu/libsecp256k1.so* /usr/lib/x86_64-linux-gnu/libsecp256k1.so*; do
  if [ -e "$file" ]; then mount --bind /dev/null "$(readlink -f "$file")"; fi
done
exec "$@"
WRAPPER
without_library="unshare -rm --propagation private sh $work/without-secp256k1.sh"

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
load() { wrk -t2 -c50 -d10s "http://127.0.0.1:$port/api/v1/$1" | awk '/Requests\/sec/ { printf "%.0f", $2 }'; }
signer() {
  if grep -q 'signing with libsecp256k1' "$work/agent.log"; then echo libsecp256k1; else echo java; fi
}

. bench/agent-start.sh
# start JAVA [flags...]: starts the agent; sets pid, port and ready_ms (milliseconds to ready).
start() {
  start_agent /api/v1/health "$jar" "$@"
  ready_ms=$wall_ms
}

# A JDK 25 AOT cache (JEP 514) from a short training run on the runtime; made twice to see whether
# it is byte-for-byte reproducible (a condition for putting it in a measured image).
train() {
  start "$runtime_java" "${init_flags[@]}" "-XX:AOTCacheOutput=$1"
  for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$port/api/v1/config"; done
  stop
}
# The default CDS archive jlink --generate-cds-archive would add (JDK classes), made on the side.
"$runtime_java" -Xshare:dump -XX:SharedArchiveFile="$work/runtime-cds.jsa" >/dev/null
train "$work/agent.aot"
train "$work/agent-again.aot"
aot_same=no
cmp -s "$work/agent.aot" "$work/agent-again.aot" && aot_same=yes

declare -A config=(
  [jdk]="$jdk_java"
  [runtime]="$image_library $runtime_java ${init_flags[*]}"
  [runtime-java-signer]="$without_library $runtime_java ${init_flags[*]}"
  [runtime-cds]="$image_library $runtime_java ${init_flags[*]} -XX:SharedArchiveFile=$work/runtime-cds.jsa"
  [runtime-c1]="$image_library $runtime_java ${init_flags[*]} -XX:TieredStopAtLevel=1"
  [runtime-aot]="$image_library $runtime_java ${init_flags[*]} -XX:AOTCache=$work/agent.aot"
)
order=(jdk runtime runtime-cds runtime-c1 runtime-aot)
declare -A times
for _ in $(seq "$runs"); do
  for name in "${order[@]}"; do
    # shellcheck disable=SC2086 # each configuration is a command line
    start ${config[$name]}
    stop
    times[$name]+="$ready_ms "
  done
done

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$jdk_java" -version 2>&1 | head -1)"
jar_bytes=$(stat -c %s "$jar")
runtime_bytes=$(du -sb build/runtime | cut -f1)
echo "jar                 $(mib "$jar_bytes")"
echo "jlink runtime       $(mib "$runtime_bytes")  ($(paste -sd, <("$runtime_java" --list-modules | cut -d@ -f1)))"
library_bytes=$(stat -c %s "$work/secp256k1/libsecp256k1.so.1")
echo "libsecp256k1        $(mib "$library_bytes")  (Debian 12's libsecp256k1-1, the native signer)"
echo "runtime + jar + lib $(mib $((jar_bytes + runtime_bytes + library_bytes)))  (target < 80 MiB)"
echo "CDS archive         $(mib "$(stat -c %s "$work/runtime-cds.jsa")") (JDK classes; not in the image)"
echo "AOT cache           $(mib "$(stat -c %s "$work/agent.aot")"), reproducible across two training runs: $aot_same (not in the image)"
echo
base=$(tr ' ' '\n' <<<"${times[jdk]}" | grep . | median)
printf '%-13s %8s %8s   (median of %s starts, ms to first 200)\n' configuration ms "x jdk" "$runs"
for name in "${order[@]}"; do
  ms=$(tr ' ' '\n' <<<"${times[$name]}" | grep . | median)
  printf '%-13s %8s %8s\n' "$name" "$ms" "$(awk -v a="$ms" -v b="$base" 'BEGIN { printf "%.2f", a / b }')"
done
echo
load_order=(jdk runtime runtime-java-signer runtime-c1)
declare -A idle cold warm small loaded used_signer
for _ in $(seq "$load_rounds"); do
  for name in "${load_order[@]}"; do
    # shellcheck disable=SC2086
    start ${config[$name]}
    sleep 2
    idle[$name]+="$(rss_mib "$pid") "
    cold[$name]+="$(load config) "
    warm[$name]+="$(load config) "
    small[$name]+="$(load variables) "
    loaded[$name]+="$(rss_mib "$pid") "
    used_signer[$name]=$(signer)
    stop
  done
done
med() { tr ' ' '\n' <<<"$1" | grep . | median; }
printf '%-19s %-12s %9s %11s %6s %11s %6s %11s %6s %14s\n' configuration signer "RSS idle" \
  "cold req/s" "x jdk" "warm req/s" "x jdk" "small req/s" "x jdk" "RSS after load"
echo "(medians of $load_rounds rounds, configurations interleaved)"
for name in "${load_order[@]}"; do
  printf '%-19s %-12s %5s MiB %11s %6s %11s %6s %11s %6s %10s MiB\n' "$name" "${used_signer[$name]}" \
    "$(med "${idle[$name]}")" \
    "$(med "${cold[$name]}")" "$(ratio "$(med "${cold[$name]}")" "$(med "${cold[jdk]}")")" \
    "$(med "${warm[$name]}")" "$(ratio "$(med "${warm[$name]}")" "$(med "${warm[jdk]}")")" \
    "$(med "${small[$name]}")" "$(ratio "$(med "${small[$name]}")" "$(med "${small[jdk]}")")" \
    "$(med "${loaded[$name]}")"
done
