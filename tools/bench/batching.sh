#!/usr/bin/env bash
# Dynamic batching benchmark: the same model served twice by one prediction service, as "unbatched" and as
# "batched" (sextant.prediction.batching enabled for it alone), so both run in the same JVM, measured back to
# back. The model is one where batching helps: an MLP whose hidden layer's weights (INPUTS x HIDDEN floats,
# default 256 x 32768, 32 MB: more than this machine's L3 cache) are read from memory once per ONNX Runtime run,
# so a run of 32 rows costs far less than 32 runs.
# Generated here with the test infrastructure's OnnxModels (nothing downloaded).
#
# Saturation: wrk closed loops with <connections> connections (default 64), alternating unbatched and batched
# rounds, three each after a warm-up round of each; the median rounds and their throughput ratio. Low load: one
# connection, same alternation; the median p50s and their difference, against the configured queue delay.
# Prediction logs are off (no Kafka): this measures the serving path. Needs built jars (./mvnw -DskipTests
# package -pl model-registry,prediction-service -am) and wrk.
#
#   tools/bench/batching.sh [seconds] [connections]
# Environment: INPUTS, HIDDEN (model size), MAX_BATCH (32), DELAY (max queue delay, 500us), WORKERS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-15}"
connections="${2:-64}"
inputs="${INPUTS:-256}"
hidden="${HIDDEN:-32768}"
max_batch="${MAX_BATCH:-32}"
delay="${DELAY:-500us}"
workers="${WORKERS:-2}"
source tools/bench/lib.sh
jar=prediction-service/target/prediction-service.jar
require_jars model-registry/target/model-registry.jar "$jar"
require_tools wrk
port=$(free_port)
no_kafka="127.0.0.1:$(free_port)"
data="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

classpath="tools/local-servers/target/classes:$(cat tools/local-servers/target/classes/dev/sextant/localservers/kafka-broker.classpath)"
java -cp "$classpath" dev.sextant.testsupport.OnnxModels mlp "$inputs" "$hidden" 3 "$data/model.onnx"

start_registry "$no_kafka"
for model in unbatched batched; do
  register_champion "$model" "$data/model.onnx"
done

java -Xmx1g ${PREDICTION_JAVA_OPTS:-} -jar "$jar" --server.port=$port \
  --sextant.prediction.registry.url="$registry" --spring.kafka.bootstrap-servers=$no_kafka \
  --sextant.prediction.batching.models.batched.enabled=true \
  --sextant.prediction.batching.models.batched.max-batch-size="$max_batch" \
  --sextant.prediction.batching.models.batched.max-queue-delay="$delay" \
  --sextant.prediction.batching.models.batched.workers="$workers" \
  --sextant.prediction.batching.models.batched.queue-capacity=1024 \
  --sextant.prediction.logs.buffer-capacity=1 >"$data/prediction-service.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
until curl -sf "$base/v2/models/batched/ready" >/dev/null && curl -sf "$base/v2/models/unbatched/ready" >/dev/null; do
  sleep 0.5
done

features=$(python3 -c "import random; random.seed(1); print(','.join('%.4f' % random.uniform(-1, 1) for _ in range($inputs)))")
export BODY='{"inputs": [{"name": "features", "datatype": "FP32", "shape": [1, '"$inputs"'], "data": ['"$features"']}]}'
unset MEAN_THINK_MS # closed loops
for model in unbatched batched; do
  curl -sf -X POST "$base/v2/models/$model/infer" -H 'Content-Type: application/json' -d "$BODY" | grep -q probability
done

echo "java $(java -version 2>&1 | head -1) ${PREDICTION_JAVA_OPTS:-}, $(nproc) cores; MLP ${inputs}x${hidden};" \
  "batched: max batch $max_batch, max queue delay $delay, $workers workers; wrk closed loops, rounds of ${duration}s"
round() { # model, connections
  wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"${duration}s" -s tools/bench/post.lua "$base/v2/models/$1/infer" | tail -1
}
median() { # file, sort key → the median line
  sort -t, -k"$2" -n "$1" | awk 'NR==2'
}
measure() { # connections, label
  round unbatched "$1" >/dev/null
  round batched "$1" >/dev/null
  : >"$data/unbatched-$2"
  : >"$data/batched-$2"
  for r in 1 2 3; do
    for model in unbatched batched; do
      line=$(round "$model" "$1")
      echo "c=$1 $model round $r: $line"
      echo "$line" >>"$data/$model-$2"
    done
  done
}
measure "$connections" saturation
measure 1 low
rate() { awk '{print $1}' <<<"$1"; }
p50() { sed 's/.*p50 \([0-9.]*\) ms.*/\1/' <<<"$1"; }
unbatched=$(median "$data/unbatched-saturation" 1)
batched=$(median "$data/batched-saturation" 1)
echo "saturation, median rounds: unbatched $unbatched"
echo "saturation, median rounds: batched   $batched"
echo "throughput ratio batched/unbatched: $(awk -v b="$(rate "$batched")" -v u="$(rate "$unbatched")" 'BEGIN {printf "%.2f", b / u}')"
unbatched=$(median "$data/unbatched-low" 2.6)
batched=$(median "$data/batched-low" 2.6)
echo "1 connection, median rounds: unbatched $unbatched"
echo "1 connection, median rounds: batched   $batched"
echo "p50 cost of batching at 1 connection: $(awk -v b="$(p50 "$batched")" -v u="$(p50 "$unbatched")" 'BEGIN {printf "%.3f", b - u}') ms (max queue delay $delay)"
curl -sf "$base/actuator/prometheus" | grep -E '^sextant_prediction_batch_size_(count|sum)' || true
