-- wrk script for the benchmark harnesses: every connection POSTs $BODY (JSON). With $MEAN_THINK_MS set, each
-- connection pauses an exponentially distributed time of that mean between a response and its next request:
-- many connections with random pauses make Poisson-like arrivals at a rate the server's latency barely moves
-- (tools/bench/online-http.sh). Without it, each connection is a closed loop, as fast as it goes
-- (tools/bench/oip-infer.sh). Prints the achieved rate and the latency percentiles (wrk's own histogram, from
-- writing a request to reading its response). With $API_KEY set, every request carries it in X-API-Key
-- (tools/bench/gateway.sh).
local mean_ms = tonumber(os.getenv("MEAN_THINK_MS"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
-- through the gateway: the client's API key
if (os.getenv("API_KEY") or "") ~= "" then
  wrk.headers["X-API-Key"] = os.getenv("API_KEY")
end

if mean_ms then
  function init(args)
    -- each thread has its own Lua state: seed each differently
    math.randomseed(os.time() * 1000 + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
  end

  function delay()
    return math.floor(-mean_ms * math.log(1 - math.random()) + 0.5)
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("%.0f req/s, p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.2f ms,"
    .. " requests %d, non-2xx %d, socket errors %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
