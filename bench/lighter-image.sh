#!/usr/bin/env bash
# Issue 12 §6, a lighter image: this tree's jar and jlink runtime against a baseline commit's, built
# and measured in the same run, with enclave/init's JVM flags and the image's libsecp256k1.
#
#   bench/lighter-image.sh [baseline-ref] [start-runs]    (default 77c8f53, the commit before; 5)
#
# - sizes: jar, jlink runtime, and the two together (what the image carries for Java);
# - start to the first signed 200 (GET /api/v1/config, simulated attestation): wall time, and the
#   CPU time (user + system) the JVM spent until then, which a busy machine disturbs less; median
#   of the runs, baseline and this tree interleaved;
# - a class-data-sharing archive of the JDK's and the agent's classes, as an image build could make
#   it: a training run (200 signed requests) lists the classes loaded (-XX:DumpLoadedClassList),
#   then -Xshare:dump archives them. Done twice: are the lists, and the archives, byte-identical;
#   and what does the archive save at start;
# - RSS after 10,000 signed requests (GET /api/v1/config, 8 in parallel).
#
# The JVM sees the enclave's memory (run-enclave.sh's default, 2048 MiB) through -XX:MaxRAM, since
# it sizes its initial heap from the memory it sees; enclave/init's flags are used as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
baseline_ref=${1:-77c8f53}
runs=${2:-5}
work=build/bench/lighter
mkdir -p "$work"
operator=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed
read -r -a init_flags <<<"$(TEE_NAME=x OPERATOR_ADDRESS=$operator sh enclave/init --dry-run |
  sed -n 's/^+ exec [^ ]* \(.*\) -jar .*/\1/p')"
enclave_memory=-XX:MaxRAM=2g

# The baseline: its own jar and its own runtime script, from a clean export of the commit.
base=$work/baseline
if [ ! -f "$base/.built-$baseline_ref" ]; then
  rm -rf "$base" && mkdir -p "$base"
  git archive "$baseline_ref" | tar -x -C "$base"
  (cd "$base" && ./mvnw -B -q -ntp -DskipTests package >/dev/null && sh enclave/build-runtime.sh "$JAVA_HOME" build/runtime >/dev/null)
  touch "$base/.built-$baseline_ref"
fi
make -s jar runtime >/dev/null
sh enclave/fetch-secp256k1.sh "$work/secp256k1" >/dev/null
export LD_LIBRARY_PATH=$work/secp256k1

mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
. bench/agent-start.sh

# start DIR [extra flags...]: the agent of DIR (a tree with target/ and build/runtime/); sets pid,
# port, wall_ms and cpu_ms at its first signed 200.
start() {
  local dir=$1
  shift
  start_agent /api/v1/config "$dir/target/tee-agent.jar" "$dir/build/runtime/bin/java" \
    "${init_flags[@]}" "$enclave_memory" "$@"
}
requests() { signed_requests "$1"; }

# Class-data sharing: two training runs, each listing the classes it loaded; each list archived.
train() {
  start . "-XX:DumpLoadedClassList=$work/classes-$1.lst"
  requests 200
  stop
  build/runtime/bin/java "${init_flags[@]}" "$enclave_memory" -Xshare:dump \
    "-XX:SharedClassListFile=$work/classes-$1.lst" "-XX:SharedArchiveFile=$work/agent-$1.jsa" \
    -cp target/tee-agent.jar >"$work/dump-$1.log" 2>&1
}
train 1
train 2
same() { if cmp -s "$1" "$2"; then echo yes; else echo "no ($(cmp -l "$1" "$2" 2>/dev/null | wc -l) bytes differ)"; fi; }
lists_same=$(same "$work/classes-1.lst" "$work/classes-2.lst")
archives_same=$(same "$work/agent-1.jsa" "$work/agent-2.jsa")
# The same list archived twice: is -Xshare:dump itself deterministic?
build/runtime/bin/java "${init_flags[@]}" "$enclave_memory" -Xshare:dump \
  "-XX:SharedClassListFile=$work/classes-1.lst" "-XX:SharedArchiveFile=$work/agent-1b.jsa" \
  -cp target/tee-agent.jar >"$work/dump-1b.log" 2>&1
dump_same=$(same "$work/agent-1.jsa" "$work/agent-1b.jsa")

declare -A wall cpu
order=(baseline current current-cds)
for _ in $(seq "$runs"); do
  for name in "${order[@]}"; do
    case $name in
      baseline) start "$base" ;;
      current) start . ;;
      current-cds) start . "-XX:SharedArchiveFile=$work/agent-1.jsa" -Xshare:on ;;
    esac
    stop
    wall[$name]+="$wall_ms "
    cpu[$name]+="$cpu_ms "
  done
done

declare -A rss
for name in baseline current; do
  if [ "$name" = baseline ]; then start "$base"; else start .; fi
  requests 10000
  rss[$name]=$(rss_mib "$pid")
  stop
done

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "baseline: $baseline_ref; current: ${CURRENT_LABEL:-$(git rev-parse --short HEAD)}; JVM flags: ${init_flags[*]} $enclave_memory"
echo
size() { stat -c %s "$1"; }
tree_bytes() { du -sb "$1" | cut -f1; }
b_jar=$(size "$base/target/tee-agent.jar")
c_jar=$(size target/tee-agent.jar)
b_rt=$(tree_bytes "$base/build/runtime")
c_rt=$(tree_bytes build/runtime)
printf '%-26s %12s %12s %7s\n' size baseline current ratio
printf '%-26s %12s %12s %7s\n' jar "$(mib "$b_jar")" "$(mib "$c_jar")" "$(ratio "$c_jar" "$b_jar")"
printf '%-26s %12s %12s %7s\n' "jlink runtime" "$(mib "$b_rt")" "$(mib "$c_rt")" "$(ratio "$c_rt" "$b_rt")"
printf '%-26s %12s %12s %7s\n' "runtime + jar" "$(mib $((b_rt + b_jar)))" "$(mib $((c_rt + c_jar)))" \
  "$(ratio $((c_rt + c_jar)) $((b_rt + b_jar)))"
echo
printf '%-26s %10s %7s %10s %7s   (median of %s starts each, interleaved)\n' "start to first signed 200" \
  "wall ms" "ratio" "CPU ms" "ratio" "$runs"
b_wall=$(median <<<"${wall[baseline]}")
b_cpu=$(median <<<"${cpu[baseline]}")
for name in "${order[@]}"; do
  w=$(median <<<"${wall[$name]}")
  c=$(median <<<"${cpu[$name]}")
  printf '%-26s %10s %7s %10s %7s\n' "$name" "$w" "$(ratio "$w" "$b_wall")" "$c" "$(ratio "$c" "$b_cpu")"
done
echo
echo "CDS archive (JDK + agent classes): $(mib "$(size "$work/agent-1.jsa")"), $(wc -l <"$work/classes-1.lst") classes listed"
echo "  two training runs list the same classes: $lists_same"
echo "  their two archives are byte-identical: $archives_same"
echo "  one list archived twice is byte-identical: $dump_same"
echo
printf '%-26s %10s %10s %7s\n' "RSS after 10k signed" baseline current ratio
printf '%-26s %6s MiB %6s MiB %7s\n' "GET /api/v1/config" "${rss[baseline]}" "${rss[current]}" \
  "$(ratio "${rss[current]}" "${rss[baseline]}")"
