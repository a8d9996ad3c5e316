#!/usr/bin/env bash
# Historical-retrieval benchmark of the feature store: a point-in-time training set for <rows> entity rows
# (a Parquet file) joined to 3 feature views (card_txn_stats, card_profile, merchant_profile), through the
# HTTP API of the packaged feature store (DuckDB, memory limit 1GB). Three rounds after one warm-up; prints each
# round and the median. Needs a built jar (./mvnw -DskipTests package -pl feature-store -am). Redis and Kafka
# are not needed (historical retrieval reads the offline store only).
#
#   tools/bench/historical.sh [rows] [cards] [merchants]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-1000000}"
cards="${2:-100000}"
merchants="${3:-5000}"
port=18182
jar=feature-store/target/feature-store.jar
[[ -f "$jar" ]] || { echo "build first: ./mvnw -DskipTests package -pl feature-store -am" >&2; exit 1; }
duckdb=$(find ~/.m2/repository/org/duckdb/duckdb_jdbc -name 'duckdb_jdbc-*.jar' | sort | tail -1)

data="$(mktemp -d)"
rounds="$data/rounds" # each round's line, for the median
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
java -cp "$duckdb" tools/bench/HistoricalData.java "$data" "$rows" "$cards" "$merchants"
SEXTANT_DATA_DIR="$data" java -Xmx1g -jar "$jar" --server.port=$port --sextant.features.stream.enabled=false \
  >"$data/feature-store.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do sleep 0.5; done

body='{"features": ["card_txn_stats:txn_count_1h", "card_txn_stats:amount_mean_1h", "card_profile:home_country",
  "card_profile:is_premium", "merchant_profile:risk_score"], "entity_parquet": "'"$data"'/feature-store/entities.parquet"}'
echo "java $(java -version 2>&1 | head -1), $(nproc) cores; $rows entity rows x 3 views"
for round in warmup 1 2 3; do
  curl -sf -o "$data/answer.json" -w '%{time_total}\n' -X POST "http://127.0.0.1:$port/api/v1/features/historical" \
    -H 'Content-Type: application/json' -d "$body" |
    awk -v round="$round" '{printf "round %s: %.2f s\n", round, $1}'
done | tee "$rounds"
grep -v warmup "$rounds" | sort -t: -k2 -n | awk 'NR==2 {print "median " $0}'
grep -o '"rows":[0-9]*' "$data/answer.json"
