-- The wrk script of bench/gateway/run.sh: POSTs a small generateContent body. The gateway's client token, when there is
-- one, comes from the file named by BENCH_TOKEN_FILE (never from wrk's command line: ps shows arguments to every user).
-- At the end, one machine-readable line: RESULT requests=... p50_us=... (latencies in microseconds).
local token_file = os.getenv("BENCH_TOKEN_FILE")
wrk.method = "POST"
wrk.body = '{"contents":[{"parts":[{"text":"Hello"}]}]}'
wrk.headers["Content-Type"] = "application/json"
if token_file and token_file ~= "" then
  local f = assert(io.open(token_file, "r"))
  wrk.headers["x-goog-api-key"] = f:read("*l")
  f:close()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d errors=%d non2xx=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
