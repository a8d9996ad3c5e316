#!/usr/bin/env bash
# Domain API benchmark of the prediction service at about <rate> requests per second: each request scores one
# card at one merchant with an MLP over 20 online features (examples/models/mlp-20x64.onnx: 20 inputs, 64 ReLU
# units, sigmoid), which the service reads from a local Redis in-process (two views, ten FLOAT64 features each,
# two HMGETs in one pipelined round trip), then assembles, runs and logs. wrk drives <connections> connections
# with exponential pauses (Poisson-like arrivals, tools/bench/post.lua). One warm-up round of WARMUP_SECONDS
# (default 60), then three rounds; prints each round, the median round by p99, and the service's own histograms
# over the measured rounds (end to end in the service, and the feature read alone). The metrics endpoint is
# scraped every 15 s, as Prometheus would.
#
# Setup: the packaged feature store (with this script's 20-feature repository, streams off) pushes one row per
# view and is stopped before the measurement; the packaged model registry holds the model with its feature
# binding. Redis, registry, prediction service, a Kafka broker for prediction logs (PREDICTION_LOGS=off leaves it
# out) and wrk share this machine's cores. Needs built jars (./mvnw -DskipTests package -pl
# model-registry,feature-store,prediction-service -am), redis-server and wrk (apt-get install redis-server wrk).
#
#   tools/bench/domain-predict.sh [rate] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-1000}"
duration="${2:-30}"
connections="${3:-50}"
warmup="${WARMUP_SECONDS:-60}"
source tools/bench/lib.sh
store_jar=feature-store/target/feature-store.jar
jar=prediction-service/target/prediction-service.jar
require_jars model-registry/target/model-registry.jar "$store_jar" "$jar"
require_tools redis-server wrk
redis_port=$(free_port)
store_port=$(free_port)
port=$(free_port)
kafka="127.0.0.1:$(free_port)"
data="$(mktemp -d)"
rounds="$data/rounds" # each round's line, for the median
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

# 20 FLOAT64 features: f01-f10 of the card, f11-f20 of the merchant.
mkdir -p "$data/repo"
features() { for i in $(seq "$1" "$2"); do printf '      - {name: f%02d, type: FLOAT64}\n' "$i"; done; }
cat >"$data/repo/bench.yaml" <<EOF
entities:
  - name: card
    join_keys: [{name: card_id, type: STRING}]
  - name: merchant
    join_keys: [{name: merchant_id, type: STRING}]
feature_views:
  - name: card_bench
    entities: [card]
    ttl: 1d
    source: push
    features:
$(features 1 10)
  - name: merchant_bench
    entities: [merchant]
    ttl: 1d
    source: push
    features:
$(features 11 20)
EOF

start_redis "$redis_port"
redis="redis://localhost:$redis_port"

SEXTANT_DATA_DIR="$data" java -Xmx384m -jar "$store_jar" --server.port=$store_port \
  --sextant.features.repository="$data/repo" --sextant.features.stream.enabled=false \
  --spring.data.redis.url="$redis" >"$data/feature-store.log" 2>&1 &
store_pid=$!
pids+=($store_pid)
store="http://127.0.0.1:$store_port"
until curl -sf "$store/actuator/health/readiness" >/dev/null; do sleep 0.5; done
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
values() { for i in $(seq "$1" "$2"); do printf ', "f%02d": %s' "$i" "$(awk -v i="$i" 'BEGIN {printf "%.3f", sin(i) }')"; done; }
push() { curl -sf -X POST "$store/api/v1/features/push" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
push '{"feature_view": "card_bench", "rows": [{"card_id": "card-1", "event_timestamp": "'"$now"'"'"$(values 1 10)"'}]}'
push '{"feature_view": "merchant_bench", "rows": [{"merchant_id": "merchant-7", "event_timestamp": "'"$now"'"'"$(values 11 20)"'}]}'
kill "$store_pid"
wait "$store_pid" 2>/dev/null || true

if [[ "${PREDICTION_LOGS:-on}" != off ]]; then start_kafka "$kafka"; fi
start_registry "$kafka"
binding=$( (for i in $(seq 1 10); do printf '{"ref": "card_bench:f%02d", "default": 0},' "$i"; done
  for i in $(seq 11 20); do printf '{"ref": "merchant_bench:f%02d", "default": 0},' "$i"; done) | sed 's/,$//')
register_champion scorer examples/models/mlp-20x64.onnx "{\"features\": [$binding]}"

SEXTANT_FEATURES_REPOSITORY="$data/repo" java -Xmx512m ${PREDICTION_JAVA_OPTS:-} -jar "$jar" --server.port=$port \
  --sextant.prediction.registry.url="$registry" --spring.kafka.bootstrap-servers=$kafka \
  --spring.data.redis.url="$redis" >"$data/prediction-service.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
until curl -sf "$base/v2/models/scorer/ready" >/dev/null; do sleep 0.5; done

body='{"entities": {"card_id": "card-1", "merchant_id": "merchant-7"}}'
answer=$(curl -sf -X POST "$base/api/v1/predict/scorer" -H 'Content-Type: application/json' -d "$body")
echo "$answer" | grep -q '"defaulted":\[\]' || { echo "features not read: $answer" >&2; exit 1; }

export BODY="$body" MEAN_THINK_MS=$(awk -v r="$rate" -v c="$connections" 'BEGIN {printf "%.1f", c * 1000 / r - 0.5}')
echo "java $(java -version 2>&1 | head -1) ${PREDICTION_JAVA_OPTS:-}, $(nproc) cores; wrk -t2 -c$connections," \
  "exponential pauses of mean ${MEAN_THINK_MS} ms (~$rate req/s), ${warmup}s warm-up, rounds of ${duration}s," \
  "same machine; prediction logs ${PREDICTION_LOGS:-on}"
snapshot() {
  histogram "$base" sextant_prediction_requests_seconds 'api="predict".*outcome="ok"' >"$data/requests-$1"
  histogram "$base" sextant_prediction_features_read_seconds 'model="scorer"' >"$data/features-$1"
}
(while sleep 15; do curl -sf "$base/actuator/prometheus" >/dev/null; done) &
pids+=($!)
for round in warmup 1 2 3; do
  seconds=$duration
  if [[ "$round" == warmup ]]; then seconds=$warmup; fi
  echo "round $round: $(wrk -t2 -c"$connections" -d"${seconds}s" -s tools/bench/post.lua \
    "$base/api/v1/predict/scorer" | tail -1)"
  if [[ "$round" == warmup ]]; then snapshot before; fi
done | tee "$rounds"
grep -v warmup "$rounds" | sort -t, -k4.6 -n | awk 'NR==2 {print "median (by p99) " $0}'
snapshot after
for part in requests features; do
  histogram_quantiles "$part" "$data/$part-before" "$data/$part-after"
done
