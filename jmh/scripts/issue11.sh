#!/usr/bin/env bash
# Issue 11's benchmark pass (the hybrid log's targets): map and list state against Flink heap (JMH), incremental
# checkpoint bytes with variable-size values (JMH), restore (JMH, and a command restoring 10M x 100 B with -Xmx512m),
# spill at a 128 MiB budget against an in-memory budget (command), snapshot pause with map state and variable-size
# values (command).
# Usage, from the repository root after `mvn -B -o -q package -pl jmh -am -DskipTests`:
#   jmh/scripts/issue11.sh LABEL            # e.g. before, after; results: jmh/results/issue11-LABEL-DATE-*
# Environment: JAVA (default java), PARTS (default "map list checkpoint restore restore10m spill pause"),
# PAUSE_SAMPLES (default 1000), PAUSE_WARMUP (default 3000 snapshots dropped before measuring, enough to compile the
# synchronous part), SPILL_MAX_LOAD_SECONDS (default 300: a longer load is stopped and reported as incomplete),
# RESTORE_10M_REFERENCE=0 skips the 10M restore in a large heap, RESTORE_TIMEOUT (default 600 s per restore JVM),
# OFFHEAP_BUDGET (bytes, default 4 GiB: the off-heap store's budget in the map and list runs), MAP1000_LOAD (default putAll; "putAll,put" adds maps built one put per entry at 10k x 1,000, which today's store
# takes minutes to load).
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL=${1:?label, e.g. before or after}
JAVA=${JAVA:-java}
PARTS=${PARTS:-map list checkpoint restore restore10m spill pause}
PAUSE_SAMPLES=${PAUSE_SAMPLES:-1000}
PAUSE_WARMUP=${PAUSE_WARMUP:-3000}
SPILL_MAX_LOAD_SECONDS=${SPILL_MAX_LOAD_SECONDS:-300}
RESTORE_10M_REFERENCE=${RESTORE_10M_REFERENCE:-1}
RESTORE_TIMEOUT=${RESTORE_TIMEOUT:-600}
MAP1000_LOAD=${MAP1000_LOAD:-putAll}
JAR=jmh/target/benchmarks.jar
OUT=jmh/results/issue11-$LABEL-$(date -u +%F)
FLAGS=$(unzip -p "$JAR" io/tidemark/jmh/jvm.flags)
QUICK=(-wi 2 -w 1s -i 3 -r 1s -f 1)
# the off-heap store gets a resident budget that holds the state, as the heap backend gets its default heap
BUDGET=(-jvmArgsAppend "-Dtidemark.jmh.offheapBudget=${OFFHEAP_BUDGET:-4294967296}")

load() { echo "$(date -u +%FT%TZ) $1 loadavg: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT-load.txt"; }

"$JAVA" -version 2>&1 | tee "$OUT-jdk.txt"
echo "commit $(git rev-parse --short HEAD)" | tee -a "$OUT-jdk.txt"

