#!/usr/bin/env bash
# Online-read benchmark of the feature store's HTTP API at about <rate> requests per second: wrk with
# <connections> connections, each pausing a random (exponential) time between requests so that arrivals are
# Poisson-like, not synchronized (tools/bench/post.lua); each request reads 12 features of 4 views for
# one card and one merchant, against the packaged feature store and a local Redis. One warm-up round, then three
# rounds; prints each round's rate and latency percentiles as wrk measured them, the median round, and the
# server's own latency histogram (http_server_requests) over the measured rounds. The metrics endpoint is
# scraped every 15 s throughout, as Prometheus would. Needs a built jar
# (./mvnw -DskipTests package -pl feature-store -am), redis-server and wrk (apt-get install redis-server wrk).
#
# The warm-up round lasts WARMUP_SECONDS (default 60): the JIT compilers keep improving the request path for
# well over the first 30 s at this rate on 2 cores. FEATURE_STORE_JAVA_OPTS adds JVM options to the feature
# store (e.g. -XX:+UseZGC).
#
#   tools/bench/online-http.sh [rate] [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
rate="${1:-1000}"
duration="${2:-30}"
connections="${3:-50}"
warmup="${WARMUP_SECONDS:-60}"
redis_port=16380
port=18282
jar=feature-store/target/feature-store.jar
[[ -f "$jar" ]] || { echo "build first: ./mvnw -DskipTests package -pl feature-store -am" >&2; exit 1; }
for tool in redis-server wrk; do
  command -v $tool >/dev/null || { echo "$tool is needed: apt-get install redis-server wrk" >&2; exit 1; }
done

source tools/bench/lib.sh
data="$(mktemp -d)"
rounds="$data/rounds" # each round's line, for the median
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
start_redis "$redis_port"
SEXTANT_DATA_DIR="$data" java -Xmx512m ${FEATURE_STORE_JAVA_OPTS:-} -jar "$jar" --server.port=$port --sextant.features.stream.enabled=false \
  --spring.data.redis.url="redis://localhost:$redis_port" >"$data/feature-store.log" 2>&1 &
pids+=($!)
base="http://127.0.0.1:$port"
until curl -sf "$base/actuator/health/readiness" >/dev/null; do sleep 0.5; done

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
push() { curl -sf -X POST "$base/api/v1/features/push" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
push '{"feature_view": "card_txn_stats", "rows": [{"card_id": "card-1", "event_timestamp": "'"$now"'",
  "txn_count_10m": 2, "txn_count_1h": 5, "amount_sum_10m": 80.0, "amount_sum_1h": 212.4, "amount_mean_1h": 42.48,
  "amount_max_1h": 99.5}]}'
push '{"feature_view": "card_profile", "rows": [{"card_id": "card-1", "event_timestamp": "'"$now"'",
  "home_country": "FR", "card_age_days": 412, "is_premium": true}]}'
push '{"feature_view": "merchant_txn_stats", "rows": [{"merchant_id": "merchant-7", "event_timestamp": "'"$now"'",
  "txn_count_10m": 31, "txn_count_1h": 140, "amount_sum_1h": 5120.0}]}'
push '{"feature_view": "merchant_profile", "rows": [{"merchant_id": "merchant-7", "event_timestamp": "'"$now"'",
  "risk_score": 0.12, "category": "grocery", "country": "FR"}]}'
body='{"features": ["card_txn_stats:txn_count_10m", "card_txn_stats:txn_count_1h", "card_txn_stats:amount_mean_1h",
  "card_txn_stats:amount_max_1h", "card_profile:home_country", "card_profile:card_age_days", "card_profile:is_premium",
  "merchant_txn_stats:txn_count_10m", "merchant_txn_stats:txn_count_1h", "merchant_txn_stats:amount_sum_1h",
  "merchant_profile:risk_score", "merchant_profile:category"],
  "entities": {"card_id": ["card-1"], "merchant_id": ["merchant-7"]}}'
curl -sf -X POST "$base/api/v1/features/online" -H 'Content-Type: application/json' -d "$body" | grep -q '"PRESENT"'

# Each connection's mean pause so that the connections together send about <rate> requests per second.
export BODY="$body" MEAN_THINK_MS=$(awk -v r="$rate" -v c="$connections" 'BEGIN {printf "%.1f", c * 1000 / r - 0.5}')
echo "java $(java -version 2>&1 | head -1) ${FEATURE_STORE_JAVA_OPTS:-}, $(nproc) cores; wrk -t2 -c$connections," \
  "exponential pauses of mean ${MEAN_THINK_MS} ms (~$rate req/s), ${warmup}s warm-up, rounds of ${duration}s, same machine"
buckets() {
  curl -sf "$base/actuator/prometheus" | grep '^http_server_requests_seconds_bucket' |
    grep 'uri="/api/v1/features/online"' | sed 's/.*le="\([^"]*\)".* \([0-9.E+]*\)$/\1 \2/'
}
# A Prometheus-like scrape every 15 s, as in production: the first scrapes of the metrics endpoint are costly
# (without this, the round right after the script's own scrape had twice the p99 of the others).
(while sleep 15; do curl -sf "$base/actuator/prometheus" >/dev/null; done) &
pids+=($!)
for round in warmup 1 2 3; do
  seconds=$duration
  if [[ "$round" == warmup ]]; then seconds=$warmup; fi
  echo "round $round: $(wrk -t2 -c"$connections" -d"${seconds}s" -s tools/bench/post.lua \
    "$base/api/v1/features/online" | tail -1)"
  if [[ "$round" == warmup ]]; then buckets >"$data/after-warmup"; fi
done | tee "$rounds"
grep -v warmup "$rounds" | sort -t, -k4.6 -n | awk 'NR==2 {print "median (by p99) " $0}'
# The server's own view of the measured rounds: Tomcat to response, no client.
buckets | paste -d' ' "$data/after-warmup" - | awk '{l[NR]=$1; c[NR]=$4-$2} END {t=c[NR]
  for (i=1;i<=NR;i++) {if (!a && c[i]>=t*0.5) {a=l[i]} if (!b && c[i]>=t*0.99) {b=l[i]}}
  for (i=1;i<=NR;i++) {if (l[i] == "0.003") {w=c[i]}}
  printf "server side, measured rounds (histogram bucket bounds): p50 <= %.2f ms, p99 <= %.2f ms over %d requests; %.2f%% within 3 ms\n", a*1000, b*1000, t, w*100/t}'
