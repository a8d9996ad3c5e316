-- wrk script for scripts/bench/online-http.sh: POSTs $BODY to the online read endpoint from every connection,
-- each connection pausing an exponentially distributed time (mean $MEAN_THINK_MS) between a response and its
-- next request. Many connections with random pauses make Poisson-like arrivals at a rate the server's latency
-- barely moves (the pause is ~50x the latency): an open load, not synchronized bursts. Prints the achieved rate
-- and the latency percentiles (wrk's own histogram, from writing a request to reading its response).
local mean_ms = tonumber(os.getenv("MEAN_THINK_MS"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")

function init(args)
  -- each thread has its own Lua state: seed each differently
  math.randomseed(os.time() * 1000 + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

function delay()
  return math.floor(-mean_ms * math.log(1 - math.random()) + 0.5)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("%.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms,"
    .. " requests %d, non-2xx %d, socket errors %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
