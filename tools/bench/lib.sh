# Shared by the benchmark scripts (sourced, not run): ports, prerequisites, a throwaway Redis, the packaged
# model registry with a champion, and the difference of a Prometheus histogram between two scrapes. A script
# that sources it sets `data` (its scratch folder) and `pids` (what to stop on exit) first.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# require_jars FILE...: exits with the build command unless every packaged jar is there.
require_jars() {
  for file in "$@"; do
    [[ -f "$file" ]] || {
      echo "build first: ./mvnw -DskipTests package -pl model-registry,feature-store,prediction-service,gateway -am" >&2
      exit 1
    }
  done
}

# require_tools TOOL...: exits naming the Debian package unless every tool is on the PATH.
require_tools() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is needed: apt-get install $tool" >&2; exit 1; }
  done
}

# start_kafka HOST:PORT: a local Kafka broker (KRaft, the test infrastructure's LocalKafka) on that port.
start_kafka() {
  local classpath
  classpath="tools/local-servers/target/classes:$(cat tools/local-servers/target/classes/dev/sextant/localservers/kafka-broker.classpath)"
  java -cp "$classpath" dev.sextant.localservers.LocalKafka "${1#*:}" "$data/kafka" >"$data/kafka.log" 2>&1 &
  pids+=($!)
  until grep -q "Kafka ready" "$data/kafka.log" 2>/dev/null; do sleep 0.5; done
}

# start_redis PORT: a throwaway redis-server (no persistence) on that port, its files in $data.
start_redis() {
  redis-server --port "$1" --save "" --appendonly no --dir "$data" >"$data/redis.log" 2>&1 &
  pids+=($!)
}

# start_registry KAFKA: the packaged model registry on a free port, its events to KAFKA; sets `registry` (URL).
start_registry() {
  local port
  port=$(free_port)
  (cd "$data" && exec java -Xmx256m -jar "$OLDPWD/model-registry/target/model-registry.jar" --server.port="$port" \
    --spring.kafka.bootstrap-servers="$1" >"$data/registry.log" 2>&1) &
  pids+=($!)
  registry="http://127.0.0.1:$port"
  until curl -sf "$registry/actuator/health/readiness" >/dev/null; do sleep 0.5; done
}

# register_champion MODEL FILE [METADATA_JSON]: registers FILE as version 1 of MODEL and makes it the champion.
register_champion() {
  local metadata=()
  if [[ -n "${3:-}" ]]; then metadata=(-F "metadata=$3;type=application/json"); fi
  curl -sf -X POST "$registry/api/v1/models/$1/versions" -F file=@"$2" "${metadata[@]}" >/dev/null
  curl -sf -X PUT "$registry/api/v1/models/$1/aliases/champion" -H 'Content-Type: application/json' \
    -d '{"version": 1}' >/dev/null
}

