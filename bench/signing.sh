#!/usr/bin/env bash
# Signatures per second on one core (taskset -c 0): libsecp256k1 in C (the baseline) against the
# agent's signer (libsecp256k1 through FFM, and the pure-Java fallback) and stock web3j, in one run.
# Needs: gcc, libsecp256k1-dev (Debian), JDK 25. Usage: bench/signing.sh [seconds-per-measurement]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
JAVA_HOME="${JAVA_HOME:-$(find /usr/lib/jvm -maxdepth 1 -name 'temurin-25-jdk*' 2>/dev/null | head -1)}"
export JAVA_HOME

out=$(mktemp -d)
gcc -O2 -o "$out/secp256k1_bench" bench/signing/secp256k1_bench.c -lsecp256k1
./mvnw -B -q -ntp install -DskipTests
(cd bench/jmh && ../../mvnw -B -q -ntp package)

c_before=$(taskset -c 0 "$out/secp256k1_bench" "$seconds")
taskset -c 0 "$JAVA_HOME/bin/java" -jar bench/jmh/target/benchmarks.jar ResponseSigningBenchmark \
  -f 1 -wi 3 -w 2 -i 5 -r "$seconds" -rf json -rff "$out/jmh.json" >"$out/jmh.log"
c_after=$(taskset -c 0 "$out/secp256k1_bench" "$seconds")

python3 - "$out/jmh.json" "$c_before" "$c_after" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))
c = (float(sys.argv[2]) + float(sys.argv[3])) / 2
print(f"libsecp256k1 (C, baseline): {c:,.0f} signatures/s (runs: {float(sys.argv[2]):,.0f}, {float(sys.argv[3]):,.0f})")
for r in results:
    name = r["benchmark"].rsplit(".", 1)[1]
    score = r["primaryMetric"]["score"]
    err = r["primaryMetric"]["scoreError"]
    print(f"{name:28s} {score:10,.0f} ± {err:,.0f} ops/s  = {100 * score / c:5.1f} % of libsecp256k1")
PY
rm -rf "$out"
