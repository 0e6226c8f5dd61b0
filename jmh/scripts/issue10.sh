#!/usr/bin/env bash
# Issue 10's benchmark pass: value state and primitive keys (JMH), snapshot pause (main class), incremental bytes (JMH).
# Usage, from the repository root after `mvn -B -o -q package -pl jmh -am -DskipTests`:
#   jmh/scripts/issue10.sh LABEL            # e.g. before, after; results: jmh/results/issue10-LABEL-DATE-*
# Environment: JAVA (default java), PARTS (default "value primitive pause checkpoint"), PAUSE_10M=0 skips the 10M-key
# snapshot-pause points, PAUSE_SAMPLES (default 1000).
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL=${1:?label, e.g. before or after}
JAVA=${JAVA:-java}
PARTS=${PARTS:-value primitive pause checkpoint}
PAUSE_10M=${PAUSE_10M:-1}
PAUSE_SAMPLES=${PAUSE_SAMPLES:-1000}
JAR=jmh/target/benchmarks.jar
OUT=jmh/results/issue10-$LABEL-$(date -u +%F)
FLAGS=$(unzip -p "$JAR" io/tidemark/jmh/jvm.flags)
QUICK=(-wi 2 -w 1s -i 3 -r 1s -f 1 -prof gc)

load() { echo "$(date -u +%FT%TZ) $1 loadavg: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT-load.txt"; }

"$JAVA" -version 2>&1 | tee "$OUT-jdk.txt"
echo "commit $(git rev-parse --short HEAD)" | tee -a "$OUT-jdk.txt"

for part in $PARTS; do
  case $part in
    value)
      load "value start"
      "$JAVA" -jar "$JAR" 'ValueStateBenchmark.value(Get|ReadModifyWrite)$' \
        -p backend=tidemarkOffheap,tidemarkOffheapBoxed,flinkHeap,agrona -p valueSize=8 -p keyCount=1000000 \
        -p keyDistribution=uniform,zipf "${QUICK[@]}" -rf json -rff "$OUT-value.json" 2>&1 | tee "$OUT-value.log"
      load "value end"
      ;;
    primitive)
      load "primitive start"
      "$JAVA" -jar "$JAR" 'PrimitiveKeyBenchmark' -p backend=tidemarkOffheap,agrona -p keyCount=1000000 \
        -p keyDistribution=uniform,zipf "${QUICK[@]}" -rf json -rff "$OUT-primitive.json" 2>&1 | tee "$OUT-primitive.log"
      load "primitive end"
      ;;
    pause)
      points=("tidemarkOffheap 1000000 8 forced" "tidemarkOffheap 1000000 100 forced")
      if [ "$PAUSE_10M" = 1 ]; then
        points+=("tidemarkOffheap 10000000 8 forced" "tidemarkOffheap 10000000 100 forced")
      fi
      points+=("tidemarkOffheap 1000000 8 none" "tidemarkOffheap 1000000 100 none" "flinkHeap 1000000 8 forced")
      for point in "${points[@]}"; do
        read -r backend keys size overlap <<<"$point"
        load "pause start $point"
        # -Xms = -Xmx: no heap resizing during the measurement
        "$JAVA" $FLAGS -Xms4g -Xmx4g -cp "$JAR" io.tidemark.jmh.snapshot.SnapshotPause backend="$backend" \
          keyCount="$keys" valueSize="$size" overlap="$overlap" samples="$PAUSE_SAMPLES" warmup=100 \
          results="$OUT-pause.tsv" 2>&1 | tee -a "$OUT-pause.log"
        load "pause end $point"
      done
      ;;
    checkpoint)
      load "checkpoint start"
      "$JAVA" -jar "$JAR" 'CheckpointBenchmark' -p backend=tidemarkOffheap,flinkRocksdb -p keyCount=1000000 \
        -p valueSize=100 -p snapshot=incr1,incr10 -wi 2 -i 5 -f 1 \
        -jvmArgsAppend "-Dtidemark.jmh.checkpointResults=$PWD/$OUT-checkpoint.tsv" \
        -rf json -rff "$OUT-checkpoint.json" 2>&1 | tee "$OUT-checkpoint.log"
      load "checkpoint end"
      ;;
    *) echo "unknown part: $part" >&2; exit 2 ;;
  esac
done