# thread_cpu PID: the CPU time (clock ticks) of each of a process's threads so far, one "name<TAB>user<TAB>system" line
# each, for thread_cpu_per_request.
thread_cpu() {
  for task in /proc/"$1"/task/*; do
    # the name is in parentheses and may hold spaces; user and system time are the 12th and 13th fields after it
    sed 's/^[0-9]* (\(.*\)) \(.*\)$/\1\t\2/' "$task/stat" | awk -F'\t' '{split($2, f, " "); print $1 "\t" f[12] "\t" f[13]}'
  done 2>/dev/null
}

# thread_cpu_per_request REQUESTS BEFORE AFTER [BEFORE AFTER ...]: what a JVM's threads spent between each pair of
# thread_cpu files, in µs per request over REQUESTS, by kind of thread: event loops (user and system), JIT compilers,
# GC and VM threads, the access log's writer, the Redis client, the rest.
thread_cpu_per_request() {
  local requests=$1
  shift
  python3 - "$requests" "$(getconf CLK_TCK)" "$@" <<'PY'
import re, sys
requests, tick = int(sys.argv[1]), 1e6 / int(sys.argv[2])
kinds = [("event loops", r"reactor-http|epollEventLoop|nioEventLoop"), ("JIT compilers", r"Compiler"),
         ("GC and VM", r"GC|VM Thread|VM Periodic"), ("access log", r"AsyncAppender"), ("Redis client", r"lettuce")]
spent = {}
def read(path):
    rows = {}
    for line in open(path):
        name, user, system = line.rstrip("\n").split("\t")
        kind = next((k for k, pattern in kinds if re.search(pattern, name)), "other")
        for mode, value in (("user", int(user)), ("system", int(system))):
            rows[(kind, mode)] = rows.get((kind, mode), 0) + value
    return rows
pairs = sys.argv[3:]
for before, after in zip(pairs[::2], pairs[1::2]):
    then, now = read(before), read(after)
    for key, value in now.items():
        spent[key] = spent.get(key, 0) + value - then.get(key, 0)
total = sum(spent.values()) * tick / requests
parts = []
for kind, _ in kinds + [("other", "")]:
    user, system = spent.get((kind, "user"), 0) * tick / requests, spent.get((kind, "system"), 0) * tick / requests
    parts.append(f"{kind} {user + system:.0f} (user {user:.0f}, system {system:.0f})")
print(f"CPU per request {total:.0f} µs: " + "; ".join(parts))
PY
}

# histogram URL METRIC FILTER: "le count" lines of a Prometheus histogram's series matching FILTER.
histogram() {
  curl -sf "$1/actuator/prometheus" | grep "^$2_bucket" | grep "$3" |
    sed 's/.*le="\([^"]*\)".* \([0-9.E+]*\)$/\1 \2/'
}

# histogram_quantiles LABEL BEFORE AFTER: p50 and p99 bucket bounds of the requests between two histogram files.
histogram_quantiles() {
  paste -d' ' "$2" "$3" | awk -v part="$1" '{l[NR]=$1; c[NR]=$4-$2} END {t=c[NR]
    for (i=1;i<=NR;i++) {if (!a && c[i]>=t*0.5) {a=l[i]} if (!b && c[i]>=t*0.99) {b=l[i]}}
    printf "server side (%s), measured rounds (histogram bucket bounds): p50 <= %.2f ms, p99 <= %.2f ms over %d\n",
      part, a*1000, b*1000, t}'
}

# track_progress TARGET WHAT LOG COMMAND...: runs COMMAND (it prints a count) every second until the count reaches
# TARGET (15 minutes at most, else exits naming LOG), printing each sample; then the overall rate (first sample to
# last), the sustained rate (the second half of the run, once the JIT has compiled the hot paths) and the median of
# the per-second rates (the first and last samples are partial seconds). WHAT names what is counted. Each rate is per
# second of the interval measured: a sample takes some time of its own.
track_progress() {
  local target=$1 what=$2 log=$3 previous=0 started="" finished="" last="" now count rate median sustained
  shift 3
  local samples=() rates=() deadline=$((SECONDS + 900))
  while ((SECONDS < deadline)); do
    sleep 1
    now=$(date +%s.%N)
    count=$("$@")
    count=${count:-0}
    if [[ -z "$started" && "$count" -gt 0 ]]; then started=$now; fi
    rate=$(awk -v a="$count" -v p="$previous" -v n="$now" -v l="${last:-$now}" \
      'BEGIN {printf "%d", (n > l ? (a - p) / (n - l) : a - p)}')
    previous=$count
    last=$now
    if [[ -n "$started" ]]; then
      rates+=("$rate")
      samples+=("$now $count")
      echo "t=$(awk -v a="$now" -v b="$started" 'BEGIN {printf "%.0f", a - b}')s $what: $count (+$rate/s)"
    fi
    if ((count >= target)); then
      finished=$now
      break
    fi
  done
  [[ -n "$finished" ]] || { echo "not finished in 15 minutes; see $log" >&2; exit 1; }
  median=$(printf '%s\n' "${rates[@]:1:${#rates[@]}-2}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  sustained=$(printf '%s\n' "${samples[@]}" |
    awk '{t[NR]=$1; c[NR]=$2} END {m=int(NR/2); printf "%.0f", (c[NR]-c[m])/(t[NR]-t[m])}')
  awk -v c="$target" -v a="$started" -v b="$finished" -v m="$median" -v s="$sustained" -v w="$what" 'BEGIN {
    printf "overall: %d %s in %.1f s = %.0f/s (first sample to last)\n", c, w, b - a, c / (b - a)
    printf "sustained (second half of the run): %d/s\n", s
    printf "median of per-second rates: %d/s\n", m }'
}
