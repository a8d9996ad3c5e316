#!/usr/bin/env bash
# A cold service under the running demo: while `./sextant start` scores the demo's world through the gateway
# (25 payments a second), restarts <service> <rounds> times with its own command line and environment, waits
# until it is ready, and prints, from the gateway's access log, the latency (the whole request, answers 200 only)
# of the demo's next 1,000 predictions, then of the 1,000 after: the cost of that service's cold JVM against the
# same service warm, in one run. COLD_JAVA_OPTS adds JVM options to every restart, COLD_ARGS application
# arguments (e.g. COLD_ARGS=--sextant.prediction.features.when-unavailable=fail); run it once with them and once
# without, or alternate, to compare.
#
#   ./sextant start &   # then, once it prints "The world goes on":
#   tools/bench/cold-restart.sh prediction-service|gateway|feature-store [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
service="${1:?usage: tools/bench/cold-restart.sh <service> [rounds]}"
rounds="${2:-2}"
data="${SEXTANT_DATA_DIR:-data}"
log="$data/logs/gateway.log"
case "$service" in
  gateway) port=8080 ;;
  prediction-service) port=8081 ;;
  feature-store) port=8082 ;;
  *) echo "a service on the scoring path: gateway, prediction-service or feature-store" >&2; exit 2 ;;
esac
pgrep -f "$service/target/$service.jar" >/dev/null || { echo "$service is not running: ./sextant start first" >&2; exit 1; }

predictions() { tail -n +"$(($1 + 1))" "$log" | grep -a "client=demo-client .*path=/api/v1/predict/.* status=200 " || true; }
# latency <from line> <label>: waits for the demo's next 1,000 predictions after that line, prints their percentiles
latency() {
  local deadline=$((SECONDS + 300))
  until (($(predictions "$1" | wc -l) >= 1000)); do
    ((SECONDS < deadline)) || { echo "the demo scored fewer than 1,000 payments in 5 minutes; see $log" >&2; exit 1; }
    sleep 2
  done
  predictions "$1" | head -1000 | grep -o 'latency_ms=[0-9.]*' | cut -d= -f2 | sort -n |
    awk -v label="$2" '{ a[NR] = $1 } END { printf "  %-26s p50 %6.2f ms  p90 %6.2f ms  p99 %7.2f ms\n", label, a[int(NR * 0.5)], a[int(NR * 0.9)], a[int(NR * 0.99)] }'
}

for round in $(seq 1 "$rounds"); do
  # The same command line and environment as the running process, plus COLD_JAVA_OPTS and COLD_ARGS.
  python3 - "$service" "$port" "$data/logs/$service.log" <<'EOF'
import os, signal, subprocess, sys, time, urllib.request
service, port, log = sys.argv[1], sys.argv[2], sys.argv[3]
pid = int(subprocess.check_output(['pgrep', '-f', f'{service}/target/{service}.jar']).split()[0])
env = dict(kv.split('=', 1) for kv in open(f'/proc/{pid}/environ').read().split('\0') if '=' in kv)
args = [a for a in open(f'/proc/{pid}/cmdline').read().split('\0') if a]
cwd = os.readlink(f'/proc/{pid}/cwd')
extra_jvm = os.environ.get('COLD_JAVA_OPTS', '').split()
extra_args = os.environ.get('COLD_ARGS', '').split()
args = [args[0]] + [a for a in args[1:] if a not in extra_jvm + extra_args]
args = [args[0]] + extra_jvm + args[1:] + extra_args
os.kill(pid, signal.SIGTERM)
while os.path.exists(f'/proc/{pid}'):
    time.sleep(0.2)
started = time.time()
process = subprocess.Popen(
    args, env=env, cwd=cwd, stdout=open(log, 'a'), stderr=subprocess.STDOUT, start_new_session=True)
while True:
    try:
        if urllib.request.urlopen(f'http://localhost:{port}/actuator/health/readiness', timeout=2).status == 200:
            break
    except Exception:
        pass
    if process.poll() is not None:
        sys.exit(f'{service} exited with status {process.returncode} before it was ready; see {log}')
    if time.time() - started > 120:
        sys.exit(f'{service} did not become ready within 120 s; see {log}')
    time.sleep(0.5)
print(f'{service} restarted, ready after {time.time() - started:.1f} s')
EOF
  from=$(wc -l <"$log")
  latency "$from" "round $round: first 1,000"
  from=$(wc -l <"$log")
  latency "$from" "round $round: next 1,000"
done
