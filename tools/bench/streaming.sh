#!/usr/bin/env bash
# Streaming ingestion benchmark of the feature store: how many transactions per second the Kafka Streams
# topology turns into per-card and per-merchant windows in Redis (and Parquet), sustained.
# Starts a Kafka broker and Redis, writes <count> transactions to transactions.v1 first (a backlog), then starts
# the packaged feature store and samples its counters every second until every transaction is in both stream
# views. Prints the per-second rates, their median, and the overall rate from the first event to the last.
# Needs a built jar (./mvnw -DskipTests package -pl feature-store -am) and redis-server (apt-get install
# redis-server).
#
#   tools/bench/streaming.sh [count] [cards] [merchants]
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-3000000}"
cards="${2:-100000}"
merchants="${3:-5000}"
kafka_port=19092
redis_port=16379
http_port=18082
jar=feature-store/target/feature-store.jar
[[ -f "$jar" ]] || { echo "build first: ./mvnw -DskipTests package -pl feature-store -am" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is needed: apt-get install redis-server" >&2; exit 1; }
classpath="tools/local-servers/target/classes:$(cat tools/local-servers/target/classes/dev/sextant/localservers/kafka-broker.classpath)"

source tools/bench/lib.sh
data="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
java -cp "$classpath" dev.sextant.localservers.LocalKafka "$kafka_port" "$data/kafka" >"$data/kafka.log" 2>&1 &
pids+=($!)
start_redis "$redis_port"
until grep -q "Kafka ready" "$data/kafka.log" 2>/dev/null; do sleep 0.5; done
# Event times as dense as the rate under test (50,000 transactions per second of event time), so windows age
# and re-emit rows as often, relative to events, as they would live.
java -cp "$classpath" tools/bench/TransactionLoad.java "localhost:$kafka_port" "$count" "$cards" "$merchants" \
  "$((count / 50000))"

# One meter from the metrics endpoint, not a whole Prometheus scrape: sampled every second, a full scrape (hundreds
# of Kafka client gauges) cost the feature store several percent of the machine it is measured on.
used() {
  curl -sf "http://127.0.0.1:$http_port/actuator/metrics/sextant.features.stream.events?tag=view:$1&tag=outcome:used" |
    sed 's/.*"value":\([^}]*\)}.*/\1/' | awk '{printf "%d", $1}'
}

SEXTANT_DATA_DIR="$data" java -Xmx2g -jar "$jar" --server.port=$http_port \
  --spring.kafka.bootstrap-servers="localhost:$kafka_port" --spring.data.redis.url="redis://localhost:$redis_port" \
  >"$data/feature-store.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$http_port/actuator/health/readiness" >/dev/null; do sleep 0.5; done

echo "java $(java -version 2>&1 | head -1), $(nproc) cores; broker, Redis and feature store on this machine"
# Transactions in both views: the smaller of the two counts.
in_both_views() {
  local card merchant
  card=$(used card_txn_stats)
  merchant=$(used merchant_txn_stats)
  awk -v a="${card:-0}" -v b="${merchant:-0}" 'BEGIN {printf "%d", (a < b ? a : b)}'
}
track_progress "$count" "transactions in both views" "$data/feature-store.log" in_both_views
online=$(curl -sf "http://127.0.0.1:$http_port/actuator/prometheus" | awk '/^sextant_features_stream_rows_total/ && /store="online"/ {s+=$NF} END {printf "%d", s}')
keys=$(redis-cli -p "$redis_port" dbsize)
awk -v o="$online" -v k="$keys" 'BEGIN {
  printf "rows written online: %d (coalesced per entity and flush); Redis keys: %d\n", o, k }'
