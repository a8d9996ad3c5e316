#!/usr/bin/env bash
# Gateway overhead benchmark: the latency the gateway adds to an Open Inference Protocol infer (the small MLP of
# examples/models/mlp-20x64.onnx, batch 1) at about <rate> requests per second, against calling the prediction
# service directly, in the same run. wrk drives <connections> connections with exponential pauses (Poisson-like
# arrivals, tools/bench/post.lua). Rounds alternate: direct, through the gateway, direct, ... after one warm-up
# round of each (WARMUP_SECONDS, default 60); prints every round, the median p50 and p99 of each path and their
# difference, and the gateway's CPU per request over its measured rounds by kind of thread (event loops, JIT
# compilers, GC, access log, Redis client).
#
# Through the gateway every request is authenticated (an API key, hashed and looked up), rate limited (a token
# bucket taken from locally and synchronised with a local Redis; the client's bucket is large enough never to refuse),
# given a request id and trace context, access-logged, and sent on through its circuit breaker. The registry,
# prediction service (prediction logs off: no Kafka), Redis, gateway and wrk share this machine's cores. Needs
# built jars (./mvnw -DskipTests package -pl model-registry,prediction-service,gateway -am), redis-server and wrk.
# GATEWAY_JAVA runs the gateway on another JVM (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), GATEWAY_JAVA_OPTS
# adds JVM options; the gateway has a fixed 512 MB heap with a 400 MB young generation. GATEWAY_CPUS pins the
# gateway to those CPUs (taskset); run the script itself under `taskset -c <others>` to keep the rest off them.
#
#   tools/bench/gateway.sh [rate] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-1000}"
duration="${2:-30}"
connections="${3:-50}"
warmup="${WARMUP_SECONDS:-60}"
source tools/bench/lib.sh
jar=prediction-service/target/prediction-service.jar
gateway_jar=gateway/target/gateway.jar
require_jars model-registry/target/model-registry.jar "$jar" "$gateway_jar"
require_tools redis-server wrk
port=$(free_port)
gateway_port=$(free_port)
redis_port=$(free_port)
no_kafka="127.0.0.1:$(free_port)"
data="$(mktemp -d)"
rounds="$data/rounds" # each round's line, for the medians
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

start_redis "$redis_port"
start_registry "$no_kafka"
register_champion mlp examples/models/mlp-20x64.onnx

java -Xms512m -Xmx512m -Xmn384m -jar "$jar" --server.port=$port --sextant.prediction.registry.url="$registry" \
  --spring.kafka.bootstrap-servers=$no_kafka >"$data/prediction-service.log" 2>&1 &
pids+=($!)
direct="http://127.0.0.1:$port"
until curl -sf "$direct/v2/models/mlp/ready" >/dev/null; do sleep 0.5; done

key="bench-$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
${GATEWAY_CPUS:+taskset -c "$GATEWAY_CPUS"} "${GATEWAY_JAVA:-java}" -Xms512m -Xmx512m -Xmn400m ${GATEWAY_JAVA_OPTS:-} -jar "$gateway_jar" --server.port=$gateway_port \
  --spring.data.redis.url="redis://127.0.0.1:$redis_port" --PREDICTION_SERVICE_URL="$direct" \
  --sextant.gateway.api-keys.bench.sha256="$(printf %s "$key" | sha256sum | cut -d' ' -f1)" \
  --sextant.gateway.api-keys.bench.roles=predict \
  --sextant.gateway.rate-limits.clients.bench.replenish-rate=100000 \
  --sextant.gateway.rate-limits.clients.bench.burst-capacity=100000 >"$data/gateway.log" 2>&1 &
pids+=($!)
gateway_pid=$!
gateway="http://127.0.0.1:$gateway_port"
until curl -sf "$gateway/actuator/health/readiness" >/dev/null; do sleep 0.5; done

export BODY='{"inputs": [{"name": "features", "shape": [1, 20], "datatype": "FP32", "data": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2.0]}]}'
curl -sf -X POST "$gateway/v2/models/mlp/infer" -H 'Content-Type: application/json' -H "X-API-Key: $key" \
  -d "$BODY" | grep -q '"model_name":"mlp"' || { echo "the gateway does not serve the model" >&2; exit 1; }
export MEAN_THINK_MS=$(awk -v r="$rate" -v c="$connections" 'BEGIN {printf "%.1f", c * 1000 / r - 0.5}')
echo "java $(java -version 2>&1 | head -1) (gateway: $("${GATEWAY_JAVA:-java}" -version 2>&1 | head -1)), $(nproc) cores; wrk -t2 -c$connections, exponential pauses of mean" \
  "${MEAN_THINK_MS} ms (~$rate req/s), ${warmup}s warm-up per path, rounds of ${duration}s alternating, same machine"
run() { # PATH_NAME URL [API_KEY]
  API_KEY="${3:-}" wrk -t2 -c"$connections" -d"$4s" -s tools/bench/post.lua "$2/v2/models/mlp/infer" | tail -1
}
for round in warmup 1 2 3; do
  seconds=$duration
  if [[ "$round" == warmup ]]; then seconds=$warmup; fi
  echo "round $round direct: $(run direct "$direct" "" "$seconds")"
  thread_cpu "$gateway_pid" >"$data/cpu-before-$round"
  echo "round $round gateway: $(run gateway "$gateway" "$key" "$seconds")"
  thread_cpu "$gateway_pid" >"$data/cpu-after-$round"
done | tee "$rounds"
for path in direct gateway; do
  p50=$(grep -v warmup "$rounds" | grep " $path:" | sed 's/.*p50 \([0-9.]*\) ms.*/\1/' | sort -n | sed -n 2p)
  p99=$(grep -v warmup "$rounds" | grep " $path:" | sed 's/.*p99 \([0-9.]*\) ms.*/\1/' | sort -n | sed -n 2p)
  echo "$path median of rounds: p50 $p50 ms, p99 $p99 ms" | tee -a "$data/medians"
done
awk '/^direct/ {d50=$6; d99=$9} /^gateway/ {g50=$6; g99=$9}
  END {printf "gateway adds: p50 %+.3f ms, p99 %+.3f ms (medians of rounds)\n", g50-d50, g99-d99}' "$data/medians"
requests=$(grep -v warmup "$rounds" | grep ' gateway:' | sed 's/.*requests \([0-9]*\),.*/\1/' | awk '{n+=$1} END {print n}')
echo "gateway, measured rounds: $(thread_cpu_per_request "$requests" \
  "$data/cpu-before-1" "$data/cpu-after-1" "$data/cpu-before-2" "$data/cpu-after-2" "$data/cpu-before-3" "$data/cpu-after-3")"
