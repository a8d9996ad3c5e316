#!/usr/bin/env bash
# Throughput benchmark of the monitoring service: how many prediction logs per second it consumes, parses and
# aggregates into its windows (KLL sketches per feature and score, data quality, drift judged at each close), with
# its heap capped at 512 MB. Starts a Kafka broker and the packaged model registry, writes <count> prediction logs of
# <models> models to prediction-logs.v1 first (a backlog: tools/bench/LogLoad.java, with the tests' generator,
# test-support's PredictionLogs), then starts the packaged monitoring service with -Xmx512m and samples its
# counters every second until every log is aggregated. Prints the per-second rates and their median, the overall
# and sustained rates, the windows judged, and the most heap used after a collection.
# Needs the jars and test-support's classes: ./mvnw -DskipTests package -pl monitoring -am
#
#   tools/bench/monitoring.sh [count] [models]
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/lib.sh
count="${1:-5000000}"
models="${2:-4}"
require_jars model-registry/target/model-registry.jar monitoring/target/monitoring.jar
[[ -f tools/test-support/target/classes/dev/sextant/testsupport/PredictionLogs.class ]] || {
  echo "build first: ./mvnw -DskipTests package -pl monitoring -am (compiles the logs' generator)" >&2; exit 1; }

data="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; if [[ -n "${KEEP_DATA:-}" ]]; then echo "kept $data" >&2; else rm -rf "$data"; fi' EXIT
./mvnw -q -o dependency:build-classpath -pl tools/test-support -Dmdep.includeScope=runtime \
  -DexcludeArtifactIds=logback-classic,logback-core -Dmdep.outputFile="$data/classpath" >/dev/null
kafka="localhost:$(free_port)"
start_kafka "$kafka"
start_registry "$kafka"
java -Dsextant.root=. -cp "tools/test-support/target/classes:tools/local-servers/target/classes:$(cat "$data/classpath")" \
  tools/bench/LogLoad.java \
  "$kafka" "$registry" "$count" "$models"

port=$(free_port)
# MONITORING_JAVA_OPTS adds JVM options (a profiler: -XX:StartFlightRecording=filename=...).
(cd "$data" && exec java -Xmx512m ${MONITORING_JAVA_OPTS:-} -jar "$OLDPWD/monitoring/target/monitoring.jar" --server.port="$port" \
  --spring.kafka.bootstrap-servers="$kafka" --sextant.monitoring.registry-url="$registry" \
  >"$data/monitoring.log" 2>&1) &
pids+=($!)
monitoring="http://127.0.0.1:$port"
until curl -sf "$monitoring/actuator/health/readiness" >/dev/null; do sleep 0.5; done

# One meter from the metrics endpoint, not a whole Prometheus scrape (hundreds of Kafka client gauges).
meter() {
  curl -sf "$monitoring/actuator/metrics/$1" | python3 -c '
import json, sys
measurements = json.load(sys.stdin)["measurements"]
print(int(sum(m["value"] for m in measurements if m["statistic"] in ("COUNT", "VALUE"))))' 2>/dev/null || echo 0
}
echo "java $(java -version 2>&1 | head -1), $(nproc) cores; broker, registry and monitoring (-Xmx512m) on this machine"
track_progress "$count" "logs aggregated" "$data/monitoring.log" meter "sextant.monitoring.logs?tag=outcome:accepted"
windows=0
for ((m = 0; m < models; m++)); do
  n=$(curl -sf "$monitoring/api/v1/monitoring/models/bench-model-$m/versions/1/drift" |
    python3 -c 'import json,sys; print(len(json.load(sys.stdin)["windows"]))')
  windows=$((windows + n))
done
# The heap after collections: the live set, what the cap must hold (jvm.gc.live.data.size is the old generation
# after the last full or concurrent cycle; jvm.memory.used is sampled at the end as well).
live=$(meter "jvm.gc.live.data.size")
used=$(meter "jvm.memory.used?tag=area:heap")
awk -v w="$windows" -v l="$live" -v u="$used" 'BEGIN {
  printf "windows judged: %d; heap: live data after GC %.0f MB, used at the end %.0f MB, cap 512 MB\n",
    w, l / 1048576, u / 1048576 }'
grep -c "OutOfMemoryError" "$data/monitoring.log" >/dev/null && { echo "OutOfMemoryError in the log" >&2; exit 1; } || true
