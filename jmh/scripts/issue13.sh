#!/usr/bin/env bash
# Issue 13's measuring pass (pipeline latency and throughput): the keyed counter job (generated long keys -> keyBy ->
# LongValueState.add -> sink) offered 100k and 1M records/s open-loop, then at the maximum sustained rate (searched
# from the unpaced rate down), with checkpoints every second (latency from each record's intended emission time to
# the sink, HdrHistogram, p50/p99/p99.9/max); the same job unpaced with and without
# checkpoints (max throughput and the checkpoints' cost); market-stats on generated trades unpaced with and without
# checkpoints. One JVM per part; each rate and checkpoint setting is its own run in a fresh state directory.
# Usage, from the repository root after `mvn -B -o -q package -pl jmh -am -DskipTests`:
#   jmh/scripts/issue13.sh LABEL            # e.g. before, after; results: jmh/results/issue13-LABEL-DATE-*
# Environment: JAVA (default java), PARTS (default "latency counter-max market-stats"), RUN_SECONDS (measured seconds
# per run, default 30), WARMUP_SECONDS (default 10), KEYS (counter job, default 1000000), WORKERS (worker threads,
# default the cores), PARALLELISM (keyed and sink instances, and the counter job's sources; default WORKERS), IDLE
# (the workers' idle strategy: busy-spin, yield or backoff, default backoff), BACKEND (default offheap),
# HEAP (-Xms = -Xmx, default 2g), JAVA_OPTS (more JVM options, e.g. a GC choice).
set -euo pipefail
cd "$(dirname "$0")/../.."
LABEL=${1:?label, e.g. before or after}
JAVA=${JAVA:-java}
PARTS=${PARTS:-latency counter-max market-stats}
RUN_SECONDS=${RUN_SECONDS:-30}
WARMUP_SECONDS=${WARMUP_SECONDS:-10}
KEYS=${KEYS:-1000000}
WORKERS=${WORKERS:-$(nproc)}
PARALLELISM=${PARALLELISM:-$WORKERS}
IDLE=${IDLE:-backoff}
BACKEND=${BACKEND:-offheap}
HEAP=${HEAP:-2g}
JAR=jmh/target/benchmarks.jar
OUT=jmh/results/issue13-$LABEL-$(date -u +%F)
FLAGS=$(unzip -p "$JAR" io/tidemark/jmh/jvm.flags)
mkdir -p jmh/results
# glibc's fixed mmap threshold, as ./tidemark sets it (state-backends.md "Memory")
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-1048576}"

load() { echo "$(date -u +%FT%TZ) $1 loadavg: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT-load.txt"; }

# -Xms = -Xmx and pre-touched: no heap resizing during the measurement
latency_run() {
  # shellcheck disable=SC2086
  "$JAVA" $FLAGS -Xms"$HEAP" -Xmx"$HEAP" -XX:+AlwaysPreTouch ${JAVA_OPTS:-} -cp "$JAR" \
    io.tidemark.jmh.pipeline.PipelineLatency seconds="$RUN_SECONDS" warmupSeconds="$WARMUP_SECONDS" keys="$KEYS" \
    workers="$WORKERS" parallelism="$PARALLELISM" idle="$IDLE" backend="$BACKEND" label="$LABEL" out="$OUT.tsv" "$@"
}

"$JAVA" -version 2>&1 | tee "$OUT-jdk.txt"
echo "commit $(git rev-parse --short HEAD)" | tee -a "$OUT-jdk.txt"
echo "cores $(nproc)" | tee -a "$OUT-jdk.txt"

for part in $PARTS; do
  case $part in
    latency)
      load "latency start"
      latency_run job=counter rates=100000,1000000,sustained checkpoints=1s 2>&1 | tee "$OUT-latency.log"
      load "latency end"
      ;;
    counter-max)
      # with and without checkpoints back to back, per the command's checkpoint-cost line
      load "counter-max start"
      latency_run job=counter rates=max checkpoints=1s,none 2>&1 | tee "$OUT-counter-max.log"
      load "counter-max end"
      ;;
    market-stats)
      load "market-stats start"
      latency_run job=market-stats rates=max checkpoints=1s,none 2>&1 | tee "$OUT-market-stats.log"
      load "market-stats end"
      ;;
    *) echo "unknown part: $part" >&2; exit 2 ;;
  esac
done
