#!/usr/bin/env bash
# End-to-end training benchmark of the training orchestrator: one job on <events> labelled events, from the label
# archive through the feature store's point-in-time retrieval (DuckDB), training, the ONNX export check,
# evaluation and registration in the model registry. The data is the example world's past (examples/fraud's
# FraudHistory, as in the training tests): the offline store (profiles and both views' transaction statistics) and
# the labels written straight into the label archive's Parquet format. Kafka is not needed (the label archive is
# pre-filled). One warm-up job, whose version then becomes the champion, then three measured jobs, each evaluated
# beside that champion; prints each job's time (created → finished, from the orchestrator), its steps from the job
# log, and the median.
#
#   tools/bench/training.sh [events] [trainer] [cards] [merchants]
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/bench/lib.sh
events="${1:-1000000}"
trainer="${2:-logistic_regression}"
cards="${3:-100000}"
merchants="${4:-5000}"
require_jars model-registry/target/model-registry.jar feature-store/target/feature-store.jar \
  training-orchestrator/target/training-orchestrator.jar examples/fraud/target/fraud-example.jar
duckdb=$(find ~/.m2/repository/org/duckdb/duckdb_jdbc -name 'duckdb_jdbc-*.jar' | sort | tail -1)

data="$(mktemp -d)"
pids=()
rounds="$data/rounds"
# KEEP_DATA=1 keeps the scratch folder (the services' logs) and prints where it is.
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; if [[ -n "${KEEP_DATA:-}" ]]; then echo "kept $data" >&2; else rm -rf "$data"; fi' EXIT
java -cp "examples/fraud/target/fraud-example.jar:$duckdb" dev.sextant.examples.fraud.FraudHistory \
  "$data/feature-store/offline" "$data/offline/labels" "$events" "$cards" "$merchants"

dead_kafka="127.0.0.1:$(free_port)" # nothing listens: the registry's events wait in its outbox
start_registry "$dead_kafka"
features_port=$(free_port)
(cd "$data" && SEXTANT_DATA_DIR="$data" exec java -Xmx1g -jar "$OLDPWD/feature-store/target/feature-store.jar" --server.port="$features_port" \
  --sextant.features.stream.enabled=false >"$data/feature-store.log" 2>&1) &
pids+=($!)
orchestrator_port=$(free_port)
(cd "$data" && SEXTANT_DATA_DIR="$data" exec java -Xmx3g -jar "$OLDPWD/training-orchestrator/target/training-orchestrator.jar" \
  --server.port="$orchestrator_port" --spring.kafka.bootstrap-servers="$dead_kafka" \
  --sextant.training.labels.enabled=false --sextant.training.retrain.enabled=false \
  --sextant.training.registry-url="$registry" --sextant.training.feature-store-url="http://127.0.0.1:$features_port" \
  >"$data/orchestrator.log" 2>&1) &
pids+=($!)
orchestrator="http://127.0.0.1:$orchestrator_port"
until curl -sf "http://127.0.0.1:$features_port/actuator/health/readiness" >/dev/null; do sleep 0.5; done
until curl -sf "$orchestrator/actuator/health/readiness" >/dev/null; do sleep 0.5; done

echo "java $(java -version 2>&1 | head -1), $(nproc) cores; $events labelled events, trainer $trainer"
for round in warmup 1 2 3; do
  id=$(curl -sf -X POST "$orchestrator/api/v1/training/jobs" -H 'Content-Type: application/json' \
    -d '{"model": "fraud-detector", "trainer": "'"$trainer"'", "data_from": "2000-01-01T00:00:00Z",
         "gate": {"min_improvement": 0}}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  while :; do
    job=$(curl -sf "$orchestrator/api/v1/training/jobs/$id")
    state=$(echo "$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')
    [[ "$state" =~ ^(REGISTERED|REJECTED|FAILED|CANCELLED)$ ]] && break
    sleep 0.5
  done
  curl -sf "$orchestrator/api/v1/training/jobs/$id/logs" | python3 -c '
import json, sys
from datetime import datetime
lines = json.load(sys.stdin)["lines"]
t0 = datetime.fromisoformat(lines[0]["at"].replace("Z", "+00:00"))
for line in lines:
    t = datetime.fromisoformat(line["at"].replace("Z", "+00:00"))
    print("    %6.2f s  %s" % ((t - t0).total_seconds(), line["message"][:110]))' >&2
  echo "$job" | python3 -c '
import json, sys
from datetime import datetime
job = json.load(sys.stdin)
t = lambda k: datetime.fromisoformat(job[k].replace("Z", "+00:00"))
m = job.get("metrics") or {}
print("round %s: %.2f s, %s version %s, roc_auc %.4f, pr_auc %.4f, onnx max abs diff %.2g" % (sys.argv[1],
      (t("finished_at") - t("created_at")).total_seconds(), job["state"], job.get("registered_version"),
      m.get("roc_auc", 0), m.get("pr_auc", 0), m.get("onnx_max_abs_difference", 0)))' "$round"
  if [[ "$round" == warmup ]]; then
    # The measured jobs are evaluated beside a champion (every step runs; with no margin required, each also
    # registers: the same rows train the same model, which ties the champion).
    curl -sf -X PUT "$registry/api/v1/models/fraud-detector/aliases/champion" -H 'Content-Type: application/json' \
      -d '{"version": 1}' >/dev/null
  fi
done | tee "$rounds"
grep -v warmup "$rounds" | sort -t: -k2 -n | awk 'NR==2 {print "median " $0}'
