-- wrk script for scripts/bench/oip-infer.sh: POSTs $BODY as fast as each connection can (closed loop) and prints
-- the rate and latency percentiles (wrk's histogram, from writing a request to reading its response).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("%.0f req/s, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.2f ms,"
    .. " requests %d, non-2xx %d, socket errors %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
