#!/usr/bin/env bash
# Open Inference Protocol infer benchmark of the prediction service: a small MLP (examples/models/mlp-32x64.onnx:
# 32 inputs, 64 ReLU units, sigmoid output), batch 1, served from the packaged model registry and prediction
# service. wrk drives closed loops: <connections> connections (default 8) for the throughput figure, then 1
# connection for the single-request latency. Each: one warm-up round, then three rounds; prints every round and
# the median round by rate (8 connections) or by p50 (1 connection). Load generator, registry, prediction
# service and a local Kafka broker (model events, and every prediction's log on prediction-logs.v1) share this
# machine's cores; PREDICTION_LOGS=off leaves Kafka out, so the logs are dropped at the service's buffer. Needs built jars (./mvnw -DskipTests package -pl model-registry,prediction-service -am)
# and wrk (apt-get install wrk).
#
# PREDICTION_JAVA_OPTS adds JVM options to the prediction service. The warm-up round lasts WARMUP_SECONDS (default
# 60): after 20 s the JIT was still improving the request path (the first measured round ran 20 % slower).
#
#   tools/bench/oip-infer.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-20}"
connections="${2:-8}"
warmup="${WARMUP_SECONDS:-60}"
source tools/bench/lib.sh
jar=prediction-service/target/prediction-service.jar
require_jars model-registry/target/model-registry.jar "$jar"
require_tools wrk
port=$(free_port)
kafka="127.0.0.1:$(free_port)"
data="$(mktemp -d)"
rounds="$data/rounds" # each round's line, for the median
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
if [[ "${PREDICTION_LOGS:-on}" != off ]]; then start_kafka "$kafka"; fi
start_registry "$kafka"
register_champion mlp examples/models/mlp-32x64.onnx

# A fixed heap with a large young generation: G1 otherwise sizes eden to ~70 MB, which this load (about 27 KB
# allocated per request) fills four times a second, and every young pause stalls the requests in flight.
java -Xms512m -Xmx512m -Xmn384m ${PREDICTION_JAVA_OPTS:-} -jar "$jar" --server.port=$port \
  --sextant.prediction.registry.url="$registry" --spring.kafka.bootstrap-servers=$kafka \
  >"$data/prediction-service.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
until curl -sf "$base/v2/models/mlp/ready" >/dev/null; do sleep 0.5; done

features=$(python3 -c 'import random; random.seed(1); print(",".join("%.4f" % random.uniform(-1, 1) for _ in range(32)))')
export BODY='{"inputs": [{"name": "features", "datatype": "FP32", "shape": [1, 32], "data": ['"$features"']}]}'
unset MEAN_THINK_MS # closed loops
curl -sf -X POST "$base/v2/models/mlp/infer" -H 'Content-Type: application/json' -d "$BODY" | grep -q probability

echo "java $(java -version 2>&1 | head -1) ${PREDICTION_JAVA_OPTS:-}, $(nproc) cores; wrk closed loops, rounds of ${duration}s after a ${warmup}s warm-up round, same machine; prediction logs ${PREDICTION_LOGS:-on}"
run() { # connections, sort key (field of the line)
  for round in warmup 1 2 3; do
    seconds=$duration
    if [[ "$round" == warmup ]]; then seconds=$warmup; fi
    echo "c=$1 round $round: $(wrk -t"$(( $1 < 2 ? 1 : 2 ))" -c"$1" -d"${seconds}s" -s tools/bench/post.lua \
      "$base/v2/models/mlp/infer" | tail -1)"
  done | tee "$rounds"
  grep -v warmup "$rounds" | sort -t, -k"$2" -n | awk 'NR==2 {print "median " $0}'
}
run "$connections" 1.14
run 1 2.6
if [[ "${PREDICTION_LOGS:-on}" != off ]]; then
  curl -sf "$base/actuator/prometheus" | grep -E '^sextant_prediction_logs_(published|dropped|failed)_total' || true
fi