for part in $PARTS; do
  case $part in
    map)
      # two invocations (JMH crosses parameters; 100k x 1,000 would be 100M entries): 100k keys x 10 and 100 user
      # keys, then 10k keys x 1,000 user keys; Tidemark and Flink heap fork back to back within each. Maps loaded
      # with one putAll per key and, at 100k keys, also one put per entry (what a job leaves behind)
      load "map start"
      "$JAVA" -jar "$JAR" 'MapStateBenchmark.map(Get|Put)$' -p backend=tidemarkOffheap,flinkHeap \
        -p keyCount=100000 -p mapSize=10,100 -p mapLoad=putAll,put -p keyDistribution=uniform "${QUICK[@]}" "${BUDGET[@]}" -prof gc \
        -rf json -rff "$OUT-map.json" 2>&1 | tee "$OUT-map.log"
      load "map 10k x 1000"
      "$JAVA" -jar "$JAR" 'MapStateBenchmark.map(Get|Put)$' -p backend=tidemarkOffheap,flinkHeap \
        -p keyCount=10000 -p mapSize=1000 -p mapLoad="$MAP1000_LOAD" -p keyDistribution=uniform "${QUICK[@]}" "${BUDGET[@]}" -prof gc \
        -rf json -rff "$OUT-map1000.json" 2>&1 | tee "$OUT-map1000.log"
      load "map end"
      ;;
    list)
      load "list start"
      "$JAVA" -jar "$JAR" 'ListStateBenchmark.listAdd$' -p backend=tidemarkOffheap,flinkHeap -p keyCount=100000 \
        -p listLength=10 -p keyDistribution=uniform "${QUICK[@]}" "${BUDGET[@]}" -prof gc \
        -rf json -rff "$OUT-list.json" 2>&1 | tee "$OUT-list.log"
      load "list end"
      ;;
    checkpoint)
      load "checkpoint start"
      "$JAVA" -jar "$JAR" 'CheckpointBenchmark' -p backend=tidemarkOffheap -p keyCount=1000000 -p valueSize=100 \
        -p snapshot=incr1,incr10 -p valueSizes=fixed,varied -wi 2 -i 5 -f 1 \
        -jvmArgsAppend "-Dtidemark.jmh.checkpointResults=$PWD/$OUT-checkpoint.tsv" \
        -rf json -rff "$OUT-checkpoint.json" 2>&1 | tee "$OUT-checkpoint.log"
      load "checkpoint end"
      ;;
    restore)
      load "restore start"
      "$JAVA" -jar "$JAR" 'RestoreBenchmark' -p backend=tidemarkOffheap -p keyCount=1000000 -p valueSize=100 \
        -p snapshot=full,incremental -wi 2 -i 5 -f 1 -rf json -rff "$OUT-restore.json" 2>&1 | tee "$OUT-restore.log"
      load "restore end"
      ;;
    restore10m)
      dir=$(mktemp -d /tmp/tidemark-restore10m-XXXXXX)
      load "restore10m write start"
      "$JAVA" $FLAGS -Xms1g -Xmx4g -cp "$JAR" io.tidemark.jmh.checkpoint.RestoreRun phase=write dir="$dir" \
        keyCount=10000000 valueSize=100 snapshot=full results="$OUT-restore10m.tsv" 2>&1 | tee -a "$OUT-restore10m.log"
      load "restore10m restore -Xmx512m start"
      # a JVM that fails or runs out of time is a result, not a script failure
      timeout "$RESTORE_TIMEOUT" "$JAVA" $FLAGS -Xmx512m -cp "$JAR" io.tidemark.jmh.checkpoint.RestoreRun \
        phase=restore dir="$dir" keyCount=10000000 valueSize=100 snapshot=full results="$OUT-restore10m.tsv" \
        2>&1 | tee -a "$OUT-restore10m.log" || echo "restore with -Xmx512m: exit status $?" | tee -a "$OUT-restore10m.log"
      if [ "$RESTORE_10M_REFERENCE" = 1 ]; then
        load "restore10m restore -Xmx8g start"
        timeout "$RESTORE_TIMEOUT" "$JAVA" $FLAGS -Xmx8g -cp "$JAR" io.tidemark.jmh.checkpoint.RestoreRun \
          phase=restore dir="$dir" keyCount=10000000 valueSize=100 snapshot=full results="$OUT-restore10m.tsv" \
          2>&1 | tee -a "$OUT-restore10m.log" || echo "restore with -Xmx8g: exit status $?" | tee -a "$OUT-restore10m.log"
      fi
      rm -rf "$dir"
      load "restore10m end"
      ;;
    spill)
      for budget in 4096 128; do
        load "spill start budgetMiB=$budget"
        # -Xms = -Xmx and pre-touched: RSS growth over the baseline is off-heap memory
        # glibc's fixed mmap threshold, as ./tidemark sets it (state-backends.md "Memory")
        MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1048576}" \
        "$JAVA" $FLAGS -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp "$JAR" io.tidemark.jmh.spill.SpillRun keyCount=4000000 \
          valueSize=100 budgetMiB=$budget seconds=10 warmupSeconds=3 maxLoadSeconds="$SPILL_MAX_LOAD_SECONDS" \
          label="budget$budget" results="$OUT-spill.tsv" 2>&1 | tee -a "$OUT-spill.log"
        load "spill end budgetMiB=$budget"
      done
      ;;
    pause)
      for point in "value 100" "bytes 100" "map 100"; do
        read -r state size <<<"$point"
        load "pause start state=$state"
        # -Xms = -Xmx: no heap resizing during the measurement
        "$JAVA" $FLAGS -Xms4g -Xmx4g -cp "$JAR" io.tidemark.jmh.snapshot.SnapshotPause backend=tidemarkOffheap \
          keyCount=1000000 state="$state" valueSize="$size" mapSize=10 overlap=forced samples="$PAUSE_SAMPLES" \
          warmup="$PAUSE_WARMUP" results="$OUT-pause.tsv" 2>&1 | tee -a "$OUT-pause.log"
        load "pause end state=$state"
      done
      ;;
    *) echo "unknown part: $part" >&2; exit 2 ;;
  esac
done
