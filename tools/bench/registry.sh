#!/usr/bin/env bash
# Read-path benchmark of the model registry: what the prediction service calls when it loads a model.
# Starts the packaged registry (embedded H2, temporary data dir, no Kafka needed), registers the example
# model, then runs wrk against the alias lookup and the artifact download, three rounds each, and prints
# each round and the median. Needs wrk (apt-get install wrk) and a built jar (./mvnw -DskipTests package).
#
#   tools/bench/registry.sh [duration-seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-15}"
connections="${2:-16}"
port=18383
jar=model-registry/target/model-registry.jar
[[ -f "$jar" ]] || { echo "build first: ./mvnw -DskipTests package -pl model-registry -am" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

data="$(mktemp -d)"
rounds="$data/rounds" # each round's line, for the median
(cd "$data" && exec java -Xmx512m -jar "$OLDPWD/$jar" --server.port=$port >registry.log 2>&1) &
registry=$!
trap 'kill $registry 2>/dev/null; wait $registry 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
until curl -sf "$base/actuator/health/readiness" >/dev/null; do sleep 0.5; done
curl -sf -X POST "$base/api/v1/models/fraud-detector/versions" -F file=@examples/models/fraud-logreg-v1.onnx >/dev/null
curl -sf -X PUT "$base/api/v1/models/fraud-detector/aliases/champion" \
  -H 'Content-Type: application/json' -d '{"version": 1}' >/dev/null

run() {
  local name=$1 path=$2
  wrk -t2 -c"$connections" -d"$((duration * 2))s" "$base$path" >/dev/null   # JIT warm-up, not reported
  for round in 1 2 3; do
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$base$path" |
      awk -v name="$name" -v round="$round" '
        /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Requests\/sec/ {rps=$2}
        /Non-2xx/ {errors=$NF}
        END {printf "%s round %d: %.0f req/s, p50 %s, p99 %s, non-2xx %s\n", name, round, rps, p50, p99, errors+0}'
  done | tee "$rounds"
  sort -t: -k2 -n "$rounds" | awk 'NR==2 {print "median " $0}'
}

echo "java $(java -version 2>&1 | head -1), $(nproc) cores, wrk -t2 -c$connections -d${duration}s, same machine"
run "GET alias" /api/v1/models/fraud-detector/aliases/champion
run "GET artifact by alias" /api/v1/models/fraud-detector/aliases/champion/artifact
