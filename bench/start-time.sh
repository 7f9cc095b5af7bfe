#!/usr/bin/env bash
# Issue 12 §6, start time: this tree's jar and jlink runtime against a baseline commit's, built and
# measured in the same run, each with its own enclave/init JVM flags and the image's libsecp256k1.
#
#   bench/start-time.sh [baseline-ref] [start-runs] [requests]   (default integ, 7, 10000)
#
# - start to the first signed 200 (GET /api/v1/config, simulated attestation): wall time and the
#   CPU time (user + system) the JVM spent until then, which a busy machine disturbs less; median
#   of the runs, configurations interleaved. Besides baseline and current: current without the
#   runtime's class-data-sharing archive (-Xshare:off, what the archive saves) and current with C1
#   only (-XX:TieredStopAtLevel=1, for reference: not the image's flags);
# - classes loaded until the first signed 200 (-Xlog:class+load), and how many came from CDS;
# - is the runtime's CDS archive (jlink --generate-cds-archive) the same bytes in two builds;
# - RSS after `requests` signed requests (GET /api/v1/config, 8 in parallel).
#
# The JVM sees the enclave's memory (run-enclave.sh's default, 2048 MiB) through -XX:MaxRAM, since
# it sizes its heap from the memory it sees; enclave/init's flags are used as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
baseline_ref=${1:-integ}
runs=${2:-7}
load=${3:-10000}
work=build/bench/start-time
mkdir -p "$work"
operator=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
flags_of() {
  TEE_NAME=x OPERATOR_ADDRESS=$operator sh "$1/enclave/init" --dry-run |
    sed -n 's/^+ exec [^ ]* \(.*\) -jar .*/\1/p'
}
enclave_memory=-XX:MaxRAM=2g

base=$work/baseline
base_commit=$(git rev-parse --short "$baseline_ref")
if [ ! -f "$base/.built-$base_commit" ]; then
  rm -rf "$base" && mkdir -p "$base"
  git archive "$base_commit" | tar -x -C "$base"
  (cd "$base" && ./mvnw -B -q -ntp -o -DskipTests package >/dev/null &&
    sh enclave/build-runtime.sh "$JAVA_HOME" build/runtime >/dev/null)
  touch "$base/.built-$base_commit"
fi
make -s jar runtime >/dev/null
sh enclave/fetch-secp256k1.sh "$work/secp256k1" >/dev/null
export LD_LIBRARY_PATH=$work/secp256k1
read -r -a base_flags <<<"$(flags_of "$base")"
read -r -a flags <<<"$(flags_of .)"

. bench/agent-start.sh

# start NAME [extra flags...]: sets pid, port, wall_ms and cpu_ms at the first signed 200.
start() {
  local name=$1 dir=.
  shift
  local -a with=("${flags[@]}")
  case $name in
    baseline*) dir=$base with=("${base_flags[@]}") ;;
    current-no-cds) with+=(-Xshare:off) ;;
    current-c1) with+=(-XX:TieredStopAtLevel=1) ;;
  esac
  start_agent /api/v1/config "$dir/target/tee-agent.jar" "$dir/build/runtime/bin/java" \
    "${with[@]}" "$enclave_memory" "$@"
}

order=(baseline current current-no-cds current-c1)
declare -A wall cpu classes shared rss
for name in "${order[@]}"; do
  start "$name" "-Xlog:class+load=info:file=$work/classes-$name.log"
  stop
  classes[$name]=$(grep -c . "$work/classes-$name.log")
  shared[$name]=$(grep -c 'shared objects file' "$work/classes-$name.log" || true)
done
for _ in $(seq "$runs"); do
  for name in "${order[@]}"; do
    start "$name"
    stop
    wall[$name]+="$wall_ms "
    cpu[$name]+="$cpu_ms "
  done
done
for name in baseline current; do
  start "$name"
  signed_requests "$load"
  rss[$name]=$(rss_mib "$pid")
  stop
done

# Is the runtime's CDS archive reproducible? A second runtime, built now, compared file by file.
sh enclave/build-runtime.sh "$JAVA_HOME" "$work/runtime-again" >/dev/null
if diff -r build/runtime "$work/runtime-again" >/dev/null; then again=yes; else again=no; fi
archive=$(find build/runtime/lib/server -name '*.jsa' -printf '%f %s bytes\n' | paste -sd, -)

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "baseline: $baseline_ref ($base_commit), flags: ${base_flags[*]} $enclave_memory"
echo "current: ${CURRENT_LABEL:-$(git rev-parse --short HEAD)}, flags: ${flags[*]} $enclave_memory"
echo "runtime CDS archive: ${archive:-none}; two builds of the runtime byte-identical: $again"
echo
printf '%-22s %8s %6s %8s %6s %9s %9s   (median of %s starts each, interleaved)\n' \
  "start to signed 200" "wall ms" ratio "CPU ms" ratio classes "from CDS" "$runs"
b_wall=$(median <<<"${wall[baseline]}")
b_cpu=$(median <<<"${cpu[baseline]}")
for name in "${order[@]}"; do
  w=$(median <<<"${wall[$name]}")
  c=$(median <<<"${cpu[$name]}")
  printf '%-22s %8s %6s %8s %6s %9s %9s\n' "$name" "$w" "$(ratio "$w" "$b_wall")" "$c" \
    "$(ratio "$c" "$b_cpu")" "${classes[$name]}" "${shared[$name]}"
done
echo
printf '%-22s %10s %10s %6s\n' "RSS after $load signed" baseline current ratio
printf '%-22s %6s MiB %6s MiB %6s\n' "GET /api/v1/config" "${rss[baseline]}" "${rss[current]}" \
  "$(ratio "${rss[current]}" "${rss[baseline]}")"
