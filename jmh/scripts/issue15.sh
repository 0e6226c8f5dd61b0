#!/usr/bin/env bash
# Issue 15's benchmark pass: Tidemark inside Flink. Flink's keyed-state operations (value get/update/read-modify-write,
# list append/get-and-iterate/update, map get/put/contains/iterate) through Flink's keyed state API on three Flink
# keyed backends in one run: flinkHeap (HashMapStateBackend's), flinkRocksdb (EmbeddedRocksDBStateBackend's) and
# tidemarkFlink (io.tidemark.flink.TidemarkStateBackend's, created through StateBackend.createKeyedStateBackend).
# Same keys, values and key sequence for all three; one fork per point, 100k keys, uniform keys, 8-byte values,
# lists of 10, maps of 10. About 5 minutes.
# Usage, from the repository root after `mvn -B -o -q package -pl jmh -am -DskipTests`:
#   jmh/scripts/issue15.sh LABEL            # results: jmh/results/issue15-LABEL-DATE.{json,log,md} and -load.txt, -jdk.txt
# Environment: JAVA (default java), HEAP (fork -Xms = -Xmx, default 2g), BUDGET (tidemarkFlink's resident budget in
# bytes, default 1 GiB: the state stays in memory, as it does on Flink's heap), KEYS (default 100000),
# ITERATIONS (JMH options, default "-wi 2 -w 1s -i 3 -r 1s -f 1").
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL=${1:?label, e.g. run1}
JAVA=${JAVA:-java}
HEAP=${HEAP:-2g}
BUDGET=${BUDGET:-1073741824}
KEYS=${KEYS:-100000}
read -r -a ITERATIONS <<< "${ITERATIONS:--wi 2 -w 1s -i 3 -r 1s -f 1}"
JAR=jmh/target/benchmarks.jar
OUT=jmh/results/issue15-$LABEL-$(date -u +%F)
mkdir -p jmh/results

load() { echo "$(date -u +%FT%TZ) $1 loadavg: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT-load.txt"; }

"$JAVA" -version 2>&1 | tee "$OUT-jdk.txt"
echo "commit $(git rev-parse --short HEAD)" | tee -a "$OUT-jdk.txt"
echo "cores $(nproc)" | tee -a "$OUT-jdk.txt"

load "start"
# the launcher appends the jar's JVM flags (jvm.flags) to every fork, before these
"$JAVA" -jar "$JAR" 'io.tidemark.jmh.state.(ValueStateBenchmark|ListStateBenchmark|MapStateBenchmark)\.' \
  -p backend=flinkHeap,flinkRocksdb,tidemarkFlink -p keyCount="$KEYS" -p keyDistribution=uniform -p valueSize=8 \
  -p listLength=10 -p mapSize=10 -p mapLoad=putAll "${ITERATIONS[@]}" \
  -jvmArgsAppend "-Xms$HEAP -Xmx$HEAP -Dtidemark.jmh.offheapBudget=$BUDGET" \
  -rf json -rff "$OUT.json" 2>&1 | tee "$OUT.log"
load "end"

python3 jmh/scripts/jmh_to_markdown.py --ratio tidemarkFlink --against flinkHeap,flinkRocksdb "$OUT.json" \
  | tee "$OUT.md"
